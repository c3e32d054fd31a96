/**
 * Push: a device's mutations, applied strictly in its gap-free push sequence (last + 1). Each is
 * re-checked on the server (no secrets, made on this device, the acting user's roles as the
 * server knows them), recorded once as applied or rejected with a reason, and merged into the
 * central rows: last writer wins per field for rows, insert-once for append-only entities.
 */
import { clampHlc, decodeHlc } from '../../electron/shared/hlc';
import type { Role } from '../../electron/shared/domain';
import { mergeFields, type MergedRow } from '../../electron/shared/sync/merge';
import { APPEND_ONLY_ENTITIES, mutationRefusal } from '../../electron/shared/sync/permissions';
import { carriesSecret, type Mutation, type PushOutcome, type PushRequest, type PushResponse } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import type { DeviceRow } from './enrol';
import { identityCache, mapIdentities, mergeCustomer, recordUserRename, type IdentityCache } from './identity';

/**
 * Pushes from all devices are applied one transaction at a time (a transaction-scoped advisory
 * lock), so the change feed's server_seq order is commit order and a pull never skips a change
 * committed late. One lock per organization is the way past this (README, "how it scales").
 */
export const PUSH_LOCK = 4_711_012;

export async function pushBatch(sql: Sql, device: DeviceRow, req: PushRequest, now: number): Promise<PushResponse> {
  await sql.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
  let last = device.last_push_seq;
  const first = req.mutations[0]!.pushSeq;
  if (first > last + 1) throw new ServerError(409, 'sync.gap', { expected: last + 1, got: first });
  const results: PushOutcome[] = [];
  const [prev] = await sql.query<{ hlc: string }>('SELECT hlc FROM mutations WHERE device_id = $1 ORDER BY push_seq DESC LIMIT 1', [device.id]);
  let lastHlc = prev?.hlc ?? null;
  const identities = identityCache();
  for (const m of req.mutations) {
    if (m.pushSeq <= last) {
      results.push(await replayOutcome(sql, device.id, m));
      continue;
    }
    // A clock running ahead is clamped to the server's (and flagged), never fatal; one device's writes keep their order.
    const clamped = decodeHlc(m.hlc).deviceId === device.id ? clampHlc(m.hlc, now, lastHlc) : { hlc: m.hlc, skewMs: 0 };
    lastHlc = clamped.hlc;
    const reason = await applyMutation(sql, device, { ...m, hlc: clamped.hlc }, now, { deviceHlc: m.hlc, skewMs: clamped.skewMs }, identities);
    results.push({ pushSeq: m.pushSeq, status: reason === null ? 'applied' : 'rejected', reason });
    last = m.pushSeq;
  }
  await sql.query('UPDATE devices SET last_push_seq = $2, last_seen_at = $3 WHERE id = $1', [device.id, last, now]);
  return { results, lastPushSeq: last };
}

/** A mutation the server already holds: the same one again is a harmless replay; another one under its number is refused. */
async function replayOutcome(sql: Sql, deviceId: string, m: Mutation): Promise<PushOutcome> {
  const [held] = await sql.query<{ id: string }>('SELECT id FROM mutations WHERE device_id = $1 AND push_seq = $2', [deviceId, m.pushSeq]);
  if (held?.id === m.id) return { pushSeq: m.pushSeq, status: 'duplicate', reason: null };
  return { pushSeq: m.pushSeq, status: 'rejected', reason: 'sync.seqReused' };
}

/**
 * Records the mutation and, when allowed, merges it; returns null when applied or the reason it was
 * refused. An allowed mutation first goes through the identity rules (identity.ts): it is recorded
 * and pulled as rewritten, with what the device sent kept beside it.
 */
async function applyMutation(
  sql: Sql, device: DeviceRow, sent: Mutation, now: number, clock: { deviceHlc: string; skewMs: number }, identities: IdentityCache,
): Promise<string | null> {
  let reason = await refusal(sql, device, { ...sent, hlc: clock.deviceHlc });
  const mapped = reason === null ? await mapIdentities(sql, device, sent, identities) : { m: sent, sent: null, merge: null };
  const m = mapped.m;
  const [row] = await sql.query<{ server_seq: number }>(
    `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at,
       device_hlc, clock_skew_ms, sent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING server_seq`,
    [device.id, m.pushSeq, m.id, m.hlc, m.actorKind, m.actorId, m.entity, m.entityId, m.op, JSON.stringify(m.payload),
      device.branch_code, reason === null ? 'applied' : 'rejected', reason, now, m.createdAt, clock.deviceHlc, clock.skewMs > 0 ? clock.skewMs : null,
      mapped.sent ? JSON.stringify(mapped.sent) : null],
  );
  if (reason !== null) return reason;
  // A merge that breaks a constraint rejects this mutation only.
  await sql.query('SAVEPOINT apply_mutation');
  try {
    if (mapped.merge) await mergeCustomer(sql, device, m, mapped.merge, row!.server_seq, now);
    else await mergeIntoState(sql, device, m, row!.server_seq);
    if (mapped.rename) await recordUserRename(sql, device, m, mapped.rename, now);
    await sql.query('RELEASE SAVEPOINT apply_mutation');
  } catch (err) {
    await sql.query('ROLLBACK TO SAVEPOINT apply_mutation');
    reason = (err as { code?: string }).code === '23505' ? 'sync.conflict' : 'sync.applyFailed';
    if (reason === 'sync.applyFailed') console.error('[server] mutation could not be applied', m.entity, m.op, err);
    await sql.query("UPDATE mutations SET status = 'rejected', reason = $2 WHERE server_seq = $1", [row!.server_seq, reason]);
  }
  return reason;
}

async function refusal(sql: Sql, device: DeviceRow, m: Mutation): Promise<string | null> {
  if (carriesSecret(m.payload)) return 'sync.secretInPayload';
  if (decodeHlc(m.hlc).deviceId !== device.id) return 'sync.foreignMutation';
  if (m.actorKind === 'anonymous') {
    // First-run setup: the device's own branch, and its first user (the administrator who set it up).
    if (m.entity === 'branch' && m.entityId !== device.branch_code) return 'sync.forbidden';
    if (m.entity === 'user' && m.op === 'insert') {
      const [someone] = await sql.query('SELECT 1 FROM users WHERE home_branch = $1 LIMIT 1', [device.branch_code]);
      if (someone) return 'sync.forbidden';
    }
  }
  let roles: Role[] | null = null;
  if (m.actorId !== null) {
    const [actor] = await sql.query<{ roles: Role[]; active: boolean }>('SELECT roles, active FROM users WHERE id = $1', [m.actorId]);
    if (actor && !actor.active) return 'sync.inactiveActor';
    roles = actor?.roles ?? null;
  }
  return mutationRefusal(m, roles);
}

async function mergeIntoState(sql: Sql, device: DeviceRow, m: Mutation, serverSeq: number): Promise<void> {
  if (APPEND_ONLY_ENTITIES.has(m.entity)) {
    await sql.query(
      `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ($1, $2, $3, $4, '{}', $5)
       ON CONFLICT (entity, entity_id) DO NOTHING`,
      [m.entity, m.entityId, device.branch_code, JSON.stringify(m.payload), serverSeq],
    );
    return;
  }
  const [current] = await sql.query<MergedRow>('SELECT data, versions FROM entities WHERE entity = $1 AND entity_id = $2 FOR UPDATE', [m.entity, m.entityId]);
  const merged = mergeFields(current ?? null, m.payload, m.hlc);
  if (current && merged.changed.length === 0) return;
  await sql.query(
    `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (entity, entity_id) DO UPDATE SET data = excluded.data, versions = excluded.versions, updated_seq = excluded.updated_seq`,
    [m.entity, m.entityId, device.branch_code, JSON.stringify(merged.data), JSON.stringify(merged.versions), serverSeq],
  );
  if (m.entity === 'user') await syncUser(sql, device, m.entityId, merged.data, serverSeq);
}

/** The server's users table decides what later mutations may do: it follows the merged user row. */
async function syncUser(sql: Sql, device: DeviceRow, userId: string, data: Record<string, unknown>, serverSeq: number): Promise<void> {
  await sql.query(
    `INSERT INTO users (id, home_branch, username, roles, active, updated_seq) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, active = excluded.active, updated_seq = excluded.updated_seq`,
    [userId, device.branch_code, String(data.username ?? ''), JSON.stringify(data.roles ?? []), data.active !== false, serverSeq],
  );
}
