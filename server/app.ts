/**
 * The sync server's HTTP surface: route -> zod -> transaction -> command. Every request body is
 * parsed with the shared protocol schemas; every refusal is `{ error: { code, details } }` with a
 * fitting status; every command runs in one database transaction (all or nothing). Stateless:
 * several processes can serve one database.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Readable } from 'node:stream';
import {
  auditUploadSchema, BLOB_CHUNK_BYTES, blobCheckRequestSchema, blobUploadQuerySchema, credentialUploadSchema, sha256Hex, credentialVerifySchema, enrolRequestSchema, MAX_BODY_BYTES, pullRequestSchema, pushRequestSchema, quickPushRequest, siteCode,
} from '../electron/shared/sync/protocol';
import { appendChunk, checkBlobs, maxBlobBytes, openBlob, readBlobRange } from './blobs';
import { adminForToken, createBranch, createEnrolmentCode, listDevices, revokeDevice, signInAdmin } from './commands/admin';
import { uploadAudit } from './commands/audit';
import { storeCredentials, verifyCredential } from './commands/credentials';
import { authenticateDevice, enrolDevice } from './commands/enrol';
import { pullChanges } from './commands/pull';
import { pushBatch } from './commands/push';
import type { Db, Sql } from './db';
import { ServerError } from './errors';
import { LiveHub } from './live';
import { registerAdminPages } from './admin/routes';
import { registerPortal, type PortalOptions } from './portal/routes';
import { parse } from './validate';

export interface ServerOptions {
  db: Db;
  now?: () => number;
  /** Log requests (off in tests). */
  logger?: boolean;
  /** Where the portal reads PORTAL_SITE_CODE and PORTAL_CENTRAL_BRANCH (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The portal's SMTP settings and mail poll (default: SMTP_* in `env`). */
  portal?: Pick<PortalOptions, 'smtp' | 'mailPollMs' | 'rateLimits'>;
}

const signInSchema = z.object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) });
const branchSchema = z.object({ code: siteCode, name: z.string().trim().min(1).max(120), timeZone: z.string().min(1).max(64) });
const codeSchema = z.object({ branchCode: siteCode, ttlHours: z.number().int().min(1).max(24 * 30).default(72) });

const bearer = (req: FastifyRequest) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

export function buildServer(opts: ServerOptions): FastifyInstance {
  const { db } = opts;
  const now = opts.now ?? Date.now;
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: MAX_BODY_BYTES });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ServerError) return reply.status(err.status).send({ error: { code: err.code, ...(err.details ? { details: err.details } : {}) } });
    const fastifyError = err as { code?: string; statusCode?: number };
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: { code: 'sync.bodyTooLarge' } });
    if (fastifyError.statusCode && fastifyError.statusCode < 500) return reply.status(fastifyError.statusCode).send({ error: { code: 'request.invalid' } });
    app.log.error(err);
    console.error('[server] unexpected error', err);
    return reply.status(500).send({ error: { code: 'errors.internal' } });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'request.unknownRoute' } }));

  // Live changes: LISTEN once the app is ready, SSE streams on /v1/events.
  const live = new LiveHub(db);
  app.addHook('onReady', async () => live.start());
  live.register(app);

  /** An administrator's command in one transaction. */
  const asAdmin = <T>(req: FastifyRequest, fn: (sql: Sql, adminId: string) => Promise<T>) =>
    db.tx(async (sql) => fn(sql, await adminForToken(sql, bearer(req), now())));
  /** A device's command in one transaction; the device row stays locked until it ends. */
  const asDevice = <T>(req: FastifyRequest, fn: (sql: Sql, device: Awaited<ReturnType<typeof authenticateDevice>>) => Promise<T>) =>
    db.tx(async (sql) => fn(sql, await authenticateDevice(sql, req.headers.authorization)));

  app.get('/health', async () => ({ ok: true, database: db.kind }));

  app.post('/v1/admin/sign-in', async (req) => {
    const input = parse(signInSchema, req.body);
    return db.tx((sql) => signInAdmin(sql, input.username, input.password, now()));
  });
  app.post('/v1/admin/branches', async (req, reply) => {
    const input = parse(branchSchema, req.body);
    await asAdmin(req, (sql) => createBranch(sql, input, now()));
    return reply.status(201).send({ code: input.code });
  });
  app.post('/v1/admin/enrolment-codes', async (req, reply) => {
    const input = parse(codeSchema, req.body);
    const code = await asAdmin(req, (sql, adminId) => createEnrolmentCode(sql, adminId, input.branchCode, now(), input.ttlHours * 3_600_000));
    return reply.status(201).send(code);
  });
  app.get('/v1/admin/devices', async (req) => ({ devices: await asAdmin(req, (sql) => listDevices(sql)) }));
  app.post('/v1/admin/devices/:deviceId/revoke', async (req) => {
    const { deviceId } = parse(z.object({ deviceId: z.string().uuid() }), req.params);
    await asAdmin(req, (sql) => revokeDevice(sql, deviceId, now()));
    return { revoked: deviceId };
  });

  app.post('/v1/enrol', async (req) => {
    const input = parse(enrolRequestSchema, req.body);
    return db.tx((sql) => enrolDevice(sql, input, now()));
  });
  /**
   * Pushes in flight in this process, per credential, by the push number that follows them: a
   * device sends its next batch while the server applies one (client.ts), and that batch waits
   * here for the one before it instead of finding a gap. Only an ordering hint: the database
   * decides (the device row is locked, push.ts refuses gaps), so a batch that arrived first, or at
   * another process, is still refused with sync.gap and sent again by the device.
   */
  const pushing = new Map<string, Map<number, Promise<unknown>>>();
  app.post('/v1/push', async (req) => {
    // The quick check takes a good batch as it is; anything it does not take, the schema judges (and names each bad field).
    const input = quickPushRequest(req.body) ?? parse(pushRequestSchema, req.body);
    const key = req.headers.authorization ?? '';
    const first = input.mutations[0]!.pushSeq;
    const next = input.mutations[input.mutations.length - 1]!.pushSeq + 1;
    const mine = pushing.get(key) ?? new Map<number, Promise<unknown>>();
    pushing.set(key, mine);
    const before = () => mine.get(first)?.then(() => true, () => true);
    const run = async () => {
      await before();
      // A push that applied something notifies every server process at commit (inside pushBatch): devices connected anywhere pull.
      const push = () => asDevice(req, (sql, device) => pushBatch(sql, device, input, now()));
      try {
        return await push();
      } catch (err) {
        // The batch before it came in while this one held the device: once it is through, try again.
        if (err instanceof ServerError && err.code === 'sync.gap' && (await before())) return push();
        throw err;
      }
    };
    const done = run();
    mine.set(next, done);
    try {
      return await done;
    } finally {
      if (mine.get(next) === done) mine.delete(next);
      if (mine.size === 0 && pushing.get(key) === mine) pushing.delete(key);
    }
  });
  app.post('/v1/pull', async (req, reply) => {
    const input = parse(pullRequestSchema, req.body);
    // The page's JSON as PostgreSQL wrote it (pull.ts): sent as it is.
    const body = await asDevice(req, (sql, device) => pullChanges(sql, device, input.cursor, input.limit));
    return reply.type('application/json; charset=utf-8').send(body);
  });
  app.post('/v1/audit', async (req) => {
    const input = parse(auditUploadSchema, req.body);
    return asDevice(req, (sql, device) => uploadAudit(sql, device, input.entries, now()));
  });
  app.post('/v1/credentials', async (req) => {
    const input = parse(credentialUploadSchema, req.body);
    return asDevice(req, (sql, device) => storeCredentials(sql, device, input.credentials));
  });
  app.post('/v1/credentials/verify', async (req) => {
    const input = parse(credentialVerifySchema, req.body);
    return asDevice(req, (sql) => verifyCredential(sql, input.username, input.password));
  });

  // Evidence bytes (blobs.ts): asked about first, sent once in chunks, fetched by the branches that see them.
  const maxBytes = maxBlobBytes(opts.env);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BLOB_CHUNK_BYTES }, (_req, body, done) => done(null, body));
  const blobParams = z.object({ sha256: sha256Hex });
  app.post('/v1/blobs/check', async (req) => {
    const input = parse(blobCheckRequestSchema, req.body);
    return { blobs: await asDevice(req, (sql, device) => checkBlobs(sql, device, input.sha256)), maxBytes };
  });
  app.put('/v1/blobs/:sha256', async (req) => {
    const { sha256 } = parse(blobParams, req.params);
    const { offset, size } = parse(blobUploadQuerySchema, req.query);
    if (!Buffer.isBuffer(req.body)) throw new ServerError(415, 'blobs.badChunk');
    const chunk = req.body;
    return asDevice(req, (sql, device) => appendChunk(sql, device, sha256, offset, size, chunk, now(), maxBytes));
  });
  app.get('/v1/blobs/:sha256', async (req, reply) => {
    const { sha256 } = parse(blobParams, req.params);
    const blob = await asDevice(req, (sql, device) => openBlob(sql, device, sha256));
    // A download cut off continues with Range: bytes=N- (the only form the app sends).
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const from = range ? Number(range[1]) : 0;
    if (from >= blob.size && blob.size > 0) return reply.status(416).header('content-range', `bytes */${blob.size}`).send({ error: { code: 'blobs.badRange' } });
    reply.header('content-type', 'application/octet-stream').header('content-length', String(blob.size - from)).header('accept-ranges', 'bytes')
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store');
    if (range) reply.status(206).header('content-range', `bytes ${from}-${blob.size - 1}/${blob.size}`);
    return reply.send(Readable.from(readBlobRange(db, sha256, from)));
  });
  registerPortal(app, { db, now, env: opts.env, ...opts.portal });
  registerAdminPages(app, { db, now });
  // The server's address in a browser opens its administration pages.
  app.get('/', async (_req, reply) => reply.redirect('/admin/'));
  return app;
}
