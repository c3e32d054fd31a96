/**
 * Evidence files: copied into <dataDir>/attachments/<sha256> (content-addressed, so the same
 * screenshot attached twice is stored once) and described by a row in the same transaction
 * as the message that carries them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { PRIVATE_DIR, PRIVATE_FILE } from './db/connection';
import { join } from 'node:path';
import type { z } from 'zod';
import type { attachmentUploadSchema } from '../shared/contract';
import { AppError } from '../shared/errors';
import { recordedMimeType } from '../shared/images';
import type { AttachmentInfo } from '../shared/types';
import type { Workspace, WriteTx } from './workspace';

export type Upload = z.output<typeof attachmentUploadSchema>;

export interface PreparedFile {
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Base64 characters decoded per turn while staging (a multiple of 4: 1 MiB of text, 768 KiB of bytes). */
export const STAGE_SLICE_CHARS = 1 << 20;
const BASE64_BODY = /^[A-Za-z0-9+/]*$/;

export class Attachments {
  /** Uploads already decoded, hashed and stored off the request's synchronous part (see stage). */
  private readonly staged = new WeakMap<Upload, PreparedFile>();

  constructor(private readonly ws: Workspace) {}

  private get dir(): string {
    return join(this.ws.dataDir, 'attachments');
  }

  /**
   * Decodes, size-checks and stores the files before the transaction starts (a file written for
   * a transaction that then fails is harmless: it is unreferenced content, not data).
   */
  prepare(uploads: Upload[], maxBytes: number): PreparedFile[] {
    return uploads.map((u) => {
      const staged = this.staged.get(u);
      if (staged) return staged;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(u.contentBase64)) throw new AppError('attachments.badContent', { fileName: u.fileName });
      const content = Buffer.from(u.contentBase64, 'base64');
      const refused = tooLarge(u.fileName, content.length, maxBytes);
      if (refused) throw refused;
      return this.store(u.fileName, u.mimeType, content);
    });
  }

  /**
   * Stores bytes in the evidence store (content-addressed) and describes them; no size check —
   * callers check first (`tooLarge`). Also keeps a received e-mail as it arrived (mail/importer.ts).
   */
  store(fileName: string, mimeType: string, content: Buffer): PreparedFile {
    const sha256 = createHash('sha256').update(content).digest('hex');
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const target = join(this.dir, sha256);
    if (!existsSync(target)) {
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, content, { mode: PRIVATE_FILE });
      renameSync(temp, target);
    }
    // Image types are checked against the bytes (see shared/images.ts): only a validated image is ever previewed.
    return { fileName: safeFileName(fileName), mimeType: recordedMimeType(mimeType, content), sizeBytes: content.length, sha256 };
  }

  /**
   * Decodes, hashes and writes the uploads of a call before its command runs, a slice per turn (the
   * writes in libuv's pool), so a 25 MB evidence file never holds core's thread: other calls are
   * answered in between. `prepare` then finds them done. An upload that is not valid base64 or is over
   * `maxBytes` is left for `prepare` to refuse, with the same error and audit entry as ever.
   */
  async stage(uploads: Upload[], maxBytes: number): Promise<void> {
    for (const u of uploads) {
      const text = u.contentBase64;
      const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
      if (this.staged.has(u) || text.length % 4 !== 0 || (text.length / 4) * 3 - padding > maxBytes) continue;
      const file = await this.storeSlices(u.fileName, u.mimeType, (function* () {
        for (let at = 0; at < text.length; at += STAGE_SLICE_CHARS) {
          const slice = text.slice(at, at + STAGE_SLICE_CHARS);
          const body = at + STAGE_SLICE_CHARS >= text.length ? slice.slice(0, slice.length - padding) : slice;
          if (!BASE64_BODY.test(body)) throw new AppError('attachments.badContent', { fileName: u.fileName });
          yield Buffer.from(slice, 'base64');
        }
      })()).catch(() => null);
      if (file) this.staged.set(u, file);
    }
  }

  /** `store` for bytes already in memory (a received e-mail's parts), hashed and written a slice per turn. */
  storeAsync(fileName: string, mimeType: string, content: Buffer): Promise<PreparedFile> {
    const step = (STAGE_SLICE_CHARS / 4) * 3;
    return this.storeSlices(fileName, mimeType, (function* () {
      for (let at = 0; at < content.length; at += step) yield content.subarray(at, at + step);
    })());
  }

  /**
   * The streamed writer: each slice hashed and appended to a temporary file (awaiting the write
   * yields to other calls), then the file renamed to its hash, or dropped when that content is
   * stored already. A slice source that throws leaves nothing behind.
   */
  private async storeSlices(fileName: string, mimeType: string, slices: Iterable<Buffer>): Promise<PreparedFile> {
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const temp = join(this.dir, `upload-${randomUUID()}.tmp`);
    const hash = createHash('sha256');
    let head = Buffer.alloc(0);
    let size = 0;
    const fh = await open(temp, 'w', PRIVATE_FILE);
    try {
      for (const bytes of slices) {
        if (size === 0) head = Buffer.from(bytes.subarray(0, 64));
        hash.update(bytes);
        size += bytes.length;
        await fh.write(bytes);
      }
    } catch (err) {
      await fh.close();
      rmSync(temp, { force: true });
      throw err;
    }
    await fh.close();
    const sha256 = hash.digest('hex');
    const target = join(this.dir, sha256);
    if (existsSync(target)) rmSync(temp, { force: true });
    else renameSync(temp, target);
    // Image types are checked against the bytes (see shared/images.ts): only a validated image is ever previewed.
    return { fileName: safeFileName(fileName), mimeType: recordedMimeType(mimeType, head), sizeBytes: size, sha256 };
  }

  record(tx: WriteTx, ticketId: string, eventId: string | null, files: PreparedFile[]): AttachmentInfo[] {
    const insert = tx.sql(
      'INSERT INTO attachments (id, ticket_id, event_id, file_name, mime_type, size_bytes, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Sent to the central server after the next push (sync/blobs.ts); once per file, whatever the number of attachments naming it.
    const queue = tx.sql("INSERT INTO blob_transfers (sha256, direction, size_bytes, updated_at) VALUES (?, 'up', ?, ?) ON CONFLICT (sha256) DO NOTHING");
    return files.map((f) => {
      const id = tx.id();
      queue.run(f.sha256, f.sizeBytes, tx.at);
      insert.run(id, ticketId, eventId, f.fileName, f.mimeType, f.sizeBytes, f.sha256, tx.actor.kind === 'user' ? tx.actor.userId : null, tx.at);
      tx.outbox('attachment', id, 'insert', { ticketId, eventId, ...f });
      return { id, ticketId, eventId, ...f, createdAt: tx.at };
    });
  }

  /** The content hash of an attachment whose bytes are still to be fetched from the central server, else null. */
  pendingDownload(attachmentId: string): string | null {
    return (this.ws.sql(
      "SELECT a.sha256 FROM attachments a JOIN blob_transfers b ON b.sha256 = a.sha256 AND b.direction = 'down' WHERE a.id = ?",
    ).pluck().get(attachmentId) as string | undefined) ?? null;
  }

  /** A stored file by its content hash (the evidence store also keeps each received e-mail as it arrived). */
  readStored(sha256: string): Buffer {
    const path = join(this.dir, sha256);
    if (!/^[0-9a-f]{64}$/.test(sha256) || !existsSync(path)) throw new AppError('attachments.missingFile');
    return readFileSync(path);
  }

  read(attachmentId: string): AttachmentInfo & { contentBase64: string } {
    const info = this.ws.sql(
      `SELECT id, ticket_id AS ticketId, event_id AS eventId, file_name AS fileName, mime_type AS mimeType,
       size_bytes AS sizeBytes, sha256, created_at AS createdAt FROM attachments WHERE id = ?`,
    ).get(attachmentId) as AttachmentInfo | undefined;
    if (!info) throw new AppError('attachments.notFound');
    const path = join(this.dir, info.sha256);
    if (!existsSync(path)) {
      // Pulled from another branch: its bytes come from the central server (sync/blobs.ts).
      if (this.ws.sql("SELECT 1 FROM blob_transfers WHERE sha256 = ? AND direction = 'down'").get(info.sha256)) {
        throw new AppError('attachments.pendingDownload', { fileName: info.fileName });
      }
      throw new AppError('attachments.missingFile');
    }
    return { ...info, contentBase64: readFileSync(path).toString('base64') };
  }
}

/** The refusal of a file over the evidence size limit, with the limit stated; null when it fits. */
export function tooLarge(fileName: string, sizeBytes: number, maxBytes: number): AppError | null {
  return sizeBytes > maxBytes ? new AppError('attachments.tooLarge', { fileName, size: formatBytes(sizeBytes), limit: formatBytes(maxBytes) }) : null;
}

/** Keeps the name a person chose but never a path. */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'archivo';
  // Control characters (code points below 32) never belong in a file name shown to people.
  return [...base].filter((c) => c.charCodeAt(0) >= 32).join('').slice(0, 255) || 'archivo';
}
