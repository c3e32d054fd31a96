/**
 * The bulk half of applying a pulled page during a first sync (issue 11 benchmark: ≥ 50,000 rows
 * a second into an empty branch). A first sync is mostly new customers, tickets and timeline
 * entries: instead of a lookup, an insert and an index entry per change, each statement at a time,
 * the page's new rows are gathered — a ticket and the touches after it folded into the one row it
 * ends as — and written a table at a time with multi-row INSERTs, their search rows copied from
 * them by one INSERT … SELECT each, and the SLA clocks of the page's tickets computed together at
 * the page's end (apply.ts). Pulled rows are not local mutations: no history, no outbox.
 *
 * What the change-at-a-time path does with a change, this does too, or it does not take the
 * change: anything else — a row already here, a customer whose RFC another customer here holds, a
 * row with a local change not yet pushed, users, settings, requests, files — is handed to that path
 * (`delegate`) after the rows gathered so far are written, so the page is applied in the same order
 * either way (test/unit/core/sync-first-bulk.test.ts compares the two on the same pages).
 */
import type { PulledChange } from '../../shared/sync/protocol';
import type { WriteTx } from '../workspace';
import { columnValue, CUSTOMER_COLUMNS, PRIORITY_RANK, TICKET_COLUMNS } from './columns';
import { isGenericRfc } from '../../shared/rfc';

/** Rows per multi-row INSERT: a statement's fixed cost spread thin, well under SQLite's bound variables. */
const ROWS_PER_INSERT = 64;

type Row = Map<string, unknown>;
type Table = 'customers' | 'tickets' | 'ticket_events';

interface Gathered {
  customers: Map<string, { row: Row; contacts: ContactIn[] | undefined }>;
  tickets: Map<string, Row>;
  events: Map<string, Row>;
}

interface ContactIn {
  id?: string;
  name: string;
  email?: string;
  phone?: string;
  isLegalRepresentative?: boolean;
}

const EVENT_COLUMNS = ['id', 'ticket_id', 'kind', 'body', 'data', 'actor_id', 'created_at'];
const CONTACT_COLUMNS = ['id', 'customer_id', 'name', 'email', 'phone', 'is_legal_representative', 'position'];

/** Entities the bulk path takes (when new here); every other change goes through the change-at-a-time path. */
const BULK_ENTITIES = new Set(['customer', 'ticket', 'ticket_event']);

export class BulkPage {
  private g: Gathered = { customers: new Map(), tickets: new Map(), events: new Map() };
  /** Which of the page's ids are in the workspace already, per table (read once, again after a delegated change). */
  private here = new Map<string, Set<string>>();
  /** RFCs of the page's customers that a customer here holds. */
  private rfcsHere: Set<string> | null = null;
  private users: Set<string> | null = null;
  /** Rows with a local change not yet pushed: their pending fields keep the local value, which the change-at-a-time path knows how to do. */
  private readonly pending: Set<string>;
  /** The page's ids per table: as a set, and as the JSON array the look-ups read. */
  private readonly ids: Record<Table, { set: Set<string>; json: string }>;
  private readonly rfcs: string;

  constructor(
    private readonly tx: WriteTx,
    changes: readonly PulledChange[],
    /** The change-at-a-time path for one change (apply.ts applyOne). */
    private readonly delegate: (c: PulledChange) => boolean,
    /** The page's SLA work: a new ticket's clocks are started at the page's end. */
    private readonly clocks: Map<string, 'start' | 'recompute'>,
  ) {
    const of = (entity: string) => {
      const set = new Set(changes.filter((c) => c.entity === entity).map((c) => c.entityId));
      return { set, json: JSON.stringify([...set]) };
    };
    this.ids = { customers: of('customer'), tickets: of('ticket'), ticket_events: of('ticket_event') };
    this.rfcs = JSON.stringify([...new Set(changes.filter((c) => c.entity === 'customer' && typeof c.payload.rfc === 'string').map((c) => c.payload.rfc as string))]);
    this.pending = new Set(
      (tx.sql("SELECT entity || ':' || entity_id FROM outbox WHERE push_status IS NULL AND entity IN ('customer', 'ticket', 'ticket_event')").pluck().all() as string[]),
    );
  }

  /** Whether the ticket is here or on its way in with this page. */
  ticketHere(id: string): boolean {
    return this.g.tickets.has(id) || this.isHere('tickets', id);
  }

  /** Applies (or gathers) one change; true when applied, false when ignored — as applyOne answers. */
  apply(c: PulledChange): boolean {
    if (BULK_ENTITIES.has(c.entity) && !this.pending.has(`${c.entity}:${c.entityId}`)) {
      const taken = c.entity === 'customer' ? this.customer(c) : c.entity === 'ticket' ? this.ticket(c) : this.event(c);
      if (taken !== null) return taken;
    }
    this.flush();
    const applied = this.delegate(c);
    // The delegated change may have added, moved or merged rows (a customer merge, a user).
    this.here.clear();
    this.rfcsHere = null;
    this.users = null;
    return applied;
  }

  /** A new customer (and its later changes on the page), or null for the change-at-a-time path. */
  private customer(c: PulledChange): boolean | null {
    const gathered = this.g.customers.get(c.entityId);
    if (!gathered) {
      if (this.isHere('customers', c.entityId)) return null;
      // Another customer with this RFC (here, or gathered on this page) is merged with it there.
      const rfc = c.payload.rfc;
      if (typeof rfc === 'string' && !isGenericRfc(rfc) && (this.rfcHere(rfc) || [...this.g.customers.values()].some((x) => x.row.get('rfc') === rfc))) return null;
      const row: Row = new Map<string, unknown>([['id', c.entityId], ['created_at', c.createdAt], ['updated_at', c.createdAt]]);
      this.g.customers.set(c.entityId, { row, contacts: undefined });
      return this.foldCustomer(c, row);
    }
    const rfc = c.payload.rfc;
    if (rfc !== undefined && rfc !== gathered.row.get('rfc')) return null; // an RFC changing on the page: merge rules, not a plain write
    return this.foldCustomer(c, gathered.row);
  }

  private foldCustomer(c: PulledChange, row: Row): boolean {
    for (const [field, value] of Object.entries(c.payload)) {
      const column = CUSTOMER_COLUMNS[field];
      if (column && value !== undefined) row.set(column, columnValue(value));
    }
    const contacts = c.payload.contacts as ContactIn[] | undefined;
    if (contacts) this.g.customers.get(c.entityId)!.contacts = contacts;
    return true;
  }

  /** A new ticket (and its later changes on the page), or null for the change-at-a-time path. */
  private ticket(c: PulledChange): boolean | null {
    let row = this.g.tickets.get(c.entityId);
    if (!row) {
      if (this.isHere('tickets', c.entityId)) return null;
      // A change of a ticket this branch has not got (see applyOne).
      if (!('trackingNumber' in c.payload)) return false;
      row = new Map<string, unknown>([['id', c.entityId], ['created_at', c.createdAt], ['updated_at', c.createdAt], ['created_by', this.knownUser(c.actorId)], ['description', '']]);
    }
    const customerId = c.payload.customerId;
    // Its customer must be here or on this page (one merged away is followed there).
    if (customerId !== undefined && (typeof customerId !== 'string' || !(this.g.customers.has(customerId) || this.isHere('customers', customerId)))) return null;
    const rank = PRIORITY_RANK[c.payload.priority as string];
    if (rank) row.set('priority_rank', rank);
    for (const [field, value] of Object.entries(c.payload)) {
      const column = TICKET_COLUMNS[field];
      if (column && value !== undefined) row.set(column, columnValue(value));
    }
    if (!this.g.tickets.has(c.entityId)) {
      this.g.tickets.set(c.entityId, row);
      this.clocks.set(c.entityId, 'start');
    }
    return true;
  }

  /** A new timeline entry, or null for the change-at-a-time path. */
  private event(c: PulledChange): boolean | null {
    if (this.g.events.has(c.entityId)) return true; // append-only: already on its way in
    if (this.isHere('ticket_events', c.entityId)) return null;
    const p = c.payload as { ticketId: unknown; kind: string; body?: string; data?: unknown };
    if (typeof p.ticketId !== 'string' || !this.ticketHere(p.ticketId)) return null;
    this.g.events.set(c.entityId, new Map<string, unknown>([
      ['id', c.entityId], ['ticket_id', p.ticketId], ['kind', p.kind], ['body', p.body ?? ''], ['data', JSON.stringify(p.data ?? {})],
      ['actor_id', this.knownUser(c.actorId)], ['created_at', c.createdAt],
    ]));
    return true;
  }

  /** Writes what was gathered: customers and their contacts, tickets and their search rows, timeline entries and theirs. */
  flush(): void {
    const { customers, tickets, events } = this.g;
    if (customers.size + tickets.size + events.size === 0) return;
    this.g = { customers: new Map(), tickets: new Map(), events: new Map() };
    const tx = this.tx;
    if (customers.size > 0) {
      insertRows(tx, 'customers', [...customers.values()].map((x) => x.row));
      const contacts: Row[] = [];
      for (const [customerId, x] of customers) {
        x.contacts?.forEach((k, i) => contacts.push(new Map<string, unknown>([
          ['id', k.id ?? tx.id()], ['customer_id', customerId], ['name', k.name], ['email', k.email ?? ''], ['phone', k.phone ?? ''],
          ['is_legal_representative', k.isLegalRepresentative ? 1 : 0], ['position', i],
        ])));
      }
      insertRows(tx, 'contacts', contacts, CONTACT_COLUMNS);
    }
    if (tickets.size > 0) {
      const after = tx.sql('SELECT COALESCE(MAX(rowid), 0) FROM tickets').pluck().get() as number;
      insertRows(tx, 'tickets', [...tickets.values()]);
      tx.sql(
        `INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name)
         SELECT t.rowid, t.tracking_number, t.subject, t.description, c.rfc, c.name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.rowid > ?`,
      ).run(after);
    }
    if (events.size > 0) {
      const after = tx.sql('SELECT COALESCE(MAX(rowid), 0) FROM ticket_events').pluck().get() as number;
      insertRows(tx, 'ticket_events', [...events.values()], EVENT_COLUMNS);
      tx.sql("INSERT INTO event_fts (rowid, body) SELECT rowid, body FROM ticket_events WHERE rowid > ? AND body <> ''").run(after);
    }
  }

  private isHere(table: Table, id: string): boolean {
    let ids = this.here.get(table);
    if (!ids) {
      ids = new Set(this.tx.sql(`SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(this.ids[table].json) as string[]);
      this.here.set(table, ids);
    }
    if (ids.has(id)) return true;
    if (this.ids[table].set.has(id)) return false;
    // An id not among the page's (a ticket named by a timeline entry, from an earlier page) is looked up alone, once.
    const found = this.tx.sql(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
    if (found) ids.add(id);
    return found;
  }

  private rfcHere(rfc: string): boolean {
    this.rfcsHere ??= new Set(this.tx.sql('SELECT rfc FROM customers WHERE rfc IN (SELECT value FROM json_each(?))').pluck().all(this.rfcs) as string[]);
    return this.rfcsHere.has(rfc);
  }

  private knownUser(id: string | null): string | null {
    if (!id) return null;
    this.users ??= new Set(this.tx.sql('SELECT id FROM users').pluck().all() as string[]);
    return this.users.has(id) ? id : null;
  }
}

/**
 * INSERTs rows a statement of ROWS_PER_INSERT at a time (the rest one by one: a statement per
 * distinct row count would fill the statement cache). Consecutive rows with the same columns share
 * a statement; `columns`, when given, is every row's.
 */
function insertRows(tx: WriteTx, table: string, rows: Row[], columns?: string[]): void {
  for (let i = 0; i < rows.length;) {
    const names = columns ?? [...rows[i]!.keys()];
    const key = names.join(',');
    let end = i + 1;
    while (end < rows.length && (columns !== undefined || [...rows[end]!.keys()].join(',') === key)) end++;
    const one = `(${names.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${names.join(', ')}) VALUES `;
    const values: unknown[] = [];
    for (; i + ROWS_PER_INSERT <= end; i += ROWS_PER_INSERT) {
      values.length = 0;
      for (let r = i; r < i + ROWS_PER_INSERT; r++) for (const n of names) values.push(rows[r]!.get(n));
      tx.sql(head + Array(ROWS_PER_INSERT).fill(one).join(', ')).run(values);
    }
    for (; i < end; i++) tx.sql(head + one).run(names.map((n) => rows[i]!.get(n)));
  }
}
