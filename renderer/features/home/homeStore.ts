/** The supervisor's home: the numbers, refreshed while the screen is open. */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { SupervisorHome } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

/** How often the open home asks again (the board's live reload is every few seconds; these numbers move slower). */
export const HOME_REFRESH_MS = 30_000;

interface HomeState {
  home: SupervisorHome | null;
  loading: boolean;
  error: ErrorInfo | null;
  load: () => Promise<void>;
}

export const useHome = create<HomeState>((set) => ({
  home: null,
  loading: false,
  error: null,
  load: async () => {
    set({ loading: true });
    try {
      set({ home: await call('reports.home', {}), error: null, loading: false });
    } catch (e) {
      const info = toErrorInfo(e);
      handleSessionLoss(info);
      set({ error: info, loading: false });
    }
  },
}));
