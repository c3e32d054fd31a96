/**
 * The workspace engine's context: one open database, this device's identity, an injectable
 * clock, and `write()`, the only way to change data. Every write is one transaction that
 * appends, together with the row change, its audit entry (hash chain) and its outbox record
 * (HLC-stamped, for sync); ticket commands add their history event in the same transaction.
 */
import type Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { encodeHlc, decodeHlc, receiveHlc, tickHlc, type Hlc } from '../shared/hlc';
import type { AuditAction } from '../shared/audit-actions';
import { AuditWriter, type Actor } from './audit';
import { backupBeforeMigration } from './backup/backups';
import type { FreeSpaceReader } from './backup/space';
import { openDatabase, type OpenOptions } from './db/connection';
import { storedPayload } from './sync/outbox-payload';

export type Clock = () => number;

export interface WorkspaceOptions extends OpenOptions {
  now?: Clock;
  /** The free bytes on a disk (outside the app; tests inject it): a backup that would not fit is not started. */
  freeSpace?: FreeSpaceReader;
}

export class Workspace {
  readonly db: Database.Database;
  readonly dataDir: string;
  readonly deviceId: string;
  readonly now: Clock;
  private readonly audit: AuditWriter;
  private hlc: Hlc;
  private readonly insertOutbox: Database.Statement;
  private readonly unsentUpdates: Database.Statement;
  private readonly rewriteOutbox: Database.Statement;
  private readonly deleteOutbox: Database.Statement;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly closers: Array<() => void> = [];
  /** The API call in progress on this async path, counting the audit entries it appended (see trackCall). */
  private readonly currentCall = new AsyncLocalStorage<{ audited: number }>();
  private readonly outboxListeners = new Set<() => void>();
  /** An outbox record was appended in the transaction now running (or one that rolled back: a spurious call is harmless). */
  private outboxWritten = false;
  /** better-sqlite3's Electron build when the app runs in Electron (for other connections to the file). */
  readonly nativeBinding: string | undefined;
  /** How much room the disk has (injected in tests: the disk is outside the app); every backup checks it first. */
  readonly freeSpace: FreeSpaceReader | undefined;

  constructor(opts: WorkspaceOptions) {
    this.dataDir = opts.dataDir;
    this.nativeBinding = opts.nativeBinding;
    this.freeSpace = opts.freeSpace;
    this.now = opts.now ?? Date.now;
    // An update never runs on the only copy of the data: a backup at the old version first.
    this.db = openDatabase({
      ...opts,
      beforeMigrate: opts.beforeMigrate ?? ((db) => void backupBeforeMigration(db, opts.dataDir, this.now(), opts.nativeBinding, opts.freeSpace)),
    });
    this.deviceId = this.ensureDeviceId();
    this.audit = new AuditWriter(this.db, this.deviceId);
    const lastHlc = this.db.prepare('SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined;
    this.hlc = lastHlc ? decodeHlc(lastHlc) : { wallMs: 0, counter: 0, deviceId: this.deviceId };
    this.insertOutbox = this.db.prepare(
      'INSERT INTO outbox (id, hlc, device_id, entity, entity_id, op, payload, created_at, actor_id, actor_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.unsentUpdates = this.db.prepare(
      "SELECT seq, payload FROM outbox WHERE entity = ? AND entity_id = ? AND seq < ? AND push_seq IS NULL AND op = 'update'",
    );
    this.rewriteOutbox = this.db.prepare('UPDATE outbox SET payload = ? WHERE seq = ?');
    this.deleteOutbox = this.db.prepare('DELETE FROM outbox WHERE seq = ?');
  }

  /**
   * A prepared statement for constant SQL, prepared once per workspace (preparing costs more than
   * running most of our statements). Never pass SQL built from data: the cache would grow with it.
   */
  sql(source: string): Database.Statement {
    let stmt = this.statements.get(source);
    if (!stmt) {
      stmt = this.db.prepare(source);
      this.statements.set(source, stmt);
    } else if (stmt.reader) {
      stmt.pluck(false); // a previous caller may have switched it to pluck mode
    }
    return stmt;
  }

  /** A new time-ordered primary key (UUIDv7): unique across offline devices, index-friendly. */
  newId(): string {
    return uuidv7();
  }

  /** Runs `fn` in one IMMEDIATE transaction; everything it records commits or rolls back together. */
  write<T>(actor: Actor, fn: (tx: WriteTx) => T): T {
    const run = this.db.transaction(() => fn(new WriteTx(this, actor)));
    const call = this.currentCall.getStore();
    const audited = call?.audited ?? 0;
    let result: T;
    try {
      result = run.immediate();
    } catch (err) {
      if (call) call.audited = audited; // rolled back: its entries were never written
      throw err;
    }
    this.afterCommit();
    return result;
  }

  /**
   * Runs `fn` — several writes — in one IMMEDIATE transaction with one commit: each `write()` inside
   * is a savepoint, so a write that throws rolls back alone and the others stay (tickets.bulk: 500
   * tickets, each its own unit with its history, audit entry and outbox record, committed together —
   * half the CPU of 500 commits, and the WAL gets each page once). If the machine fails before the
   * commit, none of them is written.
   */
  batch<T>(fn: () => T): T {
    const result = this.db.transaction(fn).immediate();
    this.afterCommit();
    return result;
  }

  /** After the outermost commit: tells the outbox listeners (background sync, mail sender) once. */
  private afterCommit(): void {
    if (!this.outboxWritten || this.db.inTransaction) return;
    this.outboxWritten = false;
    for (const listener of this.outboxListeners) {
      try {
        listener();
      } catch (err) {
        console.error('[core] outbox listener failed', err);
      }
    }
  }

  /** Calls `fn` after each committed write that added to the outbox (background sync); returns the unsubscribe. */
  onOutboxCommit(fn: () => void): () => void {
    this.outboxListeners.add(fn);
    return () => this.outboxListeners.delete(fn);
  }

  /** @internal used by WriteTx */
  appendAudit(actor: Actor, at: number, action: string, entity: string, entityId: string | null, data: unknown): void {
    this.audit.append({ actor, at, action, entity, entityId, data });
    const call = this.currentCall.getStore();
    if (call) call.audited++;
  }

  /**
   * Runs one API call with `counter`, which counts the audit entries the call appends itself —
   * on the call's own async path, so another call's write landing while this one awaits is not
   * counted, and a rolled-back transaction's entries are not counted either.
   */
  trackCall<T>(counter: { audited: number }, fn: () => Promise<T>): Promise<T> {
    return this.currentCall.run(counter, fn);
  }

  /**
   * @internal used by WriteTx. Appends a record and compacts the outbox: an update's fields are
   * removed from the same entity's earlier unsent updates, and an update left with no field is
   * deleted. "Unsent" means not yet numbered for a push (push_seq IS NULL): a numbered record may
   * be in a batch the server has seen, so it never changes. So, until it is pushed, the outbox
   * holds for each (entity, id, field) only its last value, in the record (with the HLC and the
   * actor) of the change that set it; inserts are never touched. The server merges field values
   * by HLC, so it reaches the same state as if it had received every superseded value.
   */
  appendOutbox(actor: Actor, at: number, entity: string, entityId: string, op: 'insert' | 'update', payload: unknown): void {
    this.hlc = tickHlc(this.hlc, at);
    this.outboxWritten = true;
    const actorId = actor.kind === 'user' || actor.kind === 'emergency' ? actor.userId : null;
    const seq = this.insertOutbox.run(this.newId(), encodeHlc(this.hlc), this.deviceId, entity, entityId, op, storedPayload(entity, op, payload), at, actorId, actor.kind)
      .lastInsertRowid;
    if (op === 'update') this.compactOutbox(entity, entityId, Object.keys(payload as object), seq);
  }

  private compactOutbox(entity: string, entityId: string, fields: string[], before: number | bigint): void {
    for (const older of this.unsentUpdates.all(entity, entityId, before) as Array<{ seq: number; payload: string }>) {
      const values = JSON.parse(older.payload) as Record<string, unknown>;
      const kept = compactPayload(values, fields);
      if (kept === values) continue;
      if (kept === null) this.deleteOutbox.run(older.seq);
      else this.rewriteOutbox.run(JSON.stringify(kept), older.seq);
    }
  }

  /** Advances this device's clock past a timestamp pulled from another device, so later local writes sort after it. */
  observeHlc(encoded: string): void {
    this.hlc = receiveHlc(this.hlc, decodeHlc(encoded), this.now());
  }

  /** This device's audit chain tip ('seq:hash'), or undefined before the first entry: moves with every committed entry. */
  auditHead(): string | undefined {
    return this.getSetting(`audit.head.${this.deviceId}`);
  }

  getSetting(key: string): string | undefined {
    return this.sql('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  }

  /** Runs `fn` before the database closes: helpers holding the file open (a reader thread) let go first. */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.splice(0)) fn();
    if (this.db.open) this.db.close();
  }

  private ensureDeviceId(): string {
    const existing = this.getSetting('device.id');
    if (existing) return existing;
    const id = randomUUID();
    this.db.prepare("INSERT INTO settings (key, value) VALUES ('device.id', ?)").run(id);
    return id;
  }
}

/** The handle a command gets inside its transaction. */
export class WriteTx {
  readonly at: number;
  constructor(
    readonly ws: Workspace,
    readonly actor: Actor,
  ) {
    this.at = ws.now();
  }

  get db(): Database.Database {
    return this.ws.db;
  }

  id(): string {
    return this.ws.newId();
  }

  /** See Workspace.sql: a cached statement for constant SQL. */
  sql(source: string): Database.Statement {
    return this.ws.sql(source);
  }

  audit(action: AuditAction, entity: string, entityId: string | null, data: unknown = {}): void {
    this.ws.appendAudit(this.actor, this.at, action, entity, entityId, data);
  }

  outbox(entity: string, entityId: string, op: 'insert' | 'update', payload: unknown): void {
    this.ws.appendOutbox(this.actor, this.at, entity, entityId, op, payload);
  }

  setSetting(key: string, value: string): void {
    this.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

export type { Actor };

/**
 * An earlier unsent update without the fields a later update sets: the same object when none
 * were superseded, null when nothing is left. Shared by the outbox and the bulk demo generator.
 */
export function compactPayload(values: Record<string, unknown>, superseded: readonly string[]): Record<string, unknown> | null {
  if (!superseded.some((f) => f in values)) return values;
  const kept: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(values)) {
    if (superseded.includes(k)) continue;
    kept[k] = v;
    any = true;
  }
  return any ? kept : null;
}
