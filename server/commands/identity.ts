/**
 * Identity rules of sync (issue 11), decided on the server so every branch follows one decision.
 *
 * Customers: the same RFC registered offline at two branches is one customer. The one the server
 * received first keeps its id; a later registration with that RFC becomes an alias of it (generic
 * RFCs — público en general, extranjeros — name no one and never merge). The later registration
 * only fills what the first lacks and adds its contacts; every mutation that names the alias (the
 * customer itself, `customerId` in a ticket, request…) is rewritten to the customer before it is
 * merged, so other branches never see the alias. A server-decided `customer_merge` change, pulled
 * by every device, tells the branch that registered the alias to move its records.
 *
 * Users: a name is one person in the whole organization. A user created at a branch under a name
 * the server already holds for another user keeps everything it did but not the name: the server
 * renames it <name>.<branch> (the way directory services settle conflicting names), and a
 * server-decided rename goes to every device, the branch that created it too.
 */
import { randomUUID } from 'node:crypto';
import { isGenericRfc } from '../../electron/shared/rfc';
import type { MergedRow } from '../../electron/shared/sync/merge';
import type { Mutation } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import type { DeviceRow } from './enrol';

/** The server-decided change that maps a customer id onto another (pulled by every device). */
export const CUSTOMER_MERGE = 'customer_merge';

/** Per push batch: whether any alias exists yet (most organizations have none: no lookups then). */
export interface IdentityCache {
  anyAlias: boolean | null;
}

export function identityCache(): IdentityCache {
  return { anyAlias: null };
}

/** A mutation after the identity rules: possibly rewritten, and the customer merge it decides. */
export interface Mapped {
  m: Mutation;
  /** What the device sent, when the rules changed it. */
  sent: { entityId: string; op: Mutation['op']; payload: Record<string, unknown> } | null;
  /** This mutation registers a customer the server already holds under another id. */
  merge: { aliasId: string; customerId: string; rfc: string; current: MergedRow } | null;
  /** This mutation creates a user under a name another user holds: the name it gets instead. */
  rename?: { from: string; to: string };
}

/** Applies the identity rules to one allowed mutation, before it is recorded and merged. */
export async function mapIdentities(sql: Sql, device: DeviceRow, m: Mutation, cache: IdentityCache): Promise<Mapped> {
  const sent = { entityId: m.entityId, op: m.op, payload: m.payload };
  const merge = await customerTaken(sql, m);
  if (merge) {
    cache.anyAlias = true;
    return { m: { ...m, entityId: merge.customerId, op: 'update', payload: fillFrom(merge.current.data, await changedCustomer(sql, m)) }, sent, merge };
  }
  const rename = await userNameTaken(sql, device, m);
  if (rename) return { m: { ...m, payload: { ...m.payload, username: rename.to } }, sent, merge: null, rename };
  const rewritten = await rewriteCustomerIds(sql, m, cache);
  return { m: rewritten, sent: rewritten === m ? null : sent, merge: null };
}

/**
 * A customer whose (non-generic) RFC the server already holds under another id: that customer.
 * A registration with that RFC, or a change of a customer's RFC into it (an approved sensitive-change
 * request applied at a branch that did not know the other customer yet): the customer that holds the
 * RFC keeps its id, the other becomes its alias and its records follow, as for a double registration.
 */
async function customerTaken(sql: Sql, m: Mutation): Promise<{ aliasId: string; customerId: string; rfc: string; current: MergedRow } | null> {
  if (m.entity !== 'customer' || typeof m.payload.rfc !== 'string' || isGenericRfc(m.payload.rfc)) return null;
  // A change naming a customer that is already another's alias is rewritten onto that one instead.
  if (m.op === 'update' && (await sql.query('SELECT 1 FROM customer_aliases WHERE alias_id = $1', [m.entityId])).length > 0) return null;
  const [first] = await sql.query<{ entity_id: string } & MergedRow>(
    `SELECT entity_id, data, versions FROM entities WHERE entity = 'customer' AND data->>'rfc' = $1 AND entity_id <> $2
       AND NOT EXISTS (SELECT 1 FROM customer_aliases a WHERE a.alias_id = entity_id)
     ORDER BY updated_seq LIMIT 1 FOR UPDATE`,
    [m.payload.rfc, m.entityId],
  );
  if (!first) return null;
  return { aliasId: m.entityId, customerId: first.entity_id, rfc: m.payload.rfc, current: { data: first.data, versions: first.versions } };
}

/** An RFC change's customer as the server holds it, with the change on top: what it brings to the customer it joins. */
async function changedCustomer(sql: Sql, m: Mutation): Promise<Record<string, unknown>> {
  if (m.op === 'insert') return m.payload;
  const [row] = await sql.query<{ data: Record<string, unknown> }>("SELECT data FROM entities WHERE entity = 'customer' AND entity_id = $1", [m.entityId]);
  const { requestId: _request, ...change } = m.payload;
  return { ...(row?.data ?? {}), ...change };
}

/** Longest user name (shared/contract.ts). */
const USERNAME_MAX = 40;

/** A user insert under a name another user holds: the first free <name>.<branch>, <name>.<branch>2… */
async function userNameTaken(sql: Sql, device: DeviceRow, m: Mutation): Promise<{ from: string; to: string } | null> {
  if (m.entity !== 'user' || m.op !== 'insert' || typeof m.payload.username !== 'string') return null;
  const taken = async (name: string) => (await sql.query('SELECT 1 FROM users WHERE lower(username) = lower($1) AND id <> $2', [name, m.entityId])).length > 0;
  const from = m.payload.username;
  if (!(await taken(from))) return null;
  const site = device.branch_code.toLowerCase();
  for (let n = 1; ; n++) {
    const suffix = `.${site}${n === 1 ? '' : n}`;
    const to = from.slice(0, USERNAME_MAX - suffix.length) + suffix;
    if (!(await taken(to))) return { from, to };
  }
}

/** Records the server's rename of a user in the feed, for every device (the one that created the user too). */
export async function recordUserRename(sql: Sql, device: DeviceRow, m: Mutation, rename: { from: string; to: string }, now: number): Promise<void> {
  await serverChange(sql, device, m, 'user', m.entityId, 'update', { username: rename.to, renamedFrom: rename.from }, now);
}

/** Appends a change the server decided itself: it belongs to no device, so every device pulls it. */
export async function serverChange(
  sql: Sql, device: DeviceRow, m: Mutation, entity: string, entityId: string, op: Mutation['op'], payload: Record<string, unknown>, now: number,
): Promise<void> {
  await sql.query(
    `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at)
     VALUES (NULL, NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, 'applied', NULL, $10, $11)`,
    [randomUUID(), m.hlc, m.actorKind, m.actorId, entity, entityId, op, JSON.stringify(payload), device.branch_code, now, m.createdAt],
  );
}

const blank = (v: unknown) => v === undefined || v === null || v === '' ||
  (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => x === '' || x === null));

/** A contact is the same person when name, e-mail and phone digits match (ids differ per branch). */
const contactKey = (c: { name?: unknown; email?: unknown; phone?: unknown }) =>
  [String(c.name ?? '').trim().toLocaleLowerCase('es-MX'), String(c.email ?? '').trim().toLowerCase(), String(c.phone ?? '').replace(/\D/g, '').slice(-10)].join('|');

/**
 * What a later registration of the customer adds to the first: the fields the first left empty,
 * and its contacts the first does not have. The first registration's values are never overwritten.
 */
export function fillFrom(current: Record<string, unknown>, later: Record<string, unknown>): Record<string, unknown> {
  const fill: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(later)) {
    if (field === 'contacts' || field === 'rfc' || field === 'requestId') continue;
    if (blank(current[field]) && !blank(value)) fill[field] = value;
  }
  const have = Array.isArray(current.contacts) ? (current.contacts as Array<Record<string, unknown>>) : [];
  const seen = new Set(have.map(contactKey));
  const added = (Array.isArray(later.contacts) ? (later.contacts as Array<Record<string, unknown>>) : []).filter((c) => !seen.has(contactKey(c)));
  if (added.length > 0) {
    // One legal representative stays one person: the later branch's ones are kept as ordinary contacts when the first has some.
    const hasRepresentative = have.some((c) => c.isLegalRepresentative === true);
    fill.contacts = [...have, ...added.map((c) => (hasRepresentative ? { ...c, isLegalRepresentative: false } : c))];
  }
  return fill;
}

/** Every string under a `customerId` key, at any depth. */
function customerIdsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) customerIdsIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'customerId' && typeof v === 'string') out.add(v);
      else customerIdsIn(v, out);
    }
  }
}

function replaceCustomerIds(value: unknown, map: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceCustomerIds(v, map));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'customerId' && typeof v === 'string' ? (map.get(v) ?? v) : replaceCustomerIds(v, map)]));
}

/** The mutation with every alias it names replaced by its customer (the same object when it names none). */
async function rewriteCustomerIds(sql: Sql, m: Mutation, cache: IdentityCache): Promise<Mutation> {
  const ids = new Set<string>();
  if (m.entity === 'customer') ids.add(m.entityId);
  customerIdsIn(m.payload, ids);
  if (ids.size === 0) return m;
  if (cache.anyAlias === null) {
    const [any] = await sql.query('SELECT 1 FROM customer_aliases LIMIT 1');
    cache.anyAlias = any !== undefined;
  }
  if (!cache.anyAlias) return m;
  const rows = await sql.query<{ alias_id: string; customer_id: string }>('SELECT alias_id, customer_id FROM customer_aliases WHERE alias_id = ANY($1)', [[...ids]]);
  if (rows.length === 0) return m;
  const map = new Map(rows.map((r) => [r.alias_id, r.customer_id]));
  return {
    ...m,
    entityId: m.entity === 'customer' ? (map.get(m.entityId) ?? m.entityId) : m.entityId,
    payload: replaceCustomerIds(m.payload, map) as Record<string, unknown>,
  };
}

/**
 * Merges a later registration into the customer: its filled fields win whatever their clocks (the
 * first registration is the customer, the later one only completes it), the alias is recorded, and
 * the `customer_merge` change goes into the feed with the customer as it now stands.
 */
export async function mergeCustomer(sql: Sql, device: DeviceRow, m: Mutation, merge: NonNullable<Mapped['merge']>, serverSeq: number, now: number): Promise<void> {
  const data = { ...merge.current.data, ...m.payload };
  const versions = { ...merge.current.versions };
  for (const field of Object.keys(m.payload)) versions[field] = versions[field] !== undefined && versions[field]! > m.hlc ? versions[field]! : m.hlc;
  await sql.query("UPDATE entities SET data = $2, versions = $3, updated_seq = $4 WHERE entity = 'customer' AND entity_id = $1",
    [merge.customerId, JSON.stringify(data), JSON.stringify(versions), serverSeq]);
  await sql.query(
    'INSERT INTO customer_aliases (alias_id, customer_id, rfc, device_id, decided_seq, decided_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [merge.aliasId, merge.customerId, merge.rfc, device.id, serverSeq, now],
  );
  await serverChange(sql, device, m, CUSTOMER_MERGE, merge.aliasId, 'insert', { into: merge.customerId, rfc: merge.rfc, customer: data }, now);
}
