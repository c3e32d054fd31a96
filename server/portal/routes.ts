/**
 * The customer portal on the central server (issue 13), under /portal: the page (the React app
 * built into dist/portal) and its API. Every response carries a strict CSP and no-sniff headers;
 * every POST needs the CSRF token; each form is parsed with the shared schemas
 * (shared/portal.ts), rate-limited per IP (and per folio for status look-ups), and the ticket form
 * also needs an answered bot challenge and an empty honeypot. Nothing here reads agents' data.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  accountMessageSchema, accountTicketSchema, accountTicketsSchema, MAX_PORTAL_BODY_BYTES, PORTAL_SESSION_TTL_MS, portalMessageSchema, portalStatusSchema,
  articleReadSchema, articleSearchSchema, portalTicketSchema, signInLinkSchema, signInSchema, surveyAnswerSchema,
} from '../../electron/shared/portal';
import type { Db } from '../db';
import { ServerError } from '../errors';
import { builtDir, securePage, servePage } from '../static';
import { parse } from '../validate';
import { accountTicket, accountTickets, requestSignInLink, sessionEmail, signIn, signOut } from './accounts';
import { answerSurvey, surveyInfo } from './surveys';
import { deflection, markTicketOpened, PublicArticles, recordView } from './articles';
import { PortalBrandingCache } from './branding';
import { adminForToken } from '../commands/admin';
import { addMessageTo, addPortalMessage, createPortalTicket, portalStatus, statusOf } from './commands';
import { portalIdentity, type PortalIdentity } from './feed';
import { checkEvidence } from './files';
import { checkCsrf, cookieValue, CSRF_COOKIE, CSRF_HEADER, issueChallenge, newCsrfToken, RateLimits, spendChallenge } from './guard';
import { ServerMailer, smtpSettingsFromEnv, type SmtpSettings } from './mail';
import type { MailContext } from './notices';

export interface PortalOptions {
  db: Db;
  now: () => number;
  /** The built page (default dist/portal beside the repository's root). */
  staticDir?: string;
  env?: NodeJS.ProcessEnv;
  /** SMTP settings (default: from `env`, see mail.ts); null: mail is queued, not sent. */
  smtp?: SmtpSettings | null;
  /** How often each process looks for queued mail (default 5 s). */
  mailPollMs?: number;
  /** Benchmarks only: false measures the routes themselves, without the rate limits' refusals. */
  rateLimits?: boolean;
}

/** The session cookie a sign-in link opens (the page never reads it). */
export const SESSION_COOKIE = 'portal_session';

export function registerPortal(app: FastifyInstance, opts: PortalOptions): void {
  const { db, now } = opts;
  const env = opts.env ?? process.env;
  const staticDir = opts.staticDir ?? builtDir('portal');
  const limits = opts.rateLimits === false ? { hit: async () => undefined } : new RateLimits(db);
  const articles = new PublicArticles(db);
  const branding = new PortalBrandingCache(db);
  const mailer = new ServerMailer(db, { smtp: opts.smtp === undefined ? smtpSettingsFromEnv(env) : opts.smtp, now, pollMs: opts.mailPollMs });
  app.addHook('onReady', async () => mailer.start());
  app.addHook('onClose', async () => mailer.stop());
  /** Links in mail point here: PORTAL_URL, else the address this server listens on (never the request's Host header, which a caller chooses). */
  const baseUrl = () => {
    if (env.PORTAL_URL) return env.PORTAL_URL;
    const a = app.server.address();
    if (a && typeof a === 'object') return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    return 'http://127.0.0.1:8787';
  };
  const mailContext = (): MailContext => ({ from: mailer.from, publicUrl: env.PORTAL_URL ?? null });
  const secureCookie = (req: FastifyRequest) => (req.protocol === 'https' || env.PORTAL_URL?.startsWith('https:') ? '; Secure' : '');
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
      reply.header('set-cookie', `${CSRF_COOKIE}=${token}; Path=/portal; HttpOnly; SameSite=Strict${secureCookie(req)}`);
      return { csrfToken: token };
    });

    scope.get('/api/challenge', async (req) => {
      await limits.hit('challengePerIp', req.ip, now());
      return issueChallenge((await portal()).challengeKey, now());
    });

    scope.post('/api/tickets', { bodyLimit: MAX_PORTAL_BODY_BYTES }, async (req, reply) => {
      const ip = guarded(req);
      await limits.hit('ticketPerIp', ip, now());
      const input = parse(portalTicketSchema, req.body);
      // A filled honeypot is a bot: refused like a failed challenge, nothing said about why.
      if (input.website !== '') throw new ServerError(400, 'portal.challenge');
      const files = checkEvidence(input.attachments);
      const p = await portal();
      const created = await db.tx(async (sql) => {
        await spendChallenge(sql, p.challengeKey, input.challenge, now());
        if (input.visit) await markTicketOpened(sql, input.visit);
        return createPortalTicket(sql, p, input, files, now(), mailContext());
      });
      mailer.kick(); // the acknowledgement
      return reply.status(201).send(created);
    });

    /** Folio look-ups count per IP and per folio before anything is read: guessing is slow whichever is tried. */
    const lookup = async (req: FastifyRequest, trackingNumber: unknown) => {
      const ip = guarded(req);
      await limits.hit('lookupPerIp', ip, now());
      const folio = z.string().max(40).safeParse(trackingNumber);
      await limits.hit('lookupPerFolio', folio.success ? folio.data.trim().toUpperCase() : '?', now());
    };

    scope.post('/api/status', async (req) => {
      await lookup(req, (req.body as { trackingNumber?: unknown } | null)?.trackingNumber);
      const input = parse(portalStatusSchema, req.body);
      return db.tx((sql) => portalStatus(sql, input));
    });

    scope.post('/api/messages', { bodyLimit: MAX_PORTAL_BODY_BYTES }, async (req) => {
      await lookup(req, (req.body as { trackingNumber?: unknown } | null)?.trackingNumber);
      const input = parse(portalMessageSchema, req.body);
      const files = checkEvidence(input.attachments);
      const p = await portal();
      return db.tx((sql) => addPortalMessage(sql, p, input, files, now()));
    });

    // Signing in by a link sent to the customer's e-mail, and what the session shows.
    scope.post('/api/sign-in-link', async (req, reply) => {
      const ip = guarded(req);
      await limits.hit('signInPerIp', ip, now());
      const { email } = parse(signInLinkSchema, req.body);
      await limits.hit('signInPerEmail', email, now());
      await db.tx((sql) => requestSignInLink(sql, email, baseUrl(), mailContext(), now()));
      mailer.kick();
      // The same answer whether the e-mail is a customer's or not.
      return reply.status(202).send({ requested: true });
    });

    scope.post('/api/sign-in', async (req, reply) => {
      const ip = guarded(req);
      await limits.hit('tokenPerIp', ip, now());
      const { token } = parse(signInSchema, req.body);
      const session = await db.tx((sql) => signIn(sql, token, now()));
      reply.header('set-cookie', `${SESSION_COOKIE}=${session.sessionToken}; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=${PORTAL_SESSION_TTL_MS / 1000}${secureCookie(req)}`);
      return { signedIn: true, expiresAt: session.expiresAt };
    });

    scope.post('/api/sign-out', async (req, reply) => {
      guarded(req);
      await signOut(db, cookieValue(req.headers.cookie, SESSION_COOKIE));
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/portal; HttpOnly; SameSite=Strict; Max-Age=0${secureCookie(req)}`);
      return { signedIn: false };
    });

    /** The signed-in customer's e-mail, counted per session. */
    const account = async (req: FastifyRequest) => {
      const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
      const email = await sessionEmail(db, token, now());
      await limits.hit('accountPerSession', token!, now());
      return email;
    };

    scope.get('/api/account/tickets', async (req) => {
      const filters = parse(accountTicketsSchema, req.query);
      const email = await account(req);
      return accountTickets(db, email, filters);
    });

    scope.post('/api/account/ticket', async (req) => {
      guarded(req);
      const email = await account(req);
      const { trackingNumber } = parse(accountTicketSchema, req.body);
      return db.tx(async (sql) => statusOf(sql, await accountTicket(sql, email, trackingNumber)));
    });

    scope.post('/api/account/messages', { bodyLimit: MAX_PORTAL_BODY_BYTES }, async (req) => {
      guarded(req);
      const email = await account(req);
      const input = parse(accountMessageSchema, req.body);
      const files = checkEvidence(input.attachments);
      const p = await portal();
      return db.tx(async (sql) => addMessageTo(sql, p, await accountTicket(sql, email, input.trackingNumber), input.message, files, now()));
    });

    // The closing e-mail's survey link: what it is about, then the one-click answer.
    scope.post('/api/survey/info', async (req) => {
      const ip = guarded(req);
      await limits.hit('tokenPerIp', ip, now());
      const { token } = parse(signInSchema, req.body);
      return surveyInfo(db, token);
    });

    scope.post('/api/survey', async (req) => {
      const ip = guarded(req);
      await limits.hit('tokenPerIp', ip, now());
      const input = parse(surveyAnswerSchema, req.body);
      const p = await portal();
      return db.tx((sql) => answerSurvey(sql, p, input, now()));
    });

    // Public knowledge-base articles: search (and suggestions while the subject is typed), and one article.
    scope.get('/api/articles', async (req) => {
      await limits.hit('articlesPerIp', req.ip, now());
      const { q, limit: max } = parse(articleSearchSchema, req.query);
      return { articles: await articles.search(q, max) };
    });
    scope.get('/api/articles/:id', async (req) => {
      await limits.hit('articlesPerIp', req.ip, now());
      const { id: raw } = req.params as { id: string };
      // Any id that is not an article's answers like a missing article.
      if (!articleReadSchema.shape.id.safeParse(raw).success) throw new ServerError(404, 'portal.articleNotFound');
      const { id, visit } = parse(articleReadSchema, { ...(req.query as object), id: raw });
      const article = await articles.get(id);
      if (visit) await recordView(db, visit, id, now());
      return article;
    });

    // The organization's name, logo and colours (Administración → Portal de clientes in the app, synced).
    scope.get('/api/branding', async () => (await branding.get()).info);
    // The logo by its SHA-256: only the current one; an image under its own policy (an SVG opened alone runs nothing).
    scope.get('/logo/:sha256', async (req, reply) => {
      const { sha256 } = req.params as { sha256: string };
      const { logo } = await branding.get();
      if (!logo || logo.sha256 !== sha256) throw new ServerError(404, 'request.unknownRoute');
      return reply.type(logo.type).header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header('cache-control', 'public, max-age=31536000, immutable').send(logo.bytes);
    });

    // The page: index.html for the portal's root, its hashed assets by name (nothing else is served).
    // An article's own address (the desk links to it: shared/kb.ts KB_PORTAL_PATH) opens the page, which shows it.
    servePage(scope, staticDir, 'El portal no está compilado: npm run build:portal', ['/articulos/:id']);
  }, { prefix: '/portal' });

  // Deflection for the server administrator: visits that read articles and opened no ticket (default: the last 30 days).
  app.get('/v1/admin/portal/deflection', async (req) => {
    const { days } = parse(z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }), req.query);
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    return db.tx(async (sql) => {
      await adminForToken(sql, token, now());
      return deflection(sql, now() - days * 24 * 60 * 60_000);
    });
  });
}
