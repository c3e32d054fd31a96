/**
 * What an outbox record stores as its payload (issue 16, storage). Most records carry the changed
 * fields as JSON. The insert of a row that never changes once written — a timeline event, a
 * customer notice — carries none: the row is right there, with the same values, until the server
 * has it. Those copies were a third of a never-synced workspace (the body of every reply, note and
 * notice twice). The push, the list of refused changes and every other reader get the payload
 * through `outboxPayload`, which reads such a row back into the object the command would have
 * stored, key for key.
 */
import type Database from 'better-sqlite3';

/** The stored payload of a record that refers to its row instead of copying it. */
export const ROW_REFERENCE = '';

/** The entities whose inserts refer to their row: rows that no command updates or deletes. */
const BY_REFERENCE = {
  ticket_event: {
    sql: 'SELECT ticket_id, kind, body, data FROM ticket_events WHERE id = ?',
    payload: (r: unknown[]) => ({ ticketId: r[0], kind: r[1], body: r[2], data: JSON.parse(r[3] as string) as unknown }),
    text: `SELECT json_object('ticketId', ticket_id, 'kind', kind, 'body', body, 'data', json(data)) FROM ticket_events WHERE id = o.entity_id`,
  },
  notification: {
    sql: 'SELECT ticket_id, kind, recipient, subject, body FROM notifications WHERE id = ?',
    payload: (r: unknown[]) => ({ ticketId: r[0], kind: r[1], recipient: r[2], subject: r[3], body: r[4] }),
    text: `SELECT json_object('ticketId', ticket_id, 'kind', kind, 'recipient', recipient, 'subject', subject, 'body', body) FROM notifications WHERE id = o.entity_id`,
  },
} as const satisfies Record<string, { sql: string; payload: (row: unknown[]) => Record<string, unknown>; text: string }>;

/**
 * The payload's JSON text as an SQL expression over an outbox row aliased `o`: the stored JSON, or
 * the referred row written as JSON by SQLite — the same object outboxPayload gives, with no parse
 * and write per record in JS (the push reads 2,000 at a time). NULL when a referred row is gone
 * (outboxPayload then says so).
 */
export const PAYLOAD_TEXT_SQL = `CASE WHEN o.payload <> '${ROW_REFERENCE}' THEN o.payload ${Object.entries(BY_REFERENCE)
  .map(([entity, ref]) => `WHEN o.entity = '${entity}' THEN (${ref.text})`).join(' ')} END`;

/** The payload text to store for a new record: the JSON, or ROW_REFERENCE for an insert of a row that never changes. */
export function storedPayload(entity: string, op: 'insert' | 'update', payload: unknown): string {
  return op === 'insert' && Object.hasOwn(BY_REFERENCE, entity) ? ROW_REFERENCE : JSON.stringify(payload);
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A record's payload as the command wrote it: its JSON, or its row read back. */
export function outboxPayload(db: Database.Database, record: { entity: string; entityId: string; payload: string }): Record<string, unknown> {
  if (record.payload !== ROW_REFERENCE) return JSON.parse(record.payload) as Record<string, unknown>;
  const ref = Object.hasOwn(BY_REFERENCE, record.entity) ? BY_REFERENCE[record.entity as keyof typeof BY_REFERENCE] : undefined;
  if (!ref) throw new Error(`outbox record of ${record.entity} ${record.entityId} has no payload`);
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(ref.sql);
  if (!stmt) cache.set(ref.sql, (stmt = db.prepare(ref.sql).raw()));
  const row = stmt.get(record.entityId) as unknown[] | undefined;
  if (!row) throw new Error(`outbox record of ${record.entity} ${record.entityId}: the row is gone`);
  return ref.payload(row);
}
