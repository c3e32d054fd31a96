import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyAuditLog, type AuditEntry } from '../../../electron/core/audit';
import { loadMigrations, migrate } from '../../../electron/core/db/migrate';

/**
 * Migration 032 rewrites the audit log into its compact stored form (audit-store.ts). The same
 * chain must come out: every entry's text identical through the audit_log view (prev_hash
 * included), the chain still verifying, and a chain that was already broken still broken.
 */
const OLD_COLUMNS = 'seq, id, device_id AS deviceId, at, actor_id AS actorId, actor_kind AS actorKind, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash';

function oldWorkspace(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, loadMigrations().filter((m) => m.version < 32));
  return db;
}

/** Appends entries in the old stored form, chained per device, and checkpoints each head. */
function writeOld(db: Database.Database, entries: Array<Omit<AuditEntry, 'seq' | 'hash' | 'prevHash'>>, link = (prev: string) => prev): AuditEntry[] {
  const insert = db.prepare('INSERT INTO audit_log (seq, id, device_id, at, actor_id, actor_kind, action, entity, entity_id, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const heads = new Map<string, string>();
  const out: AuditEntry[] = [];
  entries.forEach((e, i) => {
    const prevHash = link(heads.get(e.deviceId) ?? GENESIS_HASH);
    const entry = { ...e, seq: i + 1 };
    const hash = entryHash(prevHash, entry);
    insert.run(entry.seq, e.id, e.deviceId, e.at, e.actorId, e.actorKind, e.action, e.entity, e.entityId, e.data, prevHash, hash);
    heads.set(e.deviceId, hash);
    db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(`audit.head.${e.deviceId}`, `${entry.seq}:${hash}`);
    out.push({ ...entry, prevHash, hash });
  });
  return out;
}

const DEVICE_A = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a50';
const DEVICE_B = 'equipo-b';
const USER = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51';

function sample(): Array<Omit<AuditEntry, 'seq' | 'hash' | 'prevHash'>> {
  const base = { at: Date.UTC(2026, 0, 5), actorKind: 'user', entity: 'ticket', data: '{"n":1}' };
  return [
    { ...base, id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52', deviceId: DEVICE_A, actorId: USER, action: 'ticket.created', entityId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a53' },
    { ...base, id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a54', deviceId: DEVICE_B, actorId: null, actorKind: 'system', action: 'sla.breached', entityId: 't-1' },
    // an upper-case UUID is not canonical: it stays text, exactly
    { ...base, id: '0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A55', deviceId: DEVICE_A, actorId: USER, action: 'ticket.reply', entityId: null },
    { ...base, id: 'forma-libre', deviceId: DEVICE_A, actorId: 'otra-persona', action: 'ticket.note', entityId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a53', data: '{"body":"ñ \\"x\\" 🧾"}' },
    { ...base, id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a56', deviceId: DEVICE_B, actorId: USER, action: 'ticket.closed', entityId: 't-1' },
  ];
}

describe('migration 032: the audit log in its compact stored form', () => {
  it('keeps every entry, byte for byte in its text form, and the chains verify', () => {
    const db = oldWorkspace();
    const written = writeOld(db, sample());
    const before = db.prepare(`SELECT ${OLD_COLUMNS} FROM audit_log ORDER BY seq`).all();
    expect(before).toEqual(written);
    migrate(db);
    expect(db.prepare(`SELECT ${OLD_COLUMNS} FROM audit_log ORDER BY seq`).all()).toEqual(written);
    expect(db.prepare("SELECT COUNT(*) FROM audit_chain WHERE typeof(id) = 'blob'").pluck().get()).toBe(3);
    expect(db.prepare('SELECT device_id FROM audit_devices ORDER BY n').pluck().all()).toEqual([DEVICE_A, DEVICE_B]);
    expect(verifyAuditLog(db)).toEqual({ ok: true, checked: 5, firstBroken: null });
    db.close();
  });

  it('a chain whose stored prev_hash did not link stays broken', () => {
    const db = oldWorkspace();
    let n = 0;
    // the third entry of the chains was hashed over a prev_hash that is not its predecessor's hash
    writeOld(db, sample(), (prev) => (++n === 3 ? 'f'.repeat(64) : prev));
    migrate(db);
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 1, firstBroken: { seq: 3, reason: 'hash' } });
    db.close();
  });
});
