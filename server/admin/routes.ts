/**
 * The server's administration pages (issue 11), under /admin: the page (the React app built into
 * dist/admin) and its API at /admin/api. Sessions are a cookie (HttpOnly, SameSite=Strict, Secure
 * unless the page was reached on a loopback name) holding a random token kept only as its hash;
 * sessions end after SESSION_MAX_MS or SESSION_IDLE_MS idle. Every write needs the session's CSRF
 * token in a header and, when the browser sends one, an Origin of this host. Sign-in is
 * rate-limited per address and per name. Every input is parsed with the shared schemas
 * (shared/server-admin.ts); every write is logged in the administrator's log (admin_log).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  adminSignInSchema, branchCreateSchema, centralUserActiveSchema, centralUserCreateSchema, centralUserPasswordSchema, deviceIdSchema,
  enrolmentCodeSchema, firstRunSchema, rejectedListSchema, type AdminSession,
} from '../../electron/shared/server-admin';
import { sameDigest, sha256 } from '../credentials';
import type { Db, Sql } from '../db';
import { ServerError } from '../errors';
import { cookieValue, RateLimiter } from '../portal/guard';
import { builtDir, securePage, servePage } from '../static';
import { parse } from '../validate';
import {
  auditReport, checkAdminPassword, closeSession, createCentralUser, firstRun, isSetUp, listAdminLog, listBranches, listCentralUsers,
  listDeviceSummaries, listEnrolmentCodes, listRejected, logAdmin, newEnrolmentCode, openSession, organizationName, renewCsrf,
  resetCentralPassword, revokeDeviceAsAdmin, rotateDevice, sessionFor, setCentralUserActive, SESSION_MAX_MS, type Actor, type SessionRow,
} from './commands';

export const SESSION_COOKIE = 'admin_session';
export const ADMIN_CSRF_HEADER = 'x-csrf-token';

/** Sign-in attempts: [hits, window] per address and per user name. */
export const SIGN_IN_LIMITS = { perIp: [10, 15 * 60_000], perName: [5, 15 * 60_000] } as const;

export interface AdminPagesOptions {
  db: Db;
  now: () => number;
  /** The built page (default dist/admin beside the repository's root). */
  staticDir?: string;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const hostName = (req: FastifyRequest) => (req.headers.host ?? '').replace(/:\d+$/, '');

/** Secure unless the browser reached us by a loopback name (plain http on the server's own machine); behind a TLS proxy the name is the public one. */
function cookie(req: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = LOOPBACK_HOST.test(hostName(req)) && req.protocol !== 'https' ? '' : '; Secure';
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function registerAdminPages(app: FastifyInstance, opts: AdminPagesOptions): void {
  const { db, now } = opts;
  const limiter = new RateLimiter();

  app.register(async (scope) => {
    securePage(scope, '/admin/api/');

    const actorOf = (req: FastifyRequest, adminId: string | null): Actor => ({ adminId, ip: req.ip });
    const tokenOf = (req: FastifyRequest) => cookieValue(req.headers.cookie, SESSION_COOKIE);

    /** A write: same origin, a live session, and its CSRF token; then the command in one transaction. */
    const write = <T>(req: FastifyRequest, fn: (sql: Sql, actor: Actor & { adminId: string }) => Promise<T>) =>
      db.tx(async (sql) => {
        const origin = req.headers.origin;
        if (origin !== undefined && origin !== `${req.protocol}://${req.headers.host}`) throw new ServerError(403, 'admin.csrf');
        const session = await sessionFor(sql, tokenOf(req), now());
        if (!session) throw new ServerError(401, 'admin.signInRequired');
        const given = req.headers[ADMIN_CSRF_HEADER];
        if (typeof given !== 'string' || !sameDigest(session.csrfHash, sha256(given))) throw new ServerError(403, 'admin.csrf');
        return fn(sql, { adminId: session.adminId, ip: req.ip });
      });
    /** A read: a live session. */
    const read = <T>(req: FastifyRequest, fn: (sql: Sql, session: SessionRow) => Promise<T>) =>
      db.tx(async (sql) => {
        const session = await sessionFor(sql, tokenOf(req), now());
        if (!session) throw new ServerError(401, 'admin.signInRequired');
        return fn(sql, session);
      });

    /** Where the page starts: first run, sign-in, or the signed-in administrator (with a fresh CSRF token). */
    scope.get('/api/session', async (req): Promise<AdminSession> => db.tx(async (sql) => {
      const setUp = await isSetUp(sql);
      const org = await organizationName(sql);
      const token = tokenOf(req);
      const session = setUp ? await sessionFor(sql, token, now()) : null;
      if (!session || !token) return { setUp, organizationName: org, admin: null, csrfToken: null, expiresAt: null };
      return { setUp, organizationName: org, admin: { id: session.adminId, username: session.username }, csrfToken: await renewCsrf(sql, token), expiresAt: session.expiresAt };
    }));

    const signedIn = async (req: FastifyRequest, reply: FastifyReply, sql: Sql, admin: { id: string; username: string }): Promise<AdminSession> => {
      const s = await openSession(sql, admin.id, now());
      reply.header('set-cookie', cookie(req, s.token, SESSION_MAX_MS / 1000));
      return { setUp: true, organizationName: await organizationName(sql), admin, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    };

    scope.post('/api/first-run', async (req, reply) => {
      const input = parse(firstRunSchema, req.body);
      return db.tx(async (sql) => {
        const id = await firstRun(sql, input, actorOf(req, null), now());
        return signedIn(req, reply, sql, { id, username: input.username });
      });
    });

    scope.post('/api/sign-in', async (req, reply) => {
      const input = parse(adminSignInSchema, req.body);
      const t = now();
      const underLimit = limiter.hit(`ip:${req.ip}`, SIGN_IN_LIMITS.perIp[0], SIGN_IN_LIMITS.perIp[1], t) &&
        limiter.hit(`name:${input.username}`, SIGN_IN_LIMITS.perName[0], SIGN_IN_LIMITS.perName[1], t);
      if (!underLimit) {
        await db.tx((sql) => logAdmin(sql, actorOf(req, null), 'admin.signInThrottled', input.username, {}, t));
        throw new ServerError(429, 'admin.tooManyAttempts');
      }
      const answer = await db.tx(async (sql) => {
        const admin = await checkAdminPassword(sql, input.username, input.password);
        if (!admin) {
          await logAdmin(sql, actorOf(req, null), 'admin.signInFailed', input.username, {}, t);
          return null;
        }
        await logAdmin(sql, actorOf(req, admin.id), 'admin.signedIn', admin.username, {}, t);
        return signedIn(req, reply, sql, admin);
      });
      // The failure is logged (committed) before it is answered.
      if (!answer) throw new ServerError(401, 'auth.invalidCredentials');
      return answer;
    });

    scope.post('/api/sign-out', async (req, reply) => {
      await write(req, async (sql, actor) => {
        await closeSession(sql, tokenOf(req)!);
        await logAdmin(sql, actor, 'admin.signedOut', null, {}, now());
      });
      reply.header('set-cookie', cookie(req, '', 0));
      return { ok: true };
    });

    scope.get('/api/branches', async (req) => read(req, async (sql) => ({ branches: await listBranches(sql) })));
    scope.post('/api/branches', async (req, reply) => {
      const input = parse(branchCreateSchema, req.body);
      await write(req, async (sql, actor) => {
        const [taken] = await sql.query('SELECT 1 FROM branches WHERE code = $1', [input.code]);
        if (taken) throw new ServerError(400, 'validation.failed', { fields: { code: 'sync.siteCodeTaken' } });
        await sql.query('INSERT INTO branches (code, name, time_zone, created_at) VALUES ($1, $2, $3, $4)', [input.code, input.name, input.timeZone, now()]);
        await logAdmin(sql, actor, 'branch.created', input.code, { name: input.name, timeZone: input.timeZone }, now());
      });
      return reply.status(201).send({ code: input.code });
    });

    scope.get('/api/enrolment-codes', async (req) => read(req, async (sql) => ({ codes: await listEnrolmentCodes(sql, now()) })));
    scope.post('/api/enrolment-codes', async (req, reply) => {
      const input = parse(enrolmentCodeSchema, req.body);
      return reply.status(201).send(await write(req, (sql, actor) => newEnrolmentCode(sql, actor, input.branchCode, input.ttlHours, now())));
    });

    scope.get('/api/devices', async (req) => read(req, async (sql) => ({ devices: await listDeviceSummaries(sql) })));
    scope.post('/api/devices/revoke', async (req) => {
      const input = parse(deviceIdSchema, req.body);
      await write(req, (sql, actor) => revokeDeviceAsAdmin(sql, actor, input.deviceId, now()));
      return { ok: true };
    });
    scope.post('/api/devices/rotate', async (req) => {
      const input = parse(deviceIdSchema, req.body);
      return write(req, (sql, actor) => rotateDevice(sql, actor, input.deviceId, now()));
    });

    scope.get('/api/users', async (req) => read(req, async (sql) => ({ users: await listCentralUsers(sql) })));
    scope.post('/api/users', async (req, reply) => {
      const input = parse(centralUserCreateSchema, req.body);
      return reply.status(201).send(await write(req, (sql, actor) => createCentralUser(sql, actor, input, now())));
    });
    scope.post('/api/users/active', async (req) => {
      const input = parse(centralUserActiveSchema, req.body);
      await write(req, (sql, actor) => setCentralUserActive(sql, actor, input.userId, input.active, now()));
      return { ok: true };
    });
    scope.post('/api/users/password', async (req) => {
      const input = parse(centralUserPasswordSchema, req.body);
      await write(req, (sql, actor) => resetCentralPassword(sql, actor, input.userId, input.password, now()));
      return { ok: true };
    });

    // Verifying reads only, but it is a deliberate act worth a line in the log (and can be long): a POST.
    scope.post('/api/audit/verify', async (req) => write(req, async (sql, actor) => {
      const report = await auditReport(sql, now());
      await logAdmin(sql, actor, 'audit.verified', null, { server: report.server.ok, adminLog: report.adminLog.ok, devicesBroken: report.devices.filter((d) => !d.ok).length }, now());
      return report;
    }));
    scope.get('/api/log', async (req) => read(req, async (sql) => ({ entries: await listAdminLog(sql) })));

    scope.get('/api/rejected', async (req) => {
      const input = parse(rejectedListSchema, req.query);
      return read(req, async (sql) => ({ mutations: await listRejected(sql, input) }));
    });

    servePage(scope, opts.staticDir ?? builtDir('admin'), 'Las páginas de administración no están compiladas: npm run build:admin');
  }, { prefix: '/admin' });
}
