/** Branch setup, sign-in with lockout (three failures, seed 003), sessions and user administration. */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { setupSchema, signInSchema, userCreateSchema, userUpdateSchema } from '../shared/contract';
import type { Locale, Role } from '../shared/domain';
import { AppError } from '../shared/errors';
import type { Branch, SessionInfo, UserSummary } from '../shared/types';
import type { EmergencySessionInfo } from '../shared/request-types';
import { hashPassword, verifyPassword } from './passwords';
import type { Workspace, WriteTx } from './workspace';

export const MAX_FAILED_SIGN_INS = 3;
/** Sessions end after this long without a call. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** How long the lock of a branch's only administrator lasts (nobody else could unlock it). */
export const ADMIN_LOCK_MS = 15 * 60 * 1000;

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
}

export interface Session {
  token: string;
  userId: string;
  roles: Role[];
  lastSeen: number;
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
  };
}

export class Users {
  private readonly sessions = new Map<string, Session>();

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
    // Verify even for unknown users so timing does not reveal which user names exist.
    const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
    if (!row) {
      this.ws.write({ kind: 'anonymous' }, (tx) => tx.audit('auth.signIn.failed', 'user', null, { username: input.username, reason: 'unknown_user' }));
      throw new AppError('auth.invalidCredentials');
    }
    // The password check ran outside any transaction (it is slow); decide on a fresh read of the
    // row inside one, so parallel guesses cannot all see "0 failures" and slip past the lockout.
    const outcome = this.ws.write({ kind: 'anonymous' }, (tx): 'ok' | 'locked' | 'inactive' | 'bad' | 'lockedNow' => {
      const fresh = tx.sql('SELECT failed_attempts, locked_at, active FROM users WHERE id = ?').get(row.id) as Pick<UserRow, 'failed_attempts' | 'locked_at' | 'active'>;
      if (fresh.locked_at !== null && !this.lockExpired(tx, row.id, fresh.locked_at)) {
        tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'locked' });
        return 'locked';
      }
      if (fresh.active !== 1) {
        tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'inactive' });
        return 'inactive';
      }
      if (ok) return 'ok';
      const attempts = (tx.sql('UPDATE users SET failed_attempts = failed_attempts + 1, updated_at = ? WHERE id = ? RETURNING failed_attempts').pluck().get(tx.at, row.id)) as number;
      tx.audit('auth.signIn.failed', 'user', row.id, { username: row.username, reason: 'bad_password', attempts });
      if (attempts < MAX_FAILED_SIGN_INS) return 'bad';
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
      tx.sql('UPDATE users SET failed_attempts = 0, locked_at = NULL WHERE id = ? AND (failed_attempts > 0 OR locked_at IS NOT NULL)').run(row.id);
      tx.audit('auth.signIn', 'user', row.id, { username: row.username });
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
    this.sessions.set(token, { token, userId, roles: user.roles, lastSeen: this.ws.now(), emergency });
    return { token, user: { ...user, emergency } };
  }

  /** Resolves a session token; roles are re-read so a role change applies at the next call. */
  resolve(token: string | null | undefined): Session | null {
    if (!token) return null;
    const session = this.sessions.get(token);
    if (!session) return null;
    const now = this.ws.now();
    if (now - session.lastSeen > SESSION_IDLE_MS) {
      this.sessions.delete(token);
      return null;
    }
    const row = this.get(session.userId);
    if (!row || row.active !== 1 || row.locked_at !== null) {
      this.sessions.delete(token);
      return null;
    }
    session.roles = JSON.parse(row.roles) as Role[];
    session.lastSeen = now;
    return session;
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

  async resetPassword(actorId: string, userId: string, password: string): Promise<UserSummary> {
    const passwordHash = await hashPassword(password);
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      this.mustGet(userId);
      tx.sql('UPDATE users SET password_hash = ?, failed_attempts = 0, locked_at = NULL, updated_at = ? WHERE id = ?').run(passwordHash, tx.at, userId);
      tx.audit('user.passwordReset', 'user', userId);
      // Password hashes never leave the machine (issue 10): the outbox says only that it changed.
      tx.outbox('user', userId, 'update', { passwordChangedAt: tx.at });
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

  private openSession(userId: string): SessionInfo {
    const token = randomBytes(32).toString('base64url');
    const user = this.me(userId);
    this.sessions.set(token, { token, userId, roles: user.roles, lastSeen: this.ws.now() });
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

  private activeAdministratorCount(): number {
    return (this.ws.db.prepare("SELECT roles FROM users WHERE active = 1 AND locked_at IS NULL").pluck().all() as string[])
      .filter((r) => (JSON.parse(r) as Role[]).includes('administrator')).length;
  }
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

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
