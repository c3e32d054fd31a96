/**
 * The reports screen (issue 15, item 2): one period (a preset or a custom range of local dates in
 * the branch's time zone) and one branch (a site code, or every branch), applied in core to every
 * report — service levels by tier, severity, channel and agent; volume by channel and type;
 * closures, automatic closures and reopenings; satisfaction (CSAT) by agent, tier, channel and
 * period — with a CSV rendering in the user's language.
 */
import { z } from 'zod';
import { LOCALES, type Channel, type RequestType } from './domain';
import { REPORT_PRESETS } from './periods';
import { str } from './text';
import type { SlaComplianceRow, SlaReport } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Longest custom range: the period keys follow the branch's time zone through every offset change in it. */
export const REPORT_MAX_DAYS = 3660;

const localDate = str().regex(DATE, 'validation.date').refine((d) => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, day));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === day;
}, 'validation.date');

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

export const reportPeriodSchema = z.discriminatedUnion('preset', [
  z.object({ preset: z.enum(REPORT_PRESETS.filter((p) => p !== 'custom') as ['thisWeek', 'lastWeek', 'thisMonth', 'lastMonth']) }),
  z.object({ preset: z.literal('custom'), from: localDate, to: localDate })
    .refine((v) => v.to >= v.from, { path: ['to'], message: 'validation.range' })
    .refine((v) => daysBetween(v.from, v.to) < REPORT_MAX_DAYS, { path: ['to'], message: 'validation.rangeTooLong' }),
]);
export type ReportPeriod = z.output<typeof reportPeriodSchema>;

/** A branch's site code (as in tracking numbers `<SITE>-<n>`); null: every branch ("Todas"). */
export const reportBranchSchema = str().regex(/^[A-Z0-9]{2,8}$/, 'reports.badBranch').nullable();

export const reportRunSchema = z.object({
  period: reportPeriodSchema,
  branch: reportBranchSchema.default(null),
  groupBy: z.enum(['day', 'week', 'month']).default('week'),
  format: z.enum(['json', 'csv']).default('json'),
  /** The CSV's language (headers and names); es-MX unless asked. */
  locale: z.enum(LOCALES).default('es-MX'),
});
export type ReportRunInput = z.output<typeof reportRunSchema>;

/** Satisfaction answers of one group: how many, their sum, the satisfied (4–5) and the dissatisfied (1–2). */
export interface CsatRow {
  key: string;
  /** The agent's name for rows by agent ('' key: no agent). */
  label?: string;
  answered: number;
  ratingSum: number;
  satisfied: number;
  dissatisfied: number;
}

export interface PeriodReport {
  /** The period as instants [from, to) and as the branch's inclusive local dates. */
  from: number;
  to: number;
  fromDate: string;
  toDate: string;
  branch: string | null;
  /** The site codes that have tickets here (the branch filter's choices), this branch first. */
  branches: Array<{ code: string; name: string | null }>;
  groupBy: 'day' | 'week' | 'month';
  sla: Pick<SlaReport, 'byTier' | 'bySeverity' | 'byChannel' | 'byPeriod' | 'breaches'> & {
    /** By the ticket's current assignee ('' key: unassigned), with the agent's name as label. */
    byAgent: Array<SlaComplianceRow & { label: string }>;
  };
  /** Tickets created in the period by channel and request type. */
  volume: { total: number; byChannel: Array<{ channel: Channel; tickets: number }>; byType: Array<{ type: RequestType; tickets: number }> };
  /** Tickets closed (by hand or automatically), automatically closed and reopened in the period (each ticket once per kind). */
  closures: { closed: number; autoClosed: number; reopened: number };
  csat: {
    total: CsatRow;
    /** Answers with each rating, 1 to 5. */
    distribution: Record<1 | 2 | 3 | 4 | 5, number>;
    byAgent: CsatRow[];
    byTier: CsatRow[];
    byChannel: CsatRow[];
    byPeriod: CsatRow[];
  };
  /** Present when format = csv. */
  csv?: string;
}

/** Share (0–100, one decimal) of `part` in `whole`, or null when there is nothing to measure. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** CSAT: the share of satisfied answers (4 or 5), the usual definition. */
export function csatPercent(row: CsatRow): number | null {
  return share(row.satisfied, row.answered);
}

/** The average rating, one decimal, or null. */
export function averageRating(row: CsatRow): number | null {
  return row.answered > 0 ? Math.round((row.ratingSum / row.answered) * 10) / 10 : null;
}

/** Reopen rate: tickets reopened in the period for every 100 closed in it. */
export function reopenRate(c: PeriodReport['closures']): number | null {
  return share(c.reopened, c.closed);
}


/** The survey's response rate: answers in the period for every 100 tickets closed in it. */
export function responseRate(r: Pick<PeriodReport, 'csat' | 'closures'>): number | null {
  return share(r.csat.total.answered, r.closures.closed);
}
