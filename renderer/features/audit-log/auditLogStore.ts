/**
 * The audit log screen's state: filters (actor, request, type, period), the current page,
 * verification of the chain, and exports of a period with their manifest hashes.
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { AuditExportFile, AuditRecord, ChangeRequestSummary } from '../../../electron/shared/request-types';
import type { AuditVerification, JobInfo, UserSummary } from '../../../electron/shared/types';
import { ApiError, call } from '../../app/api';
import { downloadJobFile, followJob } from '../../app/jobs';
import { fail } from '../requests/requestsStore';

export const PAGE_SIZE = 50;
/** Action prefixes offered as "Tipo de evento". */
export const AUDIT_TYPES = ['auth.', 'user.', 'request.', 'emergency.', 'customer', 'settings.', 'audit.', 'ticket.'] as const;

export interface AuditFilters {
  actorId: string;
  requestId: string;
  action: string;
  /** yyyy-mm-dd, local dates; empty for open-ended. */
  from: string;
  to: string;
}

export const emptyFilters: AuditFilters = { actorId: '', requestId: '', action: '', from: '', to: '' };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Local midnight of a yyyy-mm-dd date, in epoch ms. */
function dayStart(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

export function periodOf(f: Pick<AuditFilters, 'from' | 'to'>): { from?: number; to?: number } {
  const from = dayStart(f.from);
  const toStart = dayStart(f.to);
  return { ...(from !== undefined ? { from } : {}), ...(toStart !== undefined ? { to: toStart + DAY_MS } : {}) };
}

interface AuditLogState {
  filters: AuditFilters;
  /** Where the shown page starts (its index × PAGE_SIZE). */
  offset: number;
  /** The cursor of each page visited so far (null for the first): Anterior goes back one. */
  cursors: Array<string | null>;
  nextCursor: string | null;
  rows: AuditRecord[];
  total: number;
  totalCapped: boolean;
  loading: boolean;
  error: ErrorInfo | null;
  actors: UserSummary[];
  requests: ChangeRequestSummary[];
  verification: AuditVerification | null;
  verifying: boolean;
  verifyError: ErrorInfo | null;
  exportFile: Omit<AuditExportFile, 'content'> | null;
  exporting: boolean;
  /** The running export (progress, estimate); null when none runs. */
  exportJob: JobInfo | null;
  cancellingExport: boolean;
  exportError: ErrorInfo | null;
  init: (preset: Partial<AuditFilters>) => Promise<void>;
  setFilter: (patch: Partial<AuditFilters>) => void;
  /** The first page of the current filters. */
  search: () => Promise<void>;
  nextPage: () => Promise<void>;
  prevPage: () => Promise<void>;
  verify: () => Promise<void>;
  exportPeriod: (format: 'csv' | 'jsonl') => Promise<void>;
  cancelExport: () => Promise<void>;
}

let generation = 0;

export const useAuditLog = create<AuditLogState>((set, get) => {
  /** Shows the page that starts at the last of `cursors` (the trail of pages that led to it). */
  const fetchPage = async (cursors: Array<string | null>) => {
    const mine = ++generation;
    const f = get().filters;
    const cursor = cursors.at(-1) ?? null;
    set({ loading: true, error: null });
    try {
      const page = await call('audit.list', {
        ...(f.actorId ? { actorId: f.actorId } : {}),
        ...(f.requestId ? { requestId: f.requestId } : {}),
        action: f.action,
        ...periodOf(f),
        order: 'desc',
        ...(cursor ? { cursor } : {}),
        limit: PAGE_SIZE,
      });
      if (mine !== generation) return;
      set({
        rows: page.rows, nextCursor: page.nextCursor, cursors, offset: (cursors.length - 1) * PAGE_SIZE, loading: false,
        ...(page.total !== null ? { total: page.total, totalCapped: page.totalCapped } : {}),
      });
    } catch (error) {
      if (mine === generation) set({ loading: false, error: fail(error) });
    }
  };
  return {
  filters: emptyFilters,
  offset: 0,
  cursors: [null],
  nextCursor: null,
  rows: [],
  total: 0,
  totalCapped: false,
  loading: false,
  error: null,
  actors: [],
  requests: [],
  verification: null,
  verifying: false,
  verifyError: null,
  exportFile: null,
  exporting: false,
  exportJob: null,
  cancellingExport: false,
  exportError: null,
  init: async (preset) => {
    set({ filters: { ...emptyFilters, ...preset }, offset: 0, verification: null, exportFile: null, exportError: null, verifyError: null });
    void get().search();
    try {
      const [actors, requests] = await Promise.all([call('users.directory', {}), call('requests.list', { limit: 500 })]);
      set({ actors, requests: requests.rows });
    } catch (error) {
      set({ error: fail(error) });
    }
  },
  setFilter: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  search: () => fetchPage([null]),
  nextPage: async () => {
    const { cursors, nextCursor } = get();
    if (nextCursor) await fetchPage([...cursors, nextCursor]);
  },
  prevPage: async () => {
    const { cursors } = get();
    if (cursors.length > 1) await fetchPage(cursors.slice(0, -1));
  },
  verify: async () => {
    set({ verifying: true, verifyError: null, verification: null });
    try {
      set({ verification: await call('audit.verify', {}), verifying: false });
    } catch (error) {
      set({ verifying: false, verifyError: fail(error) });
    }
  },
  exportPeriod: async (format) => {
    const { from, to } = periodOf(get().filters);
    if (from === undefined || to === undefined) {
      set({ exportError: { code: 'auditLog.exportNeedsPeriod' }, exportFile: null });
      return;
    }
    set({ exporting: true, exportError: null, exportFile: null });
    try {
      // A job on core's worker thread: the app keeps answering while a year is written (issue 16).
      const started = await call('audit.exportStart', { from, to, format });
      const job = await followJob(started, (exportJob) => set({ exportJob }));
      if (job.state === 'failed') throw new ApiError(job.error ?? { code: 'errors.internal' });
      if (job.state === 'done' && job.result) {
        await downloadJobFile(job);
        set({ exportFile: { ...job.result, format } });
      }
      set({ exporting: false, exportJob: null, cancellingExport: false });
    } catch (error) {
      set({ exporting: false, exportJob: null, cancellingExport: false, exportError: fail(error) });
    }
  },
  cancelExport: async () => {
    const job = get().exportJob;
    if (!job) return;
    set({ cancellingExport: true });
    try {
      await call('jobs.cancel', { jobId: job.id });
    } catch (error) {
      set({ cancellingExport: false, exportError: fail(error) });
    }
  },
};
});
