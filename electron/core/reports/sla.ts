/**
 * The SLA report: first-response and resolution compliance by tier, severity, channel and period
 * for tickets created in [from, to), the list of breaches, and a CSV rendering of both.
 */
import type Database from 'better-sqlite3';
import { offsetSpans } from '../../shared/calendar';
import { STATUSES } from '../../shared/domain';
import { isoWeekKey } from '../../shared/periods';
import type { SlaComplianceRow, SlaReport } from '../../shared/types';
import { csvRows, type CsvValue } from '../csv';

export type Period = 'day' | 'week' | 'month';

/** Weeks are grouped by local day in SQL, then folded into ISO weeks (`byWeek`). */
const PERIOD_FORMAT: Record<Period, string> = { day: '%Y-%m-%d', week: '%Y-%m-%d', month: '%Y-%m' };

/**
 * The SQL key of a ticket's period in the branch's time zone: the creation instant shifted by the
 * offset in force then (a CASE over the zone's offset changes in the report's range, so zones
 * with daylight saving time, like Tijuana's, group by their own calendar).
 */
export function periodKeySql(period: Period, timeZone: string, from: number, to: number, column = 't.created_at'): string {
  return `strftime('${PERIOD_FORMAT[period]}', (${localTimeSql(timeZone, from, to, column)}) / 1000, 'unixepoch')`;
}

/** An instant column as the branch's wall-clock time (ms), with the offset in force at that instant. */
function localTimeSql(timeZone: string, from: number, to: number, column: string): string {
  const spans = offsetSpans(timeZone, from, Math.max(from + 1, to));
  // Numbers from Intl and our own arithmetic, never from input: safe to inline.
  const offset = spans.length === 1
    ? String(spans[0]!.offsetMs)
    : `CASE ${spans.slice(1).map((s, i) => `WHEN ${column} < ${s.from} THEN ${spans[i]!.offsetMs}`).join(' ')} ELSE ${spans[spans.length - 1]!.offsetMs} END`;
  return `${column} + ${offset}`;
}

const DAY_MS = 86_400_000;

/**
 * Compliance rows of the tickets created in [from, to), grouped by `keySql`. A metric counts as
 * measured once it stopped or its due moment has passed; met when it stopped in time. The status
 * list (every status) lets the creation range be ranges of tickets_status_created, one per status,
 * instead of a walk of the whole index.
 */
export function complianceSql(keySql: string, branch = false, index = 'tickets_status_created'): string {
  return `SELECT ${keySql} AS key, COUNT(*) AS tickets,
         SUM(CASE WHEN s.first_response_due_at IS NOT NULL AND (t.first_response_at IS NOT NULL OR s.first_response_due_at <= @now) THEN 1 ELSE 0 END) AS firstResponseMeasured,
         SUM(CASE WHEN s.first_response_due_at IS NOT NULL AND t.first_response_at IS NOT NULL AND t.first_response_at <= s.first_response_due_at THEN 1 ELSE 0 END) AS firstResponseMet,
         SUM(CASE WHEN s.resolution_due_at IS NOT NULL AND (t.closed_at IS NOT NULL OR s.resolution_due_at <= @now) THEN 1 ELSE 0 END) AS resolutionMeasured,
         SUM(CASE WHEN s.resolution_due_at IS NOT NULL AND t.closed_at IS NOT NULL AND t.closed_at <= s.resolution_due_at THEN 1 ELSE 0 END) AS resolutionMet
       FROM tickets t INDEXED BY ${index} JOIN ticket_sla s ON s.ticket_rowid = t.rowid
       WHERE t.status IN (${STATUSES.map((x) => `'${x}'`).join(', ')}) AND t.created_at >= @from AND t.created_at < @to${branch ? BRANCH_SQL : ''}
       GROUP BY key ORDER BY key`;
}

/** The tickets of one branch (the reports' filter): its site code prefixes their tracking numbers, 'CODE-' ≤ number < 'CODE.'. */
export const BRANCH_SQL = ' AND t.tracking_number >= @branchFrom AND t.tracking_number < @branchTo';

/** The named parameters of BRANCH_SQL for a site code. */
export function branchParams(code: string): { branchFrom: string; branchTo: string } {
  return { branchFrom: `${code}-`, branchTo: `${code}.` };
}

function compliance(db: Database.Database, keySql: string, from: number, to: number, now: number): SlaComplianceRow[] {
  return db.prepare(complianceSql(keySql)).all({ from, to, now }) as SlaComplianceRow[];
}

/**
 * Compliance per week of the tickets created in [from, to), in the branch's weeks: the supervisor
 * home's trend. Grouped in SQL by local day as a number (no date text per ticket) over the covering
 * index `tickets_status_created_sla` (the ticket rows are never read), then named and folded into
 * ISO weeks here: ~8,000 tickets at 100k read in ~4–6 ms of CPU instead of ~20.
 */
export function slaTrendByWeek(db: Database.Database, from: number, to: number, now: number, timeZone: string): SlaComplianceRow[] {
  const dayNumber = `(${localTimeSql(timeZone, from, to, 't.created_at')}) / ${DAY_MS}`;
  const days = db.prepare(complianceSql(dayNumber, false, 'tickets_status_created_sla')).all({ from, to, now }) as Array<Omit<SlaComplianceRow, 'key'> & { key: number }>;
  return byWeek(days.map((d) => ({ ...d, key: new Date(d.key * DAY_MS).toISOString().slice(0, 10) })));
}

/** `timeZone`: the branch's, so periods are its local days, weeks and months. */
export function slaReport(
  db: Database.Database, input: { from: number; to: number; period: Period; format: 'json' | 'csv' }, now: number, timeZone: string,
): SlaReport {
  const by = (keySql: string) => compliance(db, keySql, input.from, input.to, now);
  const report: SlaReport = {
    from: input.from,
    to: input.to,
    byTier: by('t.tier'),
    bySeverity: by('CAST(t.severity AS TEXT)'),
    byChannel: by('t.channel'),
    byPeriod: input.period === 'week'
      ? slaTrendByWeek(db, input.from, input.to, now, timeZone)
      : by(periodKeySql(input.period, timeZone, input.from, input.to)),
    breaches: db.prepare(
      `SELECT b.ticket_id AS ticketId, t.tracking_number AS trackingNumber, b.metric, b.due_at AS dueAt, b.recorded_at AS recordedAt,
         b.tier, b.severity, b.channel
       FROM sla_breaches b JOIN tickets t ON t.id = b.ticket_id WHERE b.due_at >= ? AND b.due_at < ? ORDER BY b.due_at LIMIT 5000`,
    ).all(input.from, input.to) as SlaReport['breaches'],
  };
  if (input.format === 'csv') report.csv = toCsv(report);
  return report;
}

/** Sums the local days' rows (in key order) into their ISO weeks. */
function byWeek(days: SlaComplianceRow[]): SlaComplianceRow[] {
  const weeks = new Map<string, SlaComplianceRow>();
  for (const day of days) {
    const key = isoWeekKey(day.key);
    const week = weeks.get(key);
    if (!week) {
      weeks.set(key, { ...day, key });
      continue;
    }
    week.tickets += day.tickets;
    week.firstResponseMeasured += day.firstResponseMeasured;
    week.firstResponseMet += day.firstResponseMet;
    week.resolutionMeasured += day.resolutionMeasured;
    week.resolutionMet += day.resolutionMet;
  }
  return [...weeks.values()];
}

function toCsv(r: SlaReport): string {
  const rows: CsvValue[][] = [['section', 'key', 'tickets', 'first_response_measured', 'first_response_met', 'resolution_measured', 'resolution_met']];
  const sections: Array<[string, SlaComplianceRow[]]> = [['tier', r.byTier], ['severity', r.bySeverity], ['channel', r.byChannel], ['period', r.byPeriod]];
  for (const [name, list] of sections) {
    for (const x of list) rows.push([name, x.key, x.tickets, x.firstResponseMeasured, x.firstResponseMet, x.resolutionMeasured, x.resolutionMet]);
  }
  rows.push([], ['breach_tracking_number', 'metric', 'due_at', 'recorded_at', 'tier', 'severity', 'channel']);
  for (const b of r.breaches) {
    rows.push([b.trackingNumber, b.metric, new Date(b.dueAt).toISOString(), new Date(b.recordedAt).toISOString(), b.tier, b.severity, b.channel]);
  }
  return csvRows(rows);
}
