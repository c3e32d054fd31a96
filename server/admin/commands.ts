/**
 * The administration pages' commands (issue 11, items 2, 6 and 7), each inside the caller's
 * transaction: first run, browser sessions, the administrator's log, branches, enrolment codes,
 * devices, central users, audit verification and rejected mutations.
 *
 * Central users are written the way the server writes any change it decides itself (identity.ts):
 * a mutation of no device in the change feed, merged into `entities` by the same per-field rule
 * (mergeFields) and into the `users` table that decides what later pushes may do, so every branch
 * pulls it like a change made at another branch. Their password hash goes to `user_credentials`,
 * where a branch checks a sign-in it does not know yet (/v1/credentials/verify); it never travels.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { v7 as uuidv7 } from 'uuid';
import { passwordRuleProblem } from '../../electron/shared/common-passwords';
import type { Role } from '../../electron/shared/domain';
import { decodeHlc, encodeHlc, tickHlc } from '../../electron/shared/hlc';
import { PASSWORD_RULE_PARAMS } from '../../electron/shared/password-policy';
import type {
  AdminLogEntry, AuditReport, BranchInfo, CentralUser, ChainResult, DeviceSummary, EnrolmentCodeCreated, EnrolmentCodeInfo, RejectedMutationInfo,
} from '../../electron/shared/server-admin';
import { GENESIS_HASH } from '../../electron/shared/audit-chain';
import { mergeFields, type MergedRow } from '../../electron/shared/sync/merge';
import { entryHash, verifyServerAudit } from '../commands/audit';
import { createEnrolmentCode, DEFAULT_CODE_TTL_MS, setupAdmin } from '../commands/admin';
import { PUSH_LOCK } from '../commands/push';
import { hashPassword, newSecret, sameDigest, sha256, verifyPassword } from '../credentials';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import { notifyChange } from '../live';

/** A browser session ends this long after it began, whatever happens. */
export const SESSION_MAX_MS = 8 * 60 * 60 * 1000;
/** …or this long after its last request. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

/** Who did it and from where: every write is logged with it. */
export interface Actor {
  adminId: string | null;
  ip: string | null;
}

// ---- The administrator's log ----

const LOG_LOCK = 4_711_014;

const logHash = (prev: string, e: { seq: number; at: number; adminId: string | null; action: string; target: string | null; data: unknown; ip: string | null }) =>
  sha256(`${prev}\n${canonicalize(e)}`);

/** Appends one entry to the server's log, chained to the one before (appends are serialised). */
export async function logAdmin(sql: Sql, actor: Actor, action: string, target: string | null, data: Record<string, unknown>, now: number): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
  const [last] = await sql.query<{ seq: number; hash: string }>('SELECT seq, hash FROM admin_log ORDER BY seq DESC LIMIT 1');
  const entry = { seq: (last?.seq ?? 0) + 1, at: now, adminId: actor.adminId, action, target, data, ip: actor.ip };
  const prev = last?.hash ?? GENESIS_HASH;
  await sql.query('INSERT INTO admin_log (seq, at, admin_id, action, target, data, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
    entry.seq, now, actor.adminId, action, target, JSON.stringify(data), actor.ip, prev, logHash(prev, entry),
  ]);
}

export async function listAdminLog(sql: Sql, limit = 100): Promise<AdminLogEntry[]> {
  return sql.query<AdminLogEntry>(
    `SELECT l.seq, l.at, a.username AS admin, l.action, l.target FROM admin_log l LEFT JOIN server_admins a ON a.id = l.admin_id ORDER BY l.seq DESC LIMIT $1`,
    [limit],
  );
}

async function verifyAdminLog(sql: Sql): Promise<ChainResult> {
  let prev = GENESIS_HASH;
  let checked = 0;
  for (let after = 0; ;) {
    const rows = await sql.query<{ seq: number; at: number; admin_id: string | null; action: string; target: string | null; data: unknown; ip: string | null; prev_hash: string; hash: string }>(
      'SELECT seq, at, admin_id, action, target, data, ip, prev_hash, hash FROM admin_log WHERE seq > $1 ORDER BY seq LIMIT 5000', [after],
    );
    for (const r of rows) {
      const broken = (reason: string): ChainResult => ({ ok: false, checked, firstBroken: { seq: r.seq, reason, at: r.at } });
      if (r.seq !== checked + 1) return broken('sequence_gap');
      if (r.prev_hash !== prev) return broken('prev_hash');
      if (logHash(prev, { seq: r.seq, at: r.at, adminId: r.admin_id, action: r.action, target: r.target, data: r.data, ip: r.ip }) !== r.hash) return broken('hash');
      prev = r.hash;
      checked++;
    }
    if (rows.length < 5000) break;
    after = rows[rows.length - 1]!.seq;
  }
  return { ok: true, checked, firstBroken: null };
}

// ---- First run ----

const SETUP_CODE = 'setupCode';
const ORG_NAME = 'organizationName';

async function setting(sql: Sql, key: string): Promise<string | null> {
  const [row] = await sql.query<{ value: string }>('SELECT value FROM server_settings WHERE key = $1', [key]);
  return row?.value ?? null;
}

export async function isSetUp(sql: Sql): Promise<boolean> {
  return (await sql.query('SELECT 1 FROM server_admins LIMIT 1')).length > 0;
}

export async function organizationName(sql: Sql): Promise<string | null> {
  return setting(sql, ORG_NAME);
}

/**
 * The code the first-run page asks for while no administrator exists (null once one does): made
 * once and kept until used, so every server process on the database prints the same one. Only
 * who can read the server's console (or its database) has it: a stranger reaching the page first
 * cannot take the server over.
 */
export async function firstRunCode(sql: Sql): Promise<string | null> {
  if (await isSetUp(sql)) return null;
  await sql.query('INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [SETUP_CODE, newSecret().slice(0, 24)]);
  return setting(sql, SETUP_CODE);
}

/** Refuses a password that breaks the app's rule (the common-password list included), on `field`. */
async function assertPassword(password: string, username: string, field = 'password'): Promise<void> {
  const problem = await passwordRuleProblem(password, username);
  if (problem) throw new ServerError(400, 'validation.failed', { fields: { [field]: problem }, params: PASSWORD_RULE_PARAMS });
}

export async function firstRun(
  sql: Sql, input: { setupCode: string; organizationName: string; username: string; password: string }, actor: Actor, now: number,
): Promise<string> {
  await sql.query('LOCK TABLE server_admins IN EXCLUSIVE MODE');
  if (await isSetUp(sql)) throw new ServerError(409, 'admin.alreadySetUp');
  const expected = await setting(sql, SETUP_CODE);
  if (!expected || !sameDigest(sha256(expected), sha256(input.setupCode))) throw new ServerError(400, 'validation.failed', { fields: { setupCode: 'admin.badSetupCode' } });
  await assertPassword(input.password, input.username);
  const id = await setupAdmin(sql, input.username, input.password, now);
  await sql.query('INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [ORG_NAME, input.organizationName]);
  await sql.query('DELETE FROM server_settings WHERE key = $1', [SETUP_CODE]);
  await logAdmin(sql, { ...actor, adminId: id }, 'admin.setUp', input.username, { organizationName: input.organizationName }, now);
  return id;
}

// ---- Sessions ----

export interface SessionRow {
  adminId: string;
  username: string;
  csrfHash: string;
  expiresAt: number;
}

/** A new browser session: the cookie's token and the page's CSRF token (both random; only their hashes are kept). */
export async function openSession(sql: Sql, adminId: string, now: number): Promise<{ token: string; csrfToken: string; expiresAt: number }> {
  const token = newSecret();
  const csrfToken = newSecret();
  const expiresAt = now + SESSION_MAX_MS;
  await sql.query('DELETE FROM admin_sessions WHERE expires_at < $1', [now]);
  await sql.query('INSERT INTO admin_sessions (token_hash, admin_id, expires_at, csrf_hash, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $5)', [
    sha256(token), adminId, expiresAt, sha256(csrfToken), now,
  ]);
  return { token, csrfToken, expiresAt };
}

/** The session a cookie names, still within both limits (its idle clock restarts); null otherwise. */
export async function sessionFor(sql: Sql, token: string | undefined, now: number): Promise<SessionRow | null> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await sql.query<SessionRow & { lastUsedAt: number }>(
    `UPDATE admin_sessions s SET last_used_at = $2 FROM server_admins a
     WHERE s.token_hash = $1 AND a.id = s.admin_id AND s.csrf_hash IS NOT NULL AND s.expires_at > $2 AND s.last_used_at > $3
     RETURNING s.admin_id AS "adminId", a.username, s.csrf_hash AS "csrfHash", s.expires_at AS "expiresAt"`,
    [sha256(token), now, now - SESSION_IDLE_MS],
  );
  return row ?? null;
}

/** A new CSRF token for the session (the page reloaded and lost it); the old one stops working. */
export async function renewCsrf(sql: Sql, token: string): Promise<string> {
  const csrfToken = newSecret();
  await sql.query('UPDATE admin_sessions SET csrf_hash = $2 WHERE token_hash = $1', [sha256(token), sha256(csrfToken)]);
  return csrfToken;
}

export async function closeSession(sql: Sql, token: string): Promise<void> {
  await sql.query('DELETE FROM admin_sessions WHERE token_hash = $1', [sha256(token)]);
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** The administrator these are the name and password of, or null (checked at the same cost either way). */
export async function checkAdminPassword(sql: Sql, username: string, password: string): Promise<{ id: string; username: string } | null> {
  const [row] = await sql.query<{ id: string; username: string; password_hash: string }>('SELECT id, username, password_hash FROM server_admins WHERE lower(username) = lower($1)', [username]);
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok ? { id: row.id, username: row.username } : null;
}

// ---- Branches and enrolment codes ----

export async function listBranches(sql: Sql): Promise<BranchInfo[]> {
  return sql.query<BranchInfo>(
    `SELECT b.code, b.name, b.time_zone AS "timeZone", b.created_at AS "createdAt",
       (SELECT COUNT(*)::int FROM devices d WHERE d.branch_code = b.code AND d.revoked_at IS NULL AND d.id NOT IN (SELECT device_id FROM portal_settings)) AS devices,
       EXISTS (SELECT 1 FROM portal_settings p WHERE p.site_code = b.code) AS portal
     FROM branches b ORDER BY b.code`,
  );
}

async function assertEnrollableBranch(sql: Sql, code: string, field: string): Promise<void> {
  const [row] = await sql.query<{ portal: boolean }>('SELECT EXISTS (SELECT 1 FROM portal_settings p WHERE p.site_code = b.code) AS portal FROM branches b WHERE b.code = $1', [code]);
  if (!row || row.portal) throw new ServerError(400, 'validation.failed', { fields: { [field]: 'sync.unknownBranch' } });
}

export async function listEnrolmentCodes(sql: Sql, now: number): Promise<EnrolmentCodeInfo[]> {
  // Used and expired codes stay listed for a week, then only the log remembers them.
  return sql.query<EnrolmentCodeInfo>(
    `SELECT substr(code_hash, 1, 10) AS ref, branch_code AS "branchCode", created_at AS "createdAt", expires_at AS "expiresAt",
       used_at AS "usedAt", used_by_device AS "usedByDevice"
     FROM enrolment_codes WHERE expires_at > $1 OR used_at > $1 ORDER BY created_at DESC LIMIT 200`,
    [now - 7 * 24 * 3_600_000],
  );
}

export async function newEnrolmentCode(sql: Sql, actor: Actor & { adminId: string }, branchCode: string, ttlHours: number, now: number): Promise<EnrolmentCodeCreated> {
  await assertEnrollableBranch(sql, branchCode, 'branchCode');
  const created = await createEnrolmentCode(sql, actor.adminId, branchCode, now, ttlHours * 3_600_000);
  // The code itself is never logged: only which one (its hash's start, as the list shows it).
  await logAdmin(sql, actor, 'enrolmentCode.created', branchCode, { ref: sha256(created.code).slice(0, 10), expiresAt: created.expiresAt }, now);
  return { ...created, branchCode };
}

// ---- Devices ----

export async function listDeviceSummaries(sql: Sql): Promise<DeviceSummary[]> {
  return sql.query<DeviceSummary>(
    `SELECT d.id, d.branch_code AS "branchCode", d.name, d.enrolled_at AS "enrolledAt", d.revoked_at AS "revokedAt", d.last_seen_at AS "lastSeenAt",
       (SELECT m.received_at FROM mutations m WHERE m.device_id = d.id AND m.push_seq IS NOT NULL ORDER BY m.push_seq DESC LIMIT 1) AS "lastPushAt",
       d.last_push_seq AS "lastPushSeq", d.audit_seq AS "auditSeq",
       (SELECT COUNT(*)::int FROM mutations m WHERE m.device_id = d.id AND m.status = 'rejected') AS rejected
     FROM devices d WHERE d.id NOT IN (SELECT device_id FROM portal_settings)
     ORDER BY d.branch_code, d.enrolled_at`,
  );
}

async function deviceRow(sql: Sql, deviceId: string): Promise<{ branch_code: string; name: string; revoked_at: number | null }> {
  const [row] = await sql.query<{ branch_code: string; name: string; revoked_at: number | null }>(
    'SELECT branch_code, name, revoked_at FROM devices WHERE id = $1 AND id NOT IN (SELECT device_id FROM portal_settings) FOR UPDATE', [deviceId],
  );
  if (!row) throw new ServerError(404, 'sync.unknownDevice');
  return row;
}

/** Revoked: its credential is refused from its next call on; what it already sent stays. It cannot enrol again. */
export async function revokeDeviceAsAdmin(sql: Sql, actor: Actor, deviceId: string, now: number): Promise<void> {
  const device = await deviceRow(sql, deviceId);
  if (device.revoked_at !== null) return;
  await sql.query('UPDATE devices SET revoked_at = $2 WHERE id = $1', [deviceId, now]);
  await logAdmin(sql, actor, 'device.revoked', deviceId, { branch: device.branch_code, name: device.name }, now);
}

/**
 * Rotates a device's credential: the current one stops working at once (a copied one is useless),
 * and a one-time code for the device's branch is made, shown once, for the device to enrol again
 * (Administración → Sincronización): it gets a new credential and resumes where it was.
 */
export async function rotateDevice(sql: Sql, actor: Actor & { adminId: string }, deviceId: string, now: number): Promise<EnrolmentCodeCreated> {
  const device = await deviceRow(sql, deviceId);
  if (device.revoked_at !== null) throw new ServerError(409, 'sync.deviceRevoked');
  await sql.query('UPDATE devices SET secret_hash = $2 WHERE id = $1', [deviceId, sha256(randomBytes(32).toString('hex'))]);
  const created = await createEnrolmentCode(sql, actor.adminId, device.branch_code, now, DEFAULT_CODE_TTL_MS);
  await logAdmin(sql, actor, 'device.rotated', deviceId, { branch: device.branch_code, name: device.name, ref: sha256(created.code).slice(0, 10) }, now);
  return { ...created, branchCode: device.branch_code };
}

// ---- Central users ----

/** The HLC's device part for changes the server decides (no device has this id). */
export const SERVER_CLOCK_ID = '00000000-0000-0000-0000-000000000000';

export async function listCentralUsers(sql: Sql): Promise<CentralUser[]> {
  const rows = await sql.query<{ id: string; username: string; home_branch: string; roles: Role[]; active: boolean; data: Record<string, unknown> | null }>(
    `SELECT u.id, u.username, u.home_branch, u.roles, u.active, e.data FROM users u
     LEFT JOIN entities e ON e.entity = 'user' AND e.entity_id = u.id ORDER BY lower(u.username)`,
  );
  return rows.map((r) => ({
    id: r.id, username: r.username, homeBranch: r.home_branch, roles: r.roles, active: r.active,
    fullName: typeof r.data?.fullName === 'string' ? r.data.fullName : '', mustChangePassword: r.data?.mustChangePassword === true,
  }));
}

/**
 * A user change decided on the server: recorded in the feed (no device, so every device pulls it),
 * merged into the central row field by field with a clock later than any field it holds, and the
 * `users` table (the roles later pushes are checked against) follows it, as push.ts does.
 */
async function userChange(sql: Sql, userId: string, homeBranch: string, op: 'insert' | 'update', payload: Record<string, unknown>, now: number): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]); // feed order = commit order, as for pushes
  const [current] = await sql.query<MergedRow>("SELECT data, versions FROM entities WHERE entity = 'user' AND entity_id = $1 FOR UPDATE", [userId]);
  const latest = Object.values(current?.versions ?? {}).sort().pop();
  const hlc = encodeHlc(tickHlc(latest ? { ...decodeHlc(latest), deviceId: SERVER_CLOCK_ID } : { wallMs: 0, counter: 0, deviceId: SERVER_CLOCK_ID }, now));
  const [row] = await sql.query<{ server_seq: number }>(
    `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at)
     VALUES (NULL, NULL, $1, $2, 'system', NULL, 'user', $3, $4, $5, $6, 'applied', NULL, $7, $7) RETURNING server_seq`,
    [randomUUID(), hlc, userId, op, JSON.stringify(payload), homeBranch, now],
  );
  const merged = mergeFields(current ?? null, payload, hlc);
  await sql.query(
    `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ('user', $1, $2, $3, $4, $5)
     ON CONFLICT (entity, entity_id) DO UPDATE SET data = excluded.data, versions = excluded.versions, updated_seq = excluded.updated_seq`,
    [userId, homeBranch, JSON.stringify(merged.data), JSON.stringify(merged.versions), row!.server_seq],
  );
  await sql.query(
    `INSERT INTO users (id, home_branch, username, roles, active, updated_seq) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, active = excluded.active, updated_seq = excluded.updated_seq`,
    [userId, homeBranch, String(merged.data.username ?? ''), JSON.stringify(merged.data.roles ?? []), merged.data.active !== false, row!.server_seq],
  );
  // Connected branches pull at once.
  await notifyChange(sql, { id: SERVER_CLOCK_ID, branch_code: homeBranch });
}

async function setCredential(sql: Sql, userId: string, password: string, now: number): Promise<void> {
  await sql.query(
    `INSERT INTO user_credentials (user_id, password_hash, changed_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, changed_at = excluded.changed_at`,
    [userId, await hashPassword(password), now],
  );
}

async function userRow(sql: Sql, userId: string): Promise<{ username: string; home_branch: string; roles: Role[]; active: boolean }> {
  const [row] = await sql.query<{ username: string; home_branch: string; roles: Role[]; active: boolean }>('SELECT username, home_branch, roles, active FROM users WHERE id = $1 FOR UPDATE', [userId]);
  if (!row) throw new ServerError(404, 'users.notFound');
  return row;
}

/** A user of the organization, created centrally: they sign in at any branch with this password, and must change it at the first sign-in. */
export async function createCentralUser(
  sql: Sql, actor: Actor,
  input: { homeBranch: string; username: string; fullName: string; password: string; roles: Role[]; locale: string }, now: number,
): Promise<CentralUser> {
  await assertEnrollableBranch(sql, input.homeBranch, 'homeBranch');
  await assertPassword(input.password, input.username);
  const [taken] = await sql.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [input.username]);
  if (taken) throw new ServerError(400, 'validation.failed', { fields: { username: 'users.usernameTaken' } });
  const id = uuidv7();
  const roles = [...new Set(input.roles)];
  await userChange(sql, id, input.homeBranch, 'insert', {
    username: input.username, fullName: input.fullName, roles, locale: input.locale, active: true, passwordChangedAt: now, mustChangePassword: true,
  }, now);
  await setCredential(sql, id, input.password, now);
  await logAdmin(sql, actor, 'user.created', id, { username: input.username, homeBranch: input.homeBranch, roles }, now);
  return { id, username: input.username, fullName: input.fullName, homeBranch: input.homeBranch, roles, active: true, mustChangePassword: true };
}

/** Disables (or enables again) a user everywhere: each branch ends their session and refuses their sign-in at its next pull. */
export async function setCentralUserActive(sql: Sql, actor: Actor, userId: string, active: boolean, now: number): Promise<void> {
  const user = await userRow(sql, userId);
  if (user.active === active) return;
  if (!active && user.roles.includes('administrator')) {
    // As in the app: the organization keeps at least one active administrator.
    const [others] = await sql.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM users WHERE active AND id <> $1 AND roles ? 'administrator'", [userId]);
    if (others!.n === 0) throw new ServerError(409, 'auth.lastAdministrator');
  }
  await userChange(sql, userId, user.home_branch, 'update', { active }, now);
  await logAdmin(sql, actor, active ? 'user.enabled' : 'user.disabled', userId, { username: user.username }, now);
}

/** An administrator's reset: the new password works at every branch (asked of the server), and must be changed at the next sign-in. */
export async function resetCentralPassword(sql: Sql, actor: Actor, userId: string, password: string, now: number): Promise<void> {
  const user = await userRow(sql, userId);
  await assertPassword(password, user.username);
  await userChange(sql, userId, user.home_branch, 'update', { passwordChangedAt: now, mustChangePassword: true }, now);
  await setCredential(sql, userId, password, now);
  await logAdmin(sql, actor, 'user.passwordReset', userId, { username: user.username }, now);
}

// ---- Audit chains ----

/** Each device's own chain, entry by entry (seq, prev_hash, hash), and that it ends where the device's head says. */
async function verifyDeviceChain(sql: Sql, device: { id: string; audit_seq: number; audit_hash: string }): Promise<ChainResult> {
  let head = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (;;) {
    const rows = await sql.query<{ deviceId: string; seq: number; id: string; at: number; actorId: string | null; actorKind: string; action: string; entity: string; entityId: string | null; data: string; prevHash: string; hash: string }>(
      `SELECT device_id AS "deviceId", seq, id, at, actor_id AS "actorId", actor_kind AS "actorKind", action, entity, entity_id AS "entityId", data,
         prev_hash AS "prevHash", hash FROM audit_entries WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT 5000`,
      [device.id, head.seq],
    );
    for (const e of rows) {
      const broken = (reason: string): ChainResult => ({ ok: false, checked, firstBroken: { seq: e.seq, reason, at: e.at } });
      if (e.prevHash !== head.hash) return broken('prev_hash');
      if (entryHash(e as Parameters<typeof entryHash>[0]) !== e.hash) return broken('hash');
      head = { seq: e.seq, hash: e.hash };
      checked++;
    }
    if (rows.length < 5000) break;
  }
  if (head.seq !== device.audit_seq || head.hash !== device.audit_hash) return { ok: false, checked, firstBroken: { seq: head.seq + 1, reason: 'truncated', at: null } };
  return { ok: true, checked, firstBroken: null };
}

/** The server-wide chain, each device's chain and the administrator's log, verified now. */
export async function auditReport(sql: Sql, now: number): Promise<AuditReport> {
  const server = await verifyServerAudit(sql);
  const devices = await sql.query<{ id: string; name: string; branch_code: string; audit_seq: number; audit_hash: string }>(
    'SELECT id, name, branch_code, audit_seq, audit_hash FROM devices WHERE id NOT IN (SELECT device_id FROM portal_settings) ORDER BY branch_code, enrolled_at',
  );
  const perDevice = [];
  for (const d of devices) perDevice.push({ deviceId: d.id, name: d.name, branchCode: d.branch_code, ...(await verifyDeviceChain(sql, d)) });
  return {
    verifiedAt: now,
    server: {
      ok: server.ok, checked: server.checked, devices: server.devices, deviceId: server.firstBroken?.deviceId ?? null,
      firstBroken: server.firstBroken ? { seq: server.firstBroken.chainSeq, reason: server.firstBroken.reason, at: null } : null,
    },
    devices: perDevice,
    adminLog: await verifyAdminLog(sql),
  };
}

// ---- Rejected mutations ----

export async function listRejected(sql: Sql, filter: { deviceId?: string; before?: number }, limit = 100): Promise<RejectedMutationInfo[]> {
  return sql.query<RejectedMutationInfo>(
    `SELECT m.server_seq AS "serverSeq", m.device_id AS "deviceId", d.name AS "deviceName", m.branch_code AS "branchCode", m.push_seq AS "pushSeq",
       m.entity, m.entity_id AS "entityId", m.op, u.username AS "actorName", m.reason, m.received_at AS "receivedAt",
       ARRAY(SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(m.payload) = 'object' THEN m.payload ELSE '{}'::jsonb END)) AS fields
     FROM mutations m JOIN devices d ON d.id = m.device_id LEFT JOIN users u ON u.id = m.actor_id
     WHERE m.status = 'rejected' AND ($1::text IS NULL OR m.device_id = $1) AND ($2::bigint IS NULL OR m.server_seq < $2)
     ORDER BY m.server_seq DESC LIMIT $3`,
    [filter.deviceId ?? null, filter.before ?? null, limit],
  );
}
