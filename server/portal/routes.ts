/**
 * The customer portal on the central server (issue 13), under /portal: the page (the React app
 * built into dist/portal) and its API. Every response carries a strict CSP and no-sniff headers;
 * every POST needs the CSRF token; each form is parsed with the shared schemas
 * (shared/portal.ts), rate-limited per IP (and per folio for status look-ups), and the ticket form
 * also needs an answered bot challenge and an empty honeypot. Nothing here reads agents' data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_PORTAL_BODY_BYTES, portalMessageSchema, portalStatusSchema, portalTicketSchema } from '../../electron/shared/portal';
import type { Db } from '../db';
import { ServerError } from '../errors';
import { builtDir, securePage, servePage } from '../static';
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

export function registerPortal(app: FastifyInstance, opts: PortalOptions): void {
  const { db, now } = opts;
  const env = opts.env ?? process.env;
  const staticDir = opts.staticDir ?? builtDir('portal');
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
    securePage(scope, '/portal/api/');

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
    servePage(scope, staticDir, 'El portal no está compilado: npm run build:portal');
  }, { prefix: '/portal' });
}
