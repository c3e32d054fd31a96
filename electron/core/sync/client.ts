/**
 * The client half of sync (issue 11): enrolment with the central server, push of the outbox in
 * the device's gap-free push sequence, and upload of the device's audit chain. Everything keeps
 * working offline: a failed call leaves the outbox and the chain as they were, to be sent later.
 * The sync bookkeeping (credential, cursors, outcomes) is local state, never itself an outbox record.
 */
import { hostname } from 'node:os';
import { AppError } from '../../shared/errors';
import {
  auditUploadResponseSchema, checkServerUrl, credentialVerifyResponseSchema, enrolResponseSchema, MAX_AUDIT_BATCH, MAX_BATCH, MAX_BODY_BYTES, MAX_PULL_PAGE, mightCarrySecret, pullResponseSchema, pushResponseSchema, SECRET_KEYS,
  syncErrorSchema, type Mutation, type PushOutcome, type PushResponse,
} from '../../shared/sync/protocol';
import type { AuditEntry } from '../audit';
import { DEVICE_OF, entryColumns } from '../audit-store';
import type { Workspace } from '../workspace';
import { applyPulled, undoRefusedHere, type SyncDeps } from './apply';
import { BlobTransfers } from './blobs';
import { noAnswerCode, SyncFailure } from './failure';
import { outboxPayload, PAYLOAD_TEXT_SQL, ROW_REFERENCE } from './outbox-payload';
import type { ApplySummary, PushSummary, RejectedMutation, SyncProgress, SyncRunSummary, SyncStatus } from '../../shared/sync/types';

/** Mutations per push request: big enough to amortise a round trip, small enough to retry cheaply. */
export const PUSH_BATCH = MAX_BATCH;
/** A push request's body stays under this (a batch of large payloads is cut short; the rest goes next). */
const PUSH_BODY_BUDGET = MAX_BODY_BYTES / 2;
/** Push batches on the wire at once: the next is read and sent while the server applies one. */
const PUSH_PIPELINE = 2;
const REQUEST_TIMEOUT_MS = 30_000;

/** sync.status counts pending and rejected records up to this many ("más de 10 000"). */
export const STATUS_COUNT_BOUND = 10_000;

const KEY = {
  url: 'sync.url',
  secret: 'sync.secret',
  branch: 'sync.branch',
  pushAcked: 'sync.pushAcked',
  auditSeq: 'sync.auditSeq',
  auditHash: 'sync.auditHash',
  pullCursor: 'sync.pullCursor',
  lastSyncAt: 'sync.lastSyncAt',
  lastPushAt: 'sync.lastPushAt',
  lastPullAt: 'sync.lastPullAt',
  lastError: 'sync.lastError',
  lastErrorAt: 'sync.lastErrorAt',
  clockSkew: 'sync.clockSkewMs',
  lastChangeAt: 'sync.lastChangeAt',
  credentialsAt: 'sync.credentialsAt',
} as const;

/** A server clock this far from the device's is flagged (not fatal: the HLC keeps the order). */
export const SKEW_TOLERANCE_MS = 5 * 60_000;

/**
 * Failures the device cannot fix by retrying: the administrator must act (enrol again, ask the
 * server's administrator). Background sync stops retrying them until someone does.
 */
export const NEEDS_ADMIN = new Set(['sync.notEnrolled', 'sync.deviceRevoked', 'sync.badCredential', 'sync.credentialRequired']);

export { noAnswerCode, SyncFailure } from './failure';

type Fetch = typeof fetch;

/** Drops secrets at any depth: password hashes and tokens never leave the device. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(SECRET_KEYS as readonly string[]).includes(k)).map(([k, v]) => [k, withoutSecrets(v)]));
}

export class SyncClient {
  private readonly ws: Workspace;
  private running: Promise<SyncRunSummary> | null = null;
  /** Called after every run, successful or not (background sync plans its next attempt). */
  private readonly afterRun = new Set<(error: string | null) => void>();

  /** Evidence bytes: sent after each push, fetched when opened or in the background (blobs.ts). */
  readonly blobs: BlobTransfers;
  /** The run going now: its phase and how far it has come (status() shows it). */
  private progress: SyncProgress | null = null;

  constructor(
    private readonly s: SyncDeps,
    private readonly fetchImpl: Fetch = fetch,
  ) {
    this.ws = s.ws;
    this.blobs = new BlobTransfers(this.ws, () => this.liveEndpoint(), fetchImpl);
  }

  /** Whether the device is enrolled: one setting read (writes ask it; `status` counts the outbox too). */
  isEnrolled(): boolean {
    return this.ws.getSetting(KEY.secret) !== undefined;
  }

  status(): SyncStatus {
    // Bounded counts over partial indexes: a never-enrolled workspace has every outbox record pending.
    const count = (where: string) =>
      this.ws.sql(`SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE ${where} LIMIT ${STATUS_COUNT_BOUND + 1})`).pluck().get() as number;
    const setting = (key: string) => this.ws.getSetting(key);
    const pending = count('push_status IS NULL');
    return {
      enrolled: this.isEnrolled(),
      url: setting(KEY.url) ?? null,
      branch: setting(KEY.branch) ?? null,
      deviceId: this.ws.deviceId,
      pending: Math.min(pending, STATUS_COUNT_BOUND),
      pendingCapped: pending > STATUS_COUNT_BOUND,
      rejected: Math.min(count("push_status = 'rejected'"), STATUS_COUNT_BOUND),
      lastSyncAt: numberOrNull(setting(KEY.lastSyncAt)),
      lastPushAt: numberOrNull(setting(KEY.lastPushAt)),
      lastPullAt: numberOrNull(setting(KEY.lastPullAt)),
      lastError: setting(KEY.lastError) ?? null,
      lastErrorAt: numberOrNull(setting(KEY.lastErrorAt)),
      clockSkewMs: numberOrNull(setting(KEY.clockSkew)),
      lastChangeAt: numberOrNull(setting(KEY.lastChangeAt)),
      running: this.running !== null,
      nextAttemptAt: null,
      progress: this.running !== null ? this.progress : null,
      pendingDownloads: this.blobs.pendingDownloads(),
    };
  }

  /** Whether a run is going now. */
  isRunning(): boolean {
    return this.running !== null;
  }

  /** Where the live stream connects and with what credential (null: not enrolled). */
  liveEndpoint(): { url: string; authorization: string } | null {
    if (!this.ws.db.open || !this.isEnrolled()) return null;
    const { url, secret } = this.credential();
    return { url, authorization: `Device ${secret}` };
  }

  /** The fetch this client talks to the server with (the live stream uses the same). */
  get fetcher(): Fetch {
    return this.fetchImpl;
  }

  /** Registers `fn` to hear the outcome of every run (null: success, else the failure's code); returns the unsubscribe. */
  onRun(fn: (error: string | null) => void): () => void {
    this.afterRun.add(fn);
    return () => this.afterRun.delete(fn);
  }

  /** The mutations the server refused, newest first, with what they would have changed. */
  rejected(limit = 200): RejectedMutation[] {
    const rows = this.ws.sql(
      `SELECT push_seq AS pushSeq, entity, entity_id AS entityId, op, payload, push_reason AS reason, created_at AS createdAt
       FROM outbox WHERE push_status = 'rejected' ORDER BY push_seq DESC LIMIT ?`,
    ).all(limit) as Array<Omit<RejectedMutation, 'payload'> & { payload: string }>;
    return rows.map((r) => ({ ...r, payload: withoutSecrets(outboxPayload(this.ws.db, r)) as Record<string, unknown> }));
  }

  /**
   * Enrols this device with a one-time code from the server's administrator. Only https:// or
   * loopback http:// addresses, unless `allowLanHttp` (an explicit setting) allows a LAN http:// one.
   */
  async enrol(actorId: string, rawUrl: string, code: string, allowLanHttp = false): Promise<SyncStatus> {
    const checked = checkServerUrl(rawUrl, allowLanHttp);
    if (!checked.ok) throw new AppError('validation.failed', undefined, { url: checked.reason });
    const branch = this.ws.sql('SELECT code FROM branch LIMIT 1').pluck().get() as string | undefined;
    if (!branch) throw new AppError('auth.setupRequired');
    let raw: unknown;
    try {
      raw = await this.request(checked.url, '/v1/enrol', { code: code.trim().toUpperCase(), deviceId: this.ws.deviceId, siteCode: branch, deviceName: hostname().slice(0, 120) || 'device' }, null);
    } catch (err) {
      // Nothing is waiting to be sent yet: at enrolment "no answer" means a wrong address or a server that is off.
      if (err instanceof SyncFailure && err.code === 'sync.offline') throw new SyncFailure('sync.unreachable');
      throw err;
    }
    const answer = enrolResponseSchema.parse(raw);
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      tx.setSetting(KEY.url, checked.url);
      tx.setSetting(KEY.secret, answer.secret);
      tx.setSetting(KEY.branch, answer.branch.code);
      tx.setSetting(KEY.pushAcked, String(answer.lastPushSeq));
      tx.setSetting(KEY.auditSeq, String(answer.auditHead.seq));
      tx.setSetting(KEY.auditHash, answer.auditHead.hash);
      // The audit entry names the server, never the credential.
      tx.audit('sync.enrolled', 'sync', this.ws.deviceId, { url: checked.url, branch: answer.branch.code });
    });
    return this.status();
  }

  /**
   * Leaves the server: forgets its address, the credential and every sync bookkeeping value, so
   * this device works alone again (nothing local is deleted; unsent changes stay in the outbox and
   * go up if it is enrolled again). The server's administrator should revoke the device there too.
   */
  unenrol(actorId: string): SyncStatus {
    const url = this.ws.getSetting(KEY.url);
    const branch = this.ws.getSetting(KEY.branch) ?? null;
    if (this.ws.getSetting(KEY.secret) === undefined) throw new SyncFailure('sync.notEnrolled');
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      tx.sql("DELETE FROM settings WHERE key LIKE 'sync.%'").run();
      tx.audit('sync.unenrolled', 'sync', this.ws.deviceId, { url, branch });
    });
    return this.status();
  }

  /** Push, pull, then audit upload (pulling writes an audit entry); records the time of the last full success or the error's code. */
  async syncNow(): Promise<SyncRunSummary> {
    // One run at a time: a second "Sincronizar ahora" while one runs joins it.
    this.running ??= this.runOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(): Promise<SyncRunSummary> {
    let outcome: string | null = null;
    try {
      const push = await this.push();
      // After the push: the server takes a file only once an attachment it knows names it.
      this.phase('files');
      const upload = await this.blobs.upload();
      await this.uploadCredentials();
      const pull = await this.pull();
      this.phase('audit');
      const auditEntries = await this.uploadAudit();
      // Files pulled from other branches, a few per run (anything opened meanwhile is fetched at once).
      this.phase('download');
      const fetched = await this.blobs.downloadPending();
      this.setState(KEY.lastSyncAt, String(this.ws.now()));
      this.setState(KEY.lastError, null);
      this.setState(KEY.lastErrorAt, null);
      return { push, pull, auditEntries, files: { sent: upload.sent, already: upload.already, held: upload.held, fetched } };
    } catch (err) {
      outcome = err instanceof AppError ? err.code : 'sync.failed';
      if (!(err instanceof AppError)) console.warn('[sync] run failed', err);
      // Unenrolled or closed meanwhile: nothing to record.
      if (this.ws.db.open && this.ws.getSetting(KEY.url) !== undefined) {
        this.setState(KEY.lastError, outcome);
        this.setState(KEY.lastErrorAt, String(this.ws.now()));
      }
      throw err;
    } finally {
      this.progress = null;
      for (const fn of this.afterRun) fn(outcome);
    }
  }

  private phase(phase: SyncProgress['phase'], total: number | null = null): void {
    this.progress = { phase, firstSync: this.ws.db.open && this.ws.getSetting(KEY.pullCursor) === undefined, done: 0, total, startedAt: this.ws.now() };
  }

  /**
   * Sends every unanswered mutation in push-sequence order, one batch at a time, and records the
   * server's answer on each. Numbers are stamped on first send and never change, so a retried
   * batch is recognised by the server as a replay. The next batch is read and sent while the
   * server applies the one before (PUSH_PIPELINE on the wire): the server takes them in order
   * (app.ts waits for the batch before; a batch that still finds a gap is refused and sent
   * again here once its predecessor is answered). Answers are recorded strictly in order.
   */
  async push(): Promise<PushSummary> {
    const { url, secret } = this.credential();
    this.stampPushSeqs();
    this.phase('push', this.ws.sql('SELECT COUNT(*) FROM outbox WHERE push_status IS NULL').pluck().get() as number);
    const summary: PushSummary = { applied: 0, rejected: 0, duplicate: 0 };
    const select = this.ws.sql(
      `SELECT push_seq AS pushSeq, id, hlc, actor_kind AS actorKind, actor_id AS actorId, entity, entity_id AS entityId, op, ${PAYLOAD_TEXT_SQL} AS payload,
         created_at AS createdAt
       FROM outbox o WHERE push_seq > ? ORDER BY push_seq LIMIT ?`,
    );
    /** The batch after push number `after`: its body and range, or null when nothing is left. */
    const batchAfter = (after: number): PushBatch | null => {
      const records = select.all(after, PUSH_BATCH) as Array<Omit<Mutation, 'payload'> & { payload: string | null }>;
      if (records.length === 0) return null;
      // Records of unchanging rows carry no copy of them: written as JSON from their row by the
      // select (PAYLOAD_TEXT_SQL, sync/outbox-payload.ts); every payload's JSON goes into the body as it is (pushBody).
      for (const r of records) r.payload ??= JSON.stringify(outboxPayload(this.ws.db, { ...r, payload: ROW_REFERENCE }));
      const rows = records as Array<Omit<Mutation, 'payload'> & { payload: string }>;
      // Cut where the body would outgrow its budget (always at least one: a payload is at most 64 KiB).
      let bytes = 0;
      const fits = rows.findIndex((r) => (bytes += r.payload.length + 400) > PUSH_BODY_BUDGET);
      const sent = fits > 0 ? rows.slice(0, fits) : rows;
      return { body: pushBody(sent), first: sent[0]!.pushSeq, last: sent[sent.length - 1]!.pushSeq };
    };
    const send = (batch: PushBatch, pipelined: boolean): InFlight => {
      const answer = this.request(url, '/v1/push', batch.body, secret).then((a) => pushResponseSchema.parse(a));
      answer.catch(() => undefined); // looked at in order below; one failing meanwhile is no unhandled rejection
      return { batch, answer, pipelined };
    };
    const wire: InFlight[] = [];
    let acked = Number(this.ws.getSetting(KEY.pushAcked) ?? '0');
    try {
      for (let guard = 0; guard < 1_000_000; guard++) {
        for (let after = wire.at(-1)?.batch.last ?? acked; wire.length < PUSH_PIPELINE;) {
          const batch = batchAfter(after);
          if (!batch) break;
          wire.push(send(batch, wire.length > 0));
          after = batch.last;
        }
        const head = wire.shift();
        if (!head) break;
        let answer: PushResponse;
        try {
          answer = await head.answer;
        } catch (err) {
          const gap = err instanceof SyncFailure && err.code === 'sync.gap';
          // Sent before the batch ahead of it was applied (another server process took it): again, now that it is.
          if (gap && head.pipelined) {
            wire.unshift(send(head.batch, false));
            continue;
          }
          // The server holds fewer than we thought (restored from a backup): resend from where it is.
          const expected = gap ? Number((err as SyncFailure).params?.expected) : NaN;
          if (Number.isInteger(expected) && expected >= 1 && expected - 1 < acked) {
            await Promise.allSettled(wire.splice(0).map((w) => w.answer));
            acked = expected - 1;
            this.setState(KEY.pushAcked, String(acked));
            continue;
          }
          throw err;
        }
        this.recordOutcomes(answer.results, answer.lastPushSeq);
        acked = answer.lastPushSeq;
        for (const r of answer.results) summary[r.status]++;
        if (this.progress) this.progress.done += answer.results.length;
      }
    } finally {
      // A failure leaves nothing on the wire behind it (their answers are not recorded: the next push replays them).
      await Promise.allSettled(wire.map((w) => w.answer));
    }
    this.setState(KEY.lastPushAt, String(this.ws.now()));
    return summary;
  }

  /**
   * Pulls the changes after this device's cursor, page by page; each page is applied and the
   * cursor moved in one transaction, so a device killed mid-apply pulls that page again.
   */
  async pull(): Promise<ApplySummary> {
    const { url, secret } = this.credential();
    const total: ApplySummary = { applied: 0, ignored: 0, failed: [] };
    const firstSync = this.ws.getSetting(KEY.pullCursor) === undefined;
    this.phase('pull');
    const start = Number(this.ws.getSetting(KEY.pullCursor) ?? '0');
    for (let pages = 0; ; pages++) {
      // Between pages the host answers the window (a first sync is thousands of pages).
      if (pages > 0) await new Promise((resolve) => setImmediate(resolve));
      const cursor = Number(this.ws.getSetting(KEY.pullCursor) ?? '0');
      // An empty device asks for the biggest pages (its first sync is the organization's history).
      const page = pullResponseSchema.parse(await this.request(url, '/v1/pull', firstSync ? { cursor, limit: MAX_PULL_PAGE } : { cursor }, secret));
      let heldBack = false;
      const applied = applyPulled(this.s, page.changes, (tx, firstDeferred) => {
        // Stop before a timeline entry whose ticket comes on the next page; the next pull starts there.
        heldBack = firstDeferred !== null;
        tx.setSetting(KEY.pullCursor, String(heldBack ? firstDeferred! - 1 : page.cursor));
      }, { firstSync });
      total.applied += applied.applied;
      total.ignored += applied.ignored;
      total.failed.push(...applied.failed);
      if (this.progress) {
        // The total is estimated from how far through the feed (to its head) the pages have come.
        const done = total.applied + total.ignored + total.failed.length;
        const span = (page.head ?? page.cursor) - start;
        const fraction = span > 0 ? Math.min(1, (page.cursor - start) / span) : 1;
        this.progress.done = done;
        this.progress.total = !page.more ? done : fraction > 0 ? Math.max(done, Math.round(done / fraction)) : null;
      }
      if (applied.applied > 0) this.setState(KEY.lastChangeAt, String(this.ws.now()));
      if (!page.more && !heldBack) {
        this.setState(KEY.lastPullAt, String(this.ws.now()));
        return total;
      }
    }
  }

  /** Uploads this device's audit entries after the server's head for it, in order. */
  async uploadAudit(): Promise<number> {
    const { url, secret } = this.credential();
    // The wire carries the text form (prev_hash included), whatever the stored form (audit-store.ts).
    const select = this.ws.sql(`SELECT ${entryColumns('a')} FROM audit_chain a WHERE a.device = ${DEVICE_OF} AND a.seq > ? ORDER BY a.seq LIMIT ?`);
    let sent = 0;
    for (;;) {
      const after = Number(this.ws.getSetting(KEY.auditSeq) ?? '0');
      const entries = select.all(this.ws.deviceId, after, MAX_AUDIT_BATCH) as AuditEntry[];
      if (entries.length === 0) return sent;
      const answer = auditUploadResponseSchema.parse(await this.request(url, '/v1/audit', { entries }, secret));
      this.ws.db.transaction(() => {
        this.setState(KEY.auditSeq, String(answer.head.seq));
        this.setState(KEY.auditHash, answer.head.hash);
      })();
      sent += answer.accepted;
      if (answer.head.seq <= after) throw new SyncFailure('sync.auditStalled');
    }
  }

  /**
   * Hands the server the password hashes of users whose row changed since the last upload (created,
   * password reset here), in their own call: hashes never go into the outbox or pulled rows. After
   * the push, so the server knows the users.
   */
  async uploadCredentials(): Promise<number> {
    const { url, secret } = this.credential();
    // Where the last upload stopped: "<updated_at>:<user id>" (a bare number from before: that instant, no id yet), so
    // users changed in the same millisecond as the last one sent are not skipped.
    const [at, afterId = ''] = (this.ws.getSetting(KEY.credentialsAt) ?? '0').split(':');
    const since = Number(at);
    const rows = this.ws.sql(
      `SELECT id AS userId, password_hash AS passwordHash, updated_at AS changedAt FROM users
       WHERE password_hash LIKE 'scrypt$%' AND (updated_at > ? OR (updated_at = ? AND id > ?)) ORDER BY updated_at, id LIMIT 500`,
    ).all(since, since, afterId) as Array<{ userId: string; passwordHash: string; changedAt: number }>;
    if (rows.length === 0) return 0;
    await this.request(url, '/v1/credentials', { credentials: rows }, secret);
    const last = rows[rows.length - 1]!;
    this.setState(KEY.credentialsAt, `${last.changedAt}:${last.userId}`);
    return rows.length;
  }

  /**
   * Asks the server whether this name and password are right (a user created at another branch,
   * signing in here for the first time). False when they are not; a SyncFailure when the server
   * cannot be asked.
   */
  async verifyCentral(username: string, password: string): Promise<boolean> {
    const { url, secret } = this.credential();
    try {
      credentialVerifyResponseSchema.parse(await this.request(url, '/v1/credentials/verify', { username, password }, secret));
      return true;
    } catch (err) {
      if (err instanceof SyncFailure && err.code === 'auth.invalidCredentials') return false;
      throw err;
    }
  }

  /**
   * Gives every not-yet-numbered mutation the next push numbers, in outbox order, in one transaction.
   * Numbers continue after the last acknowledged one too (acknowledged records are deleted).
   */
  private stampPushSeqs(): void {
    this.ws.db.transaction(() => {
      const numbered = this.ws.sql('SELECT COALESCE(MAX(push_seq), 0) FROM outbox').pluck().get() as number;
      const next = Math.max(numbered, Number(this.ws.getSetting(KEY.pushAcked) ?? '0')) + 1;
      // One statement for the lot (a statement per record was a tenth of a 100,000-mutation push).
      this.ws.sql(
        `UPDATE outbox SET push_seq = n.push_seq FROM (SELECT seq, ? - 1 + ROW_NUMBER() OVER (ORDER BY seq) AS push_seq FROM outbox WHERE push_seq IS NULL) AS n
         WHERE outbox.seq = n.seq`,
      ).run(next);
    }).immediate();
  }

  /**
   * Records the server's answers. The outbox keeps only what the server does not hold: a record it
   * applied (or already had) is deleted — all but the newest of the batch, which keeps the
   * outbox's sequence and HLC tip readable where they are read (`MAX(seq)`, the last record's
   * HLC) — and a rejected one stays, with its reason, to be listed. The push counter itself is
   * `sync.pushAcked`.
   */
  private recordOutcomes(results: PushOutcome[], lastPushSeq: number): void {
    const at = this.ws.now();
    const record = this.ws.sql('UPDATE outbox SET push_status = ?, push_reason = ?, sent_at = ? WHERE push_seq = ? AND push_status IS NULL');
    // A range of the push_seq index: what this batch (its unrecorded answers, the rejected ones
    // being marked first) and the previous ones acknowledged, but the newest.
    const forget = this.ws.sql("DELETE FROM outbox WHERE push_seq < ? AND (push_status = 'applied' OR (push_status IS NULL AND push_seq >= ?))");
    this.ws.db.transaction(() => {
      let newest = 0;
      let first = Infinity;
      for (const r of results) {
        first = Math.min(first, r.pushSeq);
        // Only what stays is written: a rejection (listed) and the newest applied one; the rest is deleted just below.
        if (r.status === 'rejected') record.run('rejected', r.reason, at, r.pushSeq);
        else newest = Math.max(newest, r.pushSeq);
      }
      if (newest > 0) record.run('applied', null, at, newest);
      forget.run(newest, first);
      this.setState(KEY.pushAcked, String(lastPushSeq));
    })();
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.pushSeq);
    if (refused.length > 0) undoRefusedHere(this.ws, refused);
  }

  private credential(): { url: string; secret: string } {
    const url = this.ws.getSetting(KEY.url);
    const secret = this.ws.getSetting(KEY.secret);
    if (!url || !secret) throw new SyncFailure('sync.notEnrolled');
    return { url, secret: `${this.ws.deviceId}.${secret}` };
  }

  private setState(key: string, value: string | null): void {
    if (value === null) this.ws.sql('DELETE FROM settings WHERE key = ?').run(key);
    else this.ws.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** POSTs JSON (a value, or a body already written: pushBody); a refusal becomes a SyncFailure with the server's code, no answer at all `sync.offline`. */
  private async request(base: string, path: string, body: unknown, credential: string | null): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchImpl(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Device ${credential}` } : {}) },
        body: body instanceof RawJson ? body.text : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new SyncFailure(noAnswerCode(err));
    }
    this.recordSkew(res.headers.get('date'));
    const json = (await res.json().catch(() => null)) as unknown;
    if (res.ok) {
      if (json === null) throw new SyncFailure('sync.notSyncServer');
      return json;
    }
    const parsed = syncErrorSchema.safeParse(json);
    // Something answered, but not our server (a web page, a proxy's error page).
    if (!parsed.success) throw new SyncFailure(res.status >= 500 ? 'sync.serverError' : 'sync.notSyncServer');
    throw new SyncFailure(parsed.data.error.code, parsed.data.error.details as Record<string, string | number> | undefined);
  }

  /** Flags a server clock more than SKEW_TOLERANCE_MS from this device's (HTTP Date has 1 s resolution). */
  private recordSkew(date: string | null): void {
    const serverMs = date ? Date.parse(date) : NaN;
    // Before enrolment nothing about the server is kept (a refused enrolment leaves no trace).
    if (!Number.isFinite(serverMs) || this.ws.getSetting(KEY.secret) === undefined) return;
    const skew = serverMs - this.ws.now();
    this.setState(KEY.clockSkew, Math.abs(skew) > SKEW_TOLERANCE_MS ? String(Math.round(skew)) : null);
  }
}

/** A push batch ready to send: its body and its first and last push numbers. */
interface PushBatch {
  body: RawJson;
  first: number;
  last: number;
}
interface InFlight {
  batch: PushBatch;
  answer: Promise<PushResponse>;
  /** Sent while the batch before it was still unanswered. */
  pipelined: boolean;
}

/** A request body already serialized. */
class RawJson {
  constructor(readonly text: string) {}
}

/**
 * The push request's body, written from the outbox rows as they are stored: a payload is JSON
 * text already (the workspace wrote it), so it is spliced in as it is rather than parsed and
 * written again — the push's largest cost on the device. A payload that might hold a secret goes
 * through withoutSecrets as before; the server refuses a secret anyway (sync.secretInPayload).
 */
export function pushBody(rows: Array<Omit<Mutation, 'payload'> & { payload: string }>): RawJson {
  const parts = rows.map(({ payload, ...rest }) => {
    const clean = mightCarrySecret(payload) ? JSON.stringify(withoutSecrets(JSON.parse(payload))) : payload;
    return `${JSON.stringify(rest).slice(0, -1)},"payload":${clean}}`;
  });
  return new RawJson(`{"mutations":[${parts.join(',')}]}`);
}

function numberOrNull(v: string | undefined): number | null {
  return v === undefined ? null : Number(v);
}
