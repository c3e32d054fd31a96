/**
 * An emergency session (seed 001 §04 c): signing in with the account, the one request it covers,
 * applying the change, and its end. The session may call nothing but its own request (core
 * audits anything else as out of scope), so this store calls only requests.get and requests.apply.
 * When core answers 'emergency.expired' the session is over: say so and sign out.
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { ChangeRequest } from '../../../electron/shared/request-types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { useSession } from '../../stores/session';
import { localizeError } from '../requests/labels';

/** Codes that mean the emergency session cannot go on. */
const SESSION_ENDERS = new Set(['emergency.expired', 'emergency.disabled', 'auth.required', 'auth.sessionExpired']);

interface EmergencyState {
  /** Shown on the sign-in screen after an emergency session ended by itself. */
  endedNotice: ErrorInfo | null;
  request: ChangeRequest | null;
  loading: boolean;
  error: ErrorInfo | null;
  applying: boolean;
  applied: boolean;
  load: (requestId: string) => Promise<void>;
  apply: (comment: string) => Promise<boolean>;
  clearNotice: () => void;
  reset: () => void;
}

export const useEmergency = create<EmergencyState>((set, get) => {
  async function failed(error: unknown): Promise<ErrorInfo> {
    const info = localizeError(toErrorInfo(error))!;
    if (SESSION_ENDERS.has(info.code)) {
      set({ endedNotice: info });
      handleSessionLoss(info);
      // auth.signOut is always allowed, even for an expired account; it ends the session in core.
      if (useSession.getState().user) await useSession.getState().signOut().catch(() => undefined);
    }
    return info;
  }

  return {
    endedNotice: null,
    request: null,
    loading: false,
    error: null,
    applying: false,
    applied: false,
    load: async (requestId) => {
      set({ loading: true, error: null });
      try {
        const request = await call('requests.get', { requestId });
        set({ request, loading: false });
      } catch (error) {
        set({ loading: false, error: await failed(error) });
      }
    },
    apply: async (comment) => {
      const requestId = get().request?.id;
      if (!requestId) return false;
      set({ applying: true, error: null });
      try {
        const request = await call('requests.apply', { requestId, comment });
        set({ request, applying: false, applied: true });
        return true;
      } catch (error) {
        set({ applying: false, error: await failed(error) });
        return false;
      }
    },
    clearNotice: () => set({ endedNotice: null }),
    reset: () => set({ request: null, loading: false, error: null, applying: false, applied: false }),
  };
});
