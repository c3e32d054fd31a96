/**
 * Keyset paging: a page ends with an opaque cursor holding its last row's sort value and rowid
 * (the tie-breaker), and the next page starts strictly after that pair. Unlike OFFSET, the cost of
 * a page does not grow with how deep it is.
 */
import { AppError } from '../shared/errors';

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
