/**
 * Emergency accounts (seed 001 §04 c and e; NIST SP 800-53 AC-2(2)): created by the security
 * officer for one approved request, usable only by its implementer, only inside a validity window
 * and only for what the request covers. They disable themselves at the end — checked on every
 * call and by a sweep — every call made with one is audited with the request id, and the
 * security officer reviews the record afterwards.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type {
  emergencyCreateSchema, emergencyReviewSchema, emergencyRevokeSchema, emergencySettingsSchema, signInSchema,
} from '../shared/contract';
import { AppError } from '../shared/errors';
import type {
  AuditRecord, EmergencyAccountCreated, EmergencyAccountInfo, EmergencyAnomalyKind, EmergencyReviewItem, EmergencySettings,
  FieldDiff, OverdueEmergencyReview,
} from '../shared/request-types';
import { DEFAULT_TIME_ZONE, type Role } from '../shared/domain';
import { wallTimeToInstant } from '../shared/calendar';
import { APPROVER_ROLES, DEFAULT_EMERGENCY_MAX_HOURS, EMERGENCY_SCOPE, type EmergencyReviewOutcome } from '../shared/request-workflow';
import type { SessionInfo } from '../shared/types';
import type { Actor } from './audit';
import { auditRecords } from './audit-export';
import { idKey } from './audit-store';
import { notify, usersWithRole } from './notifications/notify';
import { hashPassword, verifyPassword, DUMMY_HASH } from './passwords';
import { attempt, type Attempt, type Requests } from './requests';
import { EMERGENCY_LOCK_ATTEMPTS, waitLeft } from './backoff';
import type { Session, Users } from './users';
import type { Workspace, WriteTx } from './workspace';

export const EMERGENCY_MAX_HOURS_KEY = 'emergency.maxHours';
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** How far ahead a window may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 30 * DAY_MS;

export interface AccountRow {
  id: string;
  request_id: string;
  username: string;
  password_hash: string;
  implementer_id: string;
  created_by: string;
  starts_at: number;
  ends_at: number;
  disabled_at: number | null;
  disabled_reason: EmergencyAccountInfo['disabledReason'];
  failed_attempts: number;
  last_failed_at: number | null;
  first_used_at: number | null;
  created_at: number;
  updated_at: number;
}

/** An account is finished once its window has ended or it was disabled; only then can it be reviewed. */
export function isFinished(a: Pick<EmergencyAccountInfo, 'disabledAt' | 'endsAt'>, now: number): boolean {
  return a.disabledAt !== null || now >= a.endsAt;
}

/** Disables an account inside the caller's transaction, with its audit entry. */
export function disableAccount(tx: WriteTx, row: AccountRow, reason: NonNullable<AccountRow['disabled_reason']>, data: Record<string, unknown> = {}): void {
  tx.sql('UPDATE emergency_accounts SET disabled_at = ?, disabled_reason = ?, updated_at = ? WHERE id = ? AND disabled_at IS NULL')
    .run(tx.at, reason, tx.at, row.id);
  tx.audit('emergency.disabled', 'emergency_account', row.id, { requestId: row.request_id, accountId: row.id, reason, endsAt: row.ends_at, ...data });
  tx.outbox('emergency_account', row.id, 'update', { disabledAt: tx.at, disabledReason: reason });
  row.disabled_at = tx.at;
  row.disabled_reason = reason;
  notifyReviewers(tx, row);
}

/** The session is over: every security officer is told it waits for review (once per account). */
export function notifyReviewers(tx: WriteTx, row: AccountRow): void {
  const req = tx.sql('SELECT r.kind, t.tracking_number AS folio FROM change_requests r JOIN tickets t ON t.id = r.ticket_id WHERE r.id = ?')
    .get(row.request_id) as { kind: string; folio: string } | undefined;
  if (!req) return;
  notify(tx, usersWithRole(tx, 'security_officer'), {
    kind: 'emergency_review', entity: 'emergency_account', entityId: row.id, folio: req.folio,
    data: { requestId: row.request_id, requestKind: req.kind, reason: row.disabled_reason ?? '' }, onceKey: `emergency_review:${row.id}`,
  });
}

export function accountsOfRequest(db: Database.Database, requestId: string): EmergencyAccountInfo[] {
  const rows = db.prepare('SELECT * FROM emergency_accounts WHERE request_id = ? ORDER BY created_at, rowid').all(requestId) as AccountRow[];
  return rows.map((r) => toInfo(db, r));
}

function toInfo(db: Database.Database, row: AccountRow): EmergencyAccountInfo {
  const review = db.prepare(
    'SELECT outcome, comment, reviewer_id AS reviewerId, created_at AS reviewedAt FROM emergency_reviews WHERE account_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  ).get(row.id) as EmergencyAccountInfo['review'] | undefined;
  const implementerName = db.prepare('SELECT full_name FROM users WHERE id = ?').pluck().get(row.implementer_id) as string | undefined;
  return {
    id: row.id,
    requestId: row.request_id,
    username: row.username,
    implementerId: row.implementer_id,
    implementerName: implementerName ?? null,
    createdBy: row.created_by,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    firstUsedAt: row.first_used_at,
    review: review ?? null,
    createdAt: row.created_at,
  };
}

/** Who is looking at emergency accounts: the signed-in user and their roles. */
export interface Viewer {
  userId: string;
  roles: readonly Role[];
}

/**
 * Whether the viewer may see an emergency account's user name (issue 10, finding 8): a name in the
 * open is half of a sign-in and enough to start a stranger's attempts. The person it is issued to
 * and the approvers who review it (information owner, security officer, IT head) need it; nobody else.
 */
export function maySeeEmergencyUsername(viewer: Viewer, implementerId: string | null): boolean {
  return viewer.userId === implementerId || viewer.roles.some((r) => (APPROVER_ROLES as readonly Role[]).includes(r));
}

/** The account as the viewer may see it. */
export function accountForViewer(account: EmergencyAccountInfo, viewer: Viewer): EmergencyAccountInfo {
  return maySeeEmergencyUsername(viewer, account.implementerId) ? account : { ...account, username: null };
}

/** Audit actions whose data names an emergency account's user name (or one tried against it). */
const EMERGENCY_USERNAME_ACTIONS: readonly string[] = ['emergency.created', 'emergency.signIn', 'emergency.signIn.failed'];

/** An audit entry as the viewer may see it: an emergency user name only to those who may see it. */
export function auditRecordForViewer(record: AuditRecord, viewer: Viewer): AuditRecord {
  if (!EMERGENCY_USERNAME_ACTIONS.includes(record.action) || !('username' in record.data)) return record;
  const implementerId = typeof record.data.implementerId === 'string' ? record.data.implementerId : record.actorKind === 'emergency' ? record.actorId : null;
  return maySeeEmergencyUsername(viewer, implementerId) ? record : { ...record, data: { ...record.data, username: null } };
}

/** The audit actor of a session opened with an emergency account. */
export function emergencyActor(session: Session): Actor {
  if (!session.emergency) return { kind: 'user', userId: session.userId };
  return { kind: 'emergency', userId: session.userId, requestId: session.emergency.requestId, accountId: session.emergency.accountId };
}

const ANOMALIES: Record<string, EmergencyAnomalyKind> = {
  'emergency.outOfScope': 'out_of_scope',
  'emergency.expired': 'after_expiry',
  'emergency.signIn.failed': 'failed_sign_in',
  'emergency.lockout': 'lockout',
};

/** The anomaly an audit entry stands for, if any: the right password on an account already over is its own kind. */
function anomalyOf(e: AuditRecord): EmergencyAnomalyKind | undefined {
  if (e.action === 'emergency.signIn.failed' && (e.data.reason === 'disabled' || e.data.reason === 'after_expiry')) return 'sign_in_after_end';
  return ANOMALIES[e.action];
}

/** Not signed off yet, or an anomaly came after the sign-off. */
function needsReview(item: EmergencyReviewItem): boolean {
  const review = item.account.review;
  return review?.outcome !== 'signed_off' || item.anomalies.some((a) => a.at > review.reviewedAt);
}

/** How far in the past a start typed as a date and an hh:mm time may be (it was "now" when typed). */
const TYPED_START_LATE_MS = 5 * MINUTE_MS;

export class Emergency {
  constructor(
    private readonly ws: Workspace,
    private readonly users: Users,
    private readonly requests: Requests,
  ) {}

  settings(): EmergencySettings {
    const raw = Number(this.ws.getSetting(EMERGENCY_MAX_HOURS_KEY));
    return { maxHours: Number.isInteger(raw) && raw > 0 ? raw : DEFAULT_EMERGENCY_MAX_HOURS };
  }

  updateSettings(actorId: string, input: z.output<typeof emergencySettingsSchema>): EmergencySettings {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.settings();
      tx.setSetting(EMERGENCY_MAX_HOURS_KEY, String(input.maxHours));
      tx.audit('settings.changed', 'settings', 'emergency', { maxHours: { from: before.maxHours, to: input.maxHours } });
      tx.outbox('settings', 'emergency', 'update', { maxHours: input.maxHours });
      return { maxHours: input.maxHours };
    });
  }

  /**
   * Creates the account for an approved request (designating the implementer if not done yet).
   * The password is generated here and returned once; only its scrypt hash is kept.
   */
  /**
   * The window's start from the input: an instant, or a date and a time on the branch's clock (both, or
   * neither); undefined for "now". A half-given or impossible start is refused field by field.
   */
  private startOf(input: z.output<typeof emergencyCreateSchema>): number | undefined {
    if (input.startDate === undefined && input.startTime === undefined) return input.startsAt;
    if (input.startDate === undefined) throw new AppError('validation.failed', undefined, { startDate: 'validation.required' });
    if (input.startTime === undefined) throw new AppError('validation.failed', undefined, { startTime: 'validation.required' });
    const at = wallTimeToInstant(this.users.branch()?.timeZone ?? DEFAULT_TIME_ZONE, input.startDate, input.startTime);
    if (at === null) throw new AppError('validation.failed', undefined, { startTime: 'emergency.badStart' });
    return at;
  }

  async create(actorId: string, input: z.output<typeof emergencyCreateSchema>): Promise<EmergencyAccountCreated> {
    const password = randomBytes(15).toString('base64url');
    const passwordHash = await hashPassword(password);
    const actor: Actor = { kind: 'user', userId: actorId };
    const what: Attempt = { action: 'emergency.refused', attempted: 'create', entity: 'change_request', entityId: input.requestId, data: { requestId: input.requestId } };
    const id = attempt(this.ws, actor, what, () =>
      this.ws.write(actor, (tx) => {
        const req = this.requests.mustRow(input.requestId);
        if (req.state !== 'approved' && req.state !== 'in_implementation') throw new AppError('emergency.requestNotApproved', { state: req.state });
        if (input.implementerId && input.implementerId !== req.implementer_id) this.requests.designate(tx, req, input.implementerId, input.comment);
        if (!req.implementer_id) throw new AppError('requests.implementerRequired');
        if (req.implementer_id === actorId) throw new AppError('emergency.selfIssued');
        const startsAt = this.startOf(input) ?? tx.at;
        // A start typed to the minute may be the minute just gone by the time the form is sent.
        const lateBy = input.startTime === undefined ? MINUTE_MS : TYPED_START_LATE_MS;
        if (startsAt < tx.at - lateBy || startsAt > tx.at + MAX_SCHEDULE_AHEAD_MS) {
          throw new AppError('validation.failed', undefined, { startsAt: 'emergency.badStart' });
        }
        const { maxHours } = this.settings();
        if (input.durationMinutes > maxHours * 60) throw new AppError('emergency.windowTooLong', { maxHours });
        const live = tx.sql('SELECT 1 FROM emergency_accounts WHERE request_id = ? AND disabled_at IS NULL AND ends_at > ?').get(req.id, tx.at);
        if (live) throw new AppError('emergency.alreadyActive');
        const endsAt = startsAt + input.durationMinutes * MINUTE_MS;
        const accountId = tx.id();
        const username = this.newUsername(tx);
        tx.sql(
          `INSERT INTO emergency_accounts (id, request_id, username, password_hash, implementer_id, created_by, starts_at, ends_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(accountId, req.id, username, passwordHash, req.implementer_id, actorId, startsAt, endsAt, tx.at, tx.at);
        const record = { requestId: req.id, accountId, username, implementerId: req.implementer_id, startsAt, endsAt, comment: input.comment };
        tx.audit('emergency.created', 'emergency_account', accountId, record);
        tx.outbox('emergency_account', accountId, 'insert', record); // never the password hash (issue 10)
        return accountId;
      }),
    );
    const account = this.account(id);
    return { account: { ...account, username: account.username ?? '' }, password };
  }

  /**
   * Signs the implementer in with the account. The first sign-in starts the implementation
   * (aprobada → en implementación). Failures are audited against the account; after a few, each
   * attempt waits longer (core/backoff.ts) and one made during the wait is refused without checking
   * the password; only EMERGENCY_LOCK_ATTEMPTS consecutive failures lock (disable) the account, so
   * a stranger cannot end an emergency with three guesses (issue 10, finding 8).
   */
  async signIn(input: z.output<typeof signInSchema>): Promise<SessionInfo> {
    const row = this.ws.sql('SELECT * FROM emergency_accounts WHERE username = ?').get(input.username) as AccountRow | undefined;
    const anonymous: Actor = { kind: 'anonymous' };
    const refuse = (reason: string, code: string, more?: (tx: WriteTx) => void, data: Record<string, unknown> = {}): never => {
      this.ws.write(anonymous, (tx) => {
        tx.audit('emergency.signIn.failed', 'emergency_account', row?.id ?? null, { username: input.username, requestId: row?.request_id ?? null, reason, ...data });
        more?.(tx);
      });
      throw new AppError(code);
    };
    if (row && row.disabled_at === null) {
      const wait = waitLeft(row.failed_attempts, row.last_failed_at, this.ws.now());
      if (wait > 0) return refuse('backoff', 'auth.invalidCredentials', undefined, { attempts: row.failed_attempts, waitMs: wait });
    }
    // Verify even for unknown accounts so timing does not reveal which names exist.
    const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
    if (!row) return refuse('unknown_account', 'auth.invalidCredentials');
    const now = this.ws.now();
    if (!ok) {
      if (row.disabled_at !== null) return refuse('bad_password', 'auth.invalidCredentials');
      // Locked or not, the same answer as for an unknown account name. Counted on a fresh read
      // inside the transaction, so parallel guesses each count.
      return refuse('bad_password', 'auth.invalidCredentials', (tx) => {
        const attempts = tx.sql('UPDATE emergency_accounts SET failed_attempts = failed_attempts + 1, last_failed_at = ?, updated_at = ? WHERE id = ? RETURNING failed_attempts')
          .pluck().get(tx.at, tx.at, row.id) as number;
        if (attempts >= EMERGENCY_LOCK_ATTEMPTS) {
          tx.audit('emergency.lockout', 'emergency_account', row.id, { requestId: row.request_id, attempts });
          disableAccount(tx, row, 'locked');
        }
      });
    }
    if (row.disabled_at !== null) {
      return row.disabled_reason === 'expired' ? refuse('after_expiry', 'emergency.expired') : refuse('disabled', 'emergency.disabled');
    }
    if (now >= row.ends_at) return refuse('after_expiry', 'emergency.expired', (tx) => disableAccount(tx, row, 'expired'));
    if (now < row.starts_at) return refuse('not_yet_valid', 'emergency.notYetValid');
    const implementer = this.ws.sql('SELECT active, locked_at FROM users WHERE id = ?').get(row.implementer_id) as { active: number; locked_at: number | null } | undefined;
    if (!implementer || implementer.active !== 1 || implementer.locked_at !== null) return refuse('implementer_inactive', 'auth.inactive');
    const req = this.requests.mustRow(row.request_id);
    if (req.state !== 'approved' && req.state !== 'in_implementation' && req.state !== 'implemented') return refuse('request_closed', 'emergency.requestClosed');

    const actor: Actor = { kind: 'emergency', userId: row.implementer_id, requestId: row.request_id, accountId: row.id };
    this.ws.write(actor, (tx) => {
      tx.sql('UPDATE emergency_accounts SET failed_attempts = 0, last_failed_at = NULL, first_used_at = COALESCE(first_used_at, ?), updated_at = ? WHERE id = ?').run(tx.at, tx.at, row.id);
      tx.audit('emergency.signIn', 'emergency_account', row.id, { requestId: row.request_id, username: row.username, endsAt: row.ends_at });
      if (req.state === 'approved') this.requests.startImplementation(tx, req);
    });
    return this.users.openEmergencySession(row.implementer_id, { accountId: row.id, requestId: row.request_id, username: row.username, endsAt: row.ends_at });
  }

  /**
   * Runs before every call of an emergency session (the dispatcher's job): an account past its end
   * or disabled is refused as expired (and disabled, if not yet), a method or target outside the
   * request's scope is refused — both with an audit entry. Signing out is always allowed.
   */
  guard(session: Session, method: string, rawInput: unknown): void {
    const em = session.emergency;
    if (!em) return;
    if (method === 'auth.signOut') return;
    const actor = emergencyActor(session);
    const row = this.row(em.accountId);
    if (!row || row.disabled_at !== null || this.ws.now() >= row.ends_at) {
      this.ws.write(actor, (tx) => {
        if (row && row.disabled_at === null) disableAccount(tx, row, 'expired');
        tx.audit('emergency.expired', 'emergency_account', em.accountId, {
          requestId: em.requestId, method, endsAt: row?.ends_at ?? em.endsAt, disabledReason: row?.disabled_reason ?? 'expired',
        });
      });
      throw new AppError('emergency.expired');
    }
    const input = rawInput !== null && typeof rawInput === 'object' ? (rawInput as Record<string, unknown>) : {};
    const inScope = (EMERGENCY_SCOPE as readonly string[]).includes(method) && (
      method.startsWith('requests.') ? input.requestId === em.requestId
        : method === 'customers.get' ? input.customerId === this.requests.mustRow(em.requestId).customer_id
          : true
    );
    if (!inScope) {
      const target = Object.fromEntries(['requestId', 'customerId', 'ticketId', 'userId'].filter((k) => typeof input[k] === 'string').map((k) => [k, String(input[k]).slice(0, 64)]));
      this.ws.write(actor, (tx) => tx.audit('emergency.outOfScope', 'emergency_account', em.accountId, { requestId: em.requestId, method, target }));
      throw new AppError('emergency.outOfScope', { method });
    }
  }

  /** Every call made with an emergency session that passed the guard, successful or not. */
  recordCall(session: Session, method: string, errorCode: string | null): void {
    const em = session.emergency;
    if (!em) return;
    this.ws.write(emergencyActor(session), (tx) =>
      tx.audit('emergency.call', 'api', method, { requestId: em.requestId, method, ok: errorCode === null, ...(errorCode ? { error: errorCode } : {}) }),
    );
  }

  /**
   * "Terminar sesión" with an emergency account: the session ends and the account with it, in one
   * transaction, so the password cannot be used again even inside the window.
   */
  signOut(session: Session): void {
    const em = session.emergency;
    this.users.signOut(session.token, (tx) => {
      const row = em ? this.row(em.accountId) : undefined;
      if (row && row.disabled_at === null) disableAccount(tx, row, 'signed_out');
    });
  }

  /** Ends an account early, when the emergency is over before its window. */
  revoke(actorId: string, input: z.output<typeof emergencyRevokeSchema>): EmergencyAccountInfo {
    const actor: Actor = { kind: 'user', userId: actorId };
    const what: Attempt = { action: 'emergency.refused', attempted: 'revoke', entity: 'emergency_account', entityId: input.accountId };
    attempt(this.ws, actor, what, () =>
      this.ws.write(actor, (tx) => {
        const row = this.mustRow(input.accountId);
        if (isFinished(toInfo(tx.db, row), tx.at)) throw new AppError('emergency.notActive');
        disableAccount(tx, row, 'revoked', { comment: input.comment });
      }),
    );
    return this.account(input.accountId);
  }

  /** Disables every account whose window has ended; returns how many. The host calls it periodically. */
  sweep(now = this.ws.now()): number {
    const due = this.ws.sql('SELECT * FROM emergency_accounts WHERE disabled_at IS NULL AND ends_at <= ?').all(now) as AccountRow[];
    if (due.length === 0) return 0;
    this.ws.write({ kind: 'system' }, (tx) => {
      for (const row of due) disableAccount(tx, row, 'expired', { by: 'sweep' });
    });
    return due.length;
  }

  /**
   * The security officer's queue: finished accounts not yet signed off, each with its record, and
   * signed-off ones that met an anomaly since (someone tried the account after its end).
   */
  reviewQueue(): EmergencyReviewItem[] {
    const now = this.ws.now();
    const rows = this.ws.sql('SELECT * FROM emergency_accounts WHERE disabled_at IS NOT NULL OR ends_at <= ? ORDER BY ends_at, rowid').all(now) as AccountRow[];
    return rows.flatMap((r) => {
      const item = this.reviewItem(toInfo(this.ws.db, r));
      return needsReview(item) ? [item] : [];
    });
  }

  reviewItem(account: EmergencyAccountInfo): EmergencyReviewItem {
    const timeline = this.timeline(account);
    const changes: FieldDiff[] = [];
    const anomalies: EmergencyReviewItem['anomalies'] = [];
    for (const e of timeline) {
      if (e.action === 'customer.protectedFieldChanged') changes.push({ field: String(e.data.field), before: e.data.from, after: e.data.to });
      if (e.action === 'customer.portalAccessChanged') changes.push({ field: 'access', before: null, after: { operation: e.data.operation, portalUsername: e.data.portalUsername } });
      const kind = anomalyOf(e);
      if (kind) anomalies.push({ kind, seq: e.seq, at: e.at, detail: e.data });
    }
    return { account, request: this.requests.summaries('WHERE r.id = ?', [account.requestId])[0]!, timeline, changes, anomalies };
  }

  /** Sign-off, or a finding; a finding keeps the account in the queue until a later sign-off. */
  review(actorId: string, input: z.output<typeof emergencyReviewSchema>): EmergencyAccountInfo {
    const actor: Actor = { kind: 'user', userId: actorId };
    const what: Attempt = { action: 'emergency.refused', attempted: 'review', entity: 'emergency_account', entityId: input.accountId, data: { outcome: input.outcome } };
    attempt(this.ws, actor, what, () =>
      this.ws.write(actor, (tx) => {
        const row = this.mustRow(input.accountId);
        const info = toInfo(tx.db, row);
        if (!isFinished(info, tx.at)) throw new AppError('emergency.notFinished');
        if (row.implementer_id === actorId) throw new AppError('emergency.selfReview');
        if (!needsReview(this.reviewItem(info))) throw new AppError('emergency.alreadyReviewed');
        const id = tx.id();
        tx.sql('INSERT INTO emergency_reviews (id, account_id, reviewer_id, outcome, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(id, row.id, actorId, input.outcome, input.comment, tx.at);
        const record = { requestId: row.request_id, accountId: row.id, outcome: input.outcome as EmergencyReviewOutcome, comment: input.comment };
        tx.audit('emergency.reviewed', 'emergency_account', row.id, record);
        tx.outbox('emergency_review', id, 'insert', { ...record, reviewerId: actorId });
      }),
    );
    return this.account(input.accountId);
  }

  /** Finished accounts still not signed off N days after they ended (the supervisor's home screen). */
  overdueReviews(days: number): OverdueEmergencyReview[] {
    const now = this.ws.now();
    const rows = this.ws.sql('SELECT * FROM emergency_accounts WHERE disabled_at IS NOT NULL OR ends_at <= ? ORDER BY ends_at, rowid').all(now) as AccountRow[];
    const out: OverdueEmergencyReview[] = [];
    for (const row of rows) {
      const account = toInfo(this.ws.db, row);
      if (account.review?.outcome === 'signed_off') continue;
      const endedAt = Math.min(account.endsAt, account.disabledAt ?? account.endsAt);
      if (now - endedAt < days * DAY_MS) continue;
      const request = this.requests.summaries('WHERE r.id = ?', [account.requestId])[0]!;
      out.push({ account, request, endedAt, daysWaiting: Math.floor((now - endedAt) / DAY_MS) });
    }
    return out;
  }

  account(accountId: string): EmergencyAccountInfo {
    return toInfo(this.ws.db, this.mustRow(accountId));
  }

  /** Everything recorded about the account or made with it, in order. */
  timeline(account: Pick<EmergencyAccountInfo, 'id' | 'requestId'>): AuditRecord[] {
    return auditRecords(
      this.ws.db,
      `WHERE a.seq IN (SELECT seq FROM audit_chain WHERE entity = 'emergency_account' AND entity_id = ?
         UNION SELECT seq FROM audit_chain WHERE actor_kind = 'emergency'
           AND json_extract(data, '$.emergency.requestId') = ? AND json_extract(data, '$.emergency.accountId') = ?) ORDER BY a.seq`,
      [idKey(account.id), account.requestId, account.id],
    );
  }

  private newUsername(tx: WriteTx): string {
    for (;;) {
      const username = `emerg-${randomBytes(3).toString('hex')}`;
      const taken = tx.sql('SELECT 1 FROM emergency_accounts WHERE username = ? UNION SELECT 1 FROM users WHERE username = ?').get(username, username);
      if (!taken) return username;
    }
  }

  private row(accountId: string): AccountRow | undefined {
    return this.ws.sql('SELECT * FROM emergency_accounts WHERE id = ?').get(accountId) as AccountRow | undefined;
  }

  private mustRow(accountId: string): AccountRow {
    const row = this.row(accountId);
    if (!row) throw new AppError('emergency.notFound');
    return row;
  }
}

/** Disables every emergency account whose window has ended (AC-2(2)); for the host's periodic timer. */
export function sweepEmergencyAccounts(services: { emergency: Emergency }, now?: number): number {
  return services.emergency.sweep(now);
}
