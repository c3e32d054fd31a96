/**
 * The server's own pages (the customer portal, /portal, and the administration pages, /admin):
 * each a small React app built by Vite into dist/<name>, served with the same strict headers —
 * only the page's own scripts, styles and API, never framed, never sniffed — and only its
 * index.html and hashed assets (nothing else on disk is reachable).
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ServerError } from './errors';

/** Only this page's own scripts, styles and API: no inline code, no other origin, never framed. */
export const PAGE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** dist/<name> beside the repository's root, where `vite build -c <name>/vite.config.ts` puts the page. */
export const builtDir = (name: string) => join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', name);

/** The strict headers on every answer of a page's scope; its API's answers are never cached. */
export function securePage(scope: FastifyInstance, apiPrefix: string): void {
  scope.addHook('onSend', async (req, reply, payload) => {
    // A route may set a stricter policy of its own (the portal's logo: an image, never a document that runs anything).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', PAGE_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (req.url.startsWith(apiPrefix)) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/** Serves the built page: index.html at the scope's root, its hashed assets by name. `buildHint` says how to build it when missing. */
export function servePage(scope: FastifyInstance, staticDir: string, buildHint: string, pagePaths: readonly string[] = []): void {
  const cache = new Map<string, Buffer>();
  const serve = async (reply: FastifyReply, file: string) => {
    let body = cache.get(file);
    if (!body) {
      try {
        body = await readFile(join(staticDir, file));
      } catch {
        if (file === 'index.html') return reply.status(503).type('text/plain; charset=utf-8').send(buildHint);
        throw new ServerError(404, 'request.unknownRoute');
      }
      cache.set(file, body);
    }
    return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable').send(body);
  };
  scope.get('/', async (_req, reply) => serve(reply, 'index.html'));
  // Addresses of the page's own views (e.g. the portal's /articulos/:id): the same index.html, which routes.
  for (const path of pagePaths) scope.get(path, async (_req, reply) => serve(reply, 'index.html'));
  scope.get('/assets/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new ServerError(404, 'request.unknownRoute');
    return serve(reply, join('assets', file));
  });
}
