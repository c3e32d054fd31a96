/**
 * The customer portal on the central server (issue 13), under /portal: the page (the React app
 * built into dist/portal) and its API. Every response carries a strict CSP and no-sniff headers;
 * every POST needs the CSRF token; each form is parsed with the shared schemas
 * (shared/portal.ts), rate-limited per IP (and per folio for status look-ups), and the ticket form
 * also needs an answered bot challenge and an empty honeypot. Nothing here reads agents' data.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_PORTAL_BODY_BYTES, portalMessageSchema, portalStatusSchema, portalTicketSchema } from '../../electron/shared/portal';
import type { Db } from '../db';
import { ServerError } from '../errors';
import { parse } from '../validate';
import { addPortalMessage, createPortalTicket, portalStatus } from './commands';
import { portalIdentity, type PortalIdentity } from './feed';
import { checkEvidence } from './files';
import { checkCsrf, CSRF_COOKIE, CSRF_HEADER, issueChallenge, limit, newCsrfToken, RateLimiter, spendChallenge } from './guard';

export interface PortalOptions {
  db: Db;
  now: () => number;
  /** The built page (default dist/portal beside the repository's root). */
  staticDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** Only this page's own scripts, styles and API: no inline code, no other origin, never framed. */
export const PORTAL_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'portal');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
};

export function registerPortal(app: FastifyInstance, opts: PortalOptions): void {
  const { db, now } = opts;
  const env = opts.env ?? process.env;
  const staticDir = opts.staticDir ?? STATIC_DIR;
  const limiter = new RateLimiter();
  let identity: Promise<PortalIdentity> | null = null;
  const portal = () => {
    identity ??= portalIdentity(db, { siteCode: env.PORTAL_SITE_CODE, centralBranch: env.PORTAL_CENTRAL_BRANCH }, now()).catch((err) => {
      identity = null; // try again on the next request
      throw err;
    });
    return identity;
  };

  app.register(async (scope) => {
    scope.addHook('onSend', async (req, reply, payload) => {
      reply.header('content-security-policy', PORTAL_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      reply.header('cross-origin-opener-policy', 'same-origin');
      if (req.url.startsWith('/portal/api/')) reply.header('cache-control', 'no-store');
      return payload;
    });

    const guarded = (req: FastifyRequest) => {
      checkCsrf(req.headers.cookie, req.headers[CSRF_HEADER] as string | undefined);
      return req.ip;
    };

    scope.get('/api/session', async (req, reply) => {
      const token = newCsrfToken();
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header('set-cookie', `${CSRF_COOKIE}=${token}; Path=/portal; HttpOnly; SameSite=Strict${secure}`);
      return { csrfToken: token };
    });

    scope.get('/api/challenge', async (req) => {
      limit(limiter, 'challengePerIp', req.ip, now());
      return issueChallenge((await portal()).challengeKey, now());
    });

    scope.post('/api/tickets', { bodyLimit: MAX_PORTAL_BODY_BYTES }, async (req, reply) => {
      const ip = guarded(req);
      limit(limiter, 'ticketPerIp', ip, now());
      const input = parse(portalTicketSchema, req.body);
      // A filled honeypot is a bot: refused like a failed challenge, nothing said about why.
      if (input.website !== '') throw new ServerError(400, 'portal.challenge');
      const files = checkEvidence(input.attachments);
      const p = await portal();
      const created = await db.tx(async (sql) => {
        await spendChallenge(sql, p.challengeKey, input.challenge, now());
        return createPortalTicket(sql, p, input, files, now());
      });
      return reply.status(201).send(created);
    });

    /** Folio look-ups count per IP and per folio before anything is read: guessing is slow whichever is tried. */
    const lookup = (req: FastifyRequest, trackingNumber: unknown) => {
      const ip = guarded(req);
      limit(limiter, 'lookupPerIp', ip, now());
      const folio = z.string().max(40).safeParse(trackingNumber);
      limit(limiter, 'lookupPerFolio', folio.success ? folio.data.trim().toUpperCase() : '?', now());
    };

    scope.post('/api/status', async (req) => {
      lookup(req, (req.body as { trackingNumber?: unknown } | null)?.trackingNumber);
      const input = parse(portalStatusSchema, req.body);
      return db.tx((sql) => portalStatus(sql, input));
    });

    scope.post('/api/messages', { bodyLimit: MAX_PORTAL_BODY_BYTES }, async (req) => {
      lookup(req, (req.body as { trackingNumber?: unknown } | null)?.trackingNumber);
      const input = parse(portalMessageSchema, req.body);
      const files = checkEvidence(input.attachments);
      const p = await portal();
      return db.tx((sql) => addPortalMessage(sql, p, input, files, now()));
    });

    // The page: index.html for the portal's root, its hashed assets by name (nothing else is served).
    const cache = new Map<string, Buffer>();
    const serve = async (reply: FastifyReply, file: string) => {
      let body = cache.get(file);
      if (!body) {
        try {
          body = await readFile(join(staticDir, file));
        } catch {
          if (file === 'index.html') return reply.status(503).type('text/plain; charset=utf-8').send('El portal no está compilado: npm run build:portal');
          throw new ServerError(404, 'request.unknownRoute');
        }
        cache.set(file, body);
      }
      return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable').send(body);
    };
    scope.get('/', async (_req, reply) => serve(reply, 'index.html'));
    scope.get('/assets/:file', async (req, reply) => {
      const { file } = req.params as { file: string };
      if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new ServerError(404, 'request.unknownRoute');
      return serve(reply, join('assets', file));
    });
  }, { prefix: '/portal' });
}
