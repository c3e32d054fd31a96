/**
 * The portal writes into the same change feed as the branches: each row it makes is a mutation
 * of one server-side device (the portal's), applied and merged into `entities` exactly as a
 * pushed one would be (push.ts), so branches PULL portal tickets like any other change. The
 * portal device has a credential nobody holds: it never pushes or pulls over HTTP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { decodeHlc, encodeHlc, tickHlc } from '../../electron/shared/hlc';
import { mergeFields, type MergedRow } from '../../electron/shared/sync/merge';
import { APPEND_ONLY_ENTITIES } from '../../electron/shared/sync/permissions';
import { PUSH_LOCK } from '../commands/push';
import { notifyChange } from '../live';
import { sha256 } from '../credentials';
import type { Db, Sql } from '../db';
import { ServerError } from '../errors';

export interface PortalIdentity {
  siteCode: string;
  deviceId: string;
  /** The branch that takes tickets of customers no branch serves yet (null: the oldest branch). */
  centralBranch: string | null;
  challengeKey: string;
}

/** Serialises the first start of several server processes on one database. */
const SETUP_LOCK = 4_711_013;

/**
 * The portal's identity, made on first use: a branch row for its site code (so no branch can take
 * the code and tracking numbers stay unique), its device, and its challenge key. PORTAL_SITE_CODE
 * (default WEB) and PORTAL_CENTRAL_BRANCH are read then; the central branch can be changed later.
 */
export async function portalIdentity(db: Db, env: { siteCode?: string; centralBranch?: string }, now: number): Promise<PortalIdentity> {
  const read = async (sql: Sql) => {
    const [row] = await sql.query<{ site_code: string; device_id: string; central_branch: string | null; challenge_key: string }>(
      'SELECT site_code, device_id, central_branch, challenge_key FROM portal_settings WHERE id = 1',
    );
    return row ? { siteCode: row.site_code, deviceId: row.device_id, centralBranch: row.central_branch, challengeKey: row.challenge_key } : null;
  };
  const found = await read(db);
  if (found) return found;
  return db.tx(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    const again = await read(sql);
    if (again) return again;
    const siteCode = env.siteCode ?? 'WEB';
    const [taken] = await sql.query('SELECT 1 FROM branches WHERE code = $1', [siteCode]);
    if (taken) throw new ServerError(500, 'portal.siteCodeTaken', { siteCode });
    const deviceId = randomUUID();
    await sql.query('INSERT INTO branches (code, name, time_zone, created_at) VALUES ($1, $2, $3, $4)', [siteCode, 'Portal de clientes', 'America/Mexico_City', now]);
    await sql.query('INSERT INTO devices (id, branch_code, name, secret_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [
      deviceId, siteCode, 'Portal de clientes', sha256(randomBytes(32).toString('hex')), now,
    ]);
    const central = env.centralBranch ?? null;
    await sql.query('INSERT INTO portal_settings (id, site_code, device_id, central_branch, challenge_key) VALUES (1, $1, $2, $3, $4)', [
      siteCode, deviceId, central, randomBytes(32).toString('hex'),
    ]);
    return { siteCode, deviceId, centralBranch: central, challengeKey: (await read(sql))!.challengeKey };
  });
}

/** One writer inside one transaction: holds the push lock, numbers the portal device's mutations and HLCs. */
export class FeedWriter {
  private lastHlc: string | null = null;
  private locked = false;

  constructor(
    private readonly sql: Sql,
    private readonly portal: PortalIdentity,
    private readonly now: number,
  ) {}

  /** A new row id, time-ordered as the workspace's (Workspace.newId). */
  static newId(): string {
    return uuidv7();
  }

  /**
   * Applies one mutation of the portal device for `branchCode` (the branch whose pull sees it):
   * recorded as applied in the feed and merged into the central rows as push.ts does.
   */
  async emit(branchCode: string, entity: string, entityId: string, op: 'insert' | 'update', payload: Record<string, unknown>): Promise<void> {
    if (!this.locked) {
      // Commit order = feed order, as for pushes: a pull never skips a change committed late.
      await this.sql.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
      const [prev] = await this.sql.query<{ hlc: string }>('SELECT hlc FROM mutations WHERE device_id = $1 ORDER BY push_seq DESC LIMIT 1', [this.portal.deviceId]);
      this.lastHlc = prev?.hlc ?? null;
      this.locked = true;
      // Branches keeping the live stream open pull at once when this commits.
      await notifyChange(this.sql, { id: this.portal.deviceId, branch_code: branchCode });
    }
    const hlc = encodeHlc(tickHlc(this.lastHlc ? decodeHlc(this.lastHlc) : { wallMs: 0, counter: 0, deviceId: this.portal.deviceId }, this.now));
    this.lastHlc = hlc;
    const [device] = await this.sql.query<{ last_push_seq: number }>('UPDATE devices SET last_push_seq = last_push_seq + 1, last_seen_at = $2 WHERE id = $1 RETURNING last_push_seq', [
      this.portal.deviceId, this.now,
    ]);
    const [row] = await this.sql.query<{ server_seq: number }>(
      `INSERT INTO mutations (device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, reason, received_at, created_at, device_hlc)
       VALUES ($1, $2, $3, $4, 'customer', NULL, $5, $6, $7, $8, $9, 'applied', NULL, $10, $10, $4) RETURNING server_seq`,
      [this.portal.deviceId, device!.last_push_seq, uuidv7(), hlc, entity, entityId, op, JSON.stringify(payload), branchCode, this.now],
    );
    const seq = row!.server_seq;
    if (APPEND_ONLY_ENTITIES.has(entity)) {
      await this.sql.query(
        `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ($1, $2, $3, $4, '{}', $5) ON CONFLICT (entity, entity_id) DO NOTHING`,
        [entity, entityId, branchCode, JSON.stringify(payload), seq],
      );
      return;
    }
    const [current] = await this.sql.query<MergedRow>('SELECT data, versions FROM entities WHERE entity = $1 AND entity_id = $2 FOR UPDATE', [entity, entityId]);
    const merged = mergeFields(current ?? null, payload, hlc);
    await this.sql.query(
      `INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (entity, entity_id) DO UPDATE SET data = excluded.data, versions = excluded.versions, updated_seq = excluded.updated_seq`,
      [entity, entityId, branchCode, JSON.stringify(merged.data), JSON.stringify(merged.versions), seq],
    );
  }
}
