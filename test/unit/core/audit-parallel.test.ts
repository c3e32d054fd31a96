import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { canonicalEntry, HASHED_RANGE, PARALLEL_MIN_ENTRIES, verifyAuditLog } from '../../../electron/core/audit';
import { idKey, idText } from '../../../electron/core/audit-store';
import { StepReader } from '../../../electron/core/step-reader';
import { WriteTx } from '../../../electron/core/workspace';
import type { TestDesk } from '../../fixtures/workspace';
import { deskPool } from './helpers';

const desks = deskPool();

/** A desk whose chain is long enough to be checked in two halves, with awkward text in its entries. */
async function longChain(): Promise<TestDesk> {
  const desk = await desks.ready();
  const ws = desk.services.ws;
  ws.write({ kind: 'system' }, () => {
    for (let i = 0; i < PARALLEL_MIN_ENTRIES; i++) {
      const tx = new WriteTx(ws, { kind: 'user', userId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' });
      tx.audit('ticket.reply', 'ticket', i % 7 === 0 ? null : `t-${i % 500}`, { body: `Línea ${i}\n\t"citada" \\ ñ € 🧾 \u2028 \u0001`, n: i });
    }
  });
  return desk;
}

const count = (desk: TestDesk) => desk.services.ws.db.prepare('SELECT COUNT(*) FROM audit_chain').pluck().get() as number;
const dropTriggers = (desk: TestDesk) => desk.services.ws.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');

describe('verifying a long audit chain in segments at once', () => {
  it('checks a long chain on two or three threads, and names the first broken link in any segment exactly as the reference check does', async () => {
    const desk = await longChain();
    const db = desk.services.ws.db;
    const total = count(desk);
    const run = vi.spyOn(StepReader.prototype, 'requestRun');
    expect(verifyAuditLog(db, { threads: 2 })).toEqual({ ok: true, checked: total, firstBroken: null });
    expect(run).toHaveBeenCalledTimes(1); // the second half went to the reader thread
    expect(verifyAuditLog(db, { threads: 3 })).toEqual({ ok: true, checked: total, firstBroken: null });
    expect(run).toHaveBeenCalledTimes(3); // two more segments, on two threads
    run.mockRestore();

    dropTriggers(desk);
    const late = total - 100; // in the half the reader thread checks
    db.prepare("UPDATE audit_chain SET data = '{\"body\":\"otra\"}' WHERE seq = ?").run(late);
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: late - 1, firstBroken: { seq: late, reason: 'hash' } });
    db.prepare('DELETE FROM audit_chain WHERE seq = ?').run(late);
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: late - 1, firstBroken: { seq: late + 1, reason: 'hash' } });
    // In the middle of three segments, the middle segment's thread finds it.
    const middle = Math.floor(total / 2);
    db.prepare("UPDATE audit_chain SET entity = 'otra' WHERE seq = ?").run(middle);
    expect(verifyAuditLog(db, { threads: 3 })).toEqual({ ok: false, checked: middle - 1, firstBroken: { seq: middle, reason: 'hash' } });
    db.prepare('UPDATE audit_chain SET actor_id = NULL WHERE seq = 10').run(); // and in the first segment
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 9, firstBroken: { seq: 10, reason: 'hash' } });
  });

  it('a deleted entry at the start of a segment is found by that segment (its predecessor is read from the chain)', async () => {
    const desk = await longChain();
    const db = desk.services.ws.db;
    dropTriggers(desk);
    const total = count(desk);
    // Where two threads split the chain once the entry is gone: delete the first entry of the second segment.
    const firstOfSecond = (db.prepare('SELECT seq FROM audit_chain ORDER BY seq LIMIT 1 OFFSET ?').pluck().get(Math.floor((total - 1) / 2)) as number) + 1;
    db.prepare('DELETE FROM audit_chain WHERE seq = ?').run(firstOfSecond);
    const expected = { ok: false, checked: firstOfSecond - 1, firstBroken: { seq: firstOfSecond + 1, reason: 'hash' } };
    expect(verifyAuditLog(db, { threads: 2 })).toEqual(expected);
    expect(verifyAuditLog(db, { threads: 1 })).toEqual(expected);
  });

  it('checks it all on one thread, with the same result, when the reader thread cannot start', async () => {
    const desk = await longChain();
    const db = desk.services.ws.db;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(verifyAuditLog(db, { modulePath: '/nonexistent/better-sqlite3.js' })).toEqual({ ok: true, checked: count(desk), firstBroken: null });
    expect(warn).toHaveBeenCalledTimes(1); // its half was checked here instead
    expect(String(warn.mock.calls[0]![0])).toContain('checking its segment on this thread');
    dropTriggers(desk);
    db.prepare("UPDATE audit_chain SET action = 'otra' WHERE seq = ?").run(count(desk) - 5);
    expect(verifyAuditLog(db, { modulePath: '/nonexistent/better-sqlite3.js' }).firstBroken).toEqual({ seq: count(desk) - 5, reason: 'hash' });
    warn.mockRestore();
  });

  it("SQLite writes the same hashed text as the reference canonical JSON, for any text the entries hold", () => {
    // The fast check relies on it for speed (a difference would only send a chain to the reference check).
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE audit_devices (n INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE);
      CREATE TABLE audit_chain (seq INTEGER PRIMARY KEY, id ANY, device INTEGER, at INTEGER, actor_id ANY, actor_kind TEXT,
      action TEXT, entity TEXT, entity_id ANY, data TEXT, hash BLOB) STRICT`);
    const insert = db.prepare('INSERT INTO audit_chain VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)');
    const read = db.prepare(HASHED_RANGE).raw();
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    // ids: any text, and UUIDs (stored as 16 bytes when canonical, as text otherwise)
    const id = fc.oneof(text, fc.uuid(), fc.uuid().map((u) => u.toUpperCase()));
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 2, max: Number.MAX_SAFE_INTEGER }), id, deviceId: text, at: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          actorId: fc.option(id), actorKind: text, action: text, entity: text, entityId: fc.option(id), data: text,
        }),
        (e) => {
          db.exec('DELETE FROM audit_chain; DELETE FROM audit_devices');
          db.prepare('INSERT INTO audit_devices (n, device_id) VALUES (1, ?)').run(e.deviceId);
          // the previous entry of the chain: its hash is the prev_hash the next entry's hash covers
          insert.run(e.seq - 1, 'x', 0, null, 'k', 'a', 'e', null, '{}', Buffer.alloc(32, 0xab));
          insert.run(e.seq, idKey(e.id), e.at, idKey(e.actorId), e.actorKind, e.action, e.entity, idKey(e.entityId), e.data, Buffer.alloc(32, 7));
          // What was stored (text goes through UTF-8), read back as the reference check reads it.
          const stored = db.prepare(`SELECT seq, id, (SELECT device_id FROM audit_devices) AS deviceId, at, actor_id AS actorId, actor_kind AS actorKind,
            action, entity, entity_id AS entityId, data FROM audit_chain WHERE seq = ?`).get(e.seq) as Parameters<typeof canonicalEntry>[0];
          const entry = { ...stored, id: idText(stored.id)!, actorId: idText(stored.actorId), entityId: idText(stored.entityId) };
          // Read as a later segment reads it: the entry before the range first, marked, then the range.
          const [before, row] = read.all({ device: 1, after: e.seq - 1, upTo: Number.MAX_SAFE_INTEGER }) as unknown[][];
          expect(before!.slice(0, 2)).toEqual([e.seq - 1, 1]);
          expect(before![3]).toBe('ab'.repeat(32));
          expect(row!.slice(0, 2)).toEqual([e.seq, 0]);
          expect(row![2]).toBe(canonicalEntry(entry));
          expect(row![3]).toBe('07'.repeat(32));
          if (typeof e.id === 'string') expect(entry.id).toBe(e.id.toWellFormed());
        },
      ),
      { numRuns: 2_000 },
    );
    db.close();
  });
});
