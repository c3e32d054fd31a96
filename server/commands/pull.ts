/**
 * Pull: the applied changes after a device's cursor that its branch may see, in server order.
 * A branch sees its own rows; the organization's customers, users, settings and branches; its
 * own tickets whoever changed them (an answer handed back from another branch's specialist); and
 * the shared tickets (with their timeline): those ever escalated past the service desk, which every
 * branch's Operación and Desarrollo specialists serve, and those a change request hangs from, whose
 * approvers sit at any branch (push.ts, shareTicket). A device is not sent its own mutations;
 * changes the server decided itself (a customer merged into another, identity.ts) go to every device.
 *
 * A merged row's change carries the row's values as they stand now for the fields it touched, not
 * the values it was sent with: a device that wrote a later value (which won by HLC) and then pulls
 * an earlier change of another device ends with the winner, like the server. (An empty payload —
 * a deletion, an event with no fields — aggregates to NULL, hence the COALESCE back to it.)
 */
import { KB_ENTITY } from '../../electron/shared/kb';
import { QUICK_REPLY_ENTITY } from '../../electron/shared/quick-replies';
import type { Sql } from '../db';
import type { DeviceRow } from './enrol';
import { PUSH_LOCK } from './push';

/**
 * What every branch sees whoever wrote it: the organization's customers, users, settings and
 * branches; its change requests with their decisions and emergency accounts (the approvers and the
 * security officer sit at any branch); the personal-data register; the knowledge base.
 */
export const ORGANIZATION_ENTITIES = [
  'customer', 'customer_merge', 'user', 'settings', 'branch',
  'change_request', 'change_request_decision', 'emergency_account', 'emergency_review', 'personal_data_request', KB_ENTITY,
  QUICK_REPLY_ENTITY, // team quick replies only: personal ones never leave their author's device
];

/**
 * One page of the feed as the JSON text of a PullResponse, written by PostgreSQL: the rows are
 * walked in server order on the applied-changes index, each built as JSON where it is read and the
 * page joined into one text, so this process neither parses the payloads nor writes them again (a
 * first sync is hundreds of pages of thousands of changes). One row past the limit says whether
 * there is more.
 */
export async function pullChanges(sql: Sql, device: DeviceRow, cursor: number, limit: number): Promise<string> {
  // Read up to the newest committed change, with no push in flight (push.ts, PUSH_LOCK): any push
  // that starts later numbers its changes above this head, and the next pull finds them.
  await sql.query('SELECT pg_advisory_xact_lock($1)', [PUSH_LOCK]);
  const [top] = await sql.query<{ seq: number | null }>("SELECT MAX(server_seq) AS seq FROM mutations WHERE status = 'applied'");
  const head = Math.max(cursor, top?.seq ?? 0);
  const [page] = await sql.query<{ n: number; last: number | null; changes: string | null }>(
    `SELECT COUNT(*) AS n, MAX(server_seq) FILTER (WHERE k <= $4) AS last, string_agg(change, ',' ORDER BY server_seq) FILTER (WHERE k <= $4) AS changes
     FROM (
       SELECT m.server_seq, row_number() OVER (ORDER BY m.server_seq) AS k,
         json_build_object('serverSeq', m.server_seq, 'deviceId', m.device_id, 'hlc', m.hlc, 'actorId', m.actor_id, 'entity', m.entity,
           'entityId', m.entity_id, 'op', m.op,
           'payload', CASE WHEN r.versions IS NULL OR r.versions = '{}'::jsonb THEN m.payload
             ELSE COALESCE((SELECT jsonb_object_agg(p.key, COALESCE(r.data->p.key, p.value)) FROM jsonb_each(m.payload) AS p), m.payload) END,
           'createdAt', m.created_at)::text AS change
       FROM mutations m LEFT JOIN entities r ON r.entity = m.entity AND r.entity_id = m.entity_id
       WHERE m.status = 'applied' AND m.server_seq > $1 AND m.server_seq <= $5 AND (m.device_id IS NULL OR m.device_id <> $2) AND (
         m.branch_code = $3
         OR m.entity = ANY($6::text[])
         OR EXISTS (SELECT 1 FROM entities t WHERE t.entity = 'ticket'
           AND t.entity_id = CASE WHEN m.entity = 'ticket' THEN m.entity_id ELSE m.payload->>'ticketId' END
           AND (t.branch_code = $3 OR t.shared)))
       ORDER BY m.server_seq LIMIT $4 + 1
     ) page`,
    [cursor, device.id, device.branch_code, limit, head, ORGANIZATION_ENTITIES],
  );
  const more = (page?.n ?? 0) > limit;
  // The cursor moves past what this page scanned, not only what it returned: filtered-out changes are not re-read.
  // `head`: where the feed ends now — with the cursor it tells the device how far through a long pull it is.
  const next = more ? page!.last! : head;
  return `{"changes":[${page?.changes ?? ''}],"cursor":${next},"more":${more},"head":${head}}`;
}
