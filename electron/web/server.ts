/**
 * The web host: serves the renderer build and the same core handler map over HTTP on
 * 127.0.0.1, so the real UI runs in any browser (and in Chromium for E2E tests) where Electron
 * cannot. Every API call must carry the per-start token, which only the served page knows;
 * the Host header is checked so other sites cannot reach it through DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { callEnvelopeSchema } from '../shared/contract';
import { openHost, type Host } from '../core/host';
import { defaultDataDir } from '../core/paths';

export interface WebHostOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  now?: () => number;
  /** Largest request body accepted (attachments travel base64-encoded). */
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  token: string;
  host: Host;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const rendererDir = resolve(opts.rendererDir ?? join(process.cwd(), 'dist', 'renderer'));
  const token = randomBytes(24).toString('base64url');
  const host = openHost({ dataDir: opts.dataDir, now: opts.now });
  const maxBody = opts.maxBodyBytes ?? 80 * 1024 * 1024;
  let allowedHosts: string[] = [];

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[web] request failed', err);
      send(res, 500, { ok: false, error: { code: 'errors.internal' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 421, { ok: false, error: { code: 'api.badToken' } });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'api.badEnvelope' } });
      if (!sameToken(String(req.headers['x-helpdesk-token'] ?? ''), token)) return send(res, 401, { ok: false, error: { code: 'api.badToken' } });
      const body = await readBody(req, maxBody);
      if (body === null) return send(res, 413, { ok: false, error: { code: 'attachments.tooLarge', params: { fileName: '', size: '', limit: `${Math.round(maxBody / 1048576)} MB` } } });
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
      }
      const envelope = callEnvelopeSchema.safeParse(json);
      if (!envelope.success) return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
      const method = safeDecode(url.pathname.slice('/api/'.length));
      if (method === null) return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
      const result = await host.call(method, envelope.data.input, envelope.data.session ?? null);
      return send(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'api.badEnvelope' } });
    const pathname = safeDecode(url.pathname);
    if (pathname === null) return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
    serveStatic(pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('Not found');
      return;
    }
    let content: Buffer | string = readFileSync(file);
    if (file.endsWith('index.html')) {
      content = content.toString('utf8').replace('<head>', `<head>\n    <meta name="helpdesk-token" content="${token}" />`);
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(content);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    host,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          host.close();
          ok();
        });
      }),
  };
}

/** A path's percent escapes decoded, or null when they are malformed (`/%`): a 400, not a 500. */
function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => ok(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

/** `npm run web`: HELPDESK_PORT (default 5180) and HELPDESK_DATA_DIR (default: the per-user data folder). */
async function main(): Promise<void> {
  const dataDir = process.env.HELPDESK_DATA_DIR || defaultDataDir();
  const port = process.env.HELPDESK_PORT ? Number(process.env.HELPDESK_PORT) : 5180;
  const fixedNow = process.env.HELPDESK_NOW ? Date.parse(process.env.HELPDESK_NOW) : NaN;
  // Test mode: HELPDESK_NOW pins the clock's start; time then runs forward from it.
  const now = Number.isNaN(fixedNow) ? undefined : ((start) => () => fixedNow + (Date.now() - start))(Date.now());
  const web = await startWebHost({ dataDir, port, now });
  console.log(`Mesa de Ayuda web host ready at ${web.url} (data: ${dataDir})`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  void main();
}
