/** The organization settings the ticket screens need (attachment limit, closed-ticket policy). */
import { create } from 'zustand';
import type { OrgSettings } from '../../../electron/shared/types';
import { call } from '../../app/api';

interface OrgSettingsState {
  settings: OrgSettings | null;
  /** Loads once per app start; `force` reloads (e.g. after an administrator changed them). */
  load: (force?: boolean) => Promise<void>;
}

let inFlight: Promise<void> | null = null;

export const useOrgSettings = create<OrgSettingsState>((set, get) => ({
  settings: null,
  load: (force = false) => {
    if (!force && get().settings) return Promise.resolve();
    if (inFlight && !force) return inFlight;
    inFlight = call('settings.get', {})
      .then((settings) => set({ settings }))
      .catch(() => undefined)
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  },
}));
