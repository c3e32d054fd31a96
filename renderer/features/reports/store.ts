/**
 * The SLA report screen's state: the period ("Desde" / "Hasta", inclusive local dates in the
 * branch's time zone) and grouping, the report from `reports.sla`, and the CSV export.
 */
import { create } from 'zustand';
import { DEFAULT_TIME_ZONE } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { SlaComplianceRow, SlaReport } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { addDays, DATE_RE, localDate, startOfDay } from './dates';
import { saveBlob } from '../../app/files';

export type ReportPeriod = 'day' | 'week' | 'month';
export const REPORT_PERIODS: readonly ReportPeriod[] = ['day', 'week', 'month'];

interface ReportState {
  from: string;
  to: string;
  period: ReportPeriod;
  report: SlaReport | null;
  loading: boolean;
  error: ErrorInfo | null;
  exporting: boolean;
  exportError: ErrorInfo | null;
  generation: number;
  setFrom: (date: string) => void;
  setTo: (date: string) => void;
  setPeriod: (period: ReportPeriod) => void;
  load: () => Promise<void>;
  /** Asks core for the CSV rendering and hands it to the browser as a download. */
  exportCsv: () => Promise<void>;
}

function timeZone(): string {
  return useBoot.getState().status?.branch?.timeZone || DEFAULT_TIME_ZONE;
}

/** The [from, to) instants of the chosen dates, or an error key when they are not a valid range. */
export function rangeOf(from: string, to: string, zone: string): { from: number; to: number } | { error: string } {
  if (!DATE_RE.test(from) || !DATE_RE.test(to)) return { error: 'validation.required' };
  const range = { from: startOfDay(from, zone), to: startOfDay(addDays(to, 1), zone) };
  return range.to > range.from ? range : { error: 'validation.range' };
}

/** Share of measured tickets that met the target, 0–100, or null when none was measured. */
export function percent(met: number, measured: number): number | null {
  return measured > 0 ? Math.round((met / measured) * 1000) / 10 : null;
}

export function firstResponsePercent(row: SlaComplianceRow): number | null {
  return percent(row.firstResponseMet, row.firstResponseMeasured);
}

export function resolutionPercent(row: SlaComplianceRow): number | null {
  return percent(row.resolutionMet, row.resolutionMeasured);
}

function today(): string {
  return localDate(Date.now(), timeZone());
}

export const useReports = create<ReportState>((set, get) => ({
  from: addDays(today(), -29),
  to: today(),
  period: 'week',
  report: null,
  loading: false,
  error: null,
  exporting: false,
  exportError: null,
  generation: 0,

  setFrom: (from) => {
    set({ from });
    void get().load();
  },
  setTo: (to) => {
    set({ to });
    void get().load();
  },
  setPeriod: (period) => {
    set({ period });
    void get().load();
  },

  load: async () => {
    const generation = get().generation + 1;
    const range = rangeOf(get().from, get().to, timeZone());
    if ('error' in range) {
      set({ generation, error: { code: range.error }, loading: false });
      return;
    }
    set({ generation, loading: true, error: null });
    try {
      const report = await call('reports.sla', { ...range, period: get().period, format: 'json' });
      if (get().generation === generation) set({ report, loading: false });
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      if (get().generation === generation) set({ loading: false, error: info });
    }
  },

  exportCsv: async () => {
    const range = rangeOf(get().from, get().to, timeZone());
    if ('error' in range) {
      set({ exportError: { code: range.error } });
      return;
    }
    set({ exporting: true, exportError: null });
    try {
      const report = await call('reports.sla', { ...range, period: get().period, format: 'csv' });
      // A BOM so spreadsheet programs read the accents as UTF-8.
      const blob = new Blob(['\ufeff', report.csv ?? ''], { type: 'text/csv;charset=utf-8' });
      saveBlob(blob, `reporte-sla-${get().from}-a-${get().to}.csv`);
      set({ exporting: false });
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      set({ exporting: false, exportError: info });
    }
  },
}));
