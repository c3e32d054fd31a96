/** Shared helpers for the web host tests: a real host on a temp data folder and a tiny build. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startWebHost, type WebHost, type WebHostOptions } from '../../../electron/web/server';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly the given headers (fetch would add or refuse some, e.g. Host). */
export function raw(url: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  const { port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** Every host made through `hosts.start()` is closed and its folders removed after each test. */
export function hostPool() {
  const open: { web: WebHost; dirs: string[] }[] = [];
  afterEach(async () => {
    while (open.length > 0) {
      const { web, dirs } = open.pop()!;
      await web.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
  return {
    async start(opts: Partial<WebHostOptions> = {}): Promise<WebHost & { rendererDir: string; dataDir: string }> {
      const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-web-'));
      const rendererDir = mkdtempSync(join(tmpdir(), 'helpdesk-build-'));
      mkdirSync(join(rendererDir, 'assets'));
      writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Mesa de Ayuda</title></head><body><div id="root"></div></body></html>');
      writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map');
      writeFileSync(join(rendererDir, 'assets', 'app.js.map'), '{"version":3,"sources":["../../renderer/main.tsx"]}');
      const web = await startWebHost({ dataDir, rendererDir, ...opts });
      open.push({ web, dirs: [dataDir, rendererDir] });
      return Object.assign(web, { rendererDir, dataDir });
    },
  };
}

/** Trades the host's one-time link for its cookie, as a browser's first visit does; returns the Cookie header. */
export async function exchangeLink(web: WebHost): Promise<string> {
  const link = new URL(web.openUrl());
  const res = await raw(web.url, { path: link.pathname + link.search, headers: { host: link.host } });
  if (res.status !== 303) throw new Error(`the link was refused: ${res.status}`);
  return String(res.headers['set-cookie']).split(';')[0]!;
}

/** An API call the way the host's own page makes it: its cookie and its Origin. */
export function apiCall(web: WebHost, cookie: string, method: string, input: unknown, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  const host = new URL(web.url).host;
  return raw(web.url, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { host, origin: `http://${host}`, cookie, 'content-type': 'application/json', ...extraHeaders },
    body: JSON.stringify({ input, session: null }),
  });
}
