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

export const SERVER_PASSWORD = 'servidor-central-clave-1';

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
  admin(path: string, body: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startSyncServer(extraEnv: Record<string, string> = {}): Promise<SyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-sync-e2e-'));
  const env = { ...process.env, SYNC_DATA_DIR: join(dataDir, 'pg'), SYNC_ADMIN_PASSWORD: SERVER_PASSWORD, ...extraEnv };
  execFileSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--setup', '--username', 'central'], { env, stdio: 'pipe' });
  const port = await freePort();
  // Its request log is not needed here: nobody reads it, so it goes nowhere (a full pipe would stall the server).
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (i > 300) throw new Error('sync server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const post = async (path: string, body: unknown, token?: string) =>
    (await (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const token = (await post('/v1/admin/sign-in', { username: 'central', password: SERVER_PASSWORD })).token as string;
  return {
    url, dataDir, child,
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
