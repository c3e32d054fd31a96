/**
 * The demo generator's bulk path: the ticket commands' writes, computed in memory and written in
 * big batches. Per action, the core commands read the ticket back (a join), read the audit head,
 * read the SLA clock row, and run a dozen single-row statements; here the ticket's state, the audit
 * chain's tip, the HLC and the SLA clock stay in memory, the pure pieces the commands use do the
 * arithmetic (`recomputeClock`, `entryHash`, `tickHlc`, `defaultNotice`, `slaValues`), and
 * rows go out through prepared multi-row INSERTs, one transaction per batch of actions.
 *
 * A ticket's row (and its ticket_sla row) is written once, when its plan is done, with the rowid
 * the commands would have given it at creation; every other row keeps the commands' order and
 * rowids. test/unit/cli/demo-bulk.test.ts generates a workspace both ways and compares them table
 * by table: keep every method here in step with its command in core/tickets.ts.
 */
import type Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { randomFillSync } from 'node:crypto';
import type { Pause } from '../shared/calendar';
import { TIER_ROLE, TIERS, tierIndex, type Role, type Tier, type WaitingOn } from '../shared/domain';
import { decodeHlc, encodeHlc, tickHlc, type Hlc } from '../shared/hlc';
import { matchPolicy, type SlaComputation, type SlaConfig, type SlaPolicy } from '../shared/sla';
import { entryHash, GENESIS_HASH } from '../core/audit';
import { deviceNumber, idKey } from '../core/audit-store';
import { recomputeClock, unstoredSla, type ClockRow, type SlaEngine, type StoredSla } from '../core/sla';
import { formatTrackingNumber, PRIORITY_RANK } from '../core/tickets';
import { defaultNotice, hoursLeft, slaValues } from '../core/mail/templates';
import { storedPayload } from '../core/sync/outbox-payload';
import { compactPayload, type Workspace } from '../core/workspace';
import type { DemoTicketInput, DemoTicketWriter } from './demo-data';

/**
 * UUIDv7 (RFC 9562) like the uuid package's, from a pooled random buffer: the package fills 16
 * random bytes per id, a system call each, which was an eighth of the bulk generator's time.
 * Monotonic within a millisecond (the 12-bit rand_a field counts up), like the package's.
 */
const ids = {
  pool: Buffer.alloc(16 * 4096),
  at: 16 * 4096,
  lastMs: -1,
  counter: 0,
};
export function uuidv7(): string {
  if (ids.at === ids.pool.length) {
    randomFillSync(ids.pool);
    ids.at = 0;
  }
  const r = ids.pool;
  const o = ids.at;
  ids.at += 16;
  const ms = Date.now();
  if (ms > ids.lastMs) {
    ids.lastMs = ms;
    ids.counter = ((r[o]! << 8) | r[o + 1]!) & 0x7ff;
  } else if (++ids.counter > 0xfff) {
    ids.lastMs++;
    ids.counter = 0;
  }
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const rest = r.toString('hex', o + 2, o + 16);
  return `${hex(Math.floor(ids.lastMs / 0x10000), 8)}-${hex(ids.lastMs % 0x10000, 4)}-7${hex(ids.counter, 3)}-${((r[o + 2]! & 0x3f) | 0x80).toString(16)}${rest.slice(2, 4)}-${rest.slice(4, 16)}`;
}

/** Rows of one table, bound `perStatement` at a time to one multi-row INSERT. */
class RowBuffer {
  private readonly values: unknown[] = [];
  private readonly width: number;
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;

  constructor(db: Database.Database, table: string, columns: readonly string[], private readonly perStatement = 64) {
    this.width = columns.length;
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.one = db.prepare(head + row);
    this.many = db.prepare(head + Array(perStatement).fill(row).join(', '));
  }

  push(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
    if (this.values.length === this.width * this.perStatement) {
      this.many.run(this.values);
      this.values.length = 0;
    }
  }

  flush(): void {
    for (let i = 0; i < this.values.length; i += this.width) this.one.run(this.values.slice(i, i + this.width));
    this.values.length = 0;
  }
}

interface CustomerFacts {
  plan: string;
  email: string;
  rfc: string;
  name: string;
}

/** A ticket while its plan runs: the row the commands would have stored by now. */
interface LiveTicket {
  rowid: number;
  id: string;
  trackingNumber: string;
  customerId: string;
  customer: CustomerFacts;
  input: DemoTicketInput;
  severity: number;
  tier: Tier;
  status: 'open' | 'waiting' | 'closed';
  waitingOn: WaitingOn | null;
  assigneeId: string | null;
  createdBy: string;
  closeCause: string | null;
  closeSolution: string | null;
  closedAt: number | null;
  lastCustomerMessageAt: number;
  createdAt: number;
  updatedAt: number;
  firstResponseAt: number | null;
  awaitingResponseSince: number | null;
  pauses: Pause[];
  stored: StoredSla;
  /** (metric, due moment) pairs in sla_breaches: its UNIQUE key. */
  breaches: Set<string>;
  /** Its unsent outbox updates, compacted as Workspace.appendOutbox does; written when it settles. */
  updates: PendingUpdate[];
}

interface PendingUpdate {
  seq: number;
  id: string;
  hlc: string;
  at: number;
  actorId: string;
  payload: Record<string, unknown>;
}

/** The tables the bulk path writes: their secondary indexes are built once at the end instead of row by row. */
const BULK_TABLES = ['tickets', 'ticket_events', 'audit_chain', 'outbox', 'notifications', 'sla_breaches', 'ticket_sla', 'user_notifications'];

/** Outbox rows kept waiting for their turn at most (~100 MB); beyond it they are written out of order. */
const OUTBOX_PENDING_MAX = 300_000;

const TICKET_COLUMNS = [
  'rowid', 'id', 'tracking_number', 'customer_id', 'channel', 'request_type', 'support_type', 'category', 'priority', 'priority_rank',
  'severity', 'tier', 'status', 'waiting_on', 'subject', 'description', 'assignee_id', 'created_by', 'linked_ticket_id', 'close_cause',
  'close_solution', 'closed_at', 'last_customer_message_at', 'created_at', 'updated_at', 'first_response_at', 'awaiting_response_since', 'pauses',
];

const TIER_NAMES: Record<Tier, string> = { service_desk: 'Mesa de Servicio', operations: 'Operación', development: 'Desarrollo' };

export class BulkTicketWriter implements DemoTicketWriter {
  private readonly db: Database.Database;
  private readonly deviceId: string;
  private readonly branch: string;
  private readonly timeZone: string;
  private readonly live = new Map<string, LiveTicket>();
  private readonly customers = new Map<string, CustomerFacts>();
  private readonly staffNames = new Map<string, string>();
  /** Active users with their roles, in the order core's usersWithRole reads them (rowid). */
  private readonly staff: Array<{ id: string; roles: Role[] }> = [];
  /** (recipient, once-key) pairs written to user_notifications: its partial UNIQUE key. */
  private readonly notifiedOnce = new Set<string>();
  private readonly policies = new Map<string, SlaPolicy>();
  /** The SLA configuration cannot change during a generation: read once. */
  private readonly config: SlaConfig;
  private readonly saveSetting: Database.Statement;
  private readonly saveSequence: Database.Statement;
  private trackingSeq: number;
  private ticketRowid: number;
  private eventRowid: number;
  private outboxSeq: number;
  private auditSeq: number;
  private auditHash: string;
  private readonly auditDevice: number;
  private hlc: Hlc;
  /** The CREATE INDEX statements dropped for the load, run again by `end()`. */
  private readonly droppedIndexes: string[] = [];
  private readonly rows: Record<
    'tickets' | 'ticketFts' | 'events' | 'eventFts' | 'notifications' | 'breaches' | 'sla' | 'audit' | 'outbox' | 'userNotifications', RowBuffer
  >;
  /**
   * Outbox rows not yet written, each led by its seq. A ticket's updates get their seqs when they
   * happen but are written when it settles (they may still be compacted), so rows arrive out of
   * seq order; inserted out of order they cost a B-tree descent and a page split in the middle of
   * the table and of its id index each (the outbox was half of the load's SQLite time and its
   * pages a fifth empty). They wait here and go out in seq order below the oldest pending update.
   */
  private outboxPending: unknown[][] = [];

  constructor(ws: Workspace, private readonly sla: SlaEngine) {
    const db = (this.db = ws.db);
    this.deviceId = ws.deviceId;
    const value = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params);
    this.branch = value('SELECT code FROM branch LIMIT 1') as string;
    this.timeZone = value('SELECT time_zone FROM branch LIMIT 1') as string;
    this.trackingSeq = (value('SELECT value FROM sequences WHERE name = ?', `ticket.${this.branch}`) as number | undefined) ?? 0;
    this.ticketRowid = (value('SELECT COALESCE(MAX(rowid), 0) FROM tickets') as number);
    this.eventRowid = (value('SELECT COALESCE(MAX(rowid), 0) FROM ticket_events') as number);
    this.outboxSeq = (value('SELECT COALESCE(MAX(seq), 0) FROM outbox') as number);
    const head = value('SELECT value FROM settings WHERE key = ?', `audit.head.${this.deviceId}`) as string | undefined;
    const [headSeq, headHash] = head ? head.split(':') : ['0', GENESIS_HASH];
    this.auditSeq = Math.max(Number(headSeq), value('SELECT COALESCE(MAX(seq), 0) FROM audit_chain') as number);
    this.auditDevice = db.transaction(() => deviceNumber(db, this.deviceId))();
    this.auditHash = headHash!;
    const lastHlc = value('SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1') as string | undefined;
    this.hlc = lastHlc ? decodeHlc(lastHlc) : { wallMs: 0, counter: 0, deviceId: this.deviceId };
    for (const c of db.prepare('SELECT id, plan, registered_email AS email, rfc, name FROM customers').all() as Array<CustomerFacts & { id: string }>) {
      this.customers.set(c.id, c);
    }
    for (const u of db.prepare('SELECT id, full_name AS name, roles FROM users WHERE active = 1 ORDER BY rowid').all() as Array<{ id: string; name: string; roles: string }>) {
      this.staffNames.set(u.id, u.name);
      this.staff.push({ id: u.id, roles: JSON.parse(u.roles) as Role[] });
    }
    this.config = sla.config();
    this.saveSetting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.saveSequence = db.prepare('INSERT INTO sequences (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
    this.rows = {
      tickets: new RowBuffer(db, 'tickets', TICKET_COLUMNS, 32),
      ticketFts: new RowBuffer(db, 'ticket_fts', ['rowid', 'tracking_number', 'subject', 'description', 'rfc', 'customer_name']),
      events: new RowBuffer(db, 'ticket_events', ['rowid', 'id', 'ticket_id', 'kind', 'body', 'data', 'actor_id', 'created_at']),
      eventFts: new RowBuffer(db, 'event_fts', ['rowid', 'body']),
      notifications: new RowBuffer(db, 'notifications', ['id', 'ticket_id', 'kind', 'recipient', 'subject', 'body', 'created_at']),
      breaches: new RowBuffer(db, 'sla_breaches', ['id', 'ticket_id', 'metric', 'due_at', 'recorded_at', 'tier', 'severity', 'channel']),
      sla: new RowBuffer(db, 'ticket_sla', ['ticket_rowid', 'open', 'policy_id', 'first_response_due_at', 'next_response_due_at',
        'resolution_due_at', 'warn_at', 'breach_at', 'state', 'breached', 'recorded', 'first_breach_due_at']),
      audit: new RowBuffer(db, 'audit_chain', ['seq', 'id', 'device', 'at', 'actor_id', 'actor_kind', 'action', 'entity', 'entity_id', 'data', 'hash']),
      outbox: new RowBuffer(db, 'outbox', ['seq', 'id', 'hlc', 'device_id', 'entity', 'entity_id', 'op', 'payload', 'created_at', 'actor_id', 'actor_kind']),
      userNotifications: new RowBuffer(db, 'user_notifications', ['id', 'recipient_id', 'kind', 'entity', 'entity_id', 'folio', 'title', 'data',
        'actor_id', 'once_key', 'created_at']),
    };
  }

  /**
   * One transaction per batch. Foreign keys are off for the bulk connection: a ticket's events
   * are written before its row (which waits for the end of its plan); the test checks
   * `foreign_key_check` afterwards.
   */
  batch(fn: () => void): void {
    this.db.pragma('foreign_keys = OFF');
    this.db.transaction(() => {
      fn();
      this.writeOutbox(false);
      for (const buffer of Object.values(this.rows)) buffer.flush();
      this.saveSetting.run(`audit.head.${this.deviceId}`, `${this.auditSeq}:${this.auditHash}`);
      this.saveSequence.run(`ticket.${this.branch}`, this.trackingSeq);
    }).immediate();
  }

  /**
   * Drops the secondary indexes of the tables it writes (not the UNIQUE/PRIMARY KEY ones, which
   * SQLite keeps with the table): inserting into eight or nine B-trees per row cost more than the
   * rows, and building an index from sorted keys once is several times cheaper. `end()` builds
   * them again; until then the workspace must not be used.
   */
  dropIndexes(): void {
    const indexes = this.db.prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')})`,
    ).all(...BULK_TABLES) as Array<{ name: string; sql: string }>;
    this.db.transaction(() => {
      for (const index of indexes) {
        this.db.exec(`DROP INDEX "${index.name}"`);
        this.droppedIndexes.push(index.sql);
      }
    })();
  }

  /** Writes the tickets still running (a generation cut short by `endAt`). */
  finish(): void {
    if (this.live.size > 0) this.batch(() => { for (const id of [...this.live.keys()]) this.settle(id); });
    if (this.outboxPending.length > 0) this.batch(() => this.writeOutbox(true));
  }

  /**
   * Writes the pending outbox rows, in seq order, that no running ticket's update can precede
   * (all of them when `all`, or when so many wait that memory matters more than order).
   */
  private writeOutbox(all: boolean): void {
    let below = Infinity;
    if (!all && this.outboxPending.length < OUTBOX_PENDING_MAX) {
      for (const t of this.live.values()) if (t.updates.length > 0 && t.updates[0]!.seq < below) below = t.updates[0]!.seq;
    }
    const pending = this.outboxPending.sort((a, b) => (a[0] as number) - (b[0] as number));
    let n = 0;
    while (n < pending.length && (pending[n]![0] as number) < below) this.rows.outbox.push(...pending[n++]!);
    this.outboxPending = n === pending.length ? [] : pending.slice(n);
  }

  /** Builds the dropped indexes again and restores foreign keys (also after a failure). */
  end(): void {
    this.db.transaction(() => {
      for (const sql of this.droppedIndexes.splice(0)) this.db.exec(sql);
    })();
    this.db.pragma('foreign_keys = ON');
  }

  create(at: number, actorId: string, input: DemoTicketInput): string {
    const customer = this.customers.get(input.customerId);
    if (!customer) throw new Error(`unknown customer ${input.customerId}`);
    const trackingNumber = formatTrackingNumber(this.branch, ++this.trackingSeq);
    const rowid = ++this.ticketRowid;
    const tier: Tier = 'service_desk';
    const t: LiveTicket = {
      rowid, id: uuidv7(), trackingNumber, customerId: input.customerId, customer, input, severity: input.severity, tier, status: 'open',
      waitingOn: null, assigneeId: null, createdBy: actorId, closeCause: null, closeSolution: null, closedAt: null, lastCustomerMessageAt: at,
      createdAt: at, updatedAt: at, firstResponseAt: null, awaitingResponseSince: null, pauses: [], stored: unstoredSla(rowid), breaches: new Set(), updates: [],
    };
    this.live.set(t.id, t);
    this.rows.ticketFts.push(rowid, trackingNumber, input.subject, input.description, customer.rfc, customer.name);
    const record = {
      trackingNumber, customerId: input.customerId, channel: input.channel, requestType: input.requestType, supportType: input.supportType,
      category: input.category, priority: input.priority, severity: input.severity, tier, status: 'open', subject: input.subject,
      linkedTicketId: null,
    };
    this.addEvent(t, at, actorId, 'created', '', { severity: input.severity, tier });
    this.audit(at, actorId, 'ticket.created', t.id, { ...record, attachments: [] });
    this.outbox(at, actorId, 'ticket', t.id, 'insert', { ...record, description: input.description });
    const sla = this.recompute(t, at, actorId);
    const ack = defaultNotice('acknowledged', { ...this.noticeValues(t, actorId), ...slaValues(sla, this.timeZone, 'es-MX') });
    this.notify(t, at, actorId, 'acknowledged', ack.subject, ack.body);
    return t.id;
  }

  assign(at: number, actorId: string, ticketId: string, assigneeId: string): void {
    const t = this.open(ticketId);
    const assigneeName = this.staffNames.get(assigneeId);
    if (!assigneeName) throw new Error(`no active user ${assigneeId}`);
    if (t.assigneeId === assigneeId) return;
    const from = t.assigneeId;
    t.assigneeId = assigneeId;
    t.updatedAt = at;
    this.addEvent(t, at, actorId, 'assignment', '', { from, to: assigneeId, assigneeName });
    this.audit(at, actorId, 'ticket.assigned', t.id, { from, to: assigneeId });
    this.update(t, at, actorId, { assigneeId });
    this.notifyUser(t, at, actorId, assigneeId, 'assigned', {});
  }

  escalate(at: number, actorId: string, ticketId: string, toTier: Tier, reason: string): void {
    const t = this.open(ticketId);
    if (tierIndex(toTier) !== tierIndex(t.tier) + 1) throw new Error(`cannot escalate ${t.tier} to ${toTier}`);
    const from = t.tier;
    t.tier = toTier;
    t.assigneeId = null;
    t.updatedAt = at;
    const sla = this.recompute(t, at, actorId);
    const hours = hoursLeft(sla);
    const notice = defaultNotice('escalated', {
      ...this.noticeValues(t, actorId), area: TIER_NAMES[toTier], horas: String(hours), fecha_resolucion: slaValues(sla, this.timeZone, 'es-MX').fecha_resolucion ?? null,
    }, this.config.escalationTemplate);
    const data = { from, to: toTier, reason, severityFrom: t.severity, severityTo: t.severity, expectedResponseHours: hours, customerNotice: notice.body };
    this.notify(t, at, actorId, 'escalated', notice.subject, notice.body);
    this.addEvent(t, at, actorId, 'escalated', reason, data);
    this.audit(at, actorId, 'ticket.escalated', t.id, data);
    this.update(t, at, actorId, { tier: toTier, severity: t.severity, assigneeId: null });
    this.notifyTier(t, at, actorId, toTier, 'up');
  }

  handBack(at: number, actorId: string, ticketId: string, cause: string, solution: string): void {
    const t = this.open(ticketId);
    const index = tierIndex(t.tier);
    if (index === 0) throw new Error('already at the service desk');
    const from = t.tier;
    t.tier = TIERS[index - 1]!;
    t.assigneeId = null;
    t.updatedAt = at;
    const data = { from, to: t.tier, cause, solution };
    this.addEvent(t, at, actorId, 'handed_back', `${cause}\n${solution}`, data);
    this.audit(at, actorId, 'ticket.handedBack', t.id, data);
    this.update(t, at, actorId, { tier: t.tier, assigneeId: null });
    this.notifyTier(t, at, actorId, t.tier, 'down');
    this.recompute(t, at, actorId);
  }

  message(at: number, actorId: string, ticketId: string, kind: 'reply' | 'note', body: string): void {
    const t = this.open(ticketId);
    const eventId = this.addEvent(t, at, actorId, kind, body, {});
    this.touch(t, at, actorId);
    if (kind === 'reply') this.responded(t, at);
    this.audit(at, actorId, `ticket.${kind}`, t.id, { eventId, attachments: [] });
    if (kind === 'reply') {
      const notice = defaultNotice('reply', { ...this.noticeValues(t, actorId), respuesta: body });
      this.notify(t, at, actorId, 'reply', notice.subject, notice.body);
    }
    this.recompute(t, at, actorId);
  }

  customerMessage(at: number, actorId: string, ticketId: string, body: string): void {
    const t = this.open(ticketId);
    if (t.status === 'waiting' && t.waitingOn === 'customer') this.changeStatus(t, at, actorId, 'open', null, { reason: 'customer_replied' });
    const eventId = this.addEvent(t, at, actorId, 'customer_message', body, {});
    t.lastCustomerMessageAt = at;
    t.updatedAt = at;
    t.awaitingResponseSince = t.firstResponseAt !== null ? (t.awaitingResponseSince ?? at) : null;
    this.update(t, at, actorId, { lastCustomerMessageAt: at });
    this.audit(at, actorId, 'ticket.customerMessage', t.id, { eventId, attachments: [] });
    if (t.assigneeId) this.notifyUser(t, at, actorId, t.assigneeId, 'customer_message', {});
    this.recompute(t, at, actorId);
  }

  contactAttempt(at: number, actorId: string, input: { ticketId: string; method: 'phone' | 'email'; reached: boolean; body: string }): void {
    const t = this.open(input.ticketId);
    const eventId = this.addEvent(t, at, actorId, 'contact_attempt', input.body, { method: input.method, reached: input.reached });
    this.touch(t, at, actorId);
    if (input.reached) this.responded(t, at);
    this.audit(at, actorId, 'ticket.contactAttempt', t.id, { eventId, method: input.method, reached: input.reached });
    this.recompute(t, at, actorId);
  }

  setStatus(at: number, actorId: string, ticketId: string, status: 'open' | 'waiting', waitingOn: WaitingOn | null): void {
    const t = this.open(ticketId);
    const on = status === 'waiting' ? waitingOn : null;
    if (t.status === status && t.waitingOn === on) throw new Error('same status');
    this.changeStatus(t, at, actorId, status, on, {});
    this.recompute(t, at, actorId);
  }

  close(at: number, actorId: string, ticketId: string, cause: string, solution: string): void {
    const t = this.open(ticketId);
    const from = t.status;
    const fromWaitingOn = t.waitingOn;
    closePause(t, at);
    Object.assign(t, { status: 'closed', waitingOn: null, closeCause: cause, closeSolution: solution, closedAt: at, awaitingResponseSince: null, updatedAt: at });
    this.addEvent(t, at, actorId, 'closed', '', { from, waitingOn: fromWaitingOn, cause, solution, automatic: false });
    this.audit(at, actorId, 'ticket.closed', t.id, { from, cause, solution });
    this.update(t, at, actorId, { status: 'closed', waitingOn: null, closeCause: cause, closeSolution: solution, closedAt: at });
    const notice = defaultNotice('closed', { ...this.noticeValues(t, actorId), causa: cause, solucion: solution });
    this.notify(t, at, actorId, 'closed', notice.subject, notice.body);
    this.recompute(t, at, actorId);
  }

  /** The ticket's plan is done: its row and its SLA row are final, write them. */
  settle(ticketId: string): void {
    const t = this.live.get(ticketId);
    if (!t) return;
    this.live.delete(ticketId);
    const i = t.input;
    this.rows.tickets.push(
      t.rowid, t.id, t.trackingNumber, t.customerId, i.channel, i.requestType, i.supportType, i.category, i.priority, PRIORITY_RANK[i.priority],
      t.severity, t.tier, t.status, t.waitingOn, i.subject, i.description, t.assigneeId, t.createdBy, null, t.closeCause, t.closeSolution,
      t.closedAt, t.lastCustomerMessageAt, t.createdAt, t.updatedAt, t.firstResponseAt, t.awaitingResponseSince, JSON.stringify(t.pauses),
    );
    this.rows.sla.push(...t.stored);
    for (const u of t.updates) {
      this.outboxPending.push([u.seq, u.id, u.hlc, this.deviceId, 'ticket', t.id, 'update', JSON.stringify(u.payload), u.at, u.actorId, 'user']);
    }
  }

  // -------------------------------------------------------------------------------------------
  // The commands' shared steps (Tickets.addEvent, touch, responded, changeStatus, notifyCustomer,
  // SlaEngine.recompute/recordBreach, AuditWriter.append, Workspace.appendOutbox)

  private open(ticketId: string): LiveTicket {
    const t = this.live.get(ticketId);
    if (!t) throw new Error(`ticket ${ticketId} is not running in this generation`);
    if (t.status === 'closed') throw new Error(`ticket ${t.trackingNumber} is closed`);
    return t;
  }

  private addEvent(t: LiveTicket, at: number, actorId: string, kind: string, body: string, data: Record<string, unknown>): string {
    const id = uuidv7();
    const rowid = ++this.eventRowid;
    this.rows.events.push(rowid, id, t.id, kind, body, JSON.stringify(data), actorId, at);
    if (body) this.rows.eventFts.push(rowid, body);
    this.outbox(at, actorId, 'ticket_event', id, 'insert', { ticketId: t.id, kind, body, data });
    return id;
  }

  private touch(t: LiveTicket, at: number, actorId: string): void {
    t.updatedAt = at;
    this.update(t, at, actorId, { updatedAt: at });
  }

  private responded(t: LiveTicket, at: number): void {
    t.firstResponseAt ??= at;
    t.awaitingResponseSince = null;
  }

  private changeStatus(t: LiveTicket, at: number, actorId: string, to: 'open' | 'waiting', waitingOn: WaitingOn | null, extra: Record<string, unknown>): void {
    const from = t.status;
    const fromWaitingOn = t.waitingOn;
    if (to === 'waiting') {
      if (!t.pauses.some((p) => p.to === null)) t.pauses.push({ from: at, to: null });
    } else closePause(t, at);
    t.status = to;
    t.waitingOn = waitingOn;
    t.updatedAt = at;
    const data = { from, fromWaitingOn, to, waitingOn, ...extra };
    this.addEvent(t, at, actorId, 'status_change', '', data);
    this.audit(at, actorId, 'ticket.statusChanged', t.id, data);
    this.update(t, at, actorId, { status: to, waitingOn });
  }

  /** notifications/notify.ts for one recipient: never the actor; a once-key only once per recipient. */
  private notifyUser(t: LiveTicket, at: number, actorId: string, recipient: string, kind: string, data: Record<string, string>, onceKey: string | null = null): void {
    if (recipient === actorId || !this.staffNames.has(recipient)) return;
    if (onceKey !== null) {
      const key = `${recipient}|${onceKey}`;
      if (this.notifiedOnce.has(key)) return;
      this.notifiedOnce.add(key);
    }
    this.rows.userNotifications.push(uuidv7(), recipient, kind, 'ticket', t.id, t.trackingNumber, t.input.subject, JSON.stringify(data), actorId, onceKey, at);
  }

  /** Tickets.notifyTier: everyone working the tier reached. */
  private notifyTier(t: LiveTicket, at: number, actorId: string, tier: Tier, direction: 'up' | 'down'): void {
    for (const u of this.staff) if (u.roles.includes(TIER_ROLE[tier])) this.notifyUser(t, at, actorId, u.id, 'escalated', { tier, direction });
  }

  /** Tickets.noticeValues: the common placeholders of a customer notice. */
  private noticeValues(t: LiveTicket, actorId: string): Record<string, string | null> {
    const agente = this.staffNames.get(actorId) ?? (t.assigneeId ? this.staffNames.get(t.assigneeId) ?? null : null);
    return { folio: t.trackingNumber, asunto: t.input.subject, cliente: t.customer.name, agente };
  }

  private notify(t: LiveTicket, at: number, actorId: string, kind: string, subject: string, body: string): void {
    const id = uuidv7();
    this.rows.notifications.push(id, t.id, kind, t.customer.email, subject, body, at);
    this.outbox(at, actorId, 'notification', id, 'insert', { ticketId: t.id, kind, recipient: t.customer.email, subject, body });
  }

  private recompute(t: LiveTicket, at: number, actorId: string): SlaComputation {
    const i = t.input;
    const row: ClockRow = {
      rowid: t.rowid, plan: t.customer.plan, channel: i.channel, severity: t.severity, priority: i.priority, createdAt: t.createdAt,
      firstResponseAt: t.firstResponseAt, awaitingResponseSince: t.awaitingResponseSince, pauses: t.pauses, closedAt: t.closedAt,
      tuple: [t.customer.plan, i.channel, t.severity, i.priority, t.createdAt, t.firstResponseAt, t.awaitingResponseSince, null, t.closedAt, ...t.stored],
    };
    const key = `${row.plan}|${row.channel}|${row.severity}|${row.priority}`;
    let policy = this.policies.get(key);
    if (!policy) this.policies.set(key, (policy = matchPolicy(this.config.policies, row)));
    const { sla, stored, newBreaches } = recomputeClock(row, policy, this.sla.calendar(policy.calendarId), at);
    if (stored) t.stored = stored;
    for (const b of newBreaches) {
      const unique = `${b.metric}|${b.dueAt}`;
      if (t.breaches.has(unique)) continue;
      t.breaches.add(unique);
      const id = uuidv7();
      this.rows.breaches.push(id, t.id, b.metric, b.dueAt, at, t.tier, t.severity, i.channel);
      this.rows.events.push(++this.eventRowid, uuidv7(), t.id, 'sla_breach', '', JSON.stringify({ metric: b.metric, dueAt: b.dueAt }), null, at);
      this.audit(at, actorId, 'sla.breached', t.id, { metric: b.metric, dueAt: b.dueAt });
      this.outbox(at, actorId, 'sla_breach', id, 'insert', { ticketId: t.id, metric: b.metric, dueAt: b.dueAt });
    }
    // SlaEngine.warnAssignee: a ticket about to breach tells its assignee, once per clock.
    if (sla.state === 'warning' && t.assigneeId) {
      for (const m of sla.metrics) {
        if (m.stoppedAt !== null || m.warnAt === null || m.warnAt > at || m.dueAt === null || m.dueAt < at) continue;
        this.notifyUser(t, at, actorId, t.assigneeId, 'sla_warning', { metric: m.metric }, `sla_warning:${t.id}:${m.metric}:${m.startedAt}`);
      }
    }
    return sla;
  }

  private audit(at: number, actorId: string, action: string, ticketId: string, data: unknown): void {
    const entry = {
      seq: ++this.auditSeq, id: uuidv7(), deviceId: this.deviceId, at, actorId, actorKind: 'user', action, entity: 'ticket', entityId: ticketId,
      data: canonicalize(data) ?? '{}',
    };
    const hash = entryHash(this.auditHash, entry);
    // The stored form (audit-store.ts): ids as 16 bytes, the device's number, the hash as 32 bytes, no prev_hash.
    this.rows.audit.push(entry.seq, idKey(entry.id), this.auditDevice, at, idKey(actorId), 'user', action, 'ticket', idKey(ticketId), entry.data,
      Buffer.from(hash, 'hex'));
    this.auditHash = hash;
  }

  /** A ticket's outbox update, compacting its earlier unsent ones (see Workspace.appendOutbox). */
  private update(t: LiveTicket, at: number, actorId: string, payload: Record<string, unknown>): void {
    this.hlc = tickHlc(this.hlc, at);
    const fields = Object.keys(payload);
    t.updates = t.updates.filter((u) => {
      const kept = compactPayload(u.payload, fields);
      if (kept !== null) u.payload = kept;
      return kept !== null;
    });
    t.updates.push({ seq: ++this.outboxSeq, id: uuidv7(), hlc: encodeHlc(this.hlc), at, actorId, payload });
  }

  private outbox(at: number, actorId: string, entity: string, entityId: string, op: 'insert', payload: unknown): void {
    this.hlc = tickHlc(this.hlc, at);
    this.outboxPending.push([++this.outboxSeq, uuidv7(), encodeHlc(this.hlc), this.deviceId, entity, entityId, op, storedPayload(entity, op, payload), at, actorId, 'user']);
  }
}

function closePause(t: LiveTicket, at: number): void {
  const open = t.pauses.find((p) => p.to === null);
  if (open) open.to = at;
}
