/**
 * Two branches on one sync server, through the app's own methods (issue 11): a PGlite server with
 * its data in a temp folder, two real workspaces (two SQLite files) enrolled as MTY and GDL. A
 * ticket written at MTY while the server is down goes up when it is back, reaches GDL's Operación
 * specialist, GDL's answer comes back to MTY, and both devices' audit chains verify on the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { setupAdmin } from '../../../server/commands/admin';
import { verifyServerAudit } from '../../../server/commands/audit';
import { openPglite, type Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { ADMIN_PASSWORD, USER_PASSWORD, phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { SERVER_ADMIN_PASSWORD } from './harness';

const desks = deskPool();

describe('two branches on one sync server (PGlite in a folder)', () => {
  let dir: string;
  let db: Db;
  let app: FastifyInstance | null = null;
  let port = 0;
  let url = '';
  let adminToken = '';

  /** (Re)starts the server on the same folder and port: the data survives a restart. */
  async function startServer(): Promise<void> {
    db = await openPglite(join(dir, 'server'));
    await migrateServer(db);
    app = buildServer({ db });
    await app.listen({ port, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    url = `http://127.0.0.1:${port}`;
  }
  async function stopServer(): Promise<void> {
    await app?.close();
    app = null;
    await db.close();
  }
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as Record<string, unknown>;
  };
  async function enrolmentCode(site: string): Promise<string> {
    const auth = { authorization: `Bearer ${adminToken}` };
    await post('/v1/admin/branches', { code: site, name: `Sucursal ${site}`, timeZone: 'America/Mexico_City' }, auth);
    return (await post('/v1/admin/enrolment-codes', { branchCode: site }, auth)).code as string;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helpdesk-sync-'));
    await startServer();
    await db.tx((sql) => setupAdmin(sql, 'central', SERVER_ADMIN_PASSWORD, Date.now()));
    adminToken = (await post('/v1/admin/sign-in', { username: 'central', password: SERVER_ADMIN_PASSWORD })).token as string;
  }, 120_000);
  afterAll(async () => {
    if (app) await stopServer();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** A branch set up through the app and enrolled through `sync.enrol`, as the Sincronización screen does. */
  async function branch(site: string): Promise<TestDesk> {
    // Users are the organization's: each branch's first administrator has a name of their own.
    const desk = desks.make(undefined, Date.now());
    desk.token = (await desk.call('auth.setup', {
      branchCode: site, branchName: `Sucursal ${site}`, timeZone: 'America/Mexico_City',
      username: `admin.${site.toLowerCase()}`, fullName: `Administración ${site}`, password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null)).token;
    expect(await desk.call('sync.enrol', { url, code: await enrolmentCode(site) })).toMatchObject({ enrolled: true, branch: site, pending: expect.any(Number) });
    return desk;
  }

  it('a ticket written offline at MTY reaches GDL\'s specialist, the answer comes back, both audit chains verify, and MTY\'s agent signs in at GDL', async () => {
    const mty = await branch('MTY');
    const gdl = await branch('GDL');
    const lupita = await mty.userWithRoles('lupita', ['agent']);
    const oscar = await gdl.userWithRoles('oscar', ['operations']);
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});

    // The server goes down; MTY keeps working.
    await stopServer();
    const local = await mty.call('tickets.create', phoneIntake({ subject: 'Duda de uso del portal' }), lupita.token);
    const customerId = mty.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(local.id) as string;
    const ticket = await mty.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, severity: 2, subject: 'Falla de timbrado masiva' }), lupita.token);
    await mty.call('tickets.moveTier', { ticketId: ticket.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' }, lupita.token);
    const offline = await mty.raw('sync.now', {}, lupita.token);
    expect(offline).toMatchObject({ ok: false, error: { code: 'sync.offline' } });
    const waiting = await mty.call('sync.status', {}, lupita.token);
    expect(waiting).toMatchObject({ lastError: 'sync.offline', lastErrorAt: expect.any(Number) });
    expect(waiting.pending).toBeGreaterThan(0);
    expect(await gdl.fail('tickets.get', { ticketId: ticket.id }, oscar.token)).toMatchObject({ code: 'tickets.notFound' });

    // Back online: MTY pushes, GDL pulls. Timed from MTY's push to the ticket readable at GDL.
    await startServer();
    const t0 = performance.now();
    const up = await mty.call('sync.now', {}, lupita.token);
    expect(up.push.rejected).toBe(0);
    const down = await gdl.call('sync.now', {}, oscar.token);
    const atGdl = await gdl.call('tickets.get', { ticketId: ticket.id }, oscar.token);
    const roundTripMs = performance.now() - t0;
    expect(down.pull.failed).toEqual([]);
    expect(atGdl.ticket).toMatchObject({ trackingNumber: ticket.trackingNumber, tier: 'operations', subject: 'Falla de timbrado masiva' });
    expect((await gdl.call('board.load', {}, oscar.token)).columns.find((c) => c.tier === 'operations')!.cards.map((c) => c.id)).toContain(ticket.id);
    // MTY's own service-desk ticket stays at MTY.
    expect(await gdl.fail('tickets.get', { ticketId: local.id }, oscar.token)).toMatchObject({ code: 'tickets.notFound' });
    expect(await mty.call('sync.status', {}, lupita.token)).toMatchObject({ pending: 0, rejected: 0, lastError: null });

    // GDL's specialist answers and hands the ticket back to MTY's service desk.
    await gdl.call('tickets.note', { ticketId: ticket.id, body: 'El certificado del PAC venció; se renovó.' }, oscar.token);
    await gdl.call('tickets.handBack', { ticketId: ticket.id, cause: 'Certificado vencido del PAC.', solution: 'Se renovó el certificado.' }, oscar.token);
    const boardBefore = await mty.call('board.version', {}, lupita.token);
    await gdl.call('sync.now', {}, oscar.token);
    const back = await mty.call('sync.now', {}, lupita.token);
    expect(back.pull.failed).toEqual([]);
    const atMty = await mty.call('tickets.get', { ticketId: ticket.id }, lupita.token);
    expect(atMty.ticket.tier).toBe('service_desk');
    expect(atMty.timeline.map((e) => e.body)).toContain('El certificado del PAC venció; se renovó.');
    // The board (and every screen that follows its version) reloads after the pull.
    expect(await mty.call('board.version', {}, lupita.token)).not.toBe(boardBefore);

    // Both audit chains arrived whole and verify on the server.
    const verified = await verifyServerAudit(db);
    expect(verified).toMatchObject({ ok: true, devices: 2 });
    for (const desk of [mty, gdl]) {
      const local = desk.services.ws.db.prepare('SELECT COUNT(*) FROM audit_log WHERE device_id = ?').pluck().get(desk.services.ws.deviceId) as number;
      const [row] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM audit_entries WHERE device_id = $1', [desk.services.ws.deviceId]);
      expect(row!.n).toBe(local);
    }
    console.log(`[two branches] MTY push + GDL pull + read: ${roundTripMs.toFixed(0)} ms`);

    // Lupita was created at MTY: her password never travelled, but she signs in at GDL through the
    // server once, and from then on GDL keeps its own hash (offline sign-in works).
    expect(gdl.services.ws.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(lupita.id)).toBe('!');
    expect((await gdl.fail('auth.signIn', { username: 'lupita', password: 'otra-clave-123' }, null)).code).toBe('auth.invalidCredentials');
    const atGdlSession = await gdl.call('auth.signIn', { username: 'lupita', password: USER_PASSWORD }, null);
    expect((await gdl.call('auth.me', {}, atGdlSession.token)).id).toBe(lupita.id);
    expect(gdl.services.ws.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'user.passwordFromServer' AND entity_id = ?").pluck().get(lupita.id)).toBe(1);
    const [stored] = await db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM mutations WHERE payload::text LIKE '%scrypt$%'");
    expect(stored!.n).toBe(0); // the hash went in its own call, never in a mutation
    // MTY's administrator resets her password: GDL's kept hash is dropped at the next pull, the new
    // password works there through the server, the old one no longer does.
    mty.advance(60_000);
    await mty.call('users.resetPassword', { userId: lupita.id, password: 'clave-nueva-456' });
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect((await gdl.fail('auth.signIn', { username: 'lupita', password: USER_PASSWORD }, null)).code).toBe('auth.invalidCredentials');
    await gdl.call('auth.signIn', { username: 'lupita', password: 'clave-nueva-456' }, null);
    await stopServer();
    await gdl.call('auth.signIn', { username: 'lupita', password: 'clave-nueva-456' }, null);
    // Oscar (created at GDL) has never signed in at MTY, and MTY cannot ask the server now: refused like any wrong password.
    expect((await mty.fail('auth.signIn', { username: 'oscar', password: USER_PASSWORD }, null)).code).toBe('auth.invalidCredentials');
  }, 120_000);
});
