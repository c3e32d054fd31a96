/**
 * The signed-in user. The token is kept per tab (see app/api.ts): a reload stays signed in,
 * closing the window or signing out does not.
 */
import { create } from 'zustand';
import type { Role } from '../../electron/shared/domain';
import type { SessionInfo, UserSummary } from '../../electron/shared/types';
import { call, setSessionToken } from '../app/api';

interface SessionState {
  user: UserSummary | null;
  signedIn: (session: SessionInfo) => void;
  signOut: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

export const useSession = create<SessionState>((set, get) => ({
  user: null,
  signedIn: (session) => {
    setSessionToken(session.token);
    set({ user: session.user });
  },
  signOut: async () => {
    try {
      await call('auth.signOut', {});
    } finally {
      setSessionToken(null);
      set({ user: null });
    }
  },
  hasRole: (...roles) => roles.some((r) => get().user?.roles.includes(r) ?? false),
}));
