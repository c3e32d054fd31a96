import { describe, it, expect } from 'vitest';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalEntry, entryHash, GENESIS_HASH, verifyAuditLog, verifyEntries, type AuditEntry } from '../../../electron/core/audit';
import { idKey, idText } from '../../../electron/core/audit-store';
import { decodeHlc } from '../../../electron/shared/hlc';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { auditEntries, DAY_MS, deskPool, lastSeq, resignIn, SELECT_AUDIT } from './helpers';

const desks = deskPool();

/** A desk with a few dozen audit entries of varied kinds. */
async function busyDesk(): Promise<{ desk: TestDesk; ticketId: string }> {
  const desk = await desks.ready();
  const t = await desk.call('tickets.create', phoneIntake());
  await desk.call('tickets.reply', { ticketId: t.id, body: 'Primera respuesta' });
  await desk.call('tickets.note', { ticketId: t.id, body: 'Nota interna' });
  await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
  await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Ya lo intenté' });
  await desk.call('tickets.close', { ticketId: t.id, cause: 'c', solution: 's' });
  return { desk, ticketId: t.id };
}

const dropTriggers = (desk: TestDesk) => desk.services.ws.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
const rows = (desk: TestDesk) => auditEntries(desk);

/** Writes an entry straight into the stored form (audit_chain), as someone editing the file would. */
function insertStored(desk: TestDesk, e: Omit<AuditEntry, 'hash' | 'prevHash'>, hash: string): void {
  desk.services.ws.db.prepare(`INSERT INTO audit_chain (seq, id, device, at, actor_id, actor_kind, action, entity, entity_id, data, hash)
    VALUES (?, ?, (SELECT n FROM audit_devices WHERE device_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    e.seq, idKey(e.id), e.deviceId, e.at, idKey(e.actorId), e.actorKind, e.action, e.entity, idKey(e.entityId), e.data, Buffer.from(hash, 'hex'),
  );
}

function expectWellFormedChain(entries: AuditEntry[]) {
  let prev = GENESIS_HASH;
  entries.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    expect(e.prevHash).toBe(prev);
    expect(e.hash).toBe(entryHash(prev, e));
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    prev = e.hash;
  });
}

describe('audit chain', () => {
  it('each write appends exactly one entry per audited action, linked to the previous one', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-audit', ['agent']);
    const step = async (expected: string[], fn: () => Promise<unknown>) => {
      const seq = lastSeq(desk);
      await fn();
      expect(rows(desk).filter((e) => e.seq > seq).map((e) => e.action)).toEqual(expected);
    };
    let ticketId = '';
    let customerId = '';
    await step(['customer.created'], async () => {
      customerId = (await desk.call('customers.create', { rfc: 'PAN990101AB5', name: 'Panadería La Espiga', registeredEmail: 'a@espiga.example.mx' })).id;
    });
    await step(['ticket.created'], async () => {
      ticketId = (await desk.call('tickets.create', { ...phoneIntake(), customer: { kind: 'existing', customerId } })).id;
    });
    await step(['ticket.reply'], () => desk.call('tickets.reply', { ticketId, body: 'Hola' }));
    await step(['ticket.note'], () => desk.call('tickets.note', { ticketId, body: 'Interna' }));
    await step(['ticket.contactAttempt'], () => desk.call('tickets.contactAttempt', { ticketId, method: 'phone', reached: true }));
    await step(['ticket.assigned'], () => desk.call('tickets.assign', { ticketId, assigneeId: agent.id }));
    await step(['ticket.statusChanged'], () => desk.call('tickets.setStatus', { ticketId, status: 'waiting', waitingOn: 'customer' }));
    await step(['ticket.statusChanged', 'ticket.customerMessage'], () => desk.call('tickets.customerMessage', { ticketId, body: 'Respondo' }));
    await step(['ticket.updated'], () => desk.call('tickets.update', { ticketId, priority: 'high' }));
    await step(['ticket.closed'], () => desk.call('tickets.close', { ticketId, cause: 'c', solution: 's' }));
    await step(['customer.updated'], () => desk.call('customers.update', { customerId, plan: 'advanced' }));
    await step(['settings.changed'], () => desk.call('settings.update', { reopenWithinDays: 5 }));
    await step(['user.created'], () => desk.call('users.create', { username: 'nuevo', fullName: 'Nuevo', password: 'clave-nueva-1', confirmPassword: 'clave-nueva-1', roles: ['agent'] }));
    await step(['backup.created'], () => desk.call('backup.create', {}));
    await step(['audit.verified'], () => desk.call('audit.verify', {}));
    // reads append nothing; a refused write appends the entry of its refusal (issue 10)
    await step([], () => desk.call('tickets.list', { query: 'timbrar' }));
    await step([], () => desk.call('tickets.get', { ticketId }));
    await step([], () => desk.call('settings.get', {}));
    await step(['api.refused'], () => desk.fail('tickets.reply', { ticketId, body: 'tarde' })); // closed
    await step(['api.invalidInput'], () => desk.fail('customers.create', { rfc: 'PAN990101AB5', name: 'Dup', registeredEmail: 'd@x.example.mx' }));

    const all = rows(desk);
    expectWellFormedChain(all);
    const deviceId = desk.services.ws.deviceId;
    expect(new Set(all.map((e) => e.deviceId))).toEqual(new Set([deviceId]));
    const head = desk.services.ws.getSetting(`audit.head.${deviceId}`);
    expect(head).toBe(`${all.at(-1)!.seq}:${all.at(-1)!.hash}`);
    expect(verifyAuditLog(desk.services.ws.db)).toEqual({ ok: true, checked: all.length, firstBroken: null });
  });

  it('records who did it, when, on what, with canonical JSON data', async () => {
    const desk = await desks.ready();
    const me = await desk.call('auth.me', {});
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.close', { ticketId: t.id, cause: 'Sello vencido', solution: 'Renovación' });
    const last = rows(desk).at(-1)!;
    expect(last).toMatchObject({ action: 'ticket.closed', entity: 'ticket', entityId: t.id, actorId: me.id, actorKind: 'user', at: desk.now() });
    expect(last.data).toBe('{"cause":"Sello vencido","from":"open","solution":"Renovación"}');
    expect(last.data).toBe(canonicalize(JSON.parse(last.data)));
  });
});

describe('canonicalEntry', () => {
  it('equals the canonicalize package (RFC 8785) for real entries', async () => {
    const { desk } = await busyDesk();
    const entries = rows(desk);
    expect(entries.length).toBeGreaterThan(8);
    for (const e of entries) {
      const { hash: _h, prevHash: _p, ...fields } = e;
      expect(canonicalEntry(e)).toBe(canonicalize(fields));
    }
  });

  it('equals the canonicalize package for arbitrary strings, integers and nulls', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    // Well-formed strings only: RFC 8785 (and the package) refuse lone surrogates.
    const anyText = fc.oneof(text, fc.string({ unit: 'binary-ascii', maxLength: 20 }), fc.constantFrom('"\\\n\t\u0000\u001f\u007f\u2028', 'ñÑáé 🧾 \ud83e\uddfe'));
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          id: anyText, deviceId: anyText,
          at: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          actorId: fc.option(anyText, { nil: null }), actorKind: anyText, action: anyText, entity: anyText,
          entityId: fc.option(anyText, { nil: null }), data: anyText,
        }),
        (e) => canonicalEntry(e) === canonicalize(e),
      ),
      { numRuns: 500 },
    );
  });
});

describe('tamper detection', () => {
  it('triggers refuse UPDATE and DELETE while they are in place', async () => {
    const { desk } = await busyDesk();
    const db = desk.services.ws.db;
    const before = rows(desk);
    expect(() => db.prepare("UPDATE audit_chain SET action = 'nada' WHERE seq = 2").run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare('DELETE FROM audit_chain WHERE seq = 3').run()).toThrow(/audit_log is append-only/);
    expect(() => db.prepare('DELETE FROM audit_chain').run()).toThrow(/audit_log is append-only/);
    // audit_log is the text view of audit_chain (migration 032): it cannot be written at all
    expect(() => db.prepare("UPDATE audit_log SET action = 'nada' WHERE seq = 2").run()).toThrow(/view/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/view/);
    expect(rows(desk)).toEqual(before);
    expect(verifyAuditLog(db).ok).toBe(true);
  });

  it('an edited entry breaks its own hash', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    db.prepare(`UPDATE audit_chain SET data = '{"cause":"otra"}' WHERE seq = 5`).run();
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 4, firstBroken: { seq: 5, reason: 'hash' } });
    // through the API too, by a supervisor
    const sup = await desk.userWithRoles('supervisora', ['supervisor']);
    expect(await desk.call('audit.verify', {}, sup.token)).toEqual({ ok: false, checked: 4, firstBroken: { seq: 5, reason: 'hash' } });
  });

  it('an edited timestamp or actor is caught as well', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    db.prepare('UPDATE audit_chain SET at = at - 1 WHERE seq = 3').run();
    expect(verifyAuditLog(db).firstBroken).toEqual({ seq: 3, reason: 'hash' });
    db.prepare('UPDATE audit_chain SET at = at + 1 WHERE seq = 3').run();
    expect(verifyAuditLog(db).ok).toBe(true);
    db.prepare("UPDATE audit_chain SET actor_id = 'otra-persona' WHERE seq = 4").run();
    expect(verifyAuditLog(db).firstBroken).toEqual({ seq: 4, reason: 'hash' });
  });

  it('a deleted entry breaks the next link (its hash followed the deleted one)', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    db.prepare('DELETE FROM audit_chain WHERE seq = 4').run();
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 3, firstBroken: { seq: 5, reason: 'hash' } });
  });

  it('reordered entries break the chain', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    db.exec('UPDATE audit_chain SET seq = -1 WHERE seq = 4; UPDATE audit_chain SET seq = 4 WHERE seq = 5; UPDATE audit_chain SET seq = 5 WHERE seq = -1;');
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'hash' } });
  });

  it('an inserted forged entry, even with a correctly computed hash, breaks the next link', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    const all = rows(desk);
    const n = all.length;
    // make room after seq 3, then insert a forged entry chained to entry 3
    db.exec('UPDATE audit_chain SET seq = -seq WHERE seq > 3; UPDATE audit_chain SET seq = -seq + 1 WHERE seq < 0;');
    const e3 = all[2]!;
    const forged = { seq: 4, id: 'forjada', deviceId: e3.deviceId, at: e3.at, actorId: null, actorKind: 'system', action: 'ticket.closed', entity: 'ticket', entityId: 'x', data: '{}' };
    const hash = entryHash(e3.hash, forged);
    insertStored(desk, forged, hash);
    expect(rows(desk)).toHaveLength(n + 1);
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 4, firstBroken: { seq: 5, reason: 'hash' } });
  });

  it('a forged entry appended at the end is caught by the checkpoint', async () => {
    const { desk } = await busyDesk();
    const db = desk.services.ws.db;
    const last = rows(desk).at(-1)!;
    const forged = { seq: last.seq + 1, id: 'forjada', deviceId: last.deviceId, at: last.at, actorId: null, actorKind: 'system', action: 'x', entity: 'x', entityId: null, data: '{}' };
    insertStored(desk, forged, entryHash(last.hash, forged));
    const r = verifyAuditLog(db);
    expect(r.ok).toBe(false);
    expect(r.checked).toBe(last.seq + 1);
    expect(r.firstBroken).not.toBeNull();
  });

  it('a truncated tail is caught by the checkpoint', async () => {
    const { desk } = await busyDesk();
    dropTriggers(desk);
    const db = desk.services.ws.db;
    const n = lastSeq(desk);
    db.prepare('DELETE FROM audit_chain WHERE seq > ?').run(n - 2);
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: n - 2, firstBroken: { seq: n - 1, reason: 'truncated' } });
    // emptying the table entirely is caught too
    db.prepare('DELETE FROM audit_chain').run();
    expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 0, firstBroken: { seq: 1, reason: 'truncated' } });
  });

  describe('the compact stored form (migration 032)', () => {
    it('stores each hash as 32 bytes, no prev_hash, UUIDs as 16 bytes and the device once; the view gives the text back', async () => {
      const { desk } = await busyDesk();
      const db = desk.services.ws.db;
      const columns = (db.prepare('PRAGMA table_info(audit_chain)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).not.toContain('prev_hash');
      expect(columns).not.toContain('device_id');
      const stored = db.prepare("SELECT id, actor_id, entity_id, hash, device FROM audit_chain WHERE action = 'ticket.closed'").raw().get() as unknown[];
      expect((stored[0] as Buffer).length).toBe(16);
      expect((stored[1] as Buffer).length).toBe(16);
      expect((stored[2] as Buffer).length).toBe(16);
      expect((stored[3] as Buffer).length).toBe(32);
      expect(db.prepare('SELECT device_id FROM audit_devices WHERE n = ?').pluck().get(stored[4])).toBe(desk.services.ws.deviceId);
      // the text form: the same entries, linked, hashed over the same text as before
      expectWellFormedChain(rows(desk));
      const closed = rows(desk).find((e) => e.action === 'ticket.closed')!;
      expect(closed.id).toBe(idText(stored[0]));
      expect(closed.actorId).toBe(db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get());
      // text that is not a canonical UUID is kept as text, exactly
      desk.services.ws.write({ kind: 'system' }, (tx) => tx.audit('audit.verified', 'audit_log', 'ABCDEF01-0000-4000-8000-000000000000', {}));
      expect(db.prepare('SELECT typeof(entity_id) FROM audit_chain WHERE seq = ?').pluck().get(lastSeq(desk))).toBe('text');
      expect(rows(desk).at(-1)!.entityId).toBe('ABCDEF01-0000-4000-8000-000000000000');
      expect(verifyAuditLog(db).ok).toBe(true);
    });

    it('a rewritten stored hash breaks that entry', async () => {
      const { desk } = await busyDesk();
      dropTriggers(desk);
      const db = desk.services.ws.db;
      db.prepare('UPDATE audit_chain SET hash = randomblob(32) WHERE seq = 4').run();
      expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'hash' } });
    });

    it('an entry moved to another device chain breaks it (the device is hashed) and its old chain', async () => {
      const { desk } = await busyDesk();
      dropTriggers(desk);
      const db = desk.services.ws.db;
      const other = Number(db.prepare("INSERT INTO audit_devices (device_id) VALUES ('otro-equipo')").run().lastInsertRowid);
      db.prepare('UPDATE audit_chain SET device = ? WHERE seq = 4').run(other);
      const r = verifyAuditLog(db);
      expect(r.ok).toBe(false);
      expect(r.firstBroken).toEqual({ seq: 5, reason: 'hash' });
    });

    it('a deleted entry whose successor is re-hashed by hand still breaks the chain at the one after', async () => {
      const { desk } = await busyDesk();
      dropTriggers(desk);
      const db = desk.services.ws.db;
      const all = rows(desk);
      db.prepare('DELETE FROM audit_chain WHERE seq = 4').run();
      // the forger re-hashes entry 5 over entry 3, but entry 6 still follows the old entry 5
      const e5 = all[4]!;
      db.prepare('UPDATE audit_chain SET hash = ? WHERE seq = 5').run(Buffer.from(entryHash(all[2]!.hash, e5), 'hex'));
      expect(verifyAuditLog(db)).toEqual({ ok: false, checked: 4, firstBroken: { seq: 6, reason: 'hash' } });
    });
  });

  describe('verifyEntries (also for exported files)', () => {
    const chain = async () => {
      const { desk } = await busyDesk();
      const entries = desk.services.ws.db.prepare(SELECT_AUDIT).all() as AuditEntry[];
      const last = entries.at(-1)!;
      return { entries, head: { seq: last.seq, hash: last.hash } };
    };

    it('accepts an intact chain, with and without the checkpoint', async () => {
      const { entries, head } = await chain();
      expect(verifyEntries(entries, head)).toEqual({ ok: true, checked: entries.length, firstBroken: null });
      expect(verifyEntries(entries)).toEqual({ ok: true, checked: entries.length, firstBroken: null });
    });

    it('detects edits, deletions, reordering, insertions and truncation', async () => {
      const { entries, head } = await chain();
      const edited = entries.map((e) => (e.seq === 3 ? { ...e, action: 'auth.signIn' } : e));
      expect(verifyEntries(edited, head)).toEqual({ ok: false, checked: 2, firstBroken: { seq: 3, reason: 'hash' } });

      const deleted = entries.filter((e) => e.seq !== 3);
      expect(verifyEntries(deleted, head)).toEqual({ ok: false, checked: 2, firstBroken: { seq: 4, reason: 'prev_hash' } });

      const reordered = [...entries];
      [reordered[2], reordered[3]] = [reordered[3]!, reordered[2]!];
      expect(verifyEntries(reordered, head)).toEqual({ ok: false, checked: 2, firstBroken: { seq: 4, reason: 'prev_hash' } });

      const e2 = entries[1]!;
      const forgedFields = { ...e2, seq: e2.seq, id: 'forjada', action: 'user.created', data: '{"roles":["administrator"]}' };
      const forged = { ...forgedFields, prevHash: e2.hash, hash: entryHash(e2.hash, forgedFields) };
      const inserted = [...entries.slice(0, 2), forged, ...entries.slice(2)];
      const r = verifyEntries(inserted, head);
      expect(r.ok).toBe(false);
      expect(r.checked).toBe(2);
      expect(r.firstBroken!.seq).toBe(e2.seq); // the forged one re-uses seq 2: caught as out of sequence
      expect(r.firstBroken!.reason).toBe('sequence_gap');

      const truncated = entries.slice(0, -3);
      expect(verifyEntries(truncated, head)).toEqual({ ok: false, checked: entries.length - 3, firstBroken: { seq: entries.length - 2, reason: 'truncated' } });
      // without the checkpoint a clean cut at the end cannot be seen: that is what the checkpoint is for
      expect(verifyEntries(truncated).ok).toBe(true);
      expect(verifyEntries([], head)).toEqual({ ok: false, checked: 0, firstBroken: { seq: 1, reason: 'truncated' } });
    });
  });
});

describe('outbox', () => {
  it('stamps records with strictly increasing HLCs even when the clock goes backwards', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    const tCreated = desk.now();
    desk.advance(-60 * 60 * 1000); // the laptop clock is corrected an hour back
    await desk.call('tickets.reply', { ticketId: t.id, body: 'Respuesta tras el ajuste de reloj' });
    desk.advance(-DAY_MS);
    await desk.call('tickets.note', { ticketId: t.id, body: 'Otra más' });
    desk.advance(2 * DAY_MS); // and then forward again
    await resignIn(desk); // (the session idled out meanwhile)
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });

    const db = desk.services.ws.db;
    const records = db.prepare('SELECT seq, hlc, device_id AS deviceId, entity, op, created_at AS createdAt FROM outbox ORDER BY seq').all() as Array<{ seq: number; hlc: string; deviceId: string; entity: string; op: string; createdAt: number }>;
    expect(records.length).toBeGreaterThanOrEqual(8); // branch, user, customer, ticket + event, reply, note, status event + ticket
    for (let i = 1; i < records.length; i++) {
      const a = records[i - 1]!;
      const b = records[i]!;
      expect({ seq: b.seq, increasing: a.hlc < b.hlc }).toEqual({ seq: b.seq, increasing: true });
      const da = decodeHlc(a.hlc);
      const db_ = decodeHlc(b.hlc);
      expect(db_.wallMs > da.wallMs || (db_.wallMs === da.wallMs && db_.counter > da.counter)).toBe(true);
    }
    expect(new Set(records.map((r) => r.deviceId))).toEqual(new Set([desk.services.ws.deviceId]));
    // while the clock was behind, HLC wall time stayed at the latest time seen and the counter moved on
    const behind = records.filter((r) => r.createdAt < tCreated);
    // the reply and the note: each its timeline event, the reply its e-mail to the customer; the ticket's
    // updatedAt once, the note's (the outbox compacts the reply's superseded updatedAt away)
    expect(behind.map((r) => r.entity)).toEqual(['ticket_event', 'notification', 'ticket_event', 'ticket']);
    for (const r of behind) expect(decodeHlc(r.hlc).wallMs).toBe(tCreated);
    // once the clock is ahead again, wall time follows it
    expect(decodeHlc(records.at(-1)!.hlc).wallMs).toBe(desk.now());
    // the status change's two records (event, ticket) share the transaction time: counter 0, then 1
    expect(records.filter((r) => r.createdAt === desk.now()).map((r) => decodeHlc(r.hlc).counter)).toEqual([0, 1]);
    expect(records.find((r) => r.entity === 'ticket' && r.op === 'insert')).toBeDefined();
  });

  it('keeps increasing across a restart with an earlier clock', async () => {
    const desk = await desks.ready();
    await desk.call('tickets.create', phoneIntake());
    const lastBefore = desk.services.ws.db.prepare('SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    desk.host.close();
    const reopened = desks.make(desk.dataDir, desk.now() - DAY_MS);
    const s = await reopened.call('auth.signIn', { username: 'admin', password: 'contraseña-segura-1' }, null);
    reopened.token = s.token;
    await reopened.call('customers.create', { rfc: 'PAN990101AB5', name: 'Panadería', registeredEmail: 'p@x.example.mx' });
    const after = reopened.services.ws.db.prepare('SELECT hlc FROM outbox WHERE hlc > ? ORDER BY seq').pluck().all(lastBefore) as string[];
    const total = reopened.services.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
    const beforeCount = reopened.services.ws.db.prepare('SELECT COUNT(*) FROM outbox WHERE hlc <= ?').pluck().get(lastBefore) as number;
    expect(after.length).toBe(total - beforeCount);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(decodeHlc(after[0]!).wallMs).toBe(decodeHlc(lastBefore).wallMs);
  });
});
