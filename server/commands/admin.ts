/**
 * The server administrator's commands: first-run setup, sign-in, branches, one-time enrolment
 * codes, devices (list, revoke). Each runs inside the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import { passwordRuleProblem } from '../../electron/shared/common-passwords';
import type { Sql } from '../db';
import { hashPassword, newEnrolmentCode, newSecret, sameDigest, sha256, verifyPassword } from '../credentials';
import { ServerError } from '../errors';

export const ADMIN_SESSION_MS = 8 * 60 * 60 * 1000;
export const DEFAULT_CODE_TTL_MS = 72 * 60 * 60 * 1000;

/** Creates the server's first administrator (`--setup`, or the first-run page); refused once one exists (a second setup cannot take over). */
export async function setupAdmin(sql: Sql, username: string, password: string, now: number): Promise<string> {
  // The app's rules for a user name and a password (its user form and the common-password list).
  if (!/^[a-z0-9._-]{3,40}$/.test(username)) throw new ServerError(400, 'validation.username');
  const problem = await passwordRuleProblem(password, username);
  if (problem) throw new ServerError(400, problem);
  await sql.query('LOCK TABLE server_admins IN EXCLUSIVE MODE');
  const [existing] = await sql.query('SELECT 1 FROM server_admins LIMIT 1');
  if (existing) throw new ServerError(409, 'admin.alreadySetUp');
  const id = randomUUID();
  await sql.query('INSERT INTO server_admins (id, username, password_hash, created_at) VALUES ($1, $2, $3, $4)', [id, username, await hashPassword(password), now]);
  return id;
}

export async function signInAdmin(sql: Sql, username: string, password: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const [row] = await sql.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM server_admins WHERE username = $1', [username]);
  // Hash even for an unknown name, so the answer time does not tell which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
  if (!row || !ok) throw new ServerError(401, 'auth.invalidCredentials');
  const token = newSecret();
  const expiresAt = now + ADMIN_SESSION_MS;
  await sql.query('DELETE FROM admin_sessions WHERE expires_at < $1', [now]);
  await sql.query('INSERT INTO admin_sessions (token_hash, admin_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), row.id, expiresAt]);
  return { token, expiresAt };
}

/** The administrator a bearer token belongs to, or a 401. */
export async function adminForToken(sql: Sql, token: string | undefined, now: number): Promise<string> {
  if (!token) throw new ServerError(401, 'auth.required');
  const [row] = await sql.query<{ admin_id: string; token_hash: string }>('SELECT admin_id, token_hash FROM admin_sessions WHERE token_hash = $1 AND expires_at > $2', [sha256(token), now]);
  if (!row || !sameDigest(row.token_hash, sha256(token))) throw new ServerError(401, 'auth.required');
  return row.admin_id;
}

export async function createBranch(sql: Sql, input: { code: string; name: string; timeZone: string }, now: number): Promise<void> {
  const [taken] = await sql.query('SELECT 1 FROM branches WHERE code = $1', [input.code]);
  if (taken) throw new ServerError(409, 'sync.siteCodeTaken', { code: input.code });
  await sql.query('INSERT INTO branches (code, name, time_zone, created_at) VALUES ($1, $2, $3, $4)', [input.code, input.name, input.timeZone, now]);
}

/** A one-time code for a device of `branchCode`; only its hash is stored, so it is shown once. */
export async function createEnrolmentCode(sql: Sql, adminId: string, branchCode: string, now: number, ttlMs = DEFAULT_CODE_TTL_MS): Promise<{ code: string; expiresAt: number }> {
  const [branch] = await sql.query('SELECT 1 FROM branches WHERE code = $1', [branchCode]);
  if (!branch) throw new ServerError(404, 'sync.unknownBranch', { code: branchCode });
  const code = newEnrolmentCode();
  const expiresAt = now + ttlMs;
  await sql.query(
    'INSERT INTO enrolment_codes (code_hash, branch_code, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [sha256(code), branchCode, adminId, now, expiresAt],
  );
  return { code, expiresAt };
}

export interface DeviceInfo {
  id: string;
  branchCode: string;
  name: string;
  enrolledAt: number;
  revokedAt: number | null;
  lastPushSeq: number;
  auditSeq: number;
  lastSeenAt: number | null;
}

export async function listDevices(sql: Sql): Promise<DeviceInfo[]> {
  return sql.query<DeviceInfo>(`SELECT id, branch_code AS "branchCode", name, enrolled_at AS "enrolledAt", revoked_at AS "revokedAt",
    last_push_seq AS "lastPushSeq", audit_seq AS "auditSeq", last_seen_at AS "lastSeenAt" FROM devices ORDER BY branch_code, enrolled_at`);
}

/** A revoked device's credential stops working at once; what it already pushed stays. */
export async function revokeDevice(sql: Sql, deviceId: string, now: number): Promise<void> {
  const rows = await sql.query('UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id', [deviceId, now]);
  if (rows.length === 0) throw new ServerError(404, 'sync.unknownDevice');
}
