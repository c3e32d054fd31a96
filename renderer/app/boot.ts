/**
 * What the window shows before anyone signs in: the database status from `app.status`
 * (recovery, first-run setup, or sign-in). Also keeps the UI language in step with the session.
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../electron/shared/errors';
import type { AppStatus } from '../../electron/shared/types';
import { setLocale } from '../i18n';
import { useNav } from '../stores/nav';
import { useSession } from '../stores/session';
import { ApiError, call, setSessionToken, storedSessionToken } from './api';
import { toErrorInfo } from './errors';

interface BootState {
  /** null until the first answer arrives. */
  status: AppStatus | null;
  loading: boolean;
  error: ErrorInfo | null;
  load: () => Promise<void>;
  /** Restore / reset / setup answer with a fresh status; keep it. */
  setStatus: (status: AppStatus) => void;
}

export const useBoot = create<BootState>((set) => ({
  status: null,
  loading: false,
  error: null,
  load: async () => {
    set({ loading: true, error: null });
    try {
      const status = await call('app.status', {});
      if (status.initialized && !status.recovery) await resumeSession();
      set({ status, loading: false });
    } catch (e) {
      set({ error: toErrorInfo(e), loading: false });
    }
  },
  setStatus: (status) => set({ status, error: null }),
}));

/**
 * After a reload: asks core whether the token kept from before is still a session (it is not
 * after signing out, the idle lock, or a restart of core) and, if so, shows the app signed in.
 * A token core refuses is forgotten; any other failure leaves it for the next reload.
 */
async function resumeSession(): Promise<void> {
  if (!storedSessionToken() || useSession.getState().user) return;
  try {
    const user = await call('auth.me', {});
    useSession.setState({ user });
  } catch (e) {
    if (e instanceof ApiError && e.info.code === 'auth.required') setSessionToken(null);
    else if (e instanceof ApiError && e.info.code === 'auth.sessionExpired') useSession.getState().lost(e.info);
    else throw e;
  }
}

/** The screen the window should show. */
export type Phase = 'loading' | 'failed' | 'preparing' | 'recovery' | 'setup' | 'signIn' | 'app';

export function phaseOf(boot: Pick<BootState, 'status' | 'error'>, signedIn: boolean): Phase {
  if (boot.status?.preparing) return 'preparing';
  if (boot.status?.recovery) return 'recovery';
  if (signedIn) return 'app';
  if (!boot.status) return boot.error ? 'failed' : 'loading';
  return boot.status.initialized ? 'signIn' : 'setup';
}

// Signing in switches to the user's language; signing out goes back to the ticket list for the
// next person and re-reads the status (the branch may have been set up meanwhile).
useSession.subscribe((state, previous) => {
  const user = state.user;
  if (user && user.id !== previous.user?.id) {
    void setLocale(user.locale);
  }
  if (!user && previous.user) {
    useNav.setState({ route: { name: 'tickets' }, history: [] });
  }
});
