/**
 * The app side of sync (issue 11) against a real server on PGlite: background sync driven by an
 * injected clock and timers (start, after local writes, backoff, no overlap, stop on a revoked
 * device), each enrolment failure as its own translatable code, clock skew flagged, un-enrolment.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildServer } from '../../../server/app';
import type { SyncTimers } from '../../../electron/core/sync/background';
import { SKEW_TOLERANCE_MS } from '../../../electron/core/sync/client';
import { applyPulled } from '../../../electron/core/sync/apply';
import { clampHlc, decodeHlc, encodeHlc, MAX_CLOCK_AHEAD_MS } from '../../../electron/shared/hlc';
import type { PulledChange } from '../../../electron/shared/sync/protocol';
import { ADMIN_PASSWORD, phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const pglite = BACKENDS.find((b) => b.name === 'PGlite')!;
const DAY = 86_400_000;

/** Timers a test advances by hand; the clock is the desk's. */
class ManualTimers implements SyncTimers {
  private next = 1;
  readonly queue = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly desk: () => TestDesk) {}
  now(): number {
    return this.desk().now();
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.set(id, { at: this.now() + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }
  /** Moves the desk's clock to the next timer and fires it. */
  fireNext(): number {
    const [id, t] = [...this.queue.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
    this.queue.delete(id);
    const d = this.desk();
    if (t.at > d.now()) d.advance(t.at - d.now());
    t.fn();
    return t.at;
  }
}

async function settled(desk: TestDesk): Promise<void> {
  for (let i = 0; i < 600 && desk.services.sync.status().running; i++) await new Promise((r) => setTimeout(r, 10));
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('sync in the app, on a PGlite server', () => {
  let server: TestServer;
  let site = 0;
  const nextSite = () => `A${(site++).toString().padStart(3, '0')}`;

  beforeAll(async () => {
    server = await startTestServer(pglite);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);

  async function setUp(desk: TestDesk, code: string): Promise<TestDesk> {
    desk.token = (await desk.call('auth.setup', {
      branchCode: code, branchName: `Sucursal ${code}`, timeZone: 'America/Mexico_City',
      username: 'admin', fullName: 'Ana Administradora', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null)).token;
    return desk;
  }

  it('background sync: at once when enrolled, shortly after a local write, then on the interval; backoff doubles up to its cap; a revoked device stops it', async () => {
    const code = nextSite();
    const ref: { desk?: TestDesk } = {};
    const timers = new ManualTimers(() => ref.desk!);
    const desk = (ref.desk = await setUp(desks.make(undefined, Date.now(), { timers, intervalMs: 60_000, debounceMs: 2_000, firstRetryMs: 5_000, maxRetryMs: 40_000 }), code));
    expect(timers.queue.size).toBe(0); // not enrolled: nothing planned

    await desk.call('sync.enrol', { url: server.url, code: await server.branchWithCode(code) });
    expect((await desk.call('sync.status', {})).nextAttemptAt).toBe(desk.now());
    timers.fireNext();
    await settled(desk);
    const first = await desk.call('sync.status', {});
    expect(first).toMatchObject({ pending: 0, lastError: null, lastSyncAt: desk.now(), nextAttemptAt: desk.now() + 60_000 });

    // A write plans a run two seconds later; more writes in between share it.
    await desk.call('tickets.create', phoneIntake());
    const at = desk.now();
    expect((await desk.call('sync.status', {})).nextAttemptAt).toBe(at + 2_000);
    desk.advance(500);
    await desk.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId: desk.services.ws.db.prepare('SELECT id FROM customers').pluck().get() }, subject: 'Otra duda' }));
    expect((await desk.call('sync.status', {})).nextAttemptAt).toBe(at + 2_000);
    expect(timers.queue.size).toBe(1);
    expect(timers.fireNext()).toBe(at + 2_000);
    await settled(desk);
    expect(await desk.call('sync.status', {})).toMatchObject({ pending: 0, nextAttemptAt: at + 2_000 + 60_000 });

    // No overlap: a second run asked for while one is going joins it.
    const [a, b] = await Promise.all([desk.services.sync.syncNow(), desk.services.sync.syncNow()]);
    expect(a).toBe(b); // the same run's summary, not two runs

    // The server goes away: 5 s, 10 s, 20 s, 40 s, 40 s; a local write does not cut the wait short.
    const url = desk.services.ws.getSetting('sync.url')!;
    desk.services.ws.db.prepare("UPDATE settings SET value = ? WHERE key = 'sync.url'").run(`http://127.0.0.1:${await closedPort()}`);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = desk.now();
      const planned = (await desk.call('sync.status', {})).nextAttemptAt!;
      if (i > 0) waits.push(planned - before);
      timers.fireNext();
      await settled(desk);
    }
    waits.push((await desk.call('sync.status', {})).nextAttemptAt! - desk.now());
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 40_000]);
    const planned = (await desk.call('sync.status', {})).nextAttemptAt;
    await desk.call('tickets.note', { ticketId: desk.services.ws.db.prepare('SELECT id FROM tickets').pluck().get() as string, body: 'Sin conexión.' });
    expect((await desk.call('sync.status', {})).nextAttemptAt).toBe(planned);
    expect(await desk.call('sync.status', {})).toMatchObject({ lastError: 'sync.offline' });

    // Back: the next attempt succeeds and the interval resumes.
    desk.services.ws.db.prepare("UPDATE settings SET value = ? WHERE key = 'sync.url'").run(url);
    timers.fireNext();
    await settled(desk);
    expect(await desk.call('sync.status', {})).toMatchObject({ pending: 0, lastError: null, nextAttemptAt: desk.now() + 60_000 });

    // Revoked on the server: no more retries until the administrator acts.
    await fetch(`${server.url}/v1/admin/devices/${desk.services.ws.deviceId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } });
    timers.fireNext();
    await settled(desk);
    expect(await desk.call('sync.status', {})).toMatchObject({ lastError: 'sync.deviceRevoked', nextAttemptAt: null });
    await desk.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId: desk.services.ws.db.prepare('SELECT id FROM customers').pluck().get() }, subject: 'Tercera' }));
    expect(timers.queue.size).toBe(0);

    // Un-enrolled: the device works alone; the sync bookkeeping is gone, the Bitácora says who did it.
    const status = await desk.call('sync.unenrol', {});
    expect(status).toMatchObject({ enrolled: false, url: null, branch: null, lastError: null });
    expect(status.pending).toBeGreaterThan(0); // unsent work stays, for a later enrolment
    expect(desk.services.ws.db.prepare("SELECT COUNT(*) FROM settings WHERE key LIKE 'sync.%'").pluck().get()).toBe(0);
    expect(desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'sync.unenrolled'").pluck().get()).toContain(code);
    expect((await desk.fail('sync.unenrol', {})).code).toBe('sync.notEnrolled');
  }, 120_000);

  it('every enrolment failure has its own code: nobody answers at the address, TLS to a plain port, not a sync server, a used code, a code of another branch', async () => {
    const code = nextSite();
    const desk = await setUp(desks.make(), code);
    const enrolCode = await server.branchWithCode(code);
    const web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Bienvenido</html>'));
    const webPort = await listen(web);
    try {
      const fail = async (url: string, c = enrolCode) => (await desk.fail('sync.enrol', { url, code: c })).code;
      expect(await fail(`http://127.0.0.1:${await closedPort()}`)).toBe('sync.unreachable');
      expect(await fail(`https://127.0.0.1:${webPort}`)).toBe('sync.tls');
      expect(await fail(`http://127.0.0.1:${webPort}`)).toBe('sync.notSyncServer');
      expect(await fail(server.url, 'AAAA-BBBB-CCCC')).toBe('sync.badCode');
      expect(await fail(server.url, await server.branchWithCode(nextSite()))).toBe('sync.siteMismatch');
      expect(desk.services.ws.db.prepare("SELECT COUNT(*) FROM settings WHERE key LIKE 'sync.%'").pluck().get()).toBe(0);
      await desk.call('sync.enrol', { url: server.url, code: enrolCode });
      // A code works once.
      const other = await setUp(desks.make(), code);
      expect((await other.fail('sync.enrol', { url: server.url, code: enrolCode })).code).toBe('sync.badCode');
    } finally {
      await new Promise((r) => web.close(r));
    }
  }, 60_000);

  it('a device clock two days behind the server is flagged, and syncing still works', async () => {
    const code = nextSite();
    const desk = await setUp(desks.make(undefined, Date.now() - 2 * DAY), code);
    await desk.call('sync.enrol', { url: server.url, code: await server.branchWithCode(code) });
    await desk.call('sync.now', {});
    const status = await desk.call('sync.status', {});
    expect(status.lastError).toBeNull();
    expect(status.clockSkewMs).toBeGreaterThan(2 * DAY - 60_000);
    const right = await setUp(desks.make(undefined, Date.now()), nextSite());
    await right.call('sync.enrol', { url: server.url, code: await server.branchWithCode(right.services.users.branch()!.code) });
    expect(Math.abs((await right.call('sync.status', {})).clockSkewMs ?? 0)).toBeLessThan(SKEW_TOLERANCE_MS);
  }, 60_000);

  it('a device clock two days ahead is clamped to the server\'s and flagged: a later write from a right clock wins, and nobody\'s clock is dragged ahead', async () => {
    // A second server process on the same database, with a clock the test moves.
    const start = Date.now();
    let serverNow = start;
    const app = buildServer({ db: server.db, now: () => serverNow });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    onTestFinished(() => app.close());
    const ahead = await setUp(desks.make(undefined, start + 2 * DAY), nextSite());
    const right = await setUp(desks.make(undefined, start), nextSite());
    for (const d of [ahead, right]) await d.call('sync.enrol', { url, code: await server.branchWithCode(d.services.users.branch()!.code) });
    const ticket = await ahead.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'RAC050315AB2', name: 'Relojes Adelantados SA de CV', email: 'a@relojes.example.mx', phone: '81 1234 0001' }, severity: 2 }));
    await ahead.call('tickets.moveTier', { ticketId: ticket.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' });
    await ahead.call('tickets.update', { ticketId: ticket.id, subject: 'Desde el reloj adelantado' });
    await ahead.call('sync.now', {});
    await right.call('sync.now', {});
    // Ten minutes later, by the server's clock and the right one.
    serverNow += 10 * 60_000;
    right.advance(10 * 60_000);
    await right.call('tickets.update', { ticketId: ticket.id, subject: 'Desde el reloj correcto' });
    await right.call('sync.now', {});
    await ahead.call('sync.now', {});

    const [row] = await server.db.query<{ data: { subject: string } }>("SELECT data FROM entities WHERE entity = 'ticket' AND entity_id = $1", [ticket.id]);
    expect(row!.data.subject).toBe('Desde el reloj correcto');
    expect((await ahead.call('tickets.get', { ticketId: ticket.id })).ticket.subject).toBe('Desde el reloj correcto');
    const flagged = await server.db.query<{ device_id: string; clock_skew_ms: string | null; hlc: string; device_hlc: string }>(
      "SELECT device_id, clock_skew_ms, hlc, device_hlc FROM mutations WHERE entity = 'ticket' AND entity_id = $1 AND payload ? 'subject' ORDER BY server_seq", [ticket.id],
    );
    const mine = flagged.filter((m) => m.device_id === ahead.services.ws.deviceId);
    expect(mine.length).toBeGreaterThan(0);
    for (const m of mine) {
      expect(Number(m.clock_skew_ms)).toBeGreaterThan(2 * DAY - 10 * 60_000);
      expect(decodeHlc(m.hlc).wallMs).toBeLessThanOrEqual(start + MAX_CLOCK_AHEAD_MS);
      expect(m.device_hlc > m.hlc).toBe(true); // what the device stamped is kept
    }
    expect(flagged.filter((m) => m.device_id === right.services.ws.deviceId).every((m) => m.clock_skew_ms === null)).toBe(true);
    // The right clock pulled the ahead device's changes with clamped HLCs: its own next write is not days ahead.
    await right.call('tickets.note', { ticketId: ticket.id, body: 'Nota después de recibir.' });
    const lastHlc = right.services.ws.db.prepare('SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    expect(decodeHlc(lastHlc).wallMs).toBeLessThan(start + DAY);
  }, 60_000);

  it('clamping keeps one device\'s order: two writes far ahead, then one on time, merge in the order they were made', () => {
    const device = '0190a000-0000-7000-8000-00000000beef';
    const now = Date.UTC(2026, 11, 7);
    const first = clampHlc(encodeHlc({ wallMs: now + 2 * DAY, counter: 0, deviceId: device }), now, null);
    const second = clampHlc(encodeHlc({ wallMs: now + 2 * DAY + 1000, counter: 0, deviceId: device }), now, first.hlc);
    const onTime = clampHlc(encodeHlc({ wallMs: now + 60_000, counter: 0, deviceId: device }), now + 60_000, second.hlc);
    expect(first.skewMs).toBe(2 * DAY);
    expect(first.hlc < second.hlc && second.hlc < onTime.hlc).toBe(true);
    expect(onTime.skewMs).toBe(0);
    expect(decodeHlc(second.hlc).wallMs).toBe(now + MAX_CLOCK_AHEAD_MS);
    const fine = encodeHlc({ wallMs: now + 1000, counter: 3, deviceId: device });
    expect(clampHlc(fine, now, null)).toEqual({ hlc: fine, skewMs: 0 });
  });

  it('a timeline entry pulled before its ticket (the ticket on the next page) waits for it instead of failing', async () => {
    const desk = await desks.ready();
    const me = (await desk.call('auth.me', {})).id;
    const customer = await desk.call('tickets.create', phoneIntake());
    const customerId = desk.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(customer.id) as string;
    const device = '0190a000-0000-7000-8000-00000000abcd';
    const ticketId = '0190a000-0000-7000-8000-000000000001';
    const hlc = (n: number) => encodeHlc({ wallMs: desk.now(), counter: n, deviceId: device });
    const event: PulledChange = {
      serverSeq: 11, deviceId: device, hlc: hlc(1), actorId: me, entity: 'ticket_event', entityId: '0190a000-0000-7000-8000-000000000002', op: 'insert',
      payload: { ticketId, kind: 'created', body: '', data: {} }, createdAt: desk.now(),
    };
    const ticket: PulledChange = {
      serverSeq: 12, deviceId: device, hlc: hlc(2), actorId: me, entity: 'ticket', entityId: ticketId, op: 'insert',
      payload: { ...phoneIntake(), customerId, trackingNumber: 'GDL-000001', tier: 'service_desk', status: 'open' }, createdAt: desk.now(),
    };
    const other: PulledChange = { ...ticket, serverSeq: 10, entity: 'user', entityId: me, op: 'update', payload: { fullName: 'Ana A.' }, hlc: hlc(0) };
    let deferred: number | null = -1;
    // Page 1 ends with the entry; its ticket is on page 2.
    expect(applyPulled(desk.services, [other, event], (_tx, first) => (deferred = first))).toEqual({ applied: 1, ignored: 0, failed: [] });
    expect(deferred).toBe(11);
    // Page 2 starts again at the entry (the cursor stayed before it) and has the ticket.
    expect(applyPulled(desk.services, [event, ticket], (_tx, first) => (deferred = first))).toEqual({ applied: 2, ignored: 0, failed: [] });
    expect(deferred).toBeNull();
    expect(desk.services.ws.db.prepare('SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?').pluck().get(ticketId)).toBe(1);
  });
});
