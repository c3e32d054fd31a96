/** The sync server for tests: real PostgreSQL (a throwaway cluster) or PGlite, listening on a loopback port. */
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { setupAdmin } from '../../../server/commands/admin';
import { openPglite, openPostgres, type Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { ADMIN_PASSWORD, type TestDesk } from '../../fixtures/workspace';
import { postgresBinDir, startPostgres } from '../../fixtures/postgres';

export const SERVER_ADMIN_PASSWORD = 'servidor-del-norte-clave-1';

export interface Backend {
  name: string;
  available: boolean;
  open(): Promise<{ db: Db; stop(): Promise<void>; url?: string; cpuSeconds?: () => number | null }>;
}

export const BACKENDS: Backend[] = [
  {
    name: postgresBinDir() ? 'PostgreSQL' : 'PostgreSQL (skipped: Debian postgresql binaries not installed; .ci/run installs them)',
    available: postgresBinDir() !== null,
    async open() {
      const pg = await startPostgres();
      const db = openPostgres(pg.url);
      return { db, url: pg.url, cpuSeconds: pg.cpuSeconds, stop: async () => { await db.close(); pg.stop(); } };
    },
  },
  {
    name: 'PGlite',
    available: true,
    async open() {
      const db = await openPglite();
      return { db, stop: () => db.close() };
    },
  },
];

export interface TestServer {
  db: Db;
  /** The PostgreSQL server's URL (another server process can open it); null on PGlite. */
  pgUrl: string | null;
  /** CPU-seconds PostgreSQL's own processes have used so far (benchmarks); null on PGlite (it runs inside this process). */
  pgCpuSeconds(): number | null;
  app: FastifyInstance;
  url: string;
  adminToken: string;
  /** POSTs JSON and returns status and parsed body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Creates a branch and a one-time enrolment code for it. */
  branchWithCode(code: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(backend: Backend): Promise<TestServer> {
  const { db, stop, url: pgUrl = null, cpuSeconds = () => null } = await backend.open();
  await migrateServer(db);
  await db.tx((sql) => setupAdmin(sql, 'central', SERVER_ADMIN_PASSWORD, Date.now()));
  const app = buildServer({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const signIn = await post('/v1/admin/sign-in', { username: 'central', password: SERVER_ADMIN_PASSWORD });
  const adminToken = signIn.body.token as string;
  const auth = { authorization: `Bearer ${adminToken}` };
  return {
    db, pgUrl, app, url, adminToken, post, pgCpuSeconds: cpuSeconds,
    async branchWithCode(code) {
      const branch = await post('/v1/admin/branches', { code, name: `Sucursal ${code}`, timeZone: 'America/Mexico_City' }, auth);
      if (branch.status !== 201 && branch.body?.error?.code !== 'sync.siteCodeTaken') throw new Error(JSON.stringify(branch.body));
      const enrol = await post('/v1/admin/enrolment-codes', { branchCode: code }, auth);
      return enrol.body.code as string;
    },
    async close() {
      await app.close();
      await stop();
    },
  };
}

/** A workspace set up as branch `code` (its first administrator also works the desk). */
export async function deskAt(make: () => TestDesk, code: string): Promise<TestDesk> {
  const d = make();
  const session = await d.call('auth.setup', {
    branchCode: code, branchName: `Sucursal ${code}`, timeZone: 'America/Mexico_City',
    username: 'admin', fullName: 'Ana Administradora', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
  }, null);
  d.token = session.token;
  return d;
}

/** A workspace set up as branch `site` (its first administrator named `username`: names are the organization's) and enrolled on `server`. */
export async function enrolledDesk(make: () => TestDesk, server: TestServer, site: string, username = `admin.${site.toLowerCase()}`): Promise<TestDesk> {
  const d = make();
  d.token = (await d.call('auth.setup', {
    branchCode: site, branchName: `Sucursal ${site}`, timeZone: 'America/Mexico_City',
    username, fullName: `Administración ${username}`, password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
  }, null)).token;
  await d.call('sync.enrol', { url: server.url, code: await server.branchWithCode(site) });
  return d;
}
