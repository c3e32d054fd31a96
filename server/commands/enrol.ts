/** Enrolment: a one-time code turns into the device's own credential (random secret; the server keeps its hash). */
import type { EnrolRequest, EnrolResponse } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import { newSecret, sameDigest, sha256 } from '../credentials';
import { ServerError } from '../errors';

/**
 * Uses the code once: it must be unexpired and unused, and the device's site code must be the
 * code's branch (no two branches share a site code, so tracking numbers stay unique). A device
 * enrolling again with a new code (reinstalled, credential lost) gets a new secret; the old one
 * stops working, and its push sequence and audit chain resume where the server has them.
 */
export async function enrolDevice(sql: Sql, input: EnrolRequest, now: number): Promise<EnrolResponse> {
  const [code] = await sql.query<{ branch_code: string; expires_at: number; used_at: number | null }>(
    'SELECT branch_code, expires_at, used_at FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE', [sha256(input.code)],
  );
  if (!code || code.used_at !== null || code.expires_at <= now) throw new ServerError(401, 'sync.badCode');
  if (code.branch_code !== input.siteCode) throw new ServerError(409, 'sync.siteMismatch', { expected: code.branch_code });
  const [existing] = await sql.query<{ branch_code: string; revoked_at: number | null }>('SELECT branch_code, revoked_at FROM devices WHERE id = $1 FOR UPDATE', [input.deviceId]);
  if (existing && (existing.branch_code !== code.branch_code || existing.revoked_at !== null)) throw new ServerError(409, 'sync.deviceRevoked');
  const secret = newSecret();
  if (existing) {
    await sql.query('UPDATE devices SET secret_hash = $2, name = $3 WHERE id = $1', [input.deviceId, sha256(secret), input.deviceName]);
  } else {
    await sql.query('INSERT INTO devices (id, branch_code, name, secret_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [
      input.deviceId, code.branch_code, input.deviceName, sha256(secret), now,
    ]);
  }
  await sql.query('UPDATE enrolment_codes SET used_at = $2, used_by_device = $3 WHERE code_hash = $1', [sha256(input.code), now, input.deviceId]);
  const [branch] = await sql.query<{ code: string; name: string; time_zone: string }>('SELECT code, name, time_zone FROM branches WHERE code = $1', [code.branch_code]);
  const [device] = await sql.query<{ last_push_seq: number; audit_seq: number; audit_hash: string }>('SELECT last_push_seq, audit_seq, audit_hash FROM devices WHERE id = $1', [input.deviceId]);
  return {
    deviceId: input.deviceId,
    secret,
    branch: { code: branch!.code, name: branch!.name, timeZone: branch!.time_zone },
    lastPushSeq: device!.last_push_seq,
    auditHead: { seq: device!.audit_seq, hash: device!.audit_hash },
  };
}

export interface DeviceRow {
  id: string;
  branch_code: string;
  last_push_seq: number;
  audit_seq: number;
  audit_hash: string;
}

/**
 * The device an `Authorization: Device <id>.<secret>` header names, locked for this transaction
 * (one push or upload per device at a time), or a 401 for a forged, unknown or revoked credential.
 */
export async function authenticateDevice(sql: Sql, header: string | undefined): Promise<DeviceRow> {
  const match = /^Device ([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,128})$/.exec(header ?? '');
  if (!match) throw new ServerError(401, 'sync.credentialRequired');
  const [row] = await sql.query<DeviceRow & { secret_hash: string; revoked_at: number | null }>(
    'SELECT id, branch_code, last_push_seq, audit_seq, audit_hash, secret_hash, revoked_at FROM devices WHERE id = $1 FOR UPDATE', [match[1]],
  );
  // Comparing digests of equal length: a mismatch tells nothing about where it differs.
  if (!row || !sameDigest(row.secret_hash, sha256(match[2]!))) throw new ServerError(401, 'sync.badCredential');
  if (row.revoked_at !== null) throw new ServerError(401, 'sync.deviceRevoked');
  return row;
}
