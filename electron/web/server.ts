/**
 * The web host: serves the renderer build and the same core handler map over HTTP on
 * 127.0.0.1, so the real UI runs in any browser (and in Chromium for E2E tests) where Electron
 * cannot. Access works as in Jupyter: the host prints a link with a one-time secret to the
 * terminal that started it; the first visit with it exchanges the secret for an HttpOnly,
 * SameSite=Strict cookie and redirects to the clean address (and the terminal gets a new link for
 * another browser). The page itself carries no secret, so a local process that fetches `/` learns
 * nothing; without the cookie `/` explains where to find the link. Every API call needs the cookie
 * and an `Origin` equal to the host's own; the Host header is checked so other sites cannot reach
 * it through DNS rebinding.
 */
import type { FreeSpaceReader } from '../core/backup/space';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
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
  /** Told the next one-time link after the current one was used (the terminal prints it). */
  onNewLink?: (url: string) => void;
  /** Largest request body accepted (attachments travel base64-encoded). */
  maxBodyBytes?: number;
  /** How many bodies larger than LARGE_BODY_BYTES may be received at once. */
  maxLargeBodies?: number;
  /** Serve the build's source maps (`HELPDESK_SOURCE_MAPS=1`, for development); off by default. */
  sourceMaps?: boolean;
  /** A request (headers and body) not fully received within this time is dropped. */
  requestTimeoutMs?: number;
  /** The free bytes on a disk (outside the app; screenshots and tests of the no-room notice inject it). */
  freeSpace?: FreeSpaceReader;
}

export interface WebHost {
  /** The clean address (what the browser shows after the exchange). */
  url: string;
  /** The current one-time link (`url` + `/?token=…`); it changes each time one is used. */
  openUrl(): string;
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
  const realRendererDir = existsSync(rendererDir) ? realpathSync(rendererDir) : rendererDir;
  const secret = () => randomBytes(24).toString('base64url');
  let linkSecret = secret();
  /** Cookie values handed out by the exchange; valid for the host's life. */
  const cookies = new Set<string>();
  let cookieName = 'helpdesk';
  const host = openHost({ dataDir: opts.dataDir, now: opts.now, freeSpace: opts.freeSpace });
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxLargeBodies = opts.maxLargeBodies ?? 2;
  let largeBodies = 0;
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  let allowedHosts: string[] = [];

  // A client that sends half a request and waits is dropped (408) once the timeout passes; the
  // check runs every second instead of Node's default 30 s so "within the timeout" holds.
  const server: Server = createServer({ requestTimeout, headersTimeout: Math.min(requestTimeout, 10_000), connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(req, res).catch((err) => {
      if (res.destroyed) return; // the client is gone: nobody to answer
      console.error('[web] request failed', err);
      send(res, 500, { ok: false, error: { code: 'errors.internal' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts.includes(hostHeader)) return send(res, 421, { ok: false, error: { code: 'api.badToken' } });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = safeDecode(url.pathname);
    if (pathname === null) return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
    const signedIn = hasCookie(req);
    if (pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'api.badEnvelope' } });
      // Browsers send Origin on every POST; another site's page (or a missing header) is refused.
      if (req.headers.origin !== `http://${hostHeader}`) return send(res, 403, { ok: false, error: { code: 'api.badToken' } });
      if (!signedIn) return send(res, 401, { ok: false, error: { code: 'api.badToken' } });
      const declared = Number(req.headers['content-length'] ?? 0);
      const large = declared > LARGE_BODY_BYTES || req.headers['content-length'] === undefined;
      if (declared > maxBody) return refuseBody(req, res, 413, { code: 'attachments.tooLarge', params: { fileName: '', size: '', limit: `${Math.round(maxBody / 1048576)} MB` } });
      // Large bodies (attachments) are held in memory whole: only a few at a time.
      if (large && largeBodies >= maxLargeBodies) return refuseBody(req, res, 503, { code: 'api.busy' });
      if (large) largeBodies++;
      let body: string | null;
      try {
        body = await readBody(req, maxBody);
      } finally {
        if (large) largeBodies--;
      }
      if (body === null) return refuseBody(req, res, 413, { code: 'attachments.tooLarge', params: { fileName: '', size: '', limit: `${Math.round(maxBody / 1048576)} MB` } });
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
      }
      const envelope = callEnvelopeSchema.safeParse(json);
      if (!envelope.success) return send(res, 400, { ok: false, error: { code: 'api.badEnvelope' } });
      const result = await host.call(pathname.slice('/api/'.length), envelope.data.input, envelope.data.session ?? null);
      return send(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'api.badEnvelope' } });
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!signedIn && !sameSecret(given, linkSecret)) return sendHelpPage(res);
      const headers: Record<string, string> = { location: pathname, 'cache-control': 'no-store', ...SECURITY_HEADERS };
      if (!signedIn) {
        // The link is spent: a new cookie for this browser, a new link for the next one.
        const value = secret();
        cookies.add(value);
        headers['set-cookie'] = `${cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/`;
        linkSecret = secret();
        opts.onNewLink?.(openUrl());
      }
      res.writeHead(303, headers);
      res.end();
      return;
    }
    if ((pathname === '/' || pathname === '/index.html') && !signedIn) return sendHelpPage(res);
    serveStatic(pathname, res);
  }

  function hasCookie(req: IncomingMessage): boolean {
    const value = parseCookies(req.headers.cookie)[cookieName];
    return value !== undefined && cookies.has(value);
  }

  /** A file of the build, or null: outside it (also through a symlink), not a file, or a source map in production. */
  function buildFile(pathname: string): string | null {
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) return null;
    if (extname(file) === '.map' && !opts.sourceMaps) return null;
    const real = realpathSync(file);
    if (!real.startsWith(realRendererDir + sep) || !statSync(real).isFile()) return null;
    return real;
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const file = buildFile(pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('Not found');
      return;
    }
    const content = readFileSync(file);
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(content);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // Cookies do not tell ports apart: one name per port keeps two hosts from mixing them up.
  cookieName = `helpdesk-${port}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const openUrl = () => `${baseUrl}/?token=${linkSecret}`;
  return {
    url: baseUrl,
    openUrl,
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

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The largest legitimate call: one attachment at the organization's largest allowed size
 * (50 MiB, settingsUpdateSchema) travels base64-encoded (4/3 of it) in a JSON envelope.
 */
export const MAX_BODY_BYTES = Math.ceil((50 * 1024 * 1024 * 4) / 3) + 1024 * 1024;
/** Bodies above this count against the cap on large bodies received at once. */
const LARGE_BODY_BYTES = 1024 * 1024;

/** The body, or null as soon as it passes `max` (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= max) return void chunks.push(c);
      req.off('data', onData);
      req.pause();
      ok(null);
    };
    req.on('data', onData);
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
    // Dropped half-way (the client went away, or the request timeout closed it).
    req.on('close', () => !req.complete && fail(Object.assign(new Error('request aborted'), { code: 'ECONNRESET' })));
  });
}

/** Answers without reading the body, and closes the connection so the unread rest goes nowhere. */
function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, error: { code: string; params?: Record<string, string> }): void {
  res.setHeader('connection', 'close');
  send(res, status, { ok: false, error });
  res.on('finish', () => req.destroy());
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** What a browser without the cookie gets instead of the app: where to find the link. */
const HELP_PAGE = `<!doctype html>
<html lang="es-MX">
<head><meta charset="utf-8"><title>Mesa de Ayuda</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}h1{font-size:1.4rem}hr{margin:2rem 0}</style></head>
<body>
<h1>Abra Mesa de Ayuda con su enlace de acceso</h1>
<p>Por seguridad, esta página solo se abre con el enlace de acceso que aparece en la terminal donde se inició Mesa de Ayuda
(<code>npm run web</code>), en la línea que empieza con «ready at». Cada enlace sirve una sola vez; al usarlo, la terminal muestra uno nuevo para otro navegador.</p>
<hr>
<h1 lang="en">Open Mesa de Ayuda with its access link</h1>
<p lang="en">For security, this page only opens with the access link shown in the terminal where Mesa de Ayuda was started
(<code>npm run web</code>), on the line that begins with “ready at”. Each link works once; when it is used, the terminal shows a new one for another browser.</p>
</body>
</html>
`;

function sendHelpPage(res: ServerResponse): void {
  res.writeHead(401, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    ...SECURITY_HEADERS,
  });
  res.end(HELP_PAGE);
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
  const web = await startWebHost({
    dataDir,
    port,
    now,
    sourceMaps: process.env.HELPDESK_SOURCE_MAPS === '1',
    onNewLink: (url) => console.log(`The access link was used. For another browser: ${url} (works once)`),
  });
  console.log(`Mesa de Ayuda web host ready at ${web.openUrl()} (data: ${dataDir}; the link works once)`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  void main();
}
