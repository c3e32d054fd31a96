/**
 * The audit log's stored form (migration 032) and its text form, in one place.
 *
 * `audit_chain` keeps each entry compactly: the hash as 32 bytes, no prev_hash (the previous entry of
 * the same device chain holds it), the device as a number (`audit_devices`), and each id that is a
 * canonical lowercase UUID as its 16 bytes (any other text stays text, so both directions are exact).
 * `audit_log` is a view with the old text columns, prev_hash included, for readers that show or
 * export entries. Statements that must walk an index read `audit_chain` and compare ids as `idKey`
 * stores them; the hashed text and every exported or uploaded entry are the text form.
 */
import type Database from 'better-sqlite3';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An id as audit_chain stores it: a canonical UUID as 16 bytes, anything else unchanged. */
export function idKey<T extends string | null>(id: T): T extends string ? string | Buffer : null {
  return (id !== null && UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : id) as T extends string ? string | Buffer : null;
}

/** The text of a stored id (the inverse of idKey). */
export function idText(stored: unknown): string | null {
  if (stored === null || stored === undefined) return null;
  if (!Buffer.isBuffer(stored)) return stored as string;
  const h = stored.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SQL: the text of a stored id column (idText in SQL). */
export function idTextSql(column: string): string {
  const hex = `hex(${column})`;
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-' || substr(${hex}, 13, 4)`
    + ` || '-' || substr(${hex}, 17, 4) || '-' || substr(${hex}, 21)) ELSE ${column} END`;
}

const HEX = '[0-9a-f]';
const UUID_GLOB = `${HEX.repeat(8)}-${HEX.repeat(4)}-${HEX.repeat(4)}-${HEX.repeat(4)}-${HEX.repeat(12)}`;

/** SQL: a text id as audit_chain stores it (idKey in SQL), for ids that come from other tables. */
export function idKeySql(expr: string): string {
  return `CASE WHEN (${expr}) GLOB '${UUID_GLOB}' THEN unhex(${expr}, '-') ELSE (${expr}) END`;
}

/** SQL: the device chain's number, from a device id given as a parameter. */
export const DEVICE_OF = '(SELECT n FROM audit_devices WHERE device_id = ?)';

/**
 * The columns of an AuditEntry in text form, over audit_chain aliased `alias` (prevHash is one
 * index seek: the hash of the previous entry of the same device chain).
 */
export function entryColumns(alias: string): string {
  const a = alias;
  return `${a}.seq, ${idTextSql(`${a}.id`)} AS id, (SELECT d.device_id FROM audit_devices d WHERE d.n = ${a}.device) AS deviceId, ${a}.at,
  ${idTextSql(`${a}.actor_id`)} AS actorId, ${a}.actor_kind AS actorKind, ${a}.action, ${a}.entity, ${idTextSql(`${a}.entity_id`)} AS entityId,
  ${a}.data, ${prevHashSql(a)} AS prevHash, lower(hex(${a}.hash)) AS hash`;
}

/** SQL: the hash an entry's own hash follows (the previous entry of its device chain), genesis for the first. */
export function prevHashSql(alias: string): string {
  return `COALESCE((SELECT lower(hex(p.hash)) FROM audit_chain p WHERE p.device = ${alias}.device AND p.seq < ${alias}.seq ORDER BY p.seq DESC LIMIT 1), '${'0'.repeat(64)}')`;
}

/** The number of a device chain, registered on first use (inside the caller's transaction). */
export function deviceNumber(db: Database.Database, deviceId: string): number {
  const n = db.prepare('SELECT n FROM audit_devices WHERE device_id = ?').pluck().get(deviceId) as number | undefined;
  if (n !== undefined) return n;
  return Number(db.prepare('INSERT INTO audit_devices (device_id) VALUES (?)').run(deviceId).lastInsertRowid);
}
