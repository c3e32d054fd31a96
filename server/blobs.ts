/**
 * The organization's evidence bytes (issue 11, "attachments are content-addressed and uploaded
 * once"), kept in PostgreSQL itself so every stateless server process sees the same store: a blob
 * is named by its SHA-256, received in chunks (an upload cut off continues at `received`), checked
 * against its name when the last byte is in, and only then readable. A device may see a blob only
 * when an attachment of a ticket its branch may see names it — the same rule pull follows — so a
 * hash tells nothing about another branch's files. The portal stores its evidence here too.
 */
import { createHash } from 'node:crypto';
import { MAX_BLOB_BYTES, type BlobState } from '../electron/shared/sync/protocol';
import type { Db, Sql } from './db';
import { ServerError } from './errors';
import type { DeviceRow } from './commands/enrol';

/** The largest file the server takes: SYNC_MAX_BLOB_BYTES, or the app's own highest setting. */
export function maxBlobBytes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SYNC_MAX_BLOB_BYTES);
  return Number.isInteger(n) && n > 0 ? n : MAX_BLOB_BYTES;
}

/** Chunk rows are at most this long (a whole portal file is split the same way). */
const ROW_BYTES = 1024 * 1024;

interface BlobRow {
  sha256: string;
  size: number;
  received: number;
  complete_at: number | null;
}

/** The attachments (of tickets this device's branch may see) that name each of these hashes. */
async function visibleHashes(sql: Sql, device: DeviceRow, hashes: string[]): Promise<Set<string>> {
  const rows = await sql.query<{ sha256: string }>(
    `SELECT DISTINCT a.data->>'sha256' AS sha256 FROM entities a
     JOIN entities t ON t.entity = 'ticket' AND t.entity_id = a.data->>'ticketId'
     WHERE a.entity = 'attachment' AND a.data->>'sha256' = ANY($1::text[])
       AND (t.branch_code = $2 OR t.shared)`,
    [hashes, device.branch_code],
  );
  return new Set(rows.map((r) => r.sha256));
}

async function mustSee(sql: Sql, device: DeviceRow, sha256: string): Promise<void> {
  // The same answer whether the blob exists or not: a hash this device may not see is simply unknown.
  if (!(await visibleHashes(sql, device, [sha256])).has(sha256)) throw new ServerError(404, 'blobs.unknown');
}

/** What the server holds of each hash this device asks about (the "send it once" check). */
export async function checkBlobs(sql: Sql, device: DeviceRow, hashes: string[]): Promise<BlobState[]> {
  const unique = [...new Set(hashes)];
  const visible = await visibleHashes(sql, device, unique);
  const rows = new Map(
    (await sql.query<BlobRow>('SELECT sha256, size, received, complete_at FROM blobs WHERE sha256 = ANY($1::text[])', [[...visible]])).map((r) => [r.sha256, r]),
  );
  return unique.map((sha256) => {
    if (!visible.has(sha256)) return { sha256, state: 'unknown', received: 0, size: null };
    const r = rows.get(sha256);
    if (!r) return { sha256, state: 'missing', received: 0, size: null };
    return { sha256, state: r.complete_at !== null ? 'complete' : r.received > 0 ? 'partial' : 'missing', received: r.received, size: r.size };
  });
}

/**
 * Appends one chunk at `offset` of a blob of `size` bytes. The offset must be what the server has
 * (else 409 with `expected`, and the device continues from there); a blob already complete answers
 * complete without taking anything. When the last byte is in, the bytes are hashed: a mismatch
 * discards the whole upload (422) so nothing unverified is ever served.
 */
export async function appendChunk(
  sql: Sql, device: DeviceRow, sha256: string, offset: number, size: number, chunk: Buffer, now: number, maxBytes: number,
): Promise<{ sha256: string; received: number; complete: boolean }> {
  if (size > maxBytes) throw new ServerError(413, 'blobs.tooLarge', { size, limit: maxBytes });
  await mustSee(sql, device, sha256);
  await sql.query(
    'INSERT INTO blobs (sha256, size, received, created_at, device_id) VALUES ($1, $2, 0, $3, $4) ON CONFLICT (sha256) DO NOTHING',
    [sha256, size, now, device.id],
  );
  // Two devices sending the same file: one at a time (the second sees how far the first got).
  const [row] = await sql.query<BlobRow>('SELECT sha256, size, received, complete_at FROM blobs WHERE sha256 = $1 FOR UPDATE', [sha256]);
  if (row!.complete_at !== null) return { sha256, received: row!.size, complete: true };
  if (row!.size !== size) {
    if (row!.received > 0) throw new ServerError(409, 'blobs.sizeMismatch', { size: row!.size });
    await sql.query('UPDATE blobs SET size = $2 WHERE sha256 = $1', [sha256, size]); // nothing received yet: the new claim stands
  }
  if (offset !== row!.received) throw new ServerError(409, 'blobs.offsetMismatch', { expected: row!.received });
  if (chunk.length === 0 || offset + chunk.length > size) throw new ServerError(400, 'blobs.badChunk', { expected: row!.received });
  await sql.query('INSERT INTO blob_chunks (sha256, "offset", bytes) VALUES ($1, $2, $3)', [sha256, offset, chunk]);
  const received = offset + chunk.length;
  if (received < size) {
    await sql.query('UPDATE blobs SET received = $2 WHERE sha256 = $1', [sha256, received]);
    return { sha256, received, complete: false };
  }
  const hash = createHash('sha256');
  for await (const part of chunksOf(sql, sha256)) hash.update(part);
  if (hash.digest('hex') !== sha256) {
    // Tampered or corrupted on the way: the next attempt starts again from zero.
    await sql.query('DELETE FROM blob_chunks WHERE sha256 = $1', [sha256]);
    await sql.query('UPDATE blobs SET received = 0 WHERE sha256 = $1', [sha256]);
    throw new ServerError(422, 'blobs.hashMismatch');
  }
  await sql.query('UPDATE blobs SET received = $2, complete_at = $3 WHERE sha256 = $1', [sha256, received, now]);
  return { sha256, received, complete: true };
}

/** A complete blob this device may see, for download from `from` (a resumed download). */
export async function openBlob(sql: Sql, device: DeviceRow, sha256: string): Promise<{ size: number; mimeType: string }> {
  await mustSee(sql, device, sha256);
  const [row] = await sql.query<{ size: number; mime_type: string }>('SELECT size, mime_type FROM blobs WHERE sha256 = $1 AND complete_at IS NOT NULL', [sha256]);
  // Named by an attachment, but its bytes are not here yet (the branch that has them has not sent them).
  if (!row) throw new ServerError(404, 'blobs.notUploaded');
  return { size: row.size, mimeType: row.mime_type };
}

/** The bytes of a blob from `from`, a chunk row at a time (no transaction needed: chunks of a complete blob never change). */
export async function* readBlobRange(db: Sql, sha256: string, from = 0): AsyncGenerator<Buffer> {
  for await (const part of chunksOf(db, sha256, from)) yield part;
}

async function* chunksOf(sql: Sql, sha256: string, from = 0): AsyncGenerator<Buffer> {
  let next = from;
  for (;;) {
    // The chunk holding `next`, then each following one: one row per query keeps memory flat.
    const [row] = await sql.query<{ offset: number; bytes: Uint8Array }>(
      `SELECT "offset", bytes FROM blob_chunks WHERE sha256 = $1 AND "offset" <= $2 AND "offset" + length(bytes) > $2 ORDER BY "offset" DESC LIMIT 1`,
      [sha256, next],
    );
    if (!row) return;
    const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
    const part = bytes.subarray(next - row.offset);
    next += part.length;
    yield part;
  }
}

/**
 * Stores bytes the server itself received whole (the portal's evidence): content-addressed, once.
 * Returns the hash that names them.
 */
export async function storeBlob(sql: Sql, bytes: Buffer, mimeType: string, now: number): Promise<{ sha256: string; size: number }> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const [row] = await sql.query<BlobRow>('SELECT sha256, size, received, complete_at FROM blobs WHERE sha256 = $1 FOR UPDATE', [sha256]);
  if (row?.complete_at != null) return { sha256, size: bytes.length };
  if (row) await sql.query('DELETE FROM blob_chunks WHERE sha256 = $1', [sha256]); // a device's unfinished upload of the same bytes: these are whole
  await sql.query(
    `INSERT INTO blobs (sha256, size, mime_type, received, complete_at, created_at) VALUES ($1, $2, $3, $2, $4, $4)
     ON CONFLICT (sha256) DO UPDATE SET size = excluded.size, mime_type = excluded.mime_type, received = excluded.received, complete_at = excluded.complete_at`,
    [sha256, bytes.length, mimeType, now],
  );
  for (let at = 0; at < bytes.length; at += ROW_BYTES) {
    await sql.query('INSERT INTO blob_chunks (sha256, "offset", bytes) VALUES ($1, $2, $3)', [sha256, at, bytes.subarray(at, at + ROW_BYTES)]);
  }
  return { sha256, size: bytes.length };
}

/** The whole bytes of a complete blob (small files: the portal's evidence), or null. */
export async function readBlob(db: Db | Sql, sha256: string): Promise<Buffer | null> {
  const [row] = await db.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = $1 AND complete_at IS NOT NULL', [sha256]);
  if (!row) return null;
  const parts: Buffer[] = [];
  for await (const part of chunksOf(db, sha256)) parts.push(part);
  return Buffer.concat(parts);
}
