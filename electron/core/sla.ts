/**
 * The SLA engine: the organization's calendars and policies, per-ticket recomputation inside the
 * caller's transaction, the sweep that records breaches and auto-closes tickets left waiting on
 * the customer, and the board and report queries. Everything derives from stored timestamps and
 * the injected clock, never from timers' memory.
 */
import canonicalize from 'canonicalize';
import { compileCalendar, nextBusinessStart, type BusinessCalendar, type CompiledCalendar, type Pause } from '../shared/calendar';
import { STATUSES, type Tier, TIERS } from '../shared/domain';
import { AppError } from '../shared/errors';
import {
  computeSla, DEFAULT_SLA_CONFIG, FALLBACK_POLICY, matchPolicy, slaConfigSchema,
  type SlaComputation, type SlaConfig, type SlaMetric, type SlaPolicy, type SlaState,
} from '../shared/sla';
import { anyBlocked, HIDDEN_TICKET_ROWIDS } from './personal-data/visibility';
import type { BoardCard } from '../shared/types';
import { notify } from './notifications/notify';
import { StepReader, type StepReaderOptions } from './step-reader';
import type { Workspace, WriteTx } from './workspace';

export const AUTO_CLOSE_CAUSE = 'Sin respuesta del cliente';
const DAY_MS = 86_400_000;

/** A ticket's row of ticket_sla, in column order. */
export type StoredSla = [
  rowid: number, open: number, policyId: string | null, firstResponseDueAt: number | null, nextResponseDueAt: number | null,
  resolutionDueAt: number | null, warnAt: number | null, breachAt: number | null, state: string, breached: number, recorded: number,
  /** The earliest due moment among its recorded breaches (what MIN(sla_breaches.due_at) gives): the board's order. */
  firstBreachDueAt: number | null,
];

/**
 * Bits of ticket_sla.recorded: the metrics whose current clock has its breach recorded. A clock
 * breaches once: moving its due moment (a policy edit) does not record it again. The first-response
 * and resolution clocks run once per ticket; a next-response clock ends with the reply, and its
 * bit clears with it, so the customer's next message starts a clock that can breach anew.
 */
const RECORDED_BIT: Record<SlaMetric, number> = { first_response: 1, next_response: 2, resolution: 4 };

/** What the clocks are computed from, and what the last computation stored. */
export interface ClockRow {
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
  /** The row as read; what was stored last is its part from STORED_AT on (not copied: a recompute reads 100,000). */
  tuple: ClockTuple;
}

export type ClockTuple = [
  plan: string, channel: string, severity: number, priority: string, createdAt: number, firstResponseAt: number | null,
  awaitingResponseSince: number | null, pauses: Pause[] | null, closedAt: number | null, ...stored: StoredSla,
];
/** Where a ClockTuple's StoredSla begins, and where its breached and recorded values are. */
const STORED_AT = 9;
const STORED_BREACHED_AT = 18;
const STORED_RECORDED_AT = 19;
const STORED_FIRST_BREACH_AT = 20;

/**
 * One JSON array per ticket, aggregated into one JSON document per query. better-sqlite3 turns
 * each column of each row into a JS value through N-API (~1 µs a value on this 2-core machine),
 * which made reading 100,000 rows cost four times all the clock arithmetic; SQLite writing one
 * string and V8 parsing it is several times faster.
 */
const CLOCK_ROWS = `SELECT json_group_array(json_array(c.plan, t.channel, t.severity, t.priority, t.created_at, t.first_response_at,
    t.awaiting_response_since, CASE t.pauses WHEN '[]' THEN NULL ELSE json(t.pauses) END, t.closed_at,
    s.ticket_rowid, s.open, s.policy_id, s.first_response_due_at, s.next_response_due_at, s.resolution_due_at, s.warn_at, s.breach_at,
    s.state, s.breached, s.recorded, s.first_breach_due_at))`;
const CLOCKS = `${CLOCK_ROWS} FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid JOIN customers c ON c.id = t.customer_id`;
const ONE_CLOCK = `${CLOCKS} WHERE t.id = ?`;
/** A new ticket's row, with nothing stored yet; its first computation fills it. */
const START_CLOCK = 'INSERT OR IGNORE INTO ticket_sla (ticket_rowid) SELECT rowid FROM tickets WHERE id = ?';
/** The same for many tickets (a JSON array of ids): a pulled page's. */
const START_CLOCKS = 'INSERT OR IGNORE INTO ticket_sla (ticket_rowid) SELECT rowid FROM tickets WHERE id IN (SELECT value FROM json_each(?))';
const SOME_CLOCKS = `${CLOCKS} WHERE t.id IN (SELECT value FROM json_each(?))`;
/** The next step of open tickets after a rowid, in rowid order (index ticket_sla_open). */
const OPEN_CLOCKS_AFTER = `${CLOCKS} WHERE s.ticket_rowid IN (SELECT ticket_rowid FROM ticket_sla WHERE open AND ticket_rowid > ? ORDER BY ticket_rowid LIMIT ?)`;
/** The same, for the tickets under some policies (a JSON array of ids), or never computed. */
const OPEN_CLOCKS_OF_POLICIES_AFTER = `${CLOCKS} WHERE s.ticket_rowid IN (SELECT ticket_rowid FROM ticket_sla WHERE open AND ticket_rowid > ?
  AND (policy_id IN (SELECT value FROM json_each(?)) OR policy_id IS NULL) ORDER BY ticket_rowid LIMIT ?)`;
/**
 * Tickets per step of a recompute over all open tickets: what one step allocates dies young,
 * where reading 100,000 at once spent more time in the garbage collector than computing.
 */
const RECOMPUTE_STEP = 2_000;
const CUSTOMER_CLOCKS = `${CLOCKS} WHERE t.customer_id = ? AND s.open`;
/** A ticket's next warning or breach moment: the expression of index ticket_sla_next, written the same. */
const NEXT_MOMENT = 'coalesce(min(warn_at, breach_at), warn_at, breach_at)';
/**
 * Open tickets whose next warning or breach moment is past, earliest first, at most a step.
 * Strictly past: a recompute stores moments at or after its own moment, so a ticket just swept is
 * not found again by the next step.
 */
const DUE_CLOCKS = `${CLOCKS} WHERE s.ticket_rowid IN (SELECT ticket_rowid FROM ticket_sla
  WHERE open AND ${NEXT_MOMENT} < ? ORDER BY ${NEXT_MOMENT} LIMIT ?)`;
/**
 * The sweep's index, as migration 005 creates it. A recompute that moves most due moments drops
 * it and builds it again at the end of its transaction: keeping it current cost ~1.8 µs a changed
 * ticket (a delete and an insert at scattered keys), building it anew ~1 µs a ticket.
 */
const SWEEP_INDEX = `CREATE INDEX ticket_sla_next ON ticket_sla(${NEXT_MOMENT}) WHERE open`;
/** Tickets per sweep transaction: catching up after days asleep must not hold the app for seconds. */
export const SWEEP_STEP = 1_000;
/** Auto-closes per sweep transaction: a close (timeline, notice, audit, outbox) costs ~1 ms here. */
const AUTO_CLOSE_STEP = 200;
/**
 * Tickets waiting on the customer since at least a moment: N days, natural or business, never end
 * before N natural days, so this finds every ticket the auto-close rule may close without reading
 * the others every minute. The planner preferred the (status, waiting_on) index and read them all.
 */
const WAITING_ON_CUSTOMER_SINCE_CLOCKS = `${CLOCK_ROWS}
  FROM tickets t INDEXED BY tickets_waiting_customer_since JOIN ticket_sla s ON s.ticket_rowid = t.rowid JOIN customers c ON c.id = t.customer_id
  WHERE t.status = 'waiting' AND t.waiting_on = 'customer' AND json_extract(t.pauses, '$[#-1].from') <= ?`;

const NO_PAUSES: readonly Pause[] = Object.freeze([]);

/** Reads the clock rows of one of the constant queries above; `params` fill its placeholders. */
function readClocks(db: { sql: Workspace['sql'] }, sql: string, ...params: unknown[]): ClockRow[] {
  return parseClocks(db.sql(sql).pluck().get(...params) as string);
}

function parseClocks(json: string): ClockRow[] {
  return (JSON.parse(json) as ClockTuple[]).map((t) => ({
    plan: t[0], channel: t[1], severity: t[2], priority: t[3], createdAt: t[4], firstResponseAt: t[5], awaitingResponseSince: t[6],
    pauses: t[7] ?? (NO_PAUSES as Pause[]), closedAt: t[8], rowid: t[9], tuple: t,
  }));
}

/**
 * Changed rows are stored by primary key (REPLACE: delete and insert) a batch of rows per
 * statement: a statement per row cost ~5 µs a row and staging the rows in a temporary table for
 * one INSERT … SELECT ~4 µs; binding 100 rows to one statement saves the per-statement work. One
 * JSON document of rows was slower still (SQLite re-parses a row's array for every column).
 */
const SLA_COLUMNS = 'open, policy_id, first_response_due_at, next_response_due_at, resolution_due_at, warn_at, breach_at, state, breached, recorded, first_breach_due_at';
const SLA_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const STORED_WIDTH = 12;
const STORE_BATCH_ROWS = 100;
const STORE_ONE = `INSERT OR REPLACE INTO ticket_sla (ticket_rowid, ${SLA_COLUMNS}) VALUES ${SLA_ROW}`;
const STORE_BATCH = `INSERT OR REPLACE INTO ticket_sla (ticket_rowid, ${SLA_COLUMNS}) VALUES ${Array(STORE_BATCH_ROWS).fill(SLA_ROW).join(', ')}`;

/** The statements whose query plans decide whether the SLA work scales (checked by tests). */
export const SLA_HOT_QUERIES = {
  dueClocks: DUE_CLOCKS,
  waitingOnCustomerSince: WAITING_ON_CUSTOMER_SINCE_CLOCKS,
  openClocksAfter: OPEN_CLOCKS_AFTER,
  openClocksOfPoliciesAfter: OPEN_CLOCKS_OF_POLICIES_AFTER,
  storeBatch: STORE_BATCH,
} as const;

export class SlaEngine {
  private compiled = new Map<string, CompiledCalendar>();
  private cachedConfig: { raw: string | undefined; config: SlaConfig } | null = null;
  /** Started at the first settings save; null after it failed to start (then one thread does it all). */
  private reader: StepReader | null | 'failed' = null;
  /** Breaches recorded by this engine so far: a sweep reports its share without counting the table. */
  private breachesRecorded = 0;

  /** `readerOptions`: where the reader thread loads better-sqlite3 from (tests make it fail). */
  constructor(
    private readonly ws: Workspace,
    private readonly readerOptions: Pick<StepReaderOptions, 'modulePath'> = {},
  ) {
    ws.onClose(() => {
      if (this.reader instanceof StepReader) this.reader.close();
      this.reader = null;
    });
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

  /**
   * Saves calendars and policies and, in the same transaction, recomputes the open tickets whose
   * clocks the change can move (all of them when the matching changed).
   */
  saveConfig(actorId: string, input: SlaConfig): { config: SlaConfig; recomputed: number } {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.config();
      tx.setSetting('sla', JSON.stringify(input));
      tx.audit('sla.configChanged', 'settings', 'sla', { before, after: input });
      tx.outbox('settings', 'sla', 'update', input);
      // Only settings, audit and outbox were written so far: a reader thread sees the same tickets.
      const recomputed = this.recomputeOpen(tx, policiesToRecompute(before, input), true);
      return { config: this.config(), recomputed };
    });
  }

  /** Gives a new ticket its row of ticket_sla and computes its clocks, inside the caller's transaction. */
  start(tx: WriteTx, ticketId: string): SlaComputation {
    tx.sql(START_CLOCK).run(ticketId);
    return this.recompute(tx, ticketId);
  }

  /** Recomputes one ticket's clocks after a change, inside the caller's transaction. */
  recompute(tx: WriteTx, ticketId: string): SlaComputation {
    const rows = readClocks(tx, ONE_CLOCK, ticketId);
    if (rows.length === 0) throw new AppError('tickets.notFound');
    const sla = this.apply(tx, rows).computed[0]!;
    // A change can recompute a ticket whose warning moment passed since the last sweep: the
    // stored warning moment then moves on, so the sweep would not find it to warn.
    this.warnAssignee(tx, rows[0]!.rowid, sla);
    return sla;
  }

  /**
   * `start` or `recompute` (as `how` says) for many tickets at once, in ticket order: one read and
   * batched stores instead of a statement or three per ticket (a pulled page: thousands). Each
   * ticket gets exactly what `start`/`recompute` gives it, warnings and breaches included.
   */
  computeMany(tx: WriteTx, ticketIds: readonly string[], how: 'start' | 'recompute'): void {
    if (ticketIds.length === 0) return;
    const ids = JSON.stringify(ticketIds);
    if (how === 'start') tx.sql(START_CLOCKS).run(ids);
    const rows = readClocks(tx, SOME_CLOCKS, ids).sort((a, b) => a.rowid - b.rowid);
    if (rows.length !== new Set(ticketIds).size) throw new AppError('tickets.notFound');
    const { computed } = this.apply(tx, rows);
    rows.forEach((row, i) => this.warnAssignee(tx, row.rowid, computed[i]!));
  }

  /**
   * Notifies the assignee of a ticket about to breach: each running clock past its warning moment
   * and not yet due, once per clock (the key holds the clock's start; a next-response clock
   * started by a later customer message warns anew).
   */
  private warnAssignee(tx: WriteTx, rowid: number, sla: SlaComputation): void {
    if (sla.state !== 'warning') return;
    const warned = sla.metrics.filter((m) => m.stoppedAt === null && m.warnAt !== null && m.warnAt <= tx.at && m.dueAt !== null && m.dueAt >= tx.at);
    if (warned.length === 0) return;
    const t = tx.sql('SELECT id, assignee_id AS assigneeId, tracking_number AS folio, subject FROM tickets WHERE rowid = ?').get(rowid) as
      { id: string; assigneeId: string | null; folio: string; subject: string };
    if (!t.assigneeId) return;
    for (const m of warned) {
      notify(tx, [t.assigneeId], {
        kind: 'sla_warning', entity: 'ticket', entityId: t.id, folio: t.folio, title: t.subject,
        data: { metric: m.metric }, onceKey: `sla_warning:${t.id}:${m.metric}:${m.startedAt}`,
      });
    }
  }

  /**
   * Every open ticket, or those under `policyIds` (after a policy or calendar edit). With
   * `readAhead`, a reader thread reads each next step while this thread computes and writes the
   * current one — only when the transaction has written no ticket, customer or SLA row yet, since
   * that thread sees the last committed state. If it fails, this thread carries on alone.
   */
  recomputeOpen(tx: WriteTx, policyIds: readonly string[] | null = null, readAhead = false): number {
    if (policyIds?.length === 0) return 0;
    const ids = policyIds && JSON.stringify(policyIds);
    const step = (after: number): [string, ...unknown[]] =>
      ids === null ? [OPEN_CLOCKS_AFTER, after, RECOMPUTE_STEP] : [OPEN_CLOCKS_OF_POLICIES_AFTER, after, ids, RECOMPUTE_STEP];
    let reader = readAhead ? this.stepReader() : null;
    reader?.request(...step(0));
    let count = 0;
    // Set once a whole step moved most of its tickets: the rest will likely move too.
    let rebuildSweepIndex = false;
    for (let after = 0; ;) {
      let rows: ClockRow[] | null = null;
      if (reader) {
        try {
          rows = parseClocks(reader.take());
        } catch (err) {
          console.warn('[core] SLA reader thread failed; recomputing on one thread', err);
          this.reader = 'failed';
          reader = null;
        }
      }
      rows ??= readClocks(tx, ...step(after));
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.rowid;
      reader?.request(...step(after));
      const { changed } = this.apply(tx, rows);
      count += rows.length;
      if (!rebuildSweepIndex && rows.length === RECOMPUTE_STEP && changed > rows.length / 2) {
        tx.db.exec('DROP INDEX ticket_sla_next');
        rebuildSweepIndex = true;
      }
    }
    if (rebuildSweepIndex) tx.db.exec(SWEEP_INDEX);
    return count;
  }

  /** Whether settings saves read ahead on a reader thread (false until the first one, or after it failed). */
  get readsAhead(): boolean {
    return this.reader instanceof StepReader;
  }

  private stepReader(): StepReader | null {
    if (this.reader === 'failed') return null;
    try {
      this.reader ??= new StepReader({ file: this.ws.db.name, nativeBinding: this.ws.nativeBinding, ...this.readerOptions });
      return this.reader;
    } catch (err) {
      console.warn('[core] SLA reader thread did not start; recomputing on one thread', err);
      this.reader = 'failed';
      return null;
    }
  }

  /** A customer's open tickets (after its plan changed). */
  recomputeCustomer(tx: WriteTx, customerId: string): number {
    return this.apply(tx, readClocks(tx, CUSTOMER_CLOCKS, customerId)).computed.length;
  }

  /** The policy, clocks and state of a ticket now (for the ticket screen). */
  status(ticketId: string): { policy: SlaPolicy; sla: SlaComputation } {
    const row = readClocks(this.ws, ONE_CLOCK, ticketId)[0];
    if (!row) throw new AppError('tickets.notFound');
    const policy = matchPolicy(this.config().policies, row);
    return { policy, sla: computeSla(row, policy, this.calendar(policy.calendarId), this.ws.now()) };
  }

  /**
   * Computes the clocks of `rows` at the transaction's moment, stores what changed and records
   * breaches that became certain (once each). `changed`: how many rows were stored.
   */
  private apply(tx: WriteTx, rows: readonly ClockRow[]): { computed: SlaComputation[]; changed: number } {
    // Read once per pass, not per ticket: the configuration cannot change inside this transaction.
    const { policies } = this.config();
    // Tickets share a handful of (plan, channel, severity, priority) combinations.
    const matched = new Map<string, { policy: SlaPolicy; calendar: CompiledCalendar }>();
    // Changed rows, STORED_WIDTH values each, bound a batch at a time.
    const batch: unknown[] = [];
    const breaches: Array<{ row: ClockRow; metric: SlaMetric; dueAt: number }> = [];
    let changed = 0;
    const computed = rows.map((row) => {
      const key = `${row.plan}|${row.channel}|${row.severity}|${row.priority}`;
      let m = matched.get(key);
      if (!m) {
        const policy = matchPolicy(policies, row);
        m = { policy, calendar: this.calendar(policy.calendarId) };
        matched.set(key, m);
      }
      const { sla, stored, newBreaches } = recomputeClock(row, m.policy, m.calendar, tx.at);
      if (stored === null) return sla;
      changed++;
      for (const value of stored) batch.push(value);
      if (batch.length === STORE_BATCH_ROWS * STORED_WIDTH) {
        tx.sql(STORE_BATCH).run(batch);
        batch.length = 0;
      }
      for (const b of newBreaches) breaches.push({ row, ...b });
      return sla;
    });
    for (let i = 0; i < batch.length; i += STORED_WIDTH) tx.sql(STORE_ONE).run(batch.slice(i, i + STORED_WIDTH));
    for (const b of breaches) this.recordBreach(tx, b.row, b.metric, b.dueAt);
    return { computed, changed };
  }

  private recordBreach(tx: WriteTx, row: ClockRow, metric: SlaMetric, dueAt: number): void {
    const id = tx.id();
    // The ticket's key and tier are looked up only here: reading them for every recomputed ticket costs more.
    const { id: ticketId, tier } = tx.sql('SELECT id, tier FROM tickets WHERE rowid = ?').get(row.rowid) as { id: string; tier: Tier };
    const inserted = tx.sql(
      'INSERT OR IGNORE INTO sla_breaches (id, ticket_id, metric, due_at, recorded_at, tier, severity, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, ticketId, metric, dueAt, tx.at, tier, row.severity, row.channel);
    if (inserted.changes === 0) return;
    this.breachesRecorded++;
    tx.sql("INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, 'sla_breach', '', ?, NULL, ?)").run(
      tx.id(), ticketId, JSON.stringify({ metric, dueAt }), tx.at,
    );
    tx.audit('sla.breached', 'ticket', ticketId, { metric, dueAt });
    tx.outbox('sla_breach', id, 'insert', { ticketId, metric, dueAt });
  }

  /**
   * Catches up with the clock, one transaction of at most `step` tickets: records breaches that
   * became certain and auto-closes tickets waiting on the customer for longer than the configured
   * days. `more` says another call has work left. Safe to run any number of times.
   */
  sweep(
    closeTicket: (tx: WriteTx, ticketId: string, cause: string, solution: string) => void, step = SWEEP_STEP,
  ): { breaches: number; autoClosed: number; more: boolean } {
    const now = this.ws.now();
    return this.ws.write({ kind: 'system' }, (tx) => {
      const before = this.breachesRecorded;
      const due = readClocks(tx, DUE_CLOCKS, now, step);
      const { computed } = this.apply(tx, due);
      due.forEach((row, i) => this.warnAssignee(tx, row.rowid, computed[i]!));
      let more = due.length === step;
      let autoClosed = 0;
      const { autoClose } = this.config();
      if (autoClose.enabled && !more) {
        for (const row of readClocks(tx, WAITING_ON_CUSTOMER_SINCE_CLOCKS, now - autoClose.days * DAY_MS)) {
          const since = row.pauses.find((p) => p.to === null)?.from;
          if (since === undefined || now <= this.autoCloseDeadline(since, row)) continue;
          if (autoClosed === Math.min(step, AUTO_CLOSE_STEP)) {
            more = true;
            break;
          }
          const ticketId = tx.sql('SELECT id FROM tickets WHERE rowid = ?').pluck().get(row.rowid) as string;
          closeTicket(
            tx, ticketId, AUTO_CLOSE_CAUSE,
            `Cierre automático: el cliente no respondió en ${autoClose.days} días ${autoClose.unit === 'business' ? 'hábiles' : 'naturales'}.`,
          );
          autoClosed++;
        }
      }
      return { breaches: this.breachesRecorded - before, autoClosed, more };
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
  board(filters: BoardFilters, perColumn: number): {
    now: number;
    columns: Array<{ tier: Tier; count: number; cards: BoardCard[] }>;
  } {
    const now = this.ws.now();
    const { where, params } = boardConditions(filters, anyBlocked(this.ws));
    const conditions = where.join(' AND ');
    const countOf = this.ws.db.prepare(`SELECT COUNT(*) FROM tickets t WHERE ${conditions} AND t.tier = ?`).pluck();
    // Cards come in urgency order, so the limit keeps the most urgent ones and every
    // client shows the same order. Each band is a walk in that order, and stops at the limit:
    // overdue and running clocks are the two sides of `now` in ticket_sla_board, the paused and the
    // untimed are the (tier, status) ranges of tickets_tier_status in creation order.
    const bands = BOARD_BANDS.map((band) => this.ws.sql(`SELECT ${BOARD_CARD} ${band.from}
        CROSS JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id
      WHERE ${band.where} AND t.tier = @tier AND ${conditions} ORDER BY ${band.order} LIMIT @limit`));
    const policies = this.config().policies;
    const columns = TIERS.map((tier) => {
      const rows: BoardRow[] = [];
      for (const band of bands) {
        if (rows.length >= perColumn) break;
        rows.push(...(band.all(...params, { now, tier, limit: perColumn - rows.length }) as BoardRow[]));
      }
      const cards = rows.map(({ breached, breachAt, resolutionDueAt, policyId, ...card }) => ({
        ...card,
        ...slaAt({ breached, breachAt, warnAt: card.warnAt, resolutionDueAt, policyId, status: card.status }, now, policies),
      }));
      return { tier, count: countOf.get(...params, tier) as number, cards };
    });
    return { now, columns };
  }
}

/**
 * "Not closed" as the statuses it is: the column counts read their (tier, status) ranges; written
 * `status != 'closed'`, each count read every closed ticket of the tier too (~70 ms of the board's
 * CPU at 1M). Exported for the plan test.
 */
export const BOARD_NOT_CLOSED = `t.status IN (${STATUSES.filter((st) => st !== 'closed').map((st) => `'${st}'`).join(', ')})`;

export type BoardFilters = { severity: number[]; assigneeId?: string; category: string[] };

/** The board's filters as conditions on tickets `t` (open work; `hideBlocked`: a blocked customer's tickets, derechos ARCO, are off the board as off every list). */
export function boardConditions(filters: BoardFilters, hideBlocked: boolean): { where: string[]; params: unknown[] } {
  const where: string[] = [BOARD_NOT_CLOSED];
  if (hideBlocked) where.push(`t.rowid NOT IN (${HIDDEN_TICKET_ROWIDS})`);
  const params: unknown[] = [];
  const inList = (column: string, values: readonly unknown[]) => {
    if (values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  inList('t.severity', filters.severity);
  inList('t.category', filters.category);
  if (filters.assigneeId) inList('t.assignee_id', [filters.assigneeId]);
  return { where, params };
}

type BoardRow = Omit<BoardCard, 'slaState' | 'dueAt' | 'calendarId'> & {
  breached: number; breachAt: number | null; resolutionDueAt: number | null; policyId: string | null;
};

/** A card's place in the board's order: the first deadline missed, else the running deadline (the key of ticket_sla_board). */
const BOARD_KEY = 'coalesce(s.first_breach_due_at, s.breach_at, s.resolution_due_at)';
const BOARD_CARD = `t.id, t.tracking_number AS trackingNumber, c.name AS customerName, t.subject, t.severity, t.tier, t.category, t.status,
  t.waiting_on AS waitingOn, t.assignee_id AS assigneeId, u.full_name AS assigneeName, s.breached, s.breach_at AS breachAt, s.warn_at AS warnAt,
  s.resolution_due_at AS resolutionDueAt, s.policy_id AS policyId,
  CASE WHEN s.breached = 1 OR coalesce(s.breach_at, s.resolution_due_at) <= @now THEN s.first_breach_due_at END AS firstBreachDueAt`;
const BY_KEY = 'FROM ticket_sla s INDEXED BY ticket_sla_board CROSS JOIN tickets t ON t.rowid = s.ticket_rowid';
const BY_TIER = 'FROM tickets t INDEXED BY tickets_tier_status CROSS JOIN ticket_sla s ON s.ticket_rowid = t.rowid';
/**
 * The escalation board's urgency order, one walk per band: overdue cards first, the longest overdue
 * at the top (since the first deadline missed); then running clocks, least time left first; then
 * cards waiting on the customer (paused); then cards without a target. Ties keep creation order.
 * (Before 031 this was one ORDER BY over every open ticket of the column, with a MIN over
 * sla_breaches for each breached one.) Exported for the plan test.
 */
export const BOARD_BANDS = [
  { from: BY_KEY, where: `s.open = 1 AND ${BOARD_KEY} <= @now`, order: `${BOARD_KEY}, s.ticket_rowid` },
  { from: BY_KEY, where: `s.open = 1 AND ${BOARD_KEY} > @now AND t.status != 'waiting'`, order: `${BOARD_KEY}, s.ticket_rowid` },
  { from: BY_TIER, where: `t.status = 'waiting' AND (${BOARD_KEY} IS NULL OR ${BOARD_KEY} > @now)`, order: 't.rowid' },
  { from: BY_TIER, where: `t.status = 'open' AND ${BOARD_KEY} IS NULL`, order: 't.rowid' },
];

/**
 * The policies whose open tickets a configuration change can move, or null for every open ticket.
 * While the policies' order, matching and calendar ids stay as they were, each ticket keeps the
 * policy it matched (stored with its clocks), so only the tickets of a policy whose targets or
 * calendar changed need recomputing; a change of the auto-close rule or the template needs none.
 */
export function policiesToRecompute(before: SlaConfig, after: SlaConfig): string[] | null {
  const matching = (c: SlaConfig) => canonicalize([c.policies.map((p) => [p.id, p.match]), c.calendars.map((k) => k.id).sort()]);
  if (matching(before) !== matching(after)) return null;
  // What a policy's clocks depend on: its targets and its calendar (not its name).
  const clocks = (c: SlaConfig, { name: _name, ...p }: SlaPolicy) => canonicalize([p, c.calendars.find((k) => k.id === p.calendarId) ?? null]);
  const pairs = after.policies.map((p, i) => [before.policies[i]!, p] as const);
  pairs.push([FALLBACK_POLICY, FALLBACK_POLICY]);
  return pairs.filter(([old, now]) => clocks(before, old) !== clocks(after, now)).map(([, now]) => now.id);
}

/**
 * What a board card or a list row shows of a ticket's SLA at `now`, from its stored row: the live
 * state, the deadline its countdown runs to, and the calendar (its policy's) the countdown is
 * measured on. A closed ticket is met or breached.
 */
export function slaAt(
  t: { breached: number | null; breachAt: number | null; warnAt: number | null; resolutionDueAt: number | null; policyId: string | null; status: string },
  now: number, policies: readonly SlaPolicy[],
): { slaState: SlaState; dueAt: number | null; calendarId: string } {
  const breached = t.breached ?? 0;
  const slaState: SlaState = t.status === 'closed' ? (breached === 1 ? 'breached' : 'met') : liveState({ ...t, breached }, now);
  return {
    slaState,
    dueAt: t.status === 'closed' ? null : (t.breachAt ?? t.resolutionDueAt),
    calendarId: (policies.find((p) => p.id === t.policyId) ?? FALLBACK_POLICY).calendarId,
  };
}

/** The state at `now` from the stored moments, without recomputing the clocks. */
export function liveState(t: { breached: number; breachAt: number | null; warnAt: number | null; status: string }, now: number): SlaState {
  if (t.breached === 1 || (t.breachAt !== null && t.breachAt < now)) return 'breached';
  if (t.status === 'waiting') return 'paused';
  if (t.warnAt !== null && t.warnAt <= now) return 'warning';
  return t.breachAt === null ? 'none' : 'ok';
}

/**
 * One ticket's recompute at `at`: its computation, the row to store (null when unchanged) and the
 * breaches to record (those not recorded yet). Pure: the bulk demo generator runs the same step.
 */
export function recomputeClock(row: ClockRow, policy: SlaPolicy, calendar: CompiledCalendar, at: number): {
  sla: SlaComputation; stored: StoredSla | null; newBreaches: SlaComputation['breaches'];
} {
  const sla = computeSla(row, policy, calendar, at);
  const stored = storedSla(row, policy, sla);
  // Unchanged means no breach to record either: an unrecorded breach would change `recorded`.
  if (sameStored(stored, row.tuple)) return { sla, stored: null, newBreaches: [] };
  const recorded = row.tuple[STORED_RECORDED_AT];
  return { sla, stored, newBreaches: sla.breaches.filter((b) => (recorded & RECORDED_BIT[b.metric]) === 0) };
}

/** A ticket_sla row as START_CLOCK inserts it, before the first computation. */
export function unstoredSla(rowid: number): StoredSla {
  return [rowid, 1, null, null, null, null, null, null, 'none', 0, 0, null];
}

/**
 * The row stored for a computation. Once breached, a ticket stays marked breached; `recorded`
 * gains the clocks that breached now and loses the next-response bit when that clock has ended.
 */
function storedSla(row: ClockRow, policy: SlaPolicy, sla: SlaComputation): StoredSla {
  let firstResponse: number | null = null;
  let nextResponse: number | null = null;
  let resolution: number | null = null;
  for (const m of sla.metrics) {
    if (m.metric === 'first_response') firstResponse = m.dueAt;
    else if (m.metric === 'next_response') nextResponse = m.dueAt;
    else resolution = m.dueAt;
  }
  let recorded = row.tuple[STORED_RECORDED_AT];
  // The breaches recorded now (recomputeClock's newBreaches) may move the first one earlier.
  let firstBreach = row.tuple[STORED_FIRST_BREACH_AT];
  for (const b of sla.breaches) {
    if ((recorded & RECORDED_BIT[b.metric]) === 0 && (firstBreach === null || b.dueAt < firstBreach)) firstBreach = b.dueAt;
  }
  if (nextResponse === null) recorded &= ~RECORDED_BIT.next_response;
  for (const b of sla.breaches) recorded |= RECORDED_BIT[b.metric];
  const breached = sla.breaches.length > 0 || row.tuple[STORED_BREACHED_AT] === 1 ? 1 : 0;
  return [
    row.rowid, row.closedAt === null ? 1 : 0, policy.id, firstResponse, nextResponse, resolution, sla.nextWarnAt, sla.nextBreachAt,
    sla.state, breached, recorded, firstBreach,
  ];
}

function sameStored(next: StoredSla, read: ClockTuple): boolean {
  for (let i = 0; i < next.length; i++) if (next[i] !== read[STORED_AT + i]) return false;
  return true;
}

export type { BusinessCalendar };
