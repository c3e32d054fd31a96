/**
 * Audit chains on the server: each device's chain is uploaded intact, every link checked (seq
 * grows, prev_hash is the previous entry's hash, the hash covers the entry), and each entry is
 * appended to one server-wide chain in commit order. `verifyServerAudit` re-checks both.
 */
import { createHash } from 'node:crypto';
import { canonicalEntry, GENESIS_HASH, type AuditEntry } from '../../electron/shared/audit-chain';
import type { SyncAuditEntry } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import type { DeviceRow } from './enrol';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const entryHash = (e: Omit<AuditEntry, 'hash'>) => sha256(e.prevHash + '\n' + canonicalEntry(e));
/** The server chain's link: the previous link, then which device's entry, and that entry's own hash. */
export const chainHash = (chainPrev: string, e: Pick<AuditEntry, 'deviceId' | 'seq' | 'hash'>) => sha256(`${chainPrev}\n${e.deviceId}\n${e.seq}\n${e.hash}`);

/**
 * Appends a device's entries after the server's head for it. Entries the server already holds
 * (same seq and hash) are skipped, so a retried upload is harmless; any broken link refuses the
 * whole upload and names the entry.
 */
export async function uploadAudit(sql: Sql, device: DeviceRow, entries: SyncAuditEntry[], now: number): Promise<{ accepted: number; head: { seq: number; hash: string } }> {
  let head = { seq: device.audit_seq, hash: device.audit_hash };
  const [chain] = await sql.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
  let chainSeq = chain!.seq;
  let chainPrev = chain!.hash;
  let accepted = 0;
  for (const e of entries) {
    if (e.deviceId !== device.id) throw new ServerError(400, 'audit.foreignEntry', { seq: e.seq });
    if (e.seq <= head.seq) {
      const [held] = await sql.query<{ hash: string }>('SELECT hash FROM audit_entries WHERE device_id = $1 AND seq = $2', [device.id, e.seq]);
      if (held?.hash === e.hash) continue;
      throw new ServerError(409, 'audit.conflict', { seq: e.seq });
    }
    if (e.prevHash !== head.hash) throw new ServerError(409, 'audit.brokenLink', { seq: e.seq, expectedPrevHash: head.hash });
    if (entryHash(e) !== e.hash) throw new ServerError(409, 'audit.badHash', { seq: e.seq });
    chainSeq++;
    const link = chainHash(chainPrev, e);
    await sql.query(
      `INSERT INTO audit_entries (chain_seq, device_id, seq, id, at, actor_id, actor_kind, action, entity, entity_id, data, prev_hash, hash, chain_prev_hash, chain_hash, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [chainSeq, e.deviceId, e.seq, e.id, e.at, e.actorId, e.actorKind, e.action, e.entity, e.entityId, e.data, e.prevHash, e.hash, chainPrev, link, now],
    );
    chainPrev = link;
    head = { seq: e.seq, hash: e.hash };
    accepted++;
  }
  await sql.query('UPDATE devices SET audit_seq = $2, audit_hash = $3, last_seen_at = $4 WHERE id = $1', [device.id, head.seq, head.hash, now]);
  await sql.query('UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1', [chainSeq, chainPrev]);
  return { accepted, head };
}

export interface ServerAuditVerification {
  ok: boolean;
  checked: number;
  devices: number;
  firstBroken: { chainSeq: number; deviceId: string | null; seq: number | null; reason: string } | null;
}

const PAGE = 5000;

/**
 * Verifies the server-wide chain and every device chain inside it, page by page (memory stays
 * flat), and that the recorded heads match the last entries (nothing cut off the end).
 */
export async function verifyServerAudit(sql: Sql): Promise<ServerAuditVerification> {
  const deviceHeads = new Map<string, { seq: number; hash: string }>();
  let chainPrev = GENESIS_HASH;
  let checked = 0;
  let after = 0;
  const broken = (chainSeq: number, deviceId: string | null, seq: number | null, reason: string): ServerAuditVerification =>
    ({ ok: false, checked, devices: deviceHeads.size, firstBroken: { chainSeq, deviceId, seq, reason } });
  for (;;) {
    const rows = await sql.query<AuditEntry & { chainSeq: number; chainPrevHash: string; chainHash: string }>(
      `SELECT chain_seq AS "chainSeq", device_id AS "deviceId", seq, id, at, actor_id AS "actorId", actor_kind AS "actorKind", action, entity,
        entity_id AS "entityId", data, prev_hash AS "prevHash", hash, chain_prev_hash AS "chainPrevHash", chain_hash AS "chainHash"
       FROM audit_entries WHERE chain_seq > $1 ORDER BY chain_seq LIMIT ${PAGE}`,
      [after],
    );
    for (const e of rows) {
      if (e.chainSeq !== checked + 1) return broken(e.chainSeq, e.deviceId, e.seq, 'chain_gap');
      if (e.chainPrevHash !== chainPrev || chainHash(chainPrev, e) !== e.chainHash) return broken(e.chainSeq, e.deviceId, e.seq, 'chain_hash');
      const head = deviceHeads.get(e.deviceId) ?? { seq: 0, hash: GENESIS_HASH };
      if (e.prevHash !== head.hash) return broken(e.chainSeq, e.deviceId, e.seq, 'prev_hash');
      if (e.seq <= head.seq) return broken(e.chainSeq, e.deviceId, e.seq, 'sequence_gap');
      if (entryHash(e) !== e.hash) return broken(e.chainSeq, e.deviceId, e.seq, 'hash');
      deviceHeads.set(e.deviceId, { seq: e.seq, hash: e.hash });
      chainPrev = e.chainHash;
      checked++;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.chainSeq;
  }
  const [chain] = await sql.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_chain_head WHERE id = 1');
  if (!chain || chain.seq !== checked || chain.hash !== chainPrev) return broken(checked + 1, null, null, 'truncated');
  const devices = await sql.query<{ id: string; audit_seq: number; audit_hash: string }>('SELECT id, audit_seq, audit_hash FROM devices');
  for (const d of devices) {
    const head = deviceHeads.get(d.id) ?? { seq: 0, hash: GENESIS_HASH };
    if (head.seq !== d.audit_seq || head.hash !== d.audit_hash) return broken(checked + 1, d.id, d.audit_seq, 'truncated');
  }
  return { ok: true, checked, devices: deviceHeads.size, firstBroken: null };
}
