import { describe, it, expect, afterEach, vi } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, DB_FILE } from '../../../electron/core/db/connection';
import { loadMigrations, migrate, type Migration } from '../../../electron/core/db/migrate';
import { AppError } from '../../../electron/shared/errors';
import { tempDir } from '../../fixtures/workspace';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const MIGRATIONS_DIR = join(__dirname, '../../../electron/core/db/migrations');

const dirs: string[] = [];
const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshDb(): { db: Database.Database; dataDir: string } {
  const dataDir = tempDir('helpdesk-migrate-');
  dirs.push(dataDir);
  const db = openDatabase({ dataDir });
  dbs.push(db);
  return { db, dataDir };
}

function emptyDb(): Database.Database {
  const dataDir = tempDir('helpdesk-migrate-');
  dirs.push(dataDir);
  const db = new Database(join(dataDir, DB_FILE));
  dbs.push(db);
  return db;
}

function recorded(db: Database.Database) {
  return db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string; hash: string }>;
}

function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const userTables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);

describe('migrations', () => {
  it('loads every NNN_name.sql file with the sha256 of its exact content', () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(1);
    expect(migrations[0]).toMatchObject({ version: 1, name: '001_workspace' });
    for (const m of migrations) {
      const onDisk = readFileSync(join(MIGRATIONS_DIR, `${m.name}.sql`), 'utf8');
      expect(m.sql).toBe(onDisk);
      expect(m.hash).toBe(sha256(onDisk));
    }
    // versions strictly increasing
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('records every migration with its hash on a fresh database', () => {
    const { db } = freshDb();
    const expected = loadMigrations().map((m) => ({ version: m.version, name: m.name, hash: m.hash }));
    expect(recorded(db)).toEqual(expected);
    const appliedAt = db.prepare('SELECT applied_at FROM schema_migrations').pluck().all() as number[];
    for (const t of appliedAt) expect(t).toBeGreaterThan(Date.UTC(2020, 0, 1));
    // The schema of 001 is really there.
    expect(userTables(db)).toEqual(expect.arrayContaining(['audit_chain', 'audit_devices', 'branch', 'contacts', 'customers', 'outbox', 'schema_migrations', 'sequences', 'settings', 'ticket_events', 'tickets', 'users']));
  });

  it('applies nothing when the database is reopened', () => {
    const { db, dataDir } = freshDb();
    const before = recorded(db);
    db.close();
    const again = new Database(join(dataDir, DB_FILE));
    dbs.push(again);
    expect(migrate(again)).toBe(0);
    expect(recorded(again)).toEqual(before);
    // and openDatabase itself (which migrates) leaves the record untouched
    again.close();
    const third = openDatabase({ dataDir });
    dbs.push(third);
    expect(recorded(third)).toEqual(before);
  });

  it('applies only the pending migrations and reports how many', () => {
    const db = emptyDb();
    const base = loadMigrations();
    expect(migrate(db, base)).toBe(base.length);
    const extra: Migration = { version: 900, name: '900_extra', sql: 'CREATE TABLE extra_table (x INTEGER NOT NULL) STRICT;', hash: sha256('extra') };
    expect(migrate(db, [...base, extra])).toBe(1);
    expect(recorded(db).map((r) => r.version)).toEqual([...base.map((m) => m.version), 900]);
    expect(migrate(db, [...base, extra])).toBe(0);
  });

  it('refuses a database whose applied migration was edited afterwards (db.migrationEdited)', () => {
    const { db } = freshDb();
    const edited = loadMigrations().map((m, i) => {
      if (i !== 0) return m;
      const sql = `${m.sql}\n-- a later edit\nCREATE TABLE sneaky (x INTEGER) STRICT;\n`;
      return { ...m, sql, hash: sha256(sql) };
    });
    const err = catchAppError(() => migrate(db, edited));
    expect(err.code).toBe('db.migrationEdited');
    expect(err.params).toEqual({ name: '001_workspace' });
    expect(userTables(db)).not.toContain('sneaky');
  });

  it('refuses a database written by a newer version of the app (db.newerSchema)', () => {
    const { db, dataDir } = freshDb();
    db.prepare("INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (999, '999_future', 'abc', 1)").run();
    const err = catchAppError(() => migrate(db));
    expect(err.code).toBe('db.newerSchema');
    expect(err.params).toEqual({ version: 999 });
    db.close();
    // openDatabase propagates the refusal (and closes its handle)
    const err2 = catchAppError(() => openDatabase({ dataDir }));
    expect(err2.code).toBe('db.newerSchema');
  });

  it('rolls a failing migration back entirely: nothing recorded, no partial tables', () => {
    const db = emptyDb();
    const base = loadMigrations();
    migrate(db, base);
    const before = recorded(db);
    const bad: Migration = {
      version: 901,
      name: '901_bad',
      sql: `CREATE TABLE half_done (x INTEGER) STRICT;
            INSERT INTO half_done VALUES (1);
            INSERT INTO settings (key, value) VALUES ('touched-by-901', 'yes');
            INSERT INTO table_that_does_not_exist VALUES (1);`,
      hash: sha256('bad'),
    };
    expect(() => migrate(db, [...base, bad])).toThrow(/table_that_does_not_exist/);
    expect(recorded(db)).toEqual(before);
    expect(userTables(db)).not.toContain('half_done');
    expect(db.prepare("SELECT COUNT(*) FROM settings WHERE key = 'touched-by-901'").pluck().get()).toBe(0);
  });

  it('applies an update all or nothing: a later migration that breaks a reference undoes the earlier ones', () => {
    const db = emptyDb();
    const base = loadMigrations();
    migrate(db, base);
    const before = recorded(db);
    const fine: Migration = { version: 902, name: '902_fine', sql: 'CREATE TABLE fine_table (x INTEGER) STRICT;', hash: sha256('fine') };
    const dangling: Migration = {
      version: 903,
      name: '903_dangling',
      sql: `CREATE TABLE parent_903 (id INTEGER PRIMARY KEY) STRICT;
            CREATE TABLE child_903 (parent INTEGER NOT NULL REFERENCES parent_903(id)) STRICT;
            INSERT INTO child_903 VALUES (42);`,
      hash: sha256('dangling'),
    };
    expect(() => migrate(db, [...base, fine, dangling])).toThrow(/902_fine … 903_dangling leave 1 broken references \(first in child_903\)/);
    expect(recorded(db)).toEqual(before);
    expect(userTables(db)).not.toContain('fine_table');
    expect(userTables(db)).not.toContain('child_903');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('checks the references once per update, not once per migration (the check reads every table)', () => {
    const db = emptyDb();
    const base = loadMigrations();
    migrate(db, base.slice(0, 1));
    const pragma = vi.spyOn(db, 'pragma');
    expect(migrate(db, base)).toBe(base.length - 1);
    const checks = pragma.mock.calls.filter(([source]) => String(source).startsWith('foreign_key_check'));
    expect(checks).toHaveLength(1);
    expect(recorded(db).map((r) => r.version)).toEqual(base.map((m) => m.version));
  });

  it('rolls back a failing first migration on an empty database', () => {
    const db = emptyDb();
    const bad: Migration = { version: 1, name: '001_bad', sql: 'CREATE TABLE a (x INTEGER) STRICT; CREATE TABLE a (y INTEGER) STRICT;', hash: sha256('x') };
    expect(() => migrate(db, [bad])).toThrow(/already exists/);
    expect(recorded(db)).toEqual([]);
    expect(userTables(db)).toEqual(['schema_migrations']);
  });

  it('makes every table STRICT, so wrong types are rejected', () => {
    const { db } = freshDb();
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'").all() as Array<{ name: string; strict: number }>;
    expect(tables.length).toBeGreaterThanOrEqual(11);
    for (const t of tables) expect({ name: t.name, strict: t.strict }).toEqual({ name: t.name, strict: 1 });
    expect(() => db.prepare("INSERT INTO sequences (name, value) VALUES ('x', 'not a number')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', Buffer.from([1, 2]))).toThrow(/cannot store BLOB value in TEXT column/);
    expect(() => db.prepare('INSERT INTO sequences (name, value) VALUES (?, ?)').run('y', 1.5)).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() =>
      db.prepare('INSERT INTO branch (code, name, time_zone, created_at) VALUES (?, ?, ?, ?)').run('MTY', 'x', 'America/Mexico_City', '2026-03-02'),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(db.prepare('SELECT COUNT(*) FROM branch').pluck().get()).toBe(0);
  });

  it('opens in WAL mode with foreign keys enforced', () => {
    const { db } = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(() =>
      db.prepare("INSERT INTO contacts (id, customer_id, name) VALUES ('c1', 'no-such-customer', 'Nadie')").run(),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('006 lets the generic RFCs be shared by many customers, keeps every other RFC unique, and keeps rows, rowids and foreign keys', () => {
    const db = emptyDb();
    migrate(db, loadMigrations().filter((m) => m.version <= 5));
    const insert = db.prepare('INSERT INTO customers (id, rfc, name, registered_email, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
    insert.run('c1', 'XAXX010101000', 'Ana Pérez', 'ana@correo.mx');
    insert.run('c2', 'TEC0503155C6', 'Tecnologías del Cerro', 'f@tc.mx');
    expect(() => insert.run('c3', 'XAXX010101000', 'Juan López', 'juan@correo.mx')).toThrow(/UNIQUE/); // the defect, before 006
    db.prepare("INSERT INTO contacts (id, customer_id, name) VALUES ('k1', 'c2', 'Mostrador')").run();
    const rowids = db.prepare('SELECT id, rowid FROM customers ORDER BY id').raw().all();
    migrate(db, loadMigrations());
    expect(db.prepare('SELECT id, rowid FROM customers ORDER BY id').raw().all()).toEqual(rowids);
    insert.run('c3', 'XAXX010101000', 'Juan López', 'juan@correo.mx');
    insert.run('c4', 'XEXX010101000', 'John Smith', 'john@mail.com');
    insert.run('c5', 'XEXX010101000', 'Jane Roe', 'jane@mail.com');
    expect(() => insert.run('c6', 'TEC0503155C6', 'Otra', 'o@tc.mx')).toThrow(/UNIQUE/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare("INSERT INTO contacts (id, customer_id, name) VALUES ('k2', 'no-such-customer', 'Nadie')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM customers WHERE id = 'c2'").run()).toThrow(/FOREIGN KEY/);
    // Look-ups by RFC still walk an index.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM customers WHERE rfc = ?").all('TEC0503155C6') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX customers_rfc/);
  });

  it('005 moves each ticket\'s stored SLA into ticket_sla, marking the clocks whose breach was already recorded', () => {
    const db = emptyDb();
    migrate(db, loadMigrations().filter((m) => m.version <= 4));
    db.prepare("INSERT INTO customers (id, rfc, name, registered_email, created_at, updated_at) VALUES ('c', 'XAXX010101000', 'Cliente', 'a@b.mx', 0, 0)").run();
    const ticket = db.prepare(`INSERT INTO tickets (id, tracking_number, customer_id, channel, request_type, support_type, category, priority, priority_rank,
        severity, tier, status, subject, description, created_at, updated_at, closed_at, sla_policy_id, first_response_due_at, next_response_due_at,
        resolution_due_at, sla_warn_at, sla_breach_at, sla_state, sla_breached)
      VALUES (?, ?, 'c', 'email', 'technical', 'web', 'issue_invoice', 'normal', 2, 1, 'service_desk', ?, 's', 'd', 0, 0, ?, 'ticket-email', 100, ?, 300, 250, ?, ?, ?)`);
    const breach = db.prepare("INSERT INTO sla_breaches (id, ticket_id, metric, due_at, recorded_at, tier, severity, channel) VALUES (?, ?, ?, ?, 1, 'service_desk', 1, 'email')");
    ticket.run('t1', 'T-1', 'open', null, 200, 200, 'breached', 1);
    breach.run('b1', 't1', 'first_response', 100);
    breach.run('b2', 't1', 'next_response', 150); // an earlier next-response clock, not the running one (due 200)
    ticket.run('t2', 'T-2', 'open', null, 200, 200, 'breached', 1);
    breach.run('b3', 't2', 'next_response', 200);
    breach.run('b4', 't2', 'resolution', 300);
    ticket.run('t3', 'T-3', 'closed', 500, null, null, 'met', 0);
    migrate(db, loadMigrations());
    const rows = db.prepare('SELECT t.id, s.open, s.policy_id, s.first_response_due_at, s.next_response_due_at, s.resolution_due_at, s.warn_at, s.breach_at, s.state, s.breached, s.recorded FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid ORDER BY t.id').raw().all();
    expect(rows).toEqual([
      ['t1', 1, 'ticket-email', 100, 200, 300, 250, 200, 'breached', 1, 1],
      ['t2', 1, 'ticket-email', 100, 200, 300, 250, 200, 'breached', 1, 2 | 4],
      ['t3', 0, 'ticket-email', 100, null, 300, 250, null, 'met', 0, 0],
    ]);
    const columns = db.prepare("SELECT name FROM pragma_table_info('tickets')").pluck().all();
    expect(columns).not.toContain('sla_breach_at');
    expect(columns).toContain('closed_at');
  });
});
