/**
 * The central server for E2E specs: `npm run server`'s code as a child process on PGlite in a temp
 * folder, with its administrator set up (shared by the sync and portal specs).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export const SERVER_PASSWORD = 'servidor-del-norte-clave-1';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

export interface SyncServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** The first-run page's setup code the server printed (only when started without an administrator). */
  setupCode: string | null;
  admin(path: string, body: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** `setUp: false` starts it with no administrator, as a new installation: its first-run page is open, with the code it prints. */
export async function startSyncServer(extraEnv: Record<string, string> = {}, opts: { setUp?: boolean } = {}): Promise<SyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-sync-e2e-'));
  const env = { ...process.env, SYNC_DATA_DIR: join(dataDir, 'pg'), SYNC_ADMIN_PASSWORD: SERVER_PASSWORD, ...extraEnv };
  const setUp = opts.setUp ?? true;
  if (setUp) execFileSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--setup', '--username', 'central'], { env, stdio: 'pipe' });
  const port = await freePort();
  // Its request log is not needed here: read only for the setup code, and drained (a full pipe would stall the server).
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', String(port)], { env, stdio: ['ignore', setUp ? 'ignore' : 'pipe', 'inherit'] });
  let setupCode: string | null = null;
  const printed = new Promise<void>((resolve) => {
    if (setUp) return resolve();
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (setupCode) return;
      out += chunk.toString('utf8');
      const match = /escriba el código (\S+)/.exec(out);
      if (match) {
        setupCode = match[1]!;
        resolve();
      }
    });
  });
  const url = `http://127.0.0.1:${port}`;
  // A new data folder is created and migrated first: on a loaded machine that takes minutes.
  const deadline = Date.now() + 420_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL'); // never left behind
        throw new Error('sync server did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await printed;
  const post = async (path: string, body: unknown, token?: string) =>
    (await (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const token = setUp ? (await post('/v1/admin/sign-in', { username: 'central', password: SERVER_PASSWORD })).token as string : undefined;
  return {
    url, dataDir, child, setupCode,
    admin: (path, body) => post(path, body, token),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function enrolmentCode(server: SyncServer, site: string): Promise<string> {
  await server.admin('/v1/admin/branches', { code: site, name: `Sucursal ${site}`, timeZone: 'America/Mexico_City' });
  return (await server.admin('/v1/admin/enrolment-codes', { branchCode: site })).code as string;
}

/** A contract call from the page, as the renderer makes it (the host's cookie; the tab's session unless another is given). */
export async function api<T = unknown>(page: Page, method: string, input: unknown, session?: string): Promise<T> {
  const result = await page.evaluate(async ([m, i, s]) => {
    const token = s ?? sessionStorage.getItem('helpdesk.session');
    const res = await fetch(`/api/${m as string}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: i, session: token }) });
    return res.json();
  }, [method, input, session ?? null] as const);
  const r = result as { ok: boolean; value?: T; error?: unknown };
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** A branch's network link to the server: a loopback TCP relay the test can cut (the branch is offline) and heal. */
export interface Link {
  url: string;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startLink(serverUrl: string): Promise<Link> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let up = true;
  const relay = createServer((inbound) => {
    if (!up) return inbound.destroy();
    const outbound = connect(Number(target.port), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { inbound.destroy(); outbound.destroy(); });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const { port } = relay.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    // Open connections (the live stream among them) drop at once, as when a cable is pulled.
    cut: () => { up = false; for (const s of sockets) s.destroy(); },
    heal: () => { up = true; },
    close: async () => { up = false; for (const s of sockets) s.destroy(); await new Promise((r) => relay.close(r)); },
  };
}
