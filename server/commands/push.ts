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
import { carriesSecret, mightCarrySecret, payloadText, type Mutation, type PushOutcome, type PushRequest, type PushResponse } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import { CHANGES_CHANNEL, changeNotice } from '../live';
import type { DeviceRow } from './enrol';
import { identityCache, mapIdentities, mergeCustomer, recordUserRename, type IdentityCache, type Mapped } from './identity';
import { afterRequestApplied, afterRequestRefused, REQUEST_ENTITIES, requestRefusal } from './requests';

/**
 * The feed's lock (transaction-scoped, advisory). A push of the common kind (timeline entries,
 * ticket and other row changes: every mutation bulk-safe) holds it shared, so devices push at the
 * same time; a push with an identity decision in it (a user, a customer, a first-run mutation, a
 * ticket becoming shared) holds it alone, since those decisions read what other pushes write. A
 * pull takes it alone just to read the feed's head (pull.ts): no push is then in flight, so every
 * server_seq up to the head is committed (or rolled back) and a change committed late is never
 * skipped. PostgreSQL queues the lock fairly: a waiting pull is not starved by a stream of pushes.
 */
export const PUSH_LOCK = 4_711_012;

/** The bulk path can be switched off (a test compares both paths' decisions). */
export const pushTuning = { bulk: true };

export async function pushBatch(sql: Sql, device: DeviceRow, req: PushRequest, now: number): Promise<PushResponse> {
  const alone = req.mutations.some((m) => m.pushSeq > device.last_push_seq && !bulkSafe(m));
  // The feed's lock and this device's last HLC in one round trip (the live path counts them; the
  // device row is locked, so no other push of this device moves that HLC meanwhile).
  const [head] = await sql.query<{ hlc: string | null }>(
    `SELECT ${alone ? 'pg_advisory_xact_lock($1)' : 'pg_advisory_xact_lock_shared($1)'} AS locked,
       (SELECT hlc FROM mutations WHERE device_id = $2 ORDER BY push_seq DESC LIMIT 1) AS hlc`,
    [PUSH_LOCK, device.id],
  );
  let last = device.last_push_seq;
  const first = req.mutations[0]!.pushSeq;
  if (first > last + 1) throw new ServerError(409, 'sync.gap', { expected: last + 1, got: first });
  const results: PushOutcome[] = [];
  let lastHlc = head?.hlc ?? null;
  const identities = identityCache();
  // Consecutive mutations the bulk path may take go through it together (a few statements for the
  // lot); the others, or a run the bulk path gives back, one at a time.
  let run: Clocked[] = [];
  const flush = async (bulk = true) => {
    const outcomes = bulk && pushTuning.bulk && run.length > 0 ? await applyBulk(sql, device, run, now, identities) : null;
    for (const [i, c] of run.entries()) {
      const reason = outcomes ? outcomes[i]! : await applyMutation(sql, device, c.m, now, c.clock, identities);
      results.push({ pushSeq: c.m.pushSeq, status: reason === null ? 'applied' : 'rejected', reason });
    }
    run = [];
  };
  for (const m of req.mutations) {
    if (m.pushSeq <= last) {
      results.push(await replayOutcome(sql, device.id, m));
      continue;
    }
    // A clock running ahead is clamped to the server's (and flagged), never fatal; one device's writes keep their order.
    const clamped = decodeHlc(m.hlc).deviceId === device.id ? clampHlc(m.hlc, now, lastHlc) : { hlc: m.hlc, skewMs: 0 };
    lastHlc = clamped.hlc;
    const c: Clocked = { m: { ...m, hlc: clamped.hlc }, clock: { deviceHlc: m.hlc, skewMs: clamped.skewMs } };
    last = m.pushSeq;
    if (bulkSafe(m)) {
      run.push(c);
      continue;
    }
    await flush();
    run.push(c);
    await flush(false);
  }
  await flush();
  // One statement moves the device's counter and, when something applied, tells every server
  // process at commit (live.ts): one round trip less on the live path (a change at one branch seen at another).
  await sql.query(
    `WITH notice AS (SELECT pg_notify($4, $5) WHERE $6::boolean)
     UPDATE devices SET last_push_seq = $2, last_seen_at = $3 WHERE id = $1 RETURNING (SELECT COUNT(*) FROM notice) AS notified`,
    [device.id, last, now, CHANGES_CHANNEL, changeNotice(device), results.some((r) => r.status === 'applied')],
  );
  return { results, lastPushSeq: last };
}

/** A mutation the server already holds: the same one again is a harmless replay; another one under its number is refused. */
async function replayOutcome(sql: Sql, deviceId: string, m: Mutation): Promise<PushOutcome> {
  const [held] = await sql.query<{ id: string; status: string; reason: string | null }>(
    'SELECT id, status, reason FROM mutations WHERE device_id = $1 AND push_seq = $2', [deviceId, m.pushSeq]);
  // The answer to the first delivery may have been lost: a rejection is told again, never turned into "already here".
  if (held?.id === m.id) return held.status === 'rejected' ? { pushSeq: m.pushSeq, status: 'rejected', reason: held.reason } : { pushSeq: m.pushSeq, status: 'duplicate', reason: null };
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
  // The change-request process is replayed through its state machine against what the server holds.
  let refusedByRequestRules = false;
  if (reason === null && REQUEST_ENTITIES.has(m.entity)) {
    const [actor] = m.actorId === null ? [] : await sql.query<{ roles: Role[] }>('SELECT roles FROM users WHERE id = $1', [m.actorId]);
    reason = await requestRefusal(sql, m, actor?.roles ?? []);
    refusedByRequestRules = reason !== null;
    // A registered request shows its ticket to every branch (the approvers sit at any): it is shared
    // like an escalated one, before the request is recorded, so a branch has the ticket first.
    if (reason === null && m.entity === 'change_request' && m.op === 'insert' && typeof m.payload.ticketId === 'string') {
      await shareTicket(sql, m.payload.ticketId);
    }
  }
  const [row] = await sql.query<{ server_seq: number }>(
    `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at,
       device_hlc, clock_skew_ms, sent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING server_seq`,
    [device.id, m.pushSeq, m.id, m.hlc, m.actorKind, m.actorId, m.entity, m.entityId, m.op, JSON.stringify(m.payload),
      device.branch_code, reason === null ? 'applied' : 'rejected', reason, now, m.createdAt, clock.deviceHlc, clock.skewMs > 0 ? clock.skewMs : null,
      mapped.sent ? JSON.stringify(mapped.sent) : null],
  );
  if (refusedByRequestRules) await afterRequestRefused(sql, device, m, now);
  if (reason !== null) return reason;
  // A merge that breaks a constraint rejects this mutation only.
  await sql.query('SAVEPOINT apply_mutation');
  try {
    if (mapped.merge) await mergeCustomer(sql, device, m, mapped.merge, row!.server_seq, now);
    else await mergeIntoState(sql, device, m, row!.server_seq);
    if (REQUEST_ENTITIES.has(m.entity)) await afterRequestApplied(sql, device, m, now);
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

/** What refuses a mutation whatever its actor: a secret in it, or another device's clock. */
function deviceRefusal(device: DeviceRow, m: Mutation): string | null {
  if (mightCarrySecret(payloadText(m.payload)) && carriesSecret(m.payload)) return 'sync.secretInPayload';
  if (decodeHlc(m.hlc).deviceId !== device.id) return 'sync.foreignMutation';
  return null;
}

/** What the acting user (as the server knows them; undefined: unknown) may not do. */
function actorRefusal(m: Mutation, actor: { roles: Role[]; active: boolean } | undefined): string | null {
  if (actor && !actor.active) return 'sync.inactiveActor';
  return mutationRefusal(m, actor?.roles ?? null);
}

async function refusal(sql: Sql, device: DeviceRow, m: Mutation): Promise<string | null> {
  const early = deviceRefusal(device, m);
  if (early) return early;
  if (m.actorKind === 'anonymous') {
    // First-run setup: the device's own branch, and its first user (the administrator who set it up).
    if (m.entity === 'branch' && m.entityId !== device.branch_code) return 'sync.forbidden';
    if (m.entity === 'user' && m.op === 'insert') {
      const [someone] = await sql.query('SELECT 1 FROM users WHERE home_branch = $1 LIMIT 1', [device.branch_code]);
      if (someone) return 'sync.forbidden';
    }
  }
  const [actor] = m.actorId === null ? [] : await sql.query<{ roles: Role[]; active: boolean }>('SELECT roles, active FROM users WHERE id = $1', [m.actorId]);
  return actorRefusal(m, actor);
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
  if (m.entity === 'ticket' && SHARED_TIERS.has(String(merged.data.tier))) await shareTicket(sql, m.entityId, serverSeq);
}

/** Tiers every branch serves: a ticket there is seen by every branch. */
const SHARED_TIERS = new Set(['operations', 'development']);

/**
 * A ticket's tier left the service desk for the first time, or a change request was registered on
 * it: from now on every branch sees it (pull.ts). The other branches passed its earlier changes by
 * while it was their branch's own, so the server appends, for every device, the ticket as it now
 * stands and a copy of each timeline entry and attachment row it has up to `upTo` (same ids:
 * applying one twice keeps one) — right after the change that shared it, or, for a request, before
 * the request is recorded (then everything so far: requests push alone, push.ts's lock).
 */
async function shareTicket(sql: Sql, ticketId: string, upTo = Number.MAX_SAFE_INTEGER): Promise<void> {
  const [row] = await sql.query<{ shared: boolean }>("UPDATE entities SET shared = true WHERE entity = 'ticket' AND entity_id = $1 AND NOT shared RETURNING shared", [ticketId]);
  if (!row) return;
  // Both reads go through indexes (the ticket inserts', the timeline's by ticket): no scan of the log.
  await sql.query(
    `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at)
     SELECT NULL, NULL, gen_random_uuid()::text, c.hlc, c.actor_kind, c.actor_id, c.entity, c.entity_id, c.op,
       CASE WHEN c.k = 0 THEN (SELECT data FROM entities WHERE entity = 'ticket' AND entity_id = $1) ELSE c.payload END, c.branch_code, 'applied', NULL, c.received_at, c.created_at
     FROM (
       SELECT 0 AS k, c.* FROM mutations c WHERE c.entity = 'ticket' AND c.op = 'insert' AND c.entity_id = $1 AND c.status = 'applied'
       UNION ALL
       SELECT 1 AS k, c.* FROM entities ev JOIN mutations c ON c.server_seq = ev.updated_seq
       WHERE ev.entity IN ('ticket_event', 'attachment') AND ev.data->>'ticketId' = $1 AND c.server_seq <= $2
     ) c ORDER BY c.k, c.server_seq`,
    [ticketId, upTo],
  );
}

/** The server's users table decides what later mutations may do: it follows the merged user row. */
async function syncUser(sql: Sql, device: DeviceRow, userId: string, data: Record<string, unknown>, serverSeq: number): Promise<void> {
  await sql.query(
    `INSERT INTO users (id, home_branch, username, roles, active, updated_seq) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, active = excluded.active, updated_seq = excluded.updated_seq`,
    [userId, device.branch_code, String(data.username ?? ''), JSON.stringify(data.roles ?? []), data.active !== false, serverSeq],
  );
}

/** Payloads as one JSON array, from the texts already written (payloadText): joined, not written again. */
const jsonArray = (payloads: Array<Record<string, unknown>>): string => `[${payloads.map(payloadText).join(',')}]`;

/** A mutation with its HLC clamped, and what the device stamped. */
interface Clocked {
  m: Mutation;
  clock: { deviceHlc: string; skewMs: number };
}

/**
 * Mutations the bulk path may apply: neither a user (their roles decide the next mutations in the
 * same batch, and their names are unique), nor a customer (a registration may merge into another,
 * identity.ts), nor a change-request one (replayed through its state machine, requests.ts), nor a
 * first-run (anonymous) one, whose checks read the state; so no alias is made
 * within a run and the identity rules' rewriting of customer ids holds for the whole run. Anything else merges by the generic rule in mergeIntoState. A new special rule in
 * mergeIntoState or applyMutation for some entity must exclude that entity here.
 */
function bulkSafe(m: Mutation): boolean {
  // A ticket moved to a tier every branch serves may become shared (shareTicket): one at a time.
  return m.actorKind !== 'anonymous' && m.entity !== 'user' && m.entity !== 'customer' && !REQUEST_ENTITIES.has(m.entity) &&
    !(m.entity === 'ticket' && SHARED_TIERS.has(String(m.payload.tier)));
}

/**
 * The throughput path (issue 11, ≥ 10,000 mutations/s): a run of bulk-safe mutations in a few
 * statements whatever its length — the actors read once, every mutation recorded by one INSERT
 * over arrays, append-only rows inserted by one more, the rows the others merge into read once
 * (locked), merged in memory in order by the same mergeFields, and written back by one upsert.
 * Outcomes equal the one-at-a-time path's. If a statement fails (a constraint), nothing of the
 * run stays and the caller applies it one mutation at a time (null), which rejects just the culprit.
 */
async function applyBulk(sql: Sql, device: DeviceRow, run: Clocked[], now: number, identities: IdentityCache): Promise<Array<string | null> | null> {
  const actorIds = [...new Set(run.map((c) => c.m.actorId).filter((id): id is string => id !== null))];
  const actors = new Map(
    (actorIds.length === 0 ? [] : await sql.query<{ id: string; roles: Role[]; active: boolean }>('SELECT id, roles, active FROM users WHERE id = ANY($1::text[])', [actorIds]))
      .map((a) => [a.id, a]),
  );
  const reasons = run.map(({ m, clock }) => deviceRefusal(device, { ...m, hlc: clock.deviceHlc }) ?? actorRefusal(m, m.actorId === null ? undefined : actors.get(m.actorId)));
  // The identity rules, as one at a time: recorded and merged as rewritten, what was sent kept beside.
  const mapped: Array<{ m: Mutation; sent: Mapped['sent'] }> = [];
  for (const [i, { m }] of run.entries()) {
    if (reasons[i] !== null) {
      mapped.push({ m, sent: null });
      continue;
    }
    const r = await mapIdentities(sql, device, m, identities);
    if (r.merge || r.rename) return null; // not for this path (bulkSafe keeps customers and users out)
    mapped.push({ m: r.m, sent: r.sent });
  }
  await sql.query('SAVEPOINT apply_bulk');
  try {
    // The rows travel as one array per column, zipped back by PostgreSQL (no per-row round trips);
    // the payloads as one JSON array written by joining their texts (each is JSON already:
    // nothing escaped again), parsed once to JSONB — about a third less database CPU per row than
    // one JSON array of records through jsonb_to_recordset.
    const rows = run.map(({ clock }, i) => ({ ...mapped[i]!, clock, reason: reasons[i]! }));
    const seqs = await sql.query<{ server_seq: number }>(
      `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at,
         device_hlc, clock_skew_ms, sent)
       SELECT $1, u.push_seq, u.id, u.hlc, u.actor_kind, u.actor_id, u.entity, u.entity_id, u.op, u.payload, $2,
         CASE WHEN u.reason IS NULL THEN 'applied' ELSE 'rejected' END, u.reason, $3, u.created_at, u.device_hlc, u.clock_skew_ms, u.sent::jsonb
       FROM ROWS FROM (unnest($4::bigint[]), unnest($5::text[]), unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::text[]),
         unnest($11::text[]), jsonb_array_elements($12::jsonb), unnest($13::text[]), unnest($14::bigint[]), unnest($15::text[]), unnest($16::bigint[]), unnest($17::text[]))
         WITH ORDINALITY AS u(push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, reason, created_at, device_hlc, clock_skew_ms, sent, ord)
       ORDER BY u.ord RETURNING server_seq`,
      [device.id, device.branch_code, now, rows.map((r) => r.m.pushSeq), rows.map((r) => r.m.id), rows.map((r) => r.m.hlc), rows.map((r) => r.m.actorKind),
        rows.map((r) => r.m.actorId), rows.map((r) => r.m.entity), rows.map((r) => r.m.entityId), rows.map((r) => r.m.op), jsonArray(rows.map((r) => r.m.payload)),
        rows.map((r) => r.reason), rows.map((r) => r.m.createdAt), rows.map((r) => r.clock.deviceHlc), rows.map((r) => (r.clock.skewMs > 0 ? r.clock.skewMs : null)),
        rows.map((r) => (r.sent ? JSON.stringify(r.sent) : null))],
    );
    // RETURNING follows the insert's order; sequence values rise with it.
    const serverSeqs = seqs.map((r) => r.server_seq).sort((a, b) => a - b);
    const applied = mapped.map(({ m }, i) => ({ m, serverSeq: serverSeqs[i]! })).filter((_x, i) => reasons[i] === null);

    const appendOnly = applied.filter((a) => APPEND_ONLY_ENTITIES.has(a.m.entity));
    if (appendOnly.length > 0) {
      await sql.query(
        `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq)
         SELECT u.entity, u.entity_id, $1, u.data, '{}', u.seq FROM ROWS FROM (unnest($2::text[]), unnest($3::text[]), jsonb_array_elements($4::jsonb), unnest($5::bigint[])) AS u(entity, entity_id, data, seq)
         ORDER BY u.seq ON CONFLICT (entity, entity_id) DO NOTHING`,
        [device.branch_code, appendOnly.map((a) => a.m.entity), appendOnly.map((a) => a.m.entityId), jsonArray(appendOnly.map((a) => a.m.payload)), appendOnly.map((a) => a.serverSeq)],
      );
    }

    const merging = applied.filter((a) => !APPEND_ONLY_ENTITIES.has(a.m.entity));
    if (merging.length > 0) {
      const key = (entity: string, id: string) => `${entity}\u0000${id}`;
      const keys = [...new Map(merging.map((a) => [key(a.m.entity, a.m.entityId), a.m])).values()];
      const current = await sql.query<{ entity: string; entity_id: string } & MergedRow>(
        `SELECT e.entity, e.entity_id, e.data, e.versions FROM entities e JOIN unnest($1::text[], $2::text[]) AS k(entity, entity_id)
           ON e.entity = k.entity AND e.entity_id = k.entity_id ORDER BY e.entity, e.entity_id FOR UPDATE OF e`,
        [keys.map((m) => m.entity), keys.map((m) => m.entityId)],
      );
      const rows = new Map<string, { row: MergedRow | null; seq: number | null }>(keys.map((m) => [key(m.entity, m.entityId), { row: null, seq: null }]));
      for (const r of current) rows.get(key(r.entity, r.entity_id))!.row = { data: r.data, versions: r.versions };
      for (const a of merging) {
        const state = rows.get(key(a.m.entity, a.m.entityId))!;
        const merged = mergeFields(state.row, a.m.payload, a.m.hlc);
        // As mergeIntoState: a new row is always written; a known one only when this write won a field.
        if (state.row && merged.changed.length === 0) continue;
        state.row = { data: merged.data, versions: merged.versions };
        state.seq = a.serverSeq;
      }
      const written = keys.map((m) => ({ m, ...rows.get(key(m.entity, m.entityId))! })).filter((w) => w.seq !== null);
      if (written.length > 0) {
        await sql.query(
          `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq)
           SELECT u.entity, u.entity_id, $1, u.data::jsonb, u.versions::jsonb, u.seq FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS u(entity, entity_id, data, versions, seq)
           ON CONFLICT (entity, entity_id) DO UPDATE SET data = excluded.data, versions = excluded.versions, updated_seq = excluded.updated_seq`,
          [device.branch_code, written.map((w) => w.m.entity), written.map((w) => w.m.entityId), written.map((w) => JSON.stringify(w.row!.data)),
            written.map((w) => JSON.stringify(w.row!.versions)), written.map((w) => w.seq)],
        );
      }
    }
    await sql.query('RELEASE SAVEPOINT apply_bulk');
    return reasons;
  } catch (err) {
    await sql.query('ROLLBACK TO SAVEPOINT apply_bulk');
    if ((err as { code?: string }).code !== '23505') console.error('[server] bulk apply failed; applying one at a time', err);
    return null;
  }
}
