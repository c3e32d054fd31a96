import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { uuidv7 } from '../../../electron/cli/demo-bulk';
import { generateDemoData } from '../../../electron/cli/demo-data';
import { verifyAuditLog } from '../../../electron/core/audit';
import { idText } from '../../../electron/core/audit-store';
import { Workspace } from '../../../electron/core/workspace';
import { tempDir } from '../../fixtures/workspace';

/**
 * The bulk path writes what the commands write. The same seed and clock generate one workspace
 * through the core commands and one through the bulk writer; every table is compared row by row in
 * rowid order. What legitimately differs is masked: generated ids (UUIDv7, the device id; each
 * replaced by its order of first appearance, so the same row referring to the same entity still
 * matches; the audit log's 16-byte ids too), hashes (they cover the ids; the bulk chain is verified with verifyAuditLog instead),
 * password hashes (random salt) and schema_migrations.applied_at. The full-text indexes are
 * compared term by term (fts5vocab 'instance': term, row, column, offset), not by their pages,
 * which depend on how many rows each transaction wrote.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const HASH = /\b[0-9a-f]{64}\b/g;

function userTables(db: Database.Database): string[] {
  return (db.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' AND name != 'schema_migrations' ORDER BY name`,
  ).pluck().all() as string[]);
}

/** Every table's rows with ids numbered by first appearance and hashes masked. */
export function snapshot(db: Database.Database): Record<string, unknown[][]> {
  const ids = new Map<string, string>();
  const mask = (v: unknown): unknown => {
    // The audit log's stored form (audit-store.ts): a UUID as its 16 bytes, a hash as its 32.
    if (Buffer.isBuffer(v)) return v.length === 32 ? '<hash>' : v.length === 16 ? mask(idText(v)) : v;
    if (typeof v !== 'string') return v;
    return v.replace(UUID, (id) => {
      let n = ids.get(id);
      if (!n) ids.set(id, (n = `<id ${ids.size + 1}>`));
      return n;
    }).replace(HASH, '<hash>').replace(/scrypt\$[^"]*/g, '<password hash>');
  };
  const out: Record<string, unknown[][]> = {};
  for (const table of userTables(db)) {
    const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    const masked = cols.map((c) => c === 'password_hash');
    // A WITHOUT ROWID table (kb_feedback) has no rowid: its rows in key order, a 0 where the rowid would be.
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string;
    const withoutRowid = /WITHOUT\s+ROWID/i.test(sql);
    const query = withoutRowid
      ? `SELECT 0, * FROM ${table} ORDER BY ${cols.map((_, i) => i + 2).join(', ')}`
      : `SELECT rowid, * FROM ${table} ORDER BY rowid`;
    out[table] = (db.prepare(query).raw().all() as unknown[][])
      .map((row) => row.map((v, i) => (i > 0 && masked[i - 1] ? '<password hash>' : mask(v))));
  }
  for (const fts of ['ticket_fts', 'event_fts']) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${fts}_terms USING fts5vocab(main, ${fts}, instance)`);
    out[fts] = db.prepare(`SELECT term, doc, col, offset FROM temp.${fts}_terms ORDER BY term, doc, col, offset`).raw().all() as unknown[][];
  }
  return out;
}

describe('bulk demo generator', () => {
  const viaCommands = tempDir('helpdesk-demo-commands-');
  const viaBulk = tempDir('helpdesk-demo-bulk-');
  let a: Workspace;
  let b: Workspace;

  beforeAll(async () => {
    const common = { tickets: 160, messagesPerTicket: 6, seed: 11, password: 'demo-clave-123', endAt: Date.UTC(2026, 2, 2), spanDays: 120, batchActions: 300 };
    await generateDemoData({ ...common, dataDir: viaCommands, writer: 'commands' });
    await generateDemoData({ ...common, dataDir: viaBulk, writer: 'bulk' });
    a = new Workspace({ dataDir: viaCommands });
    b = new Workspace({ dataDir: viaBulk });
  }, 120_000);
  afterAll(() => {
    a.close();
    b.close();
    rmSync(viaCommands, { recursive: true, force: true });
    rmSync(viaBulk, { recursive: true, force: true });
  });

  it('writes the same number of rows in every table', () => {
    const count = (ws: Workspace) => Object.fromEntries(userTables(ws.db).map((t) => [t, ws.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get()]));
    const counts = count(a);
    expect(count(b)).toEqual(counts);
    // The sample exercises every kind of write the bulk path mirrors.
    for (const t of ['tickets', 'ticket_events', 'ticket_sla', 'audit_chain', 'outbox', 'notifications', 'sla_breaches']) expect(counts[t]).toBeGreaterThan(0);
    const kinds = a.db.prepare('SELECT DISTINCT kind FROM ticket_events').pluck().all();
    expect(kinds).toEqual(expect.arrayContaining(['created', 'assignment', 'escalated', 'handed_back', 'reply', 'note', 'customer_message',
      'contact_attempt', 'status_change', 'closed', 'sla_breach']));
    // The commands notify the people concerned (issue 14); the bulk path writes the same rows. (In this
    // sample the demo's customer messages are recorded by the assignee and no clock reaches its warning.)
    expect(a.db.prepare('SELECT DISTINCT kind FROM user_notifications').pluck().all()).toEqual(
      expect.arrayContaining(['assigned', 'escalated']),
    );
  });

  it('writes the same rows, column by column, and the same full-text index', () => {
    const left = snapshot(a.db);
    const right = snapshot(b.db);
    for (const table of Object.keys(left)) expect({ table, rows: right[table] }).toEqual({ table, rows: left[table] });
  });

  it('leaves an audit chain that verifies, consistent references and a sound file', () => {
    expect(verifyAuditLog(b.db)).toMatchObject({ ok: true });
    expect(b.db.pragma('foreign_key_check')).toEqual([]);
    expect(b.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(b.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('bulk ids', () => {
  it('are valid UUIDv7, unique and increasing, like the uuid package gives the commands', () => {
    const list = Array.from({ length: 20_000 }, () => uuidv7());
    for (const id of list.slice(0, 500)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(list).size).toBe(list.length);
    expect([...list].sort()).toEqual(list);
  });
});
