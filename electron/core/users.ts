/**
 * Branch setup, sign-in with lockout (three failures, seed 003; the last administrator waits
 * instead, core/backoff.ts), sessions (idle limit, absolute lifetime, a cap per user), passwords
 * (the shared rule plus the common-password list, a change forced after an administrator's
 * reset) and user administration.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { changePasswordSchema, setupSchema, signInSchema, userCreateSchema, userUpdateSchema } from '../shared/contract';
import type { Locale, Role } from '../shared/domain';
import { AppError } from '../shared/errors';
import type { Branch, SessionInfo, UserSummary } from '../shared/types';
import type { EmergencySessionInfo } from '../shared/request-types';
import { backoffMs, waitLeft } from './backoff';
import { assertPasswordPolicy, hashPassword, verifyPassword, DUMMY_HASH } from './passwords';
import type { Workspace, WriteTx } from './workspace';

export const MAX_FAILED_SIGN_INS = 3;
/** Sessions end after this long without a call. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Sessions end this long after sign-in whatever the activity (issue 10, finding 7). */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Live sessions per user; signing in once more ends the oldest (audited). */
export const MAX_SESSIONS_PER_USER = 5;
/**
 * How long the lock of a branch's only administrator lasts, for a lock made before the last
 * administrator stopped being locked at all (they get backoff instead): nobody else could unlock it.
 */
export const ADMIN_LOCK_MS = 15 * 60 * 1000;
/** What a session that must change its password may still call (checked in core/api.ts). */
export const MUST_CHANGE_ALLOWED: readonly string[] = ['auth.changePassword', 'auth.me', 'auth.signOut'];

interface UserRow {
  id: string;
  username: string;
  full_name: string;
  password_hash: string;
  roles: string;
  locale: string;
  active: number;
  failed_attempts: number;
  locked_at: number | null;
  must_change_password: number;
  last_failed_at: number | null;
}

export interface Session {
  token: string;
  userId: string;
  roles: Role[];
  lastSeen: number;
  /** When the session was opened: it ends SESSION_MAX_AGE_MS later whatever the activity. */
  createdAt: number;
  /** Re-read at every call: set after an administrator's reset until the user picks a new password. */
  mustChangePassword: boolean;
  /** Set when the session was opened with an emergency account (core/emergency.ts). */
  emergency?: EmergencySessionInfo;
}

function toSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    roles: JSON.parse(row.roles) as Role[],
    active: row.active === 1,
    locked: row.locked_at !== null,
    locale: row.locale as Locale,
    mustChangePassword: row.must_change_password === 1,
  };
}

/** How many ended sessions are remembered, so their next call can say the session ended rather than "sign in". */
const ENDED_REMEMBERED = 1000;

export class Users {
  private readonly sessions = new Map<string, Session>();
  /** Tokens of sessions that ended by the clock or the per-user cap (oldest first, bounded). */
  private readonly ended = new Set<string>();

  constructor(private readonly ws: Workspace) {}

  branch(): Branch | null {
    const row = this.ws.sql('SELECT code, name, time_zone AS timeZone FROM branch LIMIT 1').get() as Branch | undefined;
    return row ?? null;
  }

  isInitialized(): boolean {
    return this.branch() !== null;
  }

  /** First run: the branch (its code prefixes every tracking number) and the first administrator. */
  async setup(input: z.output<typeof setupSchema>): Promise<SessionInfo> {
    if (!isKnownTimeZone(input.timeZone)) throw new AppError('validation.failed', undefined, { timeZone: 'validation.timeZone' });
    if (this.isInitialized()) throw new AppError('auth.alreadySetUp'); // checked again in the transaction
    await assertPasswordPolicy(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const userId = this.ws.write({ kind: 'anonymous' }, (tx) => {
      if (this.isInitialized()) throw new AppError('auth.alreadySetUp');
      tx.sql('INSERT INTO branch (code, name, time_zone, created_at) VALUES (?, ?, ?, ?)').run(input.branchCode, input.branchName, input.timeZone, tx.at);
      tx.audit('branch.setup', 'branch', input.branchCode, { code: input.branchCode, name: input.branchName, timeZone: input.timeZone });
      tx.outbox('branch', input.branchCode, 'insert', { code: input.branchCode, name: input.branchName, timeZone: input.timeZone });
      // The first administrator also works the desk: a one-person branch must be able to take tickets.
      return this.insertUser(tx, {
        username: input.username, fullName: input.fullName, passwordHash, roles: ['administrator', 'agent'], locale: input.locale,
      });
    });
    return this.openSession(userId);
  }

  async signIn(input: z.output<typeof signInSchema>): Promise<SessionInfo> {
    if (!this.isInitialized()) throw new AppError('auth.notSetUp');
    const row = this.ws.sql('SELECT * FROM users WHERE username = ?').get(input.username) as UserRow | undefined;
    // The last administrator is never locked: after a few failures each attempt waits, and one made
    // during the wait is refused without checking the password (issue 10, finding 8).
    if (row) {
      const wait = waitLeft(row.failed_attempts, row.last_failed_at, this.ws.now());
      if (wait > 0 && this.isLastAdministrator(row.id)) {
        this.ws.write({ kind: 'anonymous' }, (tx) => tx.audit('auth.signIn.failed', 'user', row.id, {
          username: row.username, reason: 'backoff', attempts: row.failed_attempts, waitMs: wait,
        }));
        throw new AppError('auth.invalidCredentials');
      }
    }
    // Verify even for unknown users so timing does not reveal which user names exist.
    const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
    if (!row) {
      this.ws.write({ kind: 'anonymous' }, (tx) => tx.audit('auth.signIn.failed', 'user', null, { username: input.username, reason: 'unknown_user' }));
      throw new AppError('auth.invalidCredentials');
    }
    // The password check ran outside any transaction (it is slow); decide on a fresh read of the
    // row inside one, so parallel guesses cannot all see "0 failures" and slip past the lockout.
    const outcome = this.ws.write({ kind: 'anonymous' }, (tx): 'ok' | 'locked' | 'inactive' | 'bad' | 'lockedNow' => {
      const fresh = tx.sql('SELECT failed_attempts, locked_at, active, last_failed_at FROM users WHERE id = ?').get(row.id) as Pick<UserRow, 'failed_attempts' | 'locked_at' | 'active' | 'last_failed_at'>;
      if (fresh.locked_at !== null && !this.lockExpired(tx, row.id, fresh.locked_at)) {
        tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'locked' });
        return 'locked';
      }
      if (fresh.active !== 1) {
        tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'inactive' });
        return 'inactive';
      }
      const lastAdministrator = this.isLastAdministrator(row.id);
      // A parallel guess failed while this one was being checked: the wait applies to this one too.
      const wait = waitLeft(fresh.failed_attempts, fresh.last_failed_at, tx.at);
      if (lastAdministrator && wait > 0) {
        tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'backoff', attempts: fresh.failed_attempts, waitMs: wait });
        return 'bad';
      }
      if (ok) return 'ok';
      const attempts = (tx.sql('UPDATE users SET failed_attempts = failed_attempts + 1, last_failed_at = ?, updated_at = ? WHERE id = ? RETURNING failed_attempts').pluck().get(tx.at, tx.at, row.id)) as number;
      tx.audit('auth.signIn.failed', 'user', row.id, {
        username: row.username, reason: 'bad_password', attempts, ...(lastAdministrator && backoffMs(attempts) > 0 ? { waitMs: backoffMs(attempts) } : {}),
      });
      if (attempts < MAX_FAILED_SIGN_INS || lastAdministrator) return 'bad';
      tx.sql('UPDATE users SET locked_at = ? WHERE id = ?').run(tx.at, row.id);
      tx.audit('auth.lockout', 'user', row.id, { username: row.username, attempts });
      tx.outbox('user', row.id, 'update', { failedAttempts: attempts, lockedAt: tx.at });
      return 'lockedNow';
    });
    // A wrong password gets the same answer whether the name is unknown, locked or inactive, so
    // guessing cannot tell which names exist; who knows the password learns why it was refused.
    if (outcome === 'locked' && ok) throw new AppError('auth.locked');
    if (outcome === 'inactive' && ok) throw new AppError('auth.inactive');
    if (outcome !== 'ok') throw new AppError('auth.invalidCredentials');
    this.ws.write({ kind: 'user', userId: row.id }, (tx) => {
      tx.sql('UPDATE users SET failed_attempts = 0, locked_at = NULL, last_failed_at = NULL WHERE id = ? AND (failed_attempts > 0 OR locked_at IS NOT NULL OR last_failed_at IS NOT NULL)').run(row.id);
      tx.audit('auth.signIn', 'user', row.id, { username: row.username, ...(row.must_change_password === 1 ? { mustChangePassword: true } : {}) });
    });
    return this.openSession(row.id);
  }

  /** A user pulled from another branch with no password on this computer yet (hashes never travel): their id, or null. */
  withoutLocalPassword(username: string): string | null {
    return (this.ws.sql("SELECT id FROM users WHERE username = ? AND password_hash NOT LIKE 'scrypt$%'").pluck().get(username) as string | undefined) ?? null;
  }

  /** Keeps this computer's own hash of a password the central server confirmed, so later sign-ins work offline. */
  async cacheCentralPassword(userId: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    this.ws.write({ kind: 'system' }, (tx) => {
      tx.sql("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash NOT LIKE 'scrypt$%'").run(passwordHash, userId);
      tx.audit('user.passwordFromServer', 'user', userId, {});
    });
  }

  /**
   * The signed-in user changes their own password: the current one proves it is them, the new one
   * follows the rule. Ends the user's other sessions; this one goes on (and may again do anything,
   * if the change was forced by an administrator's reset).
   */
  async changePassword(session: Session, input: z.output<typeof changePasswordSchema>): Promise<SessionInfo> {
    const row = this.mustGet(session.userId);
    const actor = { kind: 'user' as const, userId: row.id };
    if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
      this.ws.write(actor, (tx) => tx.audit('user.passwordChangeRefused', 'user', row.id, { reason: 'wrong_current_password' }));
      throw new AppError('validation.failed', undefined, { currentPassword: 'auth.wrongCurrentPassword' });
    }
    await assertPasswordPolicy(input.newPassword, row.username, 'newPassword');
    if (passwordsEqual(input.newPassword, input.currentPassword)) throw new AppError('validation.failed', undefined, { newPassword: 'validation.passwordSame' });
    const passwordHash = await hashPassword(input.newPassword);
    this.ws.write(actor, (tx) => {
      tx.sql('UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?').run(passwordHash, tx.at, row.id);
      tx.audit('user.passwordChanged', 'user', row.id, { forced: row.must_change_password === 1 });
      // Never the hash (issue 10): only when it changed, and that no change is pending any more —
      // the user is central (issue 11), every branch stops asking for it.
      tx.outbox('user', row.id, 'update', { passwordChangedAt: tx.at, mustChangePassword: false });
    });
    for (const [token, s] of this.sessions) if (s.userId === row.id && token !== session.token && !s.emergency) this.sessions.delete(token);
    session.mustChangePassword = false;
    return { token: session.token, user: this.me(row.id) };
  }

  /** Ends a session; `also` runs in the same transaction (an emergency account ends with its session). */
  signOut(token: string, also?: (tx: WriteTx) => void): void {
    const session = this.sessions.get(token);
    if (!session) return;
    this.sessions.delete(token);
    const actor = session.emergency
      ? { kind: 'emergency' as const, userId: session.userId, requestId: session.emergency.requestId, accountId: session.emergency.accountId }
      : { kind: 'user' as const, userId: session.userId };
    this.ws.write(actor, (tx) => {
      tx.audit('auth.signOut', 'user', session.userId);
      also?.(tx);
    });
  }

  /** A session whose actor is the implementer acting through an emergency account (core/emergency.ts checks its scope). */
  openEmergencySession(userId: string, emergency: EmergencySessionInfo): SessionInfo {
    const token = randomBytes(32).toString('base64url');
    const user = this.me(userId);
    const now = this.ws.now();
    this.sessions.set(token, { token, userId, roles: user.roles, lastSeen: now, createdAt: now, mustChangePassword: false, emergency });
    return { token, user: { ...user, emergency } };
  }

  /** Resolves a session token; roles are re-read so a role change applies at the next call. */
  resolve(token: string | null | undefined): Session | null {
    if (!token) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    const now = this.ws.now();
    if (now - session.lastSeen > SESSION_IDLE_MS || now - session.createdAt >= SESSION_MAX_AGE_MS) {
      this.endSession(token);
      return null;
    }
    const row = this.get(session.userId);
    if (!row || row.active !== 1 || row.locked_at !== null) {
      this.sessions.delete(token);
      return null;
    }
    session.roles = JSON.parse(row.roles) as Role[];
    session.mustChangePassword = !session.emergency && row.must_change_password === 1;
    session.lastSeen = now;
    return session;
  }

  /** Whether the token's session ended by the clock (idle limit, 7-day lifetime) or the per-user cap. */
  hasExpired(token: string): boolean {
    return this.ended.has(token);
  }

  private endSession(token: string): void {
    this.sessions.delete(token);
    this.ended.add(token);
    if (this.ended.size > ENDED_REMEMBERED) this.ended.delete(this.ended.values().next().value!);
  }

  me(userId: string): UserSummary {
    return toSummary(this.mustGet(userId));
  }

  list(): UserSummary[] {
    return (this.ws.sql('SELECT * FROM users ORDER BY full_name COLLATE NOCASE').all() as UserRow[]).map(toSummary);
  }

  /** For assignment pickers: active users only, no lock details needed but harmless. */
  directory(): UserSummary[] {
    return this.list().filter((u) => u.active);
  }

  async create(actorId: string, input: z.output<typeof userCreateSchema>): Promise<UserSummary> {
    await assertPasswordPolicy(input.password, input.username);
    const passwordHash = await hashPassword(input.password);
    const id = this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const taken = tx.sql('SELECT 1 FROM users WHERE username = ?').get(input.username);
      if (taken) throw new AppError('validation.failed', undefined, { username: 'users.usernameTaken' });
      return this.insertUser(tx, { username: input.username, fullName: input.fullName, passwordHash, roles: input.roles, locale: input.locale });
    });
    return this.me(id);
  }

  update(actorId: string, input: z.output<typeof userUpdateSchema>): UserSummary {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const row = this.mustGet(input.userId);
      const before = toSummary(row);
      const after = {
        fullName: input.fullName ?? before.fullName,
        roles: input.roles ? [...new Set(input.roles)] : before.roles,
        active: input.active ?? before.active,
        locale: input.locale ?? before.locale,
      };
      const losesAdmin = before.roles.includes('administrator') && before.active && (!after.roles.includes('administrator') || !after.active);
      // Only an active, unlocked administrator counts towards the last one that must remain.
      if (losesAdmin && row.locked_at === null && this.activeAdministratorCount() <= 1) throw new AppError('auth.lastAdministrator');
      tx.sql('UPDATE users SET full_name = ?, roles = ?, active = ?, locale = ?, updated_at = ? WHERE id = ?').run(
        after.fullName, JSON.stringify(after.roles), after.active ? 1 : 0, after.locale, tx.at, input.userId,
      );
      const changes = diff(before, after);
      tx.audit(changes.roles ? 'user.rolesChanged' : 'user.updated', 'user', input.userId, changes);
      tx.outbox('user', input.userId, 'update', { fullName: after.fullName, roles: after.roles, active: after.active, locale: after.locale });
    });
    return this.me(input.userId);
  }

  unlock(actorId: string, userId: string): UserSummary {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      this.mustGet(userId);
      tx.sql('UPDATE users SET failed_attempts = 0, locked_at = NULL, updated_at = ? WHERE id = ?').run(tx.at, userId);
      tx.audit('auth.unlock', 'user', userId);
      tx.outbox('user', userId, 'update', { failedAttempts: 0, lockedAt: null });
    });
    return this.me(userId);
  }

  /**
   * An administrator sets a temporary password; the user must replace it at the next sign-in
   * (so administrators never know the passwords in use). Ends the user's sessions.
   */
  async resetPassword(actorId: string, userId: string, password: string): Promise<UserSummary> {
    await assertPasswordPolicy(password, this.mustGet(userId).username);
    const passwordHash = await hashPassword(password);
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      this.mustGet(userId);
      tx.sql('UPDATE users SET password_hash = ?, must_change_password = 1, failed_attempts = 0, locked_at = NULL, last_failed_at = NULL, updated_at = ? WHERE id = ?').run(passwordHash, tx.at, userId);
      tx.audit('user.passwordReset', 'user', userId, { mustChangePassword: true });
      // Password hashes never leave the machine (issue 10): the outbox says only that it changed
      // and that it must be changed at the next sign-in, at whichever branch that is (issue 11).
      tx.outbox('user', userId, 'update', { passwordChangedAt: tx.at, mustChangePassword: true });
    });
    for (const [token, s] of this.sessions) if (s.userId === userId) this.sessions.delete(token);
    return this.me(userId);
  }

  private insertUser(
    tx: WriteTx,
    u: { username: string; fullName: string; passwordHash: string; roles: Role[]; locale: Locale },
  ): string {
    const id = tx.id();
    const roles = [...new Set(u.roles)];
    tx.sql(
      'INSERT INTO users (id, username, full_name, password_hash, roles, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, u.username, u.fullName, u.passwordHash, JSON.stringify(roles), u.locale, tx.at, tx.at);
    tx.audit('user.created', 'user', id, { username: u.username, fullName: u.fullName, roles });
    tx.outbox('user', id, 'insert', { username: u.username, fullName: u.fullName, roles, locale: u.locale });
    return id;
  }

  /** A new session; the user's oldest ones end (audited) so at most MAX_SESSIONS_PER_USER stay live. */
  private openSession(userId: string): SessionInfo {
    const token = randomBytes(32).toString('base64url');
    const user = this.me(userId);
    const now = this.ws.now();
    const live = [...this.sessions.values()].filter((s) => s.userId === userId && !s.emergency).sort((a, b) => a.createdAt - b.createdAt);
    const ended = live.slice(0, Math.max(0, live.length - (MAX_SESSIONS_PER_USER - 1)));
    if (ended.length > 0) {
      for (const s of ended) this.endSession(s.token);
      this.ws.write({ kind: 'user', userId }, (tx) => {
        for (const s of ended) tx.audit('auth.sessionEnded', 'user', userId, { reason: 'session_cap', max: MAX_SESSIONS_PER_USER, startedAt: s.createdAt });
      });
    }
    this.sessions.set(token, { token, userId, roles: user.roles, lastSeen: now, createdAt: now, mustChangePassword: user.mustChangePassword });
    return { token, user };
  }

  private get(userId: string): UserRow | undefined {
    return this.ws.sql('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
  }

  private mustGet(userId: string): UserRow {
    const row = this.get(userId);
    if (!row) throw new AppError('users.notFound');
    return row;
  }

  /**
   * Seed 003: an administrator unlocks a locked user. When the locked user is the branch's only
   * administrator nobody could, so that one lock lapses after ADMIN_LOCK_MS (and says so in the audit log).
   */
  private lockExpired(tx: WriteTx, userId: string, lockedAt: number): boolean {
    if (tx.at - lockedAt < ADMIN_LOCK_MS) return false;
    const roles = JSON.parse(tx.sql('SELECT roles FROM users WHERE id = ?').pluck().get(userId) as string) as Role[];
    if (!roles.includes('administrator') || this.activeAdministratorCount() > 0) return false;
    tx.sql('UPDATE users SET failed_attempts = 0, locked_at = NULL WHERE id = ?').run(userId);
    tx.audit('auth.lockLapsed', 'user', userId, { lockedAt, reason: 'no_other_administrator' });
    tx.outbox('user', userId, 'update', { failedAttempts: 0, lockedAt: null });
    return true;
  }

  /**
   * An active administrator with no other active, unlocked administrator: a lock would leave the
   * branch without anyone to unlock it, so they get backoff instead. Both ways into core — the
   * desktop window over IPC and the web host — are on this machine (the web host listens on
   * loopback and asks for its one-time link's cookie), so they are treated the same.
   */
  private isLastAdministrator(userId: string): boolean {
    const rows = this.ws.sql('SELECT id, roles, active, locked_at FROM users WHERE active = 1').all() as Array<Pick<UserRow, 'id' | 'roles' | 'active' | 'locked_at'>>;
    const admins = rows.filter((r) => (JSON.parse(r.roles) as Role[]).includes('administrator'));
    return admins.some((r) => r.id === userId) && !admins.some((r) => r.id !== userId && r.locked_at === null);
  }

  private activeAdministratorCount(): number {
    return (this.ws.db.prepare("SELECT roles FROM users WHERE active = 1 AND locked_at IS NULL").pluck().all() as string[])
      .filter((r) => (JSON.parse(r) as Role[]).includes('administrator')).length;
  }
}

/** Same password once normalized as it is hashed. */
function passwordsEqual(a: string, b: string): boolean {
  return a.normalize('NFKC') === b.normalize('NFKC');
}

/** The fields of `after` whose value differs from `before`, as { from, to } — what audit entries record. */
function diff(before: object, after: object): Record<string, { from: unknown; to: unknown }> {
  const prior = before as Record<string, unknown>;
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    if (JSON.stringify(prior[k]) !== JSON.stringify(v)) out[k] = { from: prior[k], to: v };
  }
  return out;
}

export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export { diff };
