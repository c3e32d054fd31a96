/**
 * Live changes across server processes (issue 11): two server instances on one real PostgreSQL
 * (each its own pool and its own LISTEN connection), MTY's device talking to the first and GDL's
 * to the second. GDL's background sync polls only once an hour here, so a change pushed at MTY
 * reaches GDL within a second only through NOTIFY → the second instance → GDL's event stream.
 * Then the second instance restarts: GDL's stream reconnects by itself and pulls what it missed.
 * The same over PGlite, one process (its notifications are in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { setupAdmin } from '../../../server/commands/admin';
import { openPglite, openPostgres, type Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { ADMIN_PASSWORD, type TestDesk } from '../../fixtures/workspace';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../fixtures/postgres';
import { deskPool } from '../core/helpers';
import { SERVER_ADMIN_PASSWORD } from './harness';

const desks = deskPool();

async function listen(db: Db, port = 0): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildServer({ db });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

async function until(what: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (!what()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

const setups = [
  { name: 'two server instances on one PostgreSQL', available: postgresBinDir() !== null, instances: 2 },
  { name: 'one server on PGlite', available: true, instances: 1 },
];

describe.each(setups)('live changes: $name', ({ available, instances }) => {
  let pg: TestPostgres | null = null;
  const dbs: Db[] = [];
  const servers: Array<{ app: FastifyInstance; url: string }> = [];
  let auth: Record<string, string> = {};

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(servers[0]!.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    if (!available) return;
    if (instances === 2) {
      pg = await startPostgres();
      dbs.push(openPostgres(pg.url), openPostgres(pg.url));
    } else {
      dbs.push(await openPglite());
    }
    await migrateServer(dbs[0]!);
    await dbs[0]!.tx((sql) => setupAdmin(sql, 'central', SERVER_ADMIN_PASSWORD, Date.now()));
    for (const db of dbs) servers.push(await listen(db));
    auth = { authorization: `Bearer ${(await post('/v1/admin/sign-in', { username: 'central', password: SERVER_ADMIN_PASSWORD })).token as string}` };
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.app.close();
    for (const db of dbs) await db.close();
    pg?.stop();
  }, 60_000);

  async function branch(site: string, serverUrl: string, live: boolean): Promise<TestDesk> {
    // Polling once an hour: only the live stream can bring a change in time.
    const desk = desks.make(undefined, Date.now(), live ? { intervalMs: 3_600_000, debounceMs: 3_600_000 } : false);
    desk.token = (await desk.call('auth.setup', {
      branchCode: site, branchName: `Sucursal ${site}`, timeZone: 'America/Mexico_City',
      username: `admin.${site.toLowerCase()}`, fullName: `Administración ${site}`, password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null)).token;
    await post('/v1/admin/branches', { code: site, name: `Sucursal ${site}`, timeZone: 'America/Mexico_City' }, auth);
    const code = (await post('/v1/admin/enrolment-codes', { branchCode: site }, auth)).code as string;
    await desk.call('sync.enrol', { url: serverUrl, code });
    return desk;
  }

  const hasUser = (desk: TestDesk, username: string) => desk.services.ws.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username) !== undefined;

  it.skipIf(!available)('a push to one instance wakes a device connected to the other within a second; a dropped stream reconnects and catches up', async () => {
    const mty = await branch('MTY', servers[0]!.url, false);
    const gdl = await branch('GDL', servers[instances - 1]!.url, true);
    const bg = gdl.services.syncBackground;
    await until(() => bg.liveConnected() && !gdl.services.sync.isRunning(), 10_000);

    // A user created at MTY is the organization's: GDL pulls it.
    await mty.call('users.create', { username: 'lupita', fullName: 'Lupita Ramos', password: 'frase-de-prueba-larga-7', confirmPassword: 'frase-de-prueba-larga-7', roles: ['agent'] });
    const pushed = await mty.call('sync.now', {});
    expect(pushed.push.applied).toBeGreaterThan(0);
    const arrivedMs = await until(() => hasUser(gdl, 'lupita'), 1_000);
    expect(arrivedMs).toBeLessThan(1_000);

    // GDL's instance restarts (a deploy): the stream drops, reopens on its own, and what was pushed meanwhile arrives.
    const last = servers[instances - 1]!;
    const port = Number(new URL(last.url).port);
    await last.app.close();
    await until(() => !bg.liveConnected(), 5_000);
    await mty.call('users.create', { username: 'oscar', fullName: 'Óscar Pérez', password: 'frase-de-prueba-larga-7', confirmPassword: 'frase-de-prueba-larga-7', roles: ['operations'] });
    // With two instances MTY pushes to the one still up; with one, it pushes once that one is back.
    if (instances === 2) await mty.call('sync.now', {});
    servers[instances - 1] = await listen(dbs[instances - 1]!, port);
    if (instances === 1) await mty.call('sync.now', {});
    await until(() => hasUser(gdl, 'oscar'), 10_000);
    await until(() => bg.liveConnected() && !gdl.services.sync.isRunning(), 10_000);
  }, 60_000);
});
