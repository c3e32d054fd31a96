/**
 * The app's own `app://` scheme (issue 15): the renderer is served from dist/renderer as
 * `app://mesa/…` instead of `file://`, so the page has a real origin of its own, the `file:`
 * protocol keeps no extra privileges (the GrantFileProtocolExtraPrivileges fuse is off) and no
 * page can read other files on the disk through it.
 *
 * Everything here is plain Node: `resolveAppFile` decides which file a URL may read and
 * `appResponse` builds the answer, both unit-tested (test/unit/electron/app-protocol.test.ts);
 * main.ts only hands Electron's `protocol.handle` a function that calls them.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mesa';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer document: the only page allowed to navigate to and to call IPC. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** What Electron's `protocol.registerSchemesAsPrivileged` is given before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: relative URLs and an origin like http's; secure: treated as https (no mixed content);
  // supportFetchAPI: the renderer's fetch of its own assets works. No CORS bypass, no service workers.
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, allowServiceWorkers: false, stream: false },
} as const;

/** Content types of what the renderer build contains; anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type AppFileResolution = { ok: true; path: string; contentType: string } | { ok: false; status: 400 | 404 };

/**
 * The file under `root` that `url` names, or why none is served. Refused: another scheme or host,
 * malformed escapes, NUL, backslashes and encoded separators (`%2F`, `%5C`), any `..` or `.`
 * segment (before or after decoding), source maps, types outside the build's own, and — after
 * following symbolic links — anything whose real path is not inside the real `root`.
 */
export async function resolveAppFile(url: string, root: string): Promise<AppFileResolution> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password || parsed.port) {
    return { ok: false, status: 404 };
  }
  // The WHATWG parser already folds "/a/../b" and "%2e%2e"; what is left is checked raw and decoded.
  const rawPath = parsed.pathname === '/' ? '/index.html' : parsed.pathname;
  if (/%2f|%5c|%00/i.test(rawPath) || rawPath.includes('\\')) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400 };
  }
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '' || segment.includes('\0'))) {
    return { ok: false, status: 400 };
  }
  const extension = extname(decoded).toLowerCase();
  const contentType = CONTENT_TYPES[extension];
  if (!contentType) return { ok: false, status: 404 };

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(root);
    realFile = await realpath(join(realRoot, ...segments));
  } catch {
    return { ok: false, status: 404 };
  }
  const inside = relative(realRoot, realFile);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return { ok: false, status: 404 };
  return { ok: true, path: realFile, contentType };
}

/** Headers every answer carries: no MIME sniffing, and the same CSP the document declares. */
const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

export interface AppResponseInit {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | string;
}

/** The answer to one `app://` request (GET and HEAD only); what Electron's handler wraps in a Response. */
export async function appResponse(method: string, url: string, root: string): Promise<AppResponseInit> {
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...COMMON_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Method Not Allowed' };
  }
  const file = await resolveAppFile(url, root);
  if (!file.ok) {
    return { status: file.status, headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: file.status === 400 ? 'Bad Request' : 'Not Found' };
  }
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = new Uint8Array(await readFile(file.path));
  } catch {
    return { status: 404, headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not Found' };
  }
  return {
    status: 200,
    headers: { ...COMMON_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' },
    body: method === 'HEAD' ? new Uint8Array() : body,
  };
}
