/**
 * The sync server end to end (issue 11): real workspaces (SQLite) enrol, push their outbox and
 * upload their audit chains over HTTP to the server on a real PostgreSQL cluster and on PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyServerAudit } from '../../../server/commands/audit';
import { loadServerMigrations, migrateServer } from '../../../server/migrate';
import { SyncClient, SyncFailure } from '../../../electron/core/sync/client';
import { MAX_BATCH, type Mutation } from '../../../electron/shared/sync/protocol';
import { encodeHlc } from '../../../electron/shared/hlc';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, deskAt, startTestServer, type TestServer } from './harness';

const desks = deskPool();

/** Another ticket for the customer of `first` (a second new customer with the same RFC is refused). */
async function anotherTicket(desk: TestDesk, first: { id: string }, overrides: Record<string, unknown> = {}) {
  const customerId = desk.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(first.id) as string;
  return desk.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, ...overrides }));
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))('sync server on %s', (_name, backend) => {
  let server: TestServer;
  let site = 0;
  /** A new site code per test: tests share one database. */
  const nextSite = () => `S${(site++).toString().padStart(3, '0')}${backend.name.startsWith('PG') ? 'L' : 'P'}`;

  beforeAll(async () => {
    if (backend.available) server = await startTestServer(backend);
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);

  /** A set-up desk at a new branch, enrolled with the server. */
  async function enrolledDesk(): Promise<{ desk: TestDesk; client: SyncClient; site: string }> {
    const code = nextSite();
    const desk = await deskAt(() => desks.make(), code);
    const client = new SyncClient(desk.services);
    const me = await desk.call('auth.me', {});
    await client.enrol(me.id, server.url, await server.branchWithCode(code));
    return { desk, client, site: code };
  }

  const serverCount = async (sql: string, params: unknown[] = []) => Number((await server.db.query<{ n: number }>(sql, params))[0]!.n);
  const device = (desk: TestDesk) => desk.services.ws.deviceId;

  it.skipIf(!backend.available)('a branch pushes its whole outbox in order; a replay changes nothing; no password hash travels', async () => {
    const { desk, client } = await enrolledDesk();
    const ticket = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.note', { ticketId: ticket.id, body: 'Se revisa el sello.' });
    await desk.userWithRoles('lupita', ['agent']);
    const outbox = desk.services.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
    const records = () => desk.services.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;

    // The server's answer to the first push is lost (the device is killed, the network drops):
    // the server has the batch, the device still holds every record and sends it again.
    let answers = 0;
    const losing = new SyncClient(desk.services, async (url, init) => {
      const res = await fetch(url, init);
      if (String(url).endsWith('/v1/push') && answers++ === 0) throw new TypeError('fetch failed');
      return res;
    });
    await expect(losing.push()).rejects.toMatchObject({ code: 'sync.offline' });
    expect(records()).toBe(outbox);
    const replay = await losing.push();
    expect(replay.duplicate).toBeGreaterThan(0);
    expect(replay.applied + replay.duplicate).toBe(outbox);

    // The outbox keeps only what the server has not acknowledged: the newest acknowledged record
    // stays (the tip of the outbox's sequence and clock), the rest is gone.
    expect(records()).toBe(1);
    expect((await client.syncNow()).push).toEqual({ applied: 0, rejected: 0, duplicate: 0 });
    expect(client.status()).toMatchObject({ enrolled: true, pending: 0, rejected: 0, lastError: null });
    expect(await serverCount("SELECT COUNT(*) AS n FROM mutations WHERE device_id = $1 AND status = 'applied'", [device(desk)])).toBe(outbox);
    const seqs = (await server.db.query<{ push_seq: number }>('SELECT push_seq FROM mutations WHERE device_id = $1 ORDER BY server_seq', [device(desk)])).map((r) => r.push_seq);
    expect(seqs).toEqual(Array.from({ length: outbox }, (_, i) => i + 1));
    const [row] = await server.db.query<{ data: { trackingNumber: string; subject: string } }>("SELECT data FROM entities WHERE entity = 'ticket' AND entity_id = $1", [ticket.id]);
    expect(row!.data).toMatchObject({ trackingNumber: ticket.trackingNumber, subject: ticket.subject });
    expect(await serverCount("SELECT COUNT(*) AS n FROM mutations WHERE payload::text LIKE '%scrypt$%' OR payload ? 'passwordHash'")).toBe(0);
    expect((await server.db.query<{ roles: string[] }>("SELECT roles FROM users WHERE username = 'lupita' AND home_branch = $1", [desk.services.users.branch()!.code]))[0]!.roles).toEqual(['agent']);
    expect(await serverCount('SELECT COUNT(*) AS n FROM mutations WHERE device_id = $1', [device(desk)])).toBe(outbox);

    // Later writes continue the push numbers after the acknowledged (deleted) ones, gap-free.
    await desk.call('tickets.note', { ticketId: ticket.id, body: 'Se reenvió el XML.' });
    const more = records() - 1;
    expect((await client.syncNow()).push).toEqual({ applied: more, rejected: 0, duplicate: 0 });
    const after = (await server.db.query<{ push_seq: number }>('SELECT push_seq FROM mutations WHERE device_id = $1 ORDER BY server_seq', [device(desk)])).map((r) => r.push_seq);
    expect(after).toEqual(Array.from({ length: outbox + more }, (_, i) => i + 1));
    expect(records()).toBe(1);
  });

  it.skipIf(!backend.available)('through the app\'s methods: a mutation the acting user\'s role forbids is rejected with its reason and listed', async () => {
    const code = nextSite();
    const desk = await deskAt(() => desks.make(), code);
    const enrolCode = await server.branchWithCode(code);
    expect((await desk.fail('sync.enrol', { url: 'http://192.168.1.20:8787', code: enrolCode })).fields).toEqual({ url: 'sync.urlInsecure' });
    expect(await desk.call('sync.enrol', { url: server.url, code: enrolCode.toLowerCase() })).toMatchObject({ enrolled: true, url: server.url });
    const agent = await desk.userWithRoles('pepe', ['agent']);
    // A tampered client: an agent's write that the local core would have refused (promoting someone to administrator).
    desk.services.ws.write({ kind: 'user', userId: agent.id }, (tx) => tx.outbox('user', agent.id, 'update', { roles: ['administrator'] }));
    const run = await desk.call('sync.now', {}, agent.token);
    expect(run.push.rejected).toBe(1);
    expect(await desk.call('sync.rejected', {})).toEqual([expect.objectContaining({ entity: 'user', entityId: agent.id, reason: 'sync.forbidden', payload: { roles: ['administrator'] } })]);
    expect((await server.db.query<{ roles: string[] }>('SELECT roles FROM users WHERE id = $1', [agent.id]))[0]!.roles).toEqual(['agent']);
    expect(await desk.call('sync.status', {}, agent.token)).toMatchObject({ pending: 0, rejected: 1, lastError: null, lastSyncAt: desk.now() });
  });

  it.skipIf(!backend.available)('refuses reordered, holed, oversized and truncated batches whole, and payloads carrying a password hash', async () => {
    const { desk, client } = await enrolledDesk();
    await client.push();
    const auth = { authorization: `Device ${device(desk)}.${desk.services.ws.getSetting('sync.secret')}` };
    const last = Number(desk.services.ws.getSetting('sync.pushAcked'));
    const me = (await desk.call('auth.me', {})).id;
    let n = 0;
    const mutation = (pushSeq: number, payload: Record<string, unknown> = { name: 'Cliente' }): Mutation => ({
      pushSeq, id: `0190a000-0000-7000-8000-${(n++).toString().padStart(12, '0')}`,
      hlc: encodeHlc({ wallMs: Date.now(), counter: n, deviceId: device(desk) }), actorKind: 'user', actorId: me,
      entity: 'customer', entityId: `0190a000-0000-7000-9000-${n.toString().padStart(12, '0')}`, op: 'insert', payload, createdAt: Date.now(),
    });
    const before = await serverCount('SELECT COUNT(*) AS n FROM mutations WHERE device_id = $1', [device(desk)]);

    const reordered = await server.post('/v1/push', { mutations: [mutation(last + 2), mutation(last + 1)] }, auth);
    expect(reordered.status).toBe(400);
    expect(reordered.body.error.details.fields.mutations).toBe('sync.batchNotContiguous');
    const holed = await server.post('/v1/push', { mutations: [mutation(last + 3)] }, auth);
    expect(holed).toEqual({ status: 409, body: { error: { code: 'sync.gap', details: { expected: last + 1, got: last + 3 } } } });
    const oversized = await server.post('/v1/push', { mutations: Array.from({ length: MAX_BATCH + 1 }, (_, i) => mutation(last + 1 + i)) }, auth);
    expect(oversized.body.error.details.fields.mutations).toBe('sync.batchTooLarge');
    const huge = await server.post('/v1/push', { mutations: [mutation(last + 1, { name: 'x'.repeat(9 * 1024 * 1024) })] }, auth);
    expect(huge).toEqual({ status: 413, body: { error: { code: 'sync.bodyTooLarge' } } });
    const truncated = await server.post('/v1/push', JSON.stringify({ mutations: [mutation(last + 1)] }).slice(0, 90), auth);
    expect(truncated).toEqual({ status: 400, body: { error: { code: 'request.invalid' } } });
    expect(await serverCount('SELECT COUNT(*) AS n FROM mutations WHERE device_id = $1', [device(desk)])).toBe(before);

    const secret = await server.post('/v1/push', { mutations: [mutation(last + 1, { name: 'x', contacts: [{ passwordHash: 'scrypt$1' }] })] }, auth);
    expect(secret.body.results).toEqual([{ pushSeq: last + 1, status: 'rejected', reason: 'sync.secretInPayload' }]);
    expect(await serverCount("SELECT COUNT(*) AS n FROM entities WHERE data::text LIKE '%scrypt$1%'")).toBe(0);
    // On the bulk path too (a ticket's field edit), with the key spelled with JSON escapes: the quick text check does not let it by.
    const hidden = { ...mutation(last + 2), entity: 'ticket', op: 'update' as const };
    const body = JSON.stringify({ mutations: [hidden] }).replace('"payload":{', '"payload":{"\\u0074oken":"abc123",');
    const escaped = await server.post('/v1/push', body, auth);
    expect(escaped.body.results).toEqual([{ pushSeq: last + 2, status: 'rejected', reason: 'sync.secretInPayload' }]);
  });

  it.skipIf(!backend.available)('refuses a forged or revoked device credential, and a used or mismatched enrolment code', async () => {
    const { desk, client, site } = await enrolledDesk();
    const forged = await server.post('/v1/push', { mutations: [] }, { authorization: `Device ${device(desk)}.${'A'.repeat(43)}` });
    expect(forged.status).toBe(400); // an empty batch is malformed before anyone is asked who sends it
    const forgedPull = await server.post('/v1/pull', {}, { authorization: `Device ${device(desk)}.${'A'.repeat(43)}` });
    expect(forgedPull).toEqual({ status: 401, body: { error: { code: 'sync.badCredential' } } });
    expect((await server.post('/v1/pull', {}, {})).body.error.code).toBe('sync.credentialRequired');

    const code = await server.branchWithCode(site);
    const other = await deskAt(() => desks.make(), 'ZZ' + site.slice(1));
    const mismatch = await server.post('/v1/enrol', { code, deviceId: device(other), siteCode: other.services.users.branch()!.code, deviceName: 'otra' });
    expect(mismatch.body.error.code).toBe('sync.siteMismatch');
    const me = (await desk.call('auth.me', {})).id;
    await new SyncClient(desk.services).enrol(me, server.url, code); // re-enrolment with a fresh code: a new secret
    await expect(client.push()).resolves.toBeDefined();
    await expect(new SyncClient(other.services).enrol((await other.call('auth.me', {})).id, server.url, code)).rejects.toMatchObject({ code: 'sync.badCode' });

    const revoke = await fetch(`${server.url}/v1/admin/devices/${device(desk)}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(revoke.status).toBe(200);
    await desk.call('tickets.create', phoneIntake());
    await expect(client.syncNow()).rejects.toBeInstanceOf(SyncFailure);
    expect(client.status()).toMatchObject({ lastError: 'sync.deviceRevoked' });
    expect(client.status().pending).toBeGreaterThan(0); // nothing lost: it waits in the outbox
  });

  it.skipIf(!backend.available)('each device\'s audit chain is uploaded intact onto the server chain, which verifies; a broken link is refused', async () => {
    const a = await enrolledDesk();
    const b = await enrolledDesk();
    const first = await a.desk.call('tickets.create', phoneIntake());
    await a.client.syncNow();
    await b.client.syncNow();
    await anotherTicket(a.desk, first, { subject: 'Segundo' });
    await a.client.syncNow();
    const local = (d: TestDesk) => d.services.ws.db.prepare('SELECT COUNT(*) FROM audit_log WHERE device_id = ?').pluck().get(device(d)) as number;
    expect(await serverCount('SELECT COUNT(*) AS n FROM audit_entries WHERE device_id = $1', [device(a.desk)])).toBe(local(a.desk));
    expect(await serverCount('SELECT COUNT(*) AS n FROM audit_entries WHERE device_id = $1', [device(b.desk)])).toBe(local(b.desk));
    const verified = await verifyServerAudit(server.db);
    expect(verified).toMatchObject({ ok: true, firstBroken: null });
    expect(verified.checked).toBe(await serverCount('SELECT COUNT(*) AS n FROM audit_entries'));

    // A forged continuation: the right predecessor, but the entry was altered after hashing.
    const auth = { authorization: `Device ${device(a.desk)}.${a.desk.services.ws.getSetting('sync.secret')}` };
    await anotherTicket(a.desk, first, { subject: 'Tercero' });
    const next = a.desk.services.ws.db.prepare(
      `SELECT seq, id, device_id AS deviceId, at, actor_id AS actorId, actor_kind AS actorKind, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
       FROM audit_log WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT 1`,
    ).get(device(a.desk), Number(a.desk.services.ws.getSetting('sync.auditSeq'))) as Record<string, unknown>;
    expect((await server.post('/v1/audit', { entries: [{ ...next, action: 'ticket.deleted' }] }, auth)).body.error).toEqual({ code: 'audit.badHash', details: { seq: next.seq } });
    expect((await server.post('/v1/audit', { entries: [{ ...next, prevHash: 'f'.repeat(64) }] }, auth)).body.error.code).toBe('audit.brokenLink');
    await a.client.syncNow();
    expect((await verifyServerAudit(server.db)).ok).toBe(true);

    // Someone with database access edits a stored entry: the verification names it.
    const [victim] = await server.db.query<{ chain_seq: number; action: string }>('SELECT chain_seq, action FROM audit_entries WHERE device_id = $1 ORDER BY chain_seq LIMIT 1', [device(b.desk)]);
    const edit = (action: string) => server.db.exec(
      `ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only; UPDATE audit_entries SET action = '${action}' WHERE chain_seq = ${victim!.chain_seq};
       ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;`,
    );
    await edit('ticket.deleted');
    try {
      expect(await verifyServerAudit(server.db)).toMatchObject({ ok: false, firstBroken: { chainSeq: victim!.chain_seq, deviceId: device(b.desk), reason: 'hash' } });
    } finally {
      await edit(victim!.action);
    }
    await expect(server.db.query('DELETE FROM audit_entries WHERE chain_seq = $1', [victim!.chain_seq])).rejects.toThrow(/append-only/);
  });

  it.skipIf(!backend.available)('an escalated ticket reaches another branch, its answer comes back, and a pending local edit survives the pull', async () => {
    const mty = await enrolledDesk();
    const gdl = await enrolledDesk();
    // Its own RFC: the tests share one server, and the same RFC registered at two branches is not merged yet.
    const customer = { kind: 'new', rfc: 'MAS050315AB1', name: 'Masa y Maíz SA de CV', email: 'facturas@masa.example.mx', phone: '81 1234 0000' };
    const ticket = await mty.desk.call('tickets.create', phoneIntake({ customer, severity: 2, subject: 'Falla de timbrado masiva' }));
    await mty.desk.call('tickets.moveTier', { ticketId: ticket.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' });
    await mty.client.syncNow();
    const pulled = await gdl.client.syncNow();
    expect(pulled.pull.applied).toBeGreaterThan(0);
    const atGdl = (await gdl.desk.call('tickets.get', { ticketId: ticket.id })).ticket;
    expect(atGdl).toMatchObject({ trackingNumber: ticket.trackingNumber, tier: 'operations', subject: 'Falla de timbrado masiva' });
    expect((await gdl.desk.call('tickets.sla', { ticketId: ticket.id })).metrics.length).toBeGreaterThan(0); // clocks on GDL's calendars

    // GDL's specialist answers; meanwhile MTY edits the subject offline (not pushed yet).
    await gdl.desk.call('tickets.note', { ticketId: ticket.id, body: 'Revisamos el PAC: el certificado venció.' });
    await gdl.desk.call('tickets.update', { ticketId: ticket.id, subject: 'Asunto desde GDL' });
    await gdl.client.syncNow();
    mty.desk.advance(60_000); // a minute later by MTY's clock
    await mty.desk.call('tickets.update', { ticketId: ticket.id, subject: 'Asunto desde MTY' });
    await mty.client.pull();
    const atMty = await mty.desk.call('tickets.get', { ticketId: ticket.id });
    expect(atMty.timeline.map((e) => e.body)).toContain('Revisamos el PAC: el certificado venció.');
    expect(atMty.ticket.subject).toBe('Asunto desde MTY'); // the pending local edit stays until the server decides

    // MTY's edit is later by HLC: once pushed and pulled everywhere, both branches agree on it.
    await mty.client.syncNow();
    await gdl.client.syncNow();
    expect((await gdl.desk.call('tickets.get', { ticketId: ticket.id })).ticket.subject).toBe('Asunto desde MTY');
    expect((await server.db.query<{ data: { subject: string } }>("SELECT data FROM entities WHERE entity = 'ticket' AND entity_id = $1", [ticket.id]))[0]!.data.subject).toBe('Asunto desde MTY');
  });

  it.skipIf(!backend.available)('migrations are recorded with their hash: a second run applies nothing, an edited one is refused', async () => {
    expect(await migrateServer(server.db)).toBe(0);
    const edited = loadServerMigrations().map((m, i) => (i === 0 ? { ...m, hash: 'f'.repeat(64) } : m));
    await expect(migrateServer(server.db, edited)).rejects.toMatchObject({ code: 'db.migrationEdited' });
  });

  it.skipIf(!backend.available)('a branch pulls the organization\'s customers and the tickets escalated past the service desk, not another branch\'s own tickets', async () => {
    const mty = await enrolledDesk();
    const gdl = await enrolledDesk();
    const local = await mty.desk.call('tickets.create', phoneIntake());
    const escalated = await anotherTicket(mty.desk, local, { severity: 2, subject: 'Falla de timbrado masiva' });
    await mty.desk.call('tickets.moveTier', { ticketId: escalated.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' });
    await mty.client.syncNow();
    const auth = { authorization: `Device ${device(gdl.desk)}.${gdl.desk.services.ws.getSetting('sync.secret')}` };
    const pulled = [];
    let cursor = 0;
    for (;;) {
      const page = await server.post('/v1/pull', { cursor, limit: 50 }, auth);
      expect(page.status).toBe(200);
      pulled.push(...page.body.changes);
      cursor = page.body.cursor;
      if (!page.body.more) break;
    }
    const ids = new Set(pulled.map((c: { entityId: string }) => c.entityId));
    expect(ids.has(escalated.id)).toBe(true);
    expect(ids.has(local.id)).toBe(false);
    expect(pulled.some((c: { entity: string }) => c.entity === 'customer')).toBe(true);
    expect(pulled.every((c: { deviceId: string }) => c.deviceId !== device(gdl.desk))).toBe(true);
    const again = await server.post('/v1/pull', { cursor }, auth);
    expect(again.body).toMatchObject({ more: false, cursor });
    expect(again.body.changes.filter((c: { deviceId: string }) => c.deviceId === device(mty.desk))).toEqual([]);
  });
});
