/**
 * The reports screen's state: the period (a preset — this or last ISO week, this or last month —
 * or "Personalizado" with Desde / Hasta, inclusive local dates in the branch's time zone), the
 * branch (a site code, or '' for all), the grouping, the report from `reports.run` (core applies
 * the filters), the CSV export and the printable document.
 */
import { create } from 'zustand';
import { DEFAULT_TIME_ZONE } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { presetDays, type ReportPreset } from '../../../electron/shared/periods';
import type { PeriodReport, ReportRunInput } from '../../../electron/shared/reports';
import type { SlaComplianceRow } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { i18next as i18n } from '../../i18n';
import { DATE_RE, localDate } from './dates';
import { saveBlob } from '../../app/files';

export type ReportGrouping = 'day' | 'week' | 'month';
export const REPORT_GROUPINGS: readonly ReportGrouping[] = ['day', 'week', 'month'];

interface ReportState {
  preset: ReportPreset;
  from: string;
  to: string;
  /** A site code, or '' for every branch. */
  branch: string;
  groupBy: ReportGrouping;
  report: PeriodReport | null;
  loading: boolean;
  error: ErrorInfo | null;
  exporting: boolean;
  exportError: ErrorInfo | null;
  generation: number;
  setPreset: (preset: ReportPreset) => void;
  setFrom: (date: string) => void;
  setTo: (date: string) => void;
  setBranch: (branch: string) => void;
  setGroupBy: (groupBy: ReportGrouping) => void;
  load: () => Promise<void>;
  /** Asks core for the CSV rendering and hands it to the browser as a download. */
  exportCsv: () => Promise<void>;
}

function timeZone(): string {
  return useBoot.getState().status?.branch?.timeZone || DEFAULT_TIME_ZONE;
}

function today(): string {
  return localDate(Date.now(), timeZone());
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

/** The question for core, or an error key when the custom dates are not a valid range. */
function question(s: ReportState, format: 'json' | 'csv'): ReportRunInput | { error: string } {
  let period: ReportRunInput['period'];
  if (s.preset === 'custom') {
    if (!DATE_RE.test(s.from) || !DATE_RE.test(s.to)) return { error: 'validation.required' };
    if (s.to < s.from) return { error: 'validation.range' };
    period = { preset: 'custom', from: s.from, to: s.to };
  } else period = { preset: s.preset };
  const locale = i18n.language === 'en' ? 'en' : 'es-MX';
  return { period, branch: s.branch || null, groupBy: s.groupBy, format, locale };
}

const START = presetDays('thisMonth', today());

export const useReports = create<ReportState>((set, get) => ({
  preset: 'thisMonth',
  from: START.fromDate,
  to: START.toDate,
  branch: '',
  groupBy: 'week',
  report: null,
  loading: false,
  error: null,
  exporting: false,
  exportError: null,
  generation: 0,

  setPreset: (preset) => {
    // A preset shows its dates in Desde / Hasta; "Personalizado" keeps the dates shown.
    set(preset === 'custom' ? { preset } : { preset, ...(({ fromDate, toDate }) => ({ from: fromDate, to: toDate }))(presetDays(preset, today())) });
    void get().load();
  },
  setFrom: (from) => {
    set({ from, preset: 'custom' });
    void get().load();
  },
  setTo: (to) => {
    set({ to, preset: 'custom' });
    void get().load();
  },
  setBranch: (branch) => {
    set({ branch });
    void get().load();
  },
  setGroupBy: (groupBy) => {
    set({ groupBy });
    void get().load();
  },

  load: async () => {
    const generation = get().generation + 1;
    const q = question(get(), 'json');
    if ('error' in q) {
      set({ generation, error: { code: q.error }, loading: false });
      return;
    }
    set({ generation, loading: true, error: null });
    try {
      const report = await call('reports.run', q);
      if (get().generation === generation) set({ report, loading: false, from: report.fromDate, to: report.toDate });
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      if (get().generation === generation) set({ loading: false, error: info });
    }
  },

  exportCsv: async () => {
    const q = question(get(), 'csv');
    if ('error' in q) {
      set({ exportError: { code: q.error } });
      return;
    }
    set({ exporting: true, exportError: null });
    try {
      const report = await call('reports.run', q);
      // A BOM so spreadsheet programs (Excel on Windows) read the accents as UTF-8.
      const blob = new Blob(['\ufeff', report.csv ?? ''], { type: 'text/csv;charset=utf-8' });
      const branch = q.branch ? `-${q.branch.toLowerCase()}` : '';
      saveBlob(blob, `${i18n.t('reports.fileName')}${branch}-${report.fromDate}-a-${report.toDate}.csv`);
      set({ exporting: false });
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      set({ exporting: false, exportError: info });
    }
  },
}));
