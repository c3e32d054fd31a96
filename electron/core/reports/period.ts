/**
 * The reports screen's report (issue 15, item 2): one period and one branch applied to every
 * report. The period is the branch's local dates (a preset — ISO weeks, calendar months — or a
 * custom range) turned into instants here, in core; the branch is a site code (the prefix of its
 * tracking numbers). Every statement reads index ranges (test/unit/reports/period-plan.test.ts):
 *   - service levels and volume: one pass of tickets_status_created, one range per status;
 *   - closures and reopenings: audit_log_action (action, at);
 *   - satisfaction: satisfaction_surveys_answered (answered_at);
 *   - breaches: sla_breaches_due (due_at);
 *   - the branch list: a skip walk of the tracking numbers' unique index, one seek per branch.
 */
import type Database from 'better-sqlite3';
import { STATUSES, type Channel, type RequestType } from '../../shared/domain';
import { isoWeekKey, nextDay, presetDays } from '../../shared/periods';
import type { CsatRow, PeriodReport, ReportRunInput } from '../../shared/reports';
import { wallTimeToInstant } from '../../shared/calendar';
import type { SlaComplianceRow } from '../../shared/types';
import { idTextSql } from '../audit-store';
import { BRANCH_SQL, branchParams, periodKeySql } from './sla';
import { periodReportCsv } from './period-csv';

const STATUS_LIST = STATUSES.map((x) => `'${x}'`).join(', ');

/** The instants [from, to) and local dates of the chosen period, in `timeZone`. */
export function resolvePeriod(period: ReportRunInput['period'], now: number, timeZone: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const { fromDate, toDate } = period.preset === 'custom' ? { fromDate: period.from, toDate: period.to } : presetDays(period.preset, today);
  // Midnight exists on every date in Mexico's zones; a zone that skips it (none here) starts at 01:00.
  const midnight = (date: string) => wallTimeToInstant(timeZone, date, '00:00') ?? wallTimeToInstant(timeZone, date, '01:00')!;
  return { from: midnight(fromDate), to: midnight(nextDay(toDate)), fromDate, toDate };
}

/**
 * The site codes that have tickets, in order: one index seek per branch (the smallest tracking
 * number after the previous branch's 'CODE.'), never a walk of the tickets.
 */
export const BRANCH_CODES_SQL = `WITH RECURSIVE codes(code) AS (
    SELECT (SELECT substr(n, 1, instr(n, '-') - 1) FROM (SELECT MIN(tracking_number) AS n FROM tickets))
    UNION ALL
    SELECT (SELECT substr(n, 1, instr(n, '-') - 1) FROM (SELECT MIN(tracking_number) AS n FROM tickets WHERE tracking_number >= codes.code || '.'))
    FROM codes WHERE codes.code IS NOT NULL AND codes.code <> '' LIMIT 1000
  ) SELECT code FROM codes WHERE code IS NOT NULL AND code <> ''`;

/** Satisfaction answers in [from, to) grouped by `keySql` (over `v`, the survey; `t`, its ticket, when a branch is chosen). */
export function csatSql(keySql: string, branch: boolean): string {
  return `SELECT ${keySql} AS key, COUNT(*) AS answered, SUM(v.rating) AS ratingSum,
      SUM(CASE WHEN v.rating >= 4 THEN 1 ELSE 0 END) AS satisfied, SUM(CASE WHEN v.rating <= 2 THEN 1 ELSE 0 END) AS dissatisfied
    FROM satisfaction_surveys v INDEXED BY satisfaction_surveys_answered${branch ? ' CROSS JOIN tickets t ON t.id = v.ticket_id' : ''}
    WHERE v.answered_at >= @from AND v.answered_at < @to${branch ? BRANCH_SQL : ''}
    GROUP BY key ORDER BY key`;
}

/**
 * The tickets created in [from, to), one pass: counted by (tier, severity, channel, agent, request
 * type, period) with their service-level measures; every grouping of the report is folded from
 * these rows (six passes over a year of tickets were ~15 s at 100,000 tickets under load).
 * `tickets` counts those with service-level clocks (as the SLA report does), `created` all of them.
 */
export function ticketCubeSql(periodKey: string, branch: boolean): string {
  return `SELECT t.tier AS tier, CAST(t.severity AS TEXT) AS severity, t.channel AS channel, coalesce(t.assignee_id, '') AS agent,
      t.request_type AS type, ${periodKey} AS period, COUNT(*) AS created, COUNT(s.ticket_rowid) AS tickets,
      SUM(CASE WHEN s.first_response_due_at IS NOT NULL AND (t.first_response_at IS NOT NULL OR s.first_response_due_at <= @now) THEN 1 ELSE 0 END) AS firstResponseMeasured,
      SUM(CASE WHEN s.first_response_due_at IS NOT NULL AND t.first_response_at IS NOT NULL AND t.first_response_at <= s.first_response_due_at THEN 1 ELSE 0 END) AS firstResponseMet,
      SUM(CASE WHEN s.resolution_due_at IS NOT NULL AND (t.closed_at IS NOT NULL OR s.resolution_due_at <= @now) THEN 1 ELSE 0 END) AS resolutionMeasured,
      SUM(CASE WHEN s.resolution_due_at IS NOT NULL AND t.closed_at IS NOT NULL AND t.closed_at <= s.resolution_due_at THEN 1 ELSE 0 END) AS resolutionMet
    FROM tickets t INDEXED BY tickets_status_created LEFT JOIN ticket_sla s ON s.ticket_rowid = t.rowid
    WHERE t.status IN (${STATUS_LIST}) AND t.created_at >= @from AND t.created_at < @to${branch ? BRANCH_SQL : ''}
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

interface CubeRow extends Omit<SlaComplianceRow, 'key'> {
  tier: string;
  severity: string;
  channel: Channel;
  agent: string;
  type: RequestType;
  period: string;
  created: number;
}

/** The cube's rows summed by `pick`, in key order; groups without service-level clocks left out. */
function complianceBy(rows: CubeRow[], pick: (r: CubeRow) => string): SlaComplianceRow[] {
  const groups = new Map<string, SlaComplianceRow>();
  for (const r of rows) {
    if (r.tickets === 0) continue;
    const key = pick(r);
    const g = groups.get(key) ?? { key, tickets: 0, firstResponseMeasured: 0, firstResponseMet: 0, resolutionMeasured: 0, resolutionMet: 0 };
    g.tickets += r.tickets;
    g.firstResponseMeasured += r.firstResponseMeasured;
    g.firstResponseMet += r.firstResponseMet;
    g.resolutionMeasured += r.resolutionMeasured;
    g.resolutionMet += r.resolutionMet;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Tickets closed, automatically closed and reopened in [from, to), each ticket once per kind. */
export function closuresSql(branch: boolean): string {
  return `SELECT a.action AS action, COUNT(DISTINCT a.entity_id) AS n FROM audit_chain a INDEXED BY audit_log_action
    ${branch ? `CROSS JOIN tickets t ON t.id = ${idTextSql('a.entity_id')}` : ''}
    WHERE a.action IN ('ticket.closed', 'ticket.autoClosed', 'ticket.reopened') AND a.at >= @from AND a.at < @to${branch ? BRANCH_SQL : ''}
    GROUP BY a.action`;
}

/** Breaches whose due moment fell in [from, to), at most 5,000. */
export function breachesSql(branch: boolean): string {
  return `SELECT b.ticket_id AS ticketId, t.tracking_number AS trackingNumber, b.metric, b.due_at AS dueAt, b.recorded_at AS recordedAt,
      b.tier, b.severity, b.channel
    FROM sla_breaches b INDEXED BY sla_breaches_due CROSS JOIN tickets t ON t.id = b.ticket_id
    WHERE b.due_at >= @from AND b.due_at < @to${branch ? BRANCH_SQL : ''} ORDER BY b.due_at LIMIT 5000`;
}

/** Names of users by id (the agents in the rows); unknown ids keep no name. */
function userNames(db: Database.Database, ids: string[]): Map<string, string> {
  const real = ids.filter((id) => id !== '');
  if (real.length === 0) return new Map();
  const rows = db.prepare(`SELECT id, full_name AS name FROM users WHERE id IN (${real.map(() => '?').join(',')})`).all(...real) as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}

function sumCsat(rows: CsatRow[], key: string): CsatRow {
  const total: CsatRow = { key, answered: 0, ratingSum: 0, satisfied: 0, dissatisfied: 0 };
  for (const r of rows) {
    total.answered += r.answered;
    total.ratingSum += r.ratingSum;
    total.satisfied += r.satisfied;
    total.dissatisfied += r.dissatisfied;
  }
  return total;
}

/** Local days folded into ISO weeks (rows in key order). */
export function csatByWeek(days: CsatRow[]): CsatRow[] {
  const weeks = new Map<string, CsatRow[]>();
  for (const day of days) {
    const week = isoWeekKey(day.key);
    weeks.set(week, [...(weeks.get(week) ?? []), day]);
  }
  return [...weeks].map(([key, rows]) => sumCsat(rows, key));
}

export interface PeriodReportContext {
  db: Database.Database;
  now: number;
  timeZone: string;
  /** This branch (its code and name), listed first among the branches. */
  home: { code: string; name: string } | null;
}

export function periodReport(ctx: PeriodReportContext, input: ReportRunInput): PeriodReport {
  const { db, now, timeZone } = ctx;
  const range = resolvePeriod(input.period, now, timeZone);
  const branch = input.branch !== null;
  const params = { from: range.from, to: range.to, now, ...(input.branch ? branchParams(input.branch) : {}) };
  const all = <T>(sql: string) => db.prepare(sql).all(params) as T[];

  // Weeks are local days folded into ISO weeks; days and months are keyed in SQL.
  const periodKey = periodKeySql(input.groupBy === 'week' ? 'day' : input.groupBy, timeZone, range.from, range.to);
  const cube = all<CubeRow>(ticketCubeSql(periodKey, branch));
  const byPeriod = complianceBy(cube, input.groupBy === 'week' ? (r) => isoWeekKey(r.period) : (r) => r.period);
  const slaByAgent = complianceBy(cube, (r) => r.agent);

  const csat = (keySql: string) => all<CsatRow>(csatSql(keySql, branch));
  const csatByAgent = csat("coalesce(v.agent_id, '')");
  const csatDayKey = periodKeySql('day', timeZone, range.from, range.to, 'v.answered_at');
  const csatByPeriod = input.groupBy === 'week'
    ? csatByWeek(csat(csatDayKey))
    : csat(periodKeySql(input.groupBy, timeZone, range.from, range.to, 'v.answered_at'));
  const byRating = csat('v.rating');
  const names = userNames(db, [...new Set([...slaByAgent, ...csatByAgent].map((r) => r.key))]);
  const labelled = <R extends { key: string }>(rows: R[]) => rows.map((r) => ({ ...r, label: names.get(r.key) ?? '' }))
    .sort((a, b) => (a.key === '' ? 1 : 0) - (b.key === '' ? 1 : 0) || a.label.localeCompare(b.label, 'es'));

  const fold = <K extends string>(pick: (r: CubeRow) => K) => {
    const m = new Map<K, number>();
    for (const r of cube) m.set(pick(r), (m.get(pick(r)) ?? 0) + r.created);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const closures = new Map(all<{ action: string; n: number }>(closuresSql(branch)).map((r) => [r.action, r.n]));
  const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as PeriodReport['csat']['distribution'];
  for (const r of byRating) distribution[Number(r.key) as 1 | 2 | 3 | 4 | 5] = r.answered;

  const codes = db.prepare(BRANCH_CODES_SQL).pluck().all() as string[];
  const branches = [
    ...(ctx.home ? [{ code: ctx.home.code, name: ctx.home.name as string | null }] : []),
    ...codes.filter((c) => c !== ctx.home?.code).map((code) => ({ code, name: null })),
  ];

  const report: PeriodReport = {
    ...range,
    branch: input.branch,
    branches,
    groupBy: input.groupBy,
    sla: {
      byTier: complianceBy(cube, (r) => r.tier),
      bySeverity: complianceBy(cube, (r) => r.severity),
      byChannel: complianceBy(cube, (r) => r.channel),
      byAgent: labelled(slaByAgent),
      byPeriod,
      breaches: all(breachesSql(branch)),
    },
    volume: {
      total: cube.reduce((n, r) => n + r.created, 0),
      byChannel: fold((r) => r.channel).map(([channel, tickets]) => ({ channel, tickets })),
      byType: fold((r) => r.type).map(([type, tickets]) => ({ type, tickets })),
    },
    closures: {
      closed: (closures.get('ticket.closed') ?? 0) + (closures.get('ticket.autoClosed') ?? 0),
      autoClosed: closures.get('ticket.autoClosed') ?? 0,
      reopened: closures.get('ticket.reopened') ?? 0,
    },
    csat: {
      total: sumCsat(byRating, 'total'),
      distribution,
      byAgent: labelled(csatByAgent),
      byTier: csat('v.tier'),
      byChannel: csat('v.channel'),
      byPeriod: csatByPeriod,
    },
  };
  if (input.format === 'csv') report.csv = periodReportCsv(report, input.locale, timeZone);
  return report;
}
