/**
 * The signed-in user. The token is kept per tab (see app/api.ts): a reload stays signed in,
 * closing the window or signing out does not.
 */
import { create } from 'zustand';
import type { Role } from '../../electron/shared/domain';
import type { ErrorInfo } from '../../electron/shared/errors';
import type { SessionInfo, UserSummary } from '../../electron/shared/types';
import { call, setSessionToken } from '../app/api';

interface SessionState {
  user: UserSummary | null;
  /** Why the last session ended without signing out (it expired): the sign-in screen says so. */
  notice: ErrorInfo | null;
  /** Core no longer knows the session: forget it, keeping why when it expired. */
  lost: (info: ErrorInfo) => void;
  signedIn: (session: SessionInfo) => void;
  signOut: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

export const useSession = create<SessionState>((set, get) => ({
  user: null,
  notice: null,
  lost: (info) => {
    setSessionToken(null);
    set({ user: null, notice: info.code === 'auth.sessionExpired' ? info : null });
  },
  signedIn: (session) => {
    setSessionToken(session.token);
    set({ user: session.user, notice: null });
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
