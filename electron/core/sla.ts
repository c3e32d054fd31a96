/**
 * The SLA engine: the organization's calendars and policies, per-ticket recomputation inside the
 * caller's transaction, the sweep that records breaches and auto-closes tickets left waiting on
 * the customer, and the board and report queries. Everything derives from stored timestamps and
 * the injected clock, never from timers' memory.
 */
import { compileCalendar, nextBusinessStart, type BusinessCalendar, type CompiledCalendar, type Pause } from '../shared/calendar';
import { type Tier, TIERS } from '../shared/domain';
import { AppError } from '../shared/errors';
import {
  computeSla, DEFAULT_SLA_CONFIG, FALLBACK_POLICY, matchPolicy, slaConfigSchema,
  type SlaComputation, type SlaConfig, type SlaMetric, type SlaPolicy, type SlaState,
} from '../shared/sla';
import type { BoardCard } from '../shared/types';
import type { Workspace, WriteTx } from './workspace';

export const AUTO_CLOSE_CAUSE = 'Sin respuesta del cliente';
const DAY_MS = 86_400_000;

/** A ticket's SLA columns as stored, in the order of the sla_staged table. */
type StoredSla = [
  rowid: number, policyId: string | null, firstResponseDueAt: number | null, nextResponseDueAt: number | null,
  resolutionDueAt: number | null, warnAt: number | null, breachAt: number | null, state: string, breached: number,
];

/** What the clocks are computed from, and what the last computation stored. */
interface ClockRow {
  rowid: number;
  plan: string;
  channel: string;
  severity: number;
  priority: string;
  createdAt: number;
  firstResponseAt: number | null;
  awaitingResponseSince: number | null;
  pauses: Pause[];
  closedAt: number | null;
  stored: StoredSla;
}

type ClockTuple = [
  plan: string, channel: string, severity: number, priority: string, createdAt: number, firstResponseAt: number | null,
  awaitingResponseSince: number | null, pauses: Pause[] | null, closedAt: number | null, ...stored: StoredSla,
];

/**
 * One JSON array per ticket, aggregated into one JSON document per query. better-sqlite3 turns
 * each column of each row into a JS value through N-API (~1 µs a value on this 2-core machine),
 * which made reading 100,000 rows cost four times all the clock arithmetic; SQLite writing one
 * string and V8 parsing it is several times faster.
 */
const CLOCKS = `SELECT json_group_array(json_array(c.plan, t.channel, t.severity, t.priority, t.created_at, t.first_response_at,
    t.awaiting_response_since, CASE t.pauses WHEN '[]' THEN NULL ELSE json(t.pauses) END, t.closed_at,
    t.rowid, t.sla_policy_id, t.first_response_due_at, t.next_response_due_at, t.resolution_due_at, t.sla_warn_at, t.sla_breach_at,
    t.sla_state, t.sla_breached))
  FROM tickets t JOIN customers c ON c.id = t.customer_id`;
const ONE_CLOCK = `${CLOCKS} WHERE t.id = ?`;
const OPEN_TICKETS = "SELECT json_group_array(rowid) FROM tickets WHERE status IN ('open', 'waiting')";
const CLOCKS_OF = `${CLOCKS} WHERE t.rowid IN (SELECT value FROM json_each(?))`;
/**
 * Tickets per step of a recompute over all open tickets: what one step allocates dies young,
 * where reading 100,000 at once spent more time in the garbage collector than computing.
 */
const RECOMPUTE_STEP = 2_000;
/** Open tickets whose next warning or breach has come (the expression of index tickets_sla_next). */
const DUE_CLOCKS = `${CLOCKS} WHERE t.status != 'closed' AND coalesce(min(t.sla_warn_at, t.sla_breach_at), t.sla_warn_at, t.sla_breach_at) <= ?`;
const WAITING_ON_CUSTOMER_CLOCKS = `${CLOCKS} WHERE t.status = 'waiting' AND t.waiting_on = 'customer'`;

const NO_PAUSES: readonly Pause[] = Object.freeze([]);

/** Reads the clock rows of one of the constant queries above; `params` fill its placeholders. */
function readClocks(db: { sql: Workspace['sql'] }, sql: string, ...params: unknown[]): ClockRow[] {
  const json = db.sql(sql).pluck().get(...params) as string;
  return (JSON.parse(json) as ClockTuple[]).map((t) => ({
    plan: t[0], channel: t[1], severity: t[2], priority: t[3], createdAt: t[4], firstResponseAt: t[5], awaitingResponseSince: t[6],
    pauses: t[7] ?? (NO_PAUSES as Pause[]), closedAt: t[8], rowid: t[9], stored: [t[9], t[10], t[11], t[12], t[13], t[14], t[15], t[16], t[17]],
  }));
}

/**
 * Changed rows are staged in a connection-private table and stored by one UPDATE: staging a row
 * costs ~2 µs where an UPDATE per ticket cost ~10 µs, and passing the rows as one JSON document
 * was slower still (SQLite re-parses a row's array for every column it extracts).
 */
const CREATE_STAGED = `CREATE TEMP TABLE IF NOT EXISTS sla_staged (ticket_rowid INTEGER PRIMARY KEY, policy_id TEXT,
  first_response_due_at INTEGER, next_response_due_at INTEGER, resolution_due_at INTEGER, warn_at INTEGER, breach_at INTEGER,
  state TEXT, breached INTEGER)`;
const STAGE = 'INSERT INTO temp.sla_staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
// The IN list makes the staged rows drive: UPDATE … FROM scanned every ticket to update one.
const STORE_STAGED = `UPDATE tickets SET (sla_policy_id, first_response_due_at, next_response_due_at, resolution_due_at, sla_warn_at,
    sla_breach_at, sla_state, sla_breached) = (SELECT s.policy_id, s.first_response_due_at, s.next_response_due_at, s.resolution_due_at,
    s.warn_at, s.breach_at, s.state, s.breached FROM temp.sla_staged s WHERE s.ticket_rowid = tickets.rowid)
  WHERE rowid IN (SELECT ticket_rowid FROM temp.sla_staged)`;
const CLEAR_STAGED = 'DELETE FROM temp.sla_staged';

/** The statements whose query plans decide whether the SLA work scales (checked by tests). */
export const SLA_HOT_QUERIES = { dueClocks: DUE_CLOCKS, storeStaged: STORE_STAGED } as const;
/** `rowid@metric@dueAt` of the breaches recorded for some tickets, one JSON array. */
const RECORDED_BREACHES = `SELECT json_group_array(t.rowid || '@' || b.metric || '@' || b.due_at)
  FROM tickets t JOIN sla_breaches b ON b.ticket_id = t.id WHERE t.rowid IN (SELECT value FROM json_each(?))`;

export class SlaEngine {
  private compiled = new Map<string, CompiledCalendar>();
  private cachedConfig: { raw: string | undefined; config: SlaConfig } | null = null;

  constructor(private readonly ws: Workspace) {
    // Outside any transaction, so a rolled-back command cannot take the table away.
    ws.db.exec(CREATE_STAGED);
  }

  config(): SlaConfig {
    const raw = this.ws.getSetting('sla');
    if (this.cachedConfig && this.cachedConfig.raw === raw) return this.cachedConfig.config;
    const config = raw ? slaConfigSchema.parse(JSON.parse(raw)) : DEFAULT_SLA_CONFIG;
    this.cachedConfig = { raw, config };
    this.compiled.clear();
    return config;
  }

  calendar(id: string): CompiledCalendar {
    let compiled = this.compiled.get(id);
    if (!compiled) {
      const cfg = this.config();
      const cal = cfg.calendars.find((c) => c.id === id) ?? cfg.calendars.find((c) => c.id === FALLBACK_POLICY.calendarId) ?? cfg.calendars[0]!;
      compiled = compileCalendar(cal);
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  /** Saves calendars and policies and recomputes every open ticket in the same transaction. */
  saveConfig(actorId: string, input: SlaConfig): { config: SlaConfig; recomputed: number } {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.config();
      tx.setSetting('sla', JSON.stringify(input));
      tx.audit('sla.configChanged', 'settings', 'sla', { before, after: input });
      tx.outbox('settings', 'sla', 'update', input);
      const recomputed = this.recomputeOpen(tx);
      return { config: this.config(), recomputed };
    });
  }

  /** Recomputes one ticket's clocks after a change, inside the caller's transaction. */
  recompute(tx: WriteTx, ticketId: string): SlaComputation {
    const rows = readClocks(tx, ONE_CLOCK, ticketId);
    if (rows.length === 0) throw new AppError('tickets.notFound');
    return this.apply(tx, rows)[0]!;
  }

  /** Every open ticket (after a policy or calendar edit). */
  recomputeOpen(tx: WriteTx): number {
    const open = JSON.parse(tx.sql(OPEN_TICKETS).pluck().get() as string) as number[];
    for (let i = 0; i < open.length; i += RECOMPUTE_STEP) {
      this.apply(tx, readClocks(tx, CLOCKS_OF, JSON.stringify(open.slice(i, i + RECOMPUTE_STEP))));
    }
    return open.length;
  }

  /** The policy, clocks and state of a ticket now (for the ticket screen). */
  status(ticketId: string): { policy: SlaPolicy; sla: SlaComputation } {
    const row = readClocks(this.ws, ONE_CLOCK, ticketId)[0];
    if (!row) throw new AppError('tickets.notFound');
    const policy = matchPolicy(this.config().policies, row);
    return { policy, sla: computeSla(row, policy, this.calendar(policy.calendarId), this.ws.now()) };
  }

  /**
   * Computes the clocks of `rows` at the transaction's moment, stores what changed in one
   * statement and records breaches that became certain (once each).
   */
  private apply(tx: WriteTx, rows: readonly ClockRow[]): SlaComputation[] {
    // Read once per pass, not per ticket: the configuration cannot change inside this transaction.
    const { policies } = this.config();
    // Tickets share a handful of (plan, channel, severity, priority) combinations.
    const matched = new Map<string, { policy: SlaPolicy; calendar: CompiledCalendar }>();
    const stage = tx.sql(STAGE);
    let staged = 0;
    const breaches: Array<{ row: ClockRow; metric: SlaMetric; dueAt: number }> = [];
    const results = rows.map((row) => {
      const key = `${row.plan}|${row.channel}|${row.severity}|${row.priority}`;
      let m = matched.get(key);
      if (!m) {
        const policy = matchPolicy(policies, row);
        m = { policy, calendar: this.calendar(policy.calendarId) };
        matched.set(key, m);
      }
      const sla = computeSla(row, m.policy, m.calendar, tx.at);
      const next = storedSla(row, m.policy, sla);
      if (sameStored(next, row.stored)) {
        // Unchanged, and so no breach to record: every computation records its breaches, and a
        // running clock that breached since would have moved the stored next breach moment.
        return sla;
      }
      const [rowid, policyId, firstResponse, nextResponse, resolution, warnAt, breachAt, state, breached] = next;
      // Separate arguments rather than a spread: this is the inner loop of a recompute.
      stage.run(rowid, policyId, firstResponse, nextResponse, resolution, warnAt, breachAt, state, breached);
      staged++;
      for (const b of sla.breaches) breaches.push({ row, ...b });
      return sla;
    });
    if (staged > 0) {
      tx.sql(STORE_STAGED).run();
      tx.sql(CLEAR_STAGED).run();
    }
    // Tickets already marked breached may have some of these recorded: look them up in one query.
    const marked = [...new Set(breaches.filter((b) => b.row.stored[8] === 1).map((b) => b.row.rowid))];
    const recorded = new Set(marked.length > 0 ? JSON.parse(tx.sql(RECORDED_BREACHES).pluck().get(JSON.stringify(marked)) as string) as string[] : []);
    for (const b of breaches) {
      if (!recorded.has(`${b.row.rowid}@${b.metric}@${b.dueAt}`)) this.recordBreach(tx, b.row, b.metric, b.dueAt);
    }
    return results;
  }

  private recordBreach(tx: WriteTx, row: ClockRow, metric: SlaMetric, dueAt: number): void {
    const id = tx.id();
    // The ticket's key and tier are looked up only here: reading them for every recomputed ticket costs more.
    const { id: ticketId, tier } = tx.sql('SELECT id, tier FROM tickets WHERE rowid = ?').get(row.rowid) as { id: string; tier: Tier };
    const inserted = tx.sql(
      'INSERT OR IGNORE INTO sla_breaches (id, ticket_id, metric, due_at, recorded_at, tier, severity, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, ticketId, metric, dueAt, tx.at, tier, row.severity, row.channel);
    if (inserted.changes === 0) return;
    tx.sql("INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, 'sla_breach', '', ?, NULL, ?)").run(
      tx.id(), ticketId, JSON.stringify({ metric, dueAt }), tx.at,
    );
    tx.audit('sla.breached', 'ticket', ticketId, { metric, dueAt });
    tx.outbox('sla_breach', id, 'insert', { ticketId, metric, dueAt });
  }

  /**
   * Catches up with the clock: records breaches that became certain and auto-closes tickets
   * waiting on the customer for longer than the configured days. Safe to run any number of times.
   */
  sweep(closeTicket: (tx: WriteTx, ticketId: string, cause: string, solution: string) => void): { breaches: number; autoClosed: number } {
    const now = this.ws.now();
    return this.ws.write({ kind: 'system' }, (tx) => {
      const before = tx.sql('SELECT COUNT(*) FROM sla_breaches').pluck().get() as number;
      this.apply(tx, readClocks(tx, DUE_CLOCKS, now));
      let autoClosed = 0;
      const { autoClose } = this.config();
      if (autoClose.enabled) {
        for (const row of readClocks(tx, WAITING_ON_CUSTOMER_CLOCKS)) {
          const since = row.pauses.find((p) => p.to === null)?.from;
          if (since === undefined || now <= this.autoCloseDeadline(since, row)) continue;
          const ticketId = tx.sql('SELECT id FROM tickets WHERE rowid = ?').pluck().get(row.rowid) as string;
          closeTicket(
            tx, ticketId, AUTO_CLOSE_CAUSE,
            `Cierre automático: el cliente no respondió en ${autoClose.days} días ${autoClose.unit === 'business' ? 'hábiles' : 'naturales'}.`,
          );
          autoClosed++;
        }
      }
      const after = tx.sql('SELECT COUNT(*) FROM sla_breaches').pluck().get() as number;
      return { breaches: after - before, autoClosed };
    });
  }

  /** When a ticket waiting on the customer since `since` closes by itself. */
  autoCloseDeadline(since: number, row: { channel: string; severity: number; priority: string; plan: string }): number {
    const { autoClose, policies } = this.config();
    if (autoClose.unit === 'natural') return since + autoClose.days * DAY_MS;
    // N business days: each day counts once the next business day has begun after a full day.
    const cal = this.calendar(matchPolicy(policies, row).calendarId);
    let t = since;
    for (let i = 0; i < autoClose.days; i++) t = nextBusinessStart(cal, t + DAY_MS);
    return t;
  }

  /** Open tickets per tier for the escalation board, with counts and SLA countdown data. */
  board(filters: { severity: number[]; assigneeId?: string; category: string[] }, perColumn: number): {
    now: number;
    columns: Array<{ tier: Tier; count: number; cards: BoardCard[] }>;
  } {
    const now = this.ws.now();
    const where: string[] = ["t.status != 'closed'"];
    const params: unknown[] = [];
    if (filters.severity.length) {
      where.push(`t.severity IN (${filters.severity.map(() => '?').join(',')})`);
      params.push(...filters.severity);
    }
    if (filters.category.length) {
      where.push(`t.category IN (${filters.category.map(() => '?').join(',')})`);
      params.push(...filters.category);
    }
    if (filters.assigneeId) {
      where.push('t.assignee_id = ?');
      params.push(filters.assigneeId);
    }
    const cardsOf = this.ws.db.prepare(
      `SELECT t.id, t.tracking_number AS trackingNumber, c.name AS customerName, t.subject, t.severity, t.tier, t.category, t.status,
         t.waiting_on AS waitingOn, t.assignee_id AS assigneeId, u.full_name AS assigneeName, t.sla_breached AS breached,
         t.sla_breach_at AS breachAt, t.sla_warn_at AS warnAt, t.resolution_due_at AS resolutionDueAt, t.sla_policy_id AS policyId,
         (SELECT MIN(b.due_at) FROM sla_breaches b WHERE b.ticket_id = t.id) AS firstBreachDueAt
       FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id
       WHERE ${where.join(' AND ')} AND t.tier = ?
       ORDER BY t.sla_breached DESC, t.sla_breach_at IS NULL, t.sla_breach_at, t.rowid LIMIT ?`,
    );
    const countOf = this.ws.db.prepare(`SELECT COUNT(*) FROM tickets t WHERE ${where.join(' AND ')} AND t.tier = ?`).pluck();
    const columns = TIERS.map((tier) => {
      const rows = cardsOf.all(...params, tier, perColumn) as Array<Omit<BoardCard, 'slaState' | 'dueAt' | 'calendarId'> & {
        breached: number; breachAt: number | null; resolutionDueAt: number | null; policyId: string | null;
      }>;
      const policies = this.config().policies;
      const cards = rows.map(({ breached, breachAt, resolutionDueAt, policyId, ...card }) => ({
        ...card,
        slaState: liveState({ breached, breachAt, warnAt: card.warnAt, status: card.status }, now),
        dueAt: breachAt ?? resolutionDueAt,
        calendarId: (policies.find((p) => p.id === policyId) ?? FALLBACK_POLICY).calendarId,
      }));
      return { tier, count: countOf.get(...params, tier) as number, cards };
    });
    return { now, columns };
  }
}

/** The state at `now` from the stored moments, without recomputing the clocks. */
export function liveState(t: { breached: number; breachAt: number | null; warnAt: number | null; status: string }, now: number): SlaState {
  if (t.breached === 1 || (t.breachAt !== null && t.breachAt < now)) return 'breached';
  if (t.status === 'waiting') return 'paused';
  if (t.warnAt !== null && t.warnAt <= now) return 'warning';
  return t.breachAt === null ? 'none' : 'ok';
}

/** The columns stored for a computation; once breached, a ticket stays marked breached. */
function storedSla(row: ClockRow, policy: SlaPolicy, sla: SlaComputation): StoredSla {
  let firstResponse: number | null = null;
  let nextResponse: number | null = null;
  let resolution: number | null = null;
  for (const m of sla.metrics) {
    if (m.metric === 'first_response') firstResponse = m.dueAt;
    else if (m.metric === 'next_response') nextResponse = m.dueAt;
    else resolution = m.dueAt;
  }
  const breached = sla.breaches.length > 0 || row.stored[8] === 1 ? 1 : 0;
  return [row.rowid, policy.id, firstResponse, nextResponse, resolution, sla.nextWarnAt, sla.nextBreachAt, sla.state, breached];
}

function sameStored(a: StoredSla, b: StoredSla): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export type { BusinessCalendar };
