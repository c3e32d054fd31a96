/**
 * Keyset paging: a page ends with an opaque cursor holding its last row's sort value and rowid
 * (the tie-breaker), and the next page starts strictly after that pair. Unlike OFFSET, the cost of
 * a page does not grow with how deep it is.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../shared/errors';

/** Counts stop here: beyond it a list says "más de 10 000". */
export const COUNT_BOUND = 10_000;

export type SortValue = number | string;

export interface Cursor {
  value: SortValue;
  rowid: number;
}

export function encodeCursor(value: SortValue, rowid: number): string {
  return Buffer.from(JSON.stringify([value, rowid])).toString('base64url');
}

/** The cursor's pair; a cursor that was not made by encodeCursor is refused as invalid input. */
export function decodeCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('validation.invalid');
  }
  if (Array.isArray(parsed) && parsed.length === 2 && (typeof parsed[0] === 'number' || typeof parsed[0] === 'string') && Number.isSafeInteger(parsed[1])) {
    return { value: parsed[0], rowid: parsed[1] as number };
  }
  throw new AppError('validation.invalid');
}

/**
 * The SQL condition "(key, rowid) comes after the cursor" in the walk's direction. SQLite turns a
 * row-value comparison into a range on an index whose columns are (…, key) followed by the rowid.
 */
export function afterCursor(key: string, rowid: string, direction: 'asc' | 'desc'): string {
  return `(${key}, ${rowid}) ${direction === 'asc' ? '>' : '<'} (?, ?)`;
}

/** A piece of SQL with its parameters. */
export interface Condition {
  sql: string;
  params: unknown[];
}

/** One ordered range: a FROM clause (usually pinned to an index) and the conditions that select the range. */
export interface Walk {
  from: string;
  conditions: Condition[];
}

/**
 * One statement that walks each range from the cursor on and merges them in order: rows of
 * (r = rowid, k = sort value), the limit as its last parameter. SQLite merges the arms of a
 * compound SELECT with ORDER BY (each arm ordered by its index) without sorting, and stops at the limit.
 */
export function mergedWalk(walks: Walk[], key: string, rowid: string, direction: 'asc' | 'desc', cursor: Cursor | null): Condition {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const parts = walks.map((w) => {
    const conditions = cursor ? [...w.conditions, { sql: afterCursor(key, rowid, direction), params: [cursor.value, cursor.rowid] }] : w.conditions;
    const where = conditions.length > 0 ? ` WHERE ${conditions.map((c) => c.sql).join(' AND ')}` : '';
    return { sql: `SELECT ${rowid} AS r, ${key} AS k ${w.from}${where}`, params: conditions.flatMap((c) => c.params) };
  });
  return { sql: `${parts.map((p) => p.sql).join(' UNION ALL ')} ORDER BY k ${dir}, r ${dir} LIMIT ?`, params: parts.flatMap((p) => p.params) };
}

/** How many rows match, counting at most COUNT_BOUND + 1 (the count a list shows with its first page). */
export function boundedCount(db: Database.Database, from: string, where: Condition[]): { total: number; totalCapped: boolean } {
  const clause = where.length > 0 ? `WHERE ${where.map((c) => c.sql).join(' AND ')}` : '';
  const n = db.prepare(`SELECT count(*) FROM (SELECT 1 ${from} ${clause} LIMIT ${COUNT_BOUND + 1})`).pluck().get(...where.flatMap((c) => c.params)) as number;
  return n > COUNT_BOUND ? { total: COUNT_BOUND, totalCapped: true } : { total: n, totalCapped: false };
}

/** The page's cursor, when more rows follow: `keys` holds limit + 1 rows at most, and loses the extra one. */
export function pageEnd(keys: Array<{ r: number; k: SortValue }>, limit: number): string | null {
  if (keys.length <= limit) return null;
  keys.length = limit;
  const last = keys[limit - 1]!;
  return encodeCursor(last.k, last.r);
}
