/**
 * Change requests: the list with its filters, and the open request with every decision the
 * workflow allows (submit, approve / reject, cancel, designate, emergency account, second review,
 * reviewed). Core enforces who may do what; these stores call and keep the answer.
 */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type {
  ChangeRequest, ChangeRequestSummary, EmergencyAccountCreated, ImplementerOptions,
} from '../../../electron/shared/request-types';
import type { ChangeRequestKind, RequestState } from '../../../electron/shared/request-workflow';
import type { UserSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { localizeError } from './labels';

export function fail(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  handleSessionLoss(info);
  return localizeError(info)!;
}

export type RequestView = 'all' | 'mine' | 'awaiting_me';

interface RequestListState {
  states: RequestState[];
  kind: ChangeRequestKind | '';
  view: RequestView;
  rows: ChangeRequestSummary[];
  total: number;
  loading: boolean;
  error: ErrorInfo | null;
  setStates: (states: RequestState[]) => void;
  setKind: (kind: ChangeRequestKind | '') => void;
  setView: (view: RequestView) => void;
  load: () => Promise<void>;
}

let listGeneration = 0;

/**
 * The list. `requests.list` filters by state and view in core; it has no kind filter, so the kind
 * is applied to the loaded page (up to 500 rows).
 */
export const useRequestList = create<RequestListState>((set, get) => ({
  states: [],
  kind: '',
  view: 'all',
  rows: [],
  total: 0,
  loading: false,
  error: null,
  setStates: (states) => {
    set({ states });
    void get().load();
  },
  setKind: (kind) => set({ kind }),
  setView: (view) => {
    set({ view });
    void get().load();
  },
  load: async () => {
    const mine = ++listGeneration;
    set({ loading: true, error: null });
    try {
      const page = await call('requests.list', { state: get().states, view: get().view, limit: 500 });
      if (mine === listGeneration) set({ rows: page.rows, total: page.total, loading: false });
    } catch (error) {
      if (mine === listGeneration) set({ loading: false, error: fail(error) });
    }
  },
}));

export function visibleRows(rows: readonly ChangeRequestSummary[], kind: ChangeRequestKind | ''): ChangeRequestSummary[] {
  return kind ? rows.filter((r) => r.kind === kind) : [...rows];
}

/** A decision dialog open on the detail screen. */
export type DetailDialog =
  | { kind: 'approve'; role: 'information_owner' | 'security_officer' | 'it_head' }
  | { kind: 'reject'; role: 'information_owner' | 'security_officer' | 'it_head' }
  | { kind: 'cancel' }
  | { kind: 'emergency' }
  | { kind: 'revoke'; accountId: string; username: string }
  | { kind: 'secondReview' }
  | { kind: 'markReviewed' };

type DoneKey = 'submit' | 'approve' | 'reject' | 'cancel' | 'designate' | 'revoke' | 'secondReview' | 'markReviewed';

interface RequestDetailState {
  requestId: string | null;
  request: ChangeRequest | null;
  loadError: ErrorInfo | null;
  /** Coordinators only: who may be designated, and the whole directory to explain who may not. */
  implementerOptions: ImplementerOptions | null;
  directory: UserSummary[];
  maxHours: number | null;
  dialog: DetailDialog | null;
  pending: boolean;
  actionError: ErrorInfo | null;
  done: DoneKey | null;
  /** The emergency account just created: its password is shown once, then forgotten. */
  created: EmergencyAccountCreated | null;
  load: (requestId: string, opts?: { coordinator?: boolean; officer?: boolean }) => Promise<void>;
  openDialog: (dialog: DetailDialog | null) => void;
  clearError: () => void;
  forgetCreated: () => void;
  submit: () => Promise<boolean>;
  approve: (input: Omit<MethodInput<'requests.approve'>, 'requestId'>) => Promise<boolean>;
  reject: (input: Omit<MethodInput<'requests.reject'>, 'requestId'>) => Promise<boolean>;
  cancel: (comment: string) => Promise<boolean>;
  designate: (implementerId: string, comment: string) => Promise<boolean>;
  createEmergency: (input: Omit<MethodInput<'emergency.create'>, 'requestId'>) => Promise<boolean>;
  revoke: (accountId: string, comment: string) => Promise<boolean>;
  secondReview: (comment: string) => Promise<boolean>;
  markReviewed: (comment: string) => Promise<boolean>;
}

export const useRequestDetail = create<RequestDetailState>((set, get) => {
  /** Runs one decision; on success keeps the answered request and closes the dialog. */
  async function act(done: DoneKey, run: (requestId: string) => Promise<ChangeRequest | null>): Promise<boolean> {
    const requestId = get().requestId;
    if (!requestId) return false;
    set({ pending: true, actionError: null, done: null });
    try {
      const request = await run(requestId);
      if (get().requestId !== requestId) return false;
      set({ pending: false, dialog: null, done, ...(request ? { request } : {}) });
      await refreshOptions(requestId);
      return true;
    } catch (error) {
      set({ pending: false, actionError: fail(error) });
      return false;
    }
  }

  async function refreshOptions(requestId: string): Promise<void> {
    if (get().implementerOptions === null) return;
    try {
      const implementerOptions = await call('requests.implementerOptions', { requestId });
      if (get().requestId === requestId) set({ implementerOptions });
    } catch {
      // The options only explain; a failure here leaves the previous ones.
    }
  }

  return {
    requestId: null,
    request: null,
    loadError: null,
    implementerOptions: null,
    directory: [],
    maxHours: null,
    dialog: null,
    pending: false,
    actionError: null,
    done: null,
    created: null,
    load: async (requestId, opts = {}) => {
      const keep = get().request?.id === requestId;
      set({
        requestId, loadError: null, actionError: null, dialog: null,
        ...(keep ? {} : { request: null, implementerOptions: null, directory: [], done: null, created: null }),
      });
      try {
        const [request, implementerOptions, directory, settings] = await Promise.all([
          call('requests.get', { requestId }),
          opts.coordinator ? call('requests.implementerOptions', { requestId }) : Promise.resolve(null),
          opts.coordinator ? call('users.directory', {}) : Promise.resolve([]),
          opts.officer ? call('emergency.settings', {}) : Promise.resolve(null),
        ]);
        if (get().requestId === requestId) {
          set({ request, implementerOptions, directory, maxHours: settings?.maxHours ?? null });
        }
      } catch (error) {
        if (get().requestId === requestId) set({ loadError: fail(error) });
      }
    },
    openDialog: (dialog) => set({ dialog, actionError: null }),
    clearError: () => set({ actionError: null }),
    forgetCreated: () => set({ created: null }),
    submit: () => act('submit', (requestId) => call('requests.submit', { requestId })),
    approve: (input) => act('approve', (requestId) => call('requests.approve', { ...input, requestId })),
    reject: (input) => act('reject', (requestId) => call('requests.reject', { ...input, requestId })),
    cancel: (comment) => act('cancel', (requestId) => call('requests.cancel', { requestId, comment })),
    designate: (implementerId, comment) => act('designate', (requestId) => call('requests.designateImplementer', { requestId, implementerId, comment })),
    createEmergency: async (input) => {
      const requestId = get().requestId;
      if (!requestId) return false;
      set({ pending: true, actionError: null, done: null });
      try {
        const created = await call('emergency.create', { ...input, requestId });
        const request = await call('requests.get', { requestId });
        set({ pending: false, dialog: null, created, request });
        return true;
      } catch (error) {
        set({ pending: false, actionError: fail(error) });
        return false;
      }
    },
    revoke: (accountId, comment) =>
      act('revoke', async (requestId) => {
        await call('emergency.revoke', { accountId, comment });
        return call('requests.get', { requestId });
      }),
    secondReview: (comment) => act('secondReview', (requestId) => call('requests.secondReview', { requestId, comment })),
    markReviewed: (comment) => act('markReviewed', (requestId) => call('requests.markReviewed', { requestId, comment })),
  };
});
