/**
 * The sync state the header indicator and the Sincronización screen share (issue 11): core's
 * `sync.status`, polled like the board's `board.version` (core syncs on its own; the renderer only
 * reads), and "Sincronizar ahora". The status answers from core's memory and three small counts.
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { SyncRunSummary, SyncStatus } from '../../../electron/shared/sync/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

export const POLL_MS = 5_000;

interface SyncState {
  status: SyncStatus | null;
  /** When `status` was read (relative times count from it). */
  readAt: number;
  syncing: boolean;
  /** The last "Sincronizar ahora" outcome, for the screen. */
  lastRun: SyncRunSummary | null;
  runError: ErrorInfo | null;
  refresh: () => Promise<void>;
  syncNow: () => Promise<void>;
  setStatus: (status: SyncStatus) => void;
  /** Starts polling; returns the function that stops it. */
  startLive: () => () => void;
}

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  readAt: 0,
  syncing: false,
  lastRun: null,
  runError: null,

  refresh: async () => {
    try {
      set({ status: await call('sync.status', {}), readAt: Date.now() });
    } catch (error) {
      handleSessionLoss(toErrorInfo(error));
    }
  },

  syncNow: async () => {
    if (get().syncing) return;
    set({ syncing: true, runError: null, lastRun: null });
    try {
      const run = await call('sync.now', {});
      set({ lastRun: run });
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      set({ runError: info });
    } finally {
      set({ syncing: false });
      await get().refresh();
    }
  },

  setStatus: (status) => set({ status, readAt: Date.now() }),

  startLive: () => {
    let inFlight = false;
    const tick = () => {
      if (inFlight) return;
      inFlight = true;
      void get().refresh().finally(() => {
        inFlight = false;
      });
    };
    tick();
    const timer = setInterval(tick, POLL_MS);
    return () => clearInterval(timer);
  },
}));
