/**
 * Evidence files through sync (issue 11, "attachments are content-addressed and uploaded once"):
 * the rows travel in the outbox; the bytes travel here, by their SHA-256. Up: after each push,
 * the files made here are checked with the server first (a file the organization already has is
 * never sent again) and sent in chunks from where the server's copy stops, so a cut connection
 * resumes instead of starting over. Down: a file pulled from another branch is fetched when
 * someone opens it, or in the background after a sync; until then it is "pendiente de descargar".
 * A download continues from its partial file (Range) and is checked against its name before use.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  BLOB_CHUNK_BYTES, blobCheckResponseSchema, blobUploadResponseSchema, MAX_BLOB_CHECK, syncErrorSchema,
} from '../../shared/sync/protocol';
import { PRIVATE_DIR, PRIVATE_FILE } from '../db/connection';
import type { Workspace } from '../workspace';
import { noAnswerCode, SyncFailure } from './failure';

type Fetch = typeof fetch;
const REQUEST_TIMEOUT_MS = 60_000;
/** Refusals that no retry will change: the transfer row keeps the reason and is not tried again each run. */
const FINAL = new Set(['blobs.tooLarge', 'blobs.hashMismatch', 'attachments.missingFile']);

export interface BlobUploadSummary {
  sent: number;
  /** Already on the server (sent by another device or an earlier run). */
  already: number;
  /** Not sent, with a reason kept on the row (too large; no attachment the server knows names it yet). */
  held: number;
  bytes: number;
}

export class BlobTransfers {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly ws: Workspace,
    private readonly endpoint: () => { url: string; authorization: string } | null,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  private get dir(): string {
    return join(this.ws.dataDir, 'attachments');
  }

  /** Files pulled here whose bytes are not here yet. */
  pendingDownloads(): number {
    return this.ws.sql("SELECT COUNT(*) FROM blob_transfers WHERE direction = 'down'").pluck().get() as number;
  }

  /**
   * Sends the files made here that the server lacks. A refusal of one file (too large, not yet
   * named by a pushed attachment) is kept on its row and does not stop the rest; no answer at all
   * stops the run (what was sent stays sent: the next run continues there).
   */
  async upload(): Promise<BlobUploadSummary> {
    const summary: BlobUploadSummary = { sent: 0, already: 0, held: 0, bytes: 0 };
    const page = this.ws.sql(
      `SELECT sha256, size_bytes AS size FROM blob_transfers WHERE direction = 'up' AND sha256 > ?
       AND (last_error IS NULL OR last_error NOT IN (${[...FINAL].map(() => '?').join(', ')})) ORDER BY sha256 LIMIT ?`,
    );
    for (let after = ''; ;) {
      const rows = page.all(after, ...FINAL, MAX_BLOB_CHECK) as Array<{ sha256: string; size: number }>;
      if (rows.length === 0) return summary;
      after = rows[rows.length - 1]!.sha256;
      const answer = blobCheckResponseSchema.parse(await this.json('POST', '/v1/blobs/check', { sha256: rows.map((r) => r.sha256) }));
      const states = new Map(answer.blobs.map((b) => [b.sha256, b]));
      for (const r of rows) {
        const state = states.get(r.sha256);
        if (state?.state === 'complete') {
          this.done(r.sha256);
          summary.already++;
          continue;
        }
        if (!state || state.state === 'unknown') {
          // The attachment naming it was not accepted (yet): kept, asked again next run.
          this.hold(r.sha256, 'blobs.unknown');
          summary.held++;
          continue;
        }
        if (r.size > answer.maxBytes) {
          this.hold(r.sha256, 'blobs.tooLarge');
          summary.held++;
          continue;
        }
        try {
          summary.bytes += await this.send(r.sha256, r.size, state.received);
          this.done(r.sha256);
          summary.sent++;
        } catch (err) {
          if (!(err instanceof SyncFailure) || !(FINAL.has(err.code) || err.code === 'blobs.unknown')) throw err;
          this.hold(r.sha256, err.code);
          summary.held++;
        }
      }
    }
  }

  /** Sends the file from `from` in chunks; a 409 tells where the server's copy really ends. Returns the bytes sent. */
  private async send(sha256: string, size: number, from: number): Promise<number> {
    const path = join(this.dir, sha256);
    if (!existsSync(path)) throw new SyncFailure('attachments.missingFile');
    const fd = openSync(path, 'r');
    let sent = 0;
    try {
      let offset = from;
      const buffer = Buffer.alloc(Math.min(BLOB_CHUNK_BYTES, size));
      for (let guard = 0; offset < size && guard < 1_000_000; guard++) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - offset), offset);
        if (n <= 0) throw new SyncFailure('attachments.missingFile');
        try {
          const answer = blobUploadResponseSchema.parse(
            await this.call('PUT', `/v1/blobs/${sha256}?offset=${offset}&size=${size}`, new Uint8Array(buffer.subarray(0, n)), 'application/octet-stream'),
          );
          sent += n;
          if (answer.complete) return sent;
          offset = answer.received;
        } catch (err) {
          const expected = err instanceof SyncFailure && err.code === 'blobs.offsetMismatch' ? Number(err.params?.expected) : NaN;
          if (!Number.isInteger(expected)) throw err;
          offset = expected; // another device is sending the same file, or our last chunk did arrive
        }
      }
      return sent;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Fetches the files pulled here that are not here yet, oldest first, up to `maxFiles` per call
   * (background: a sync run is not held up by a day's worth of evidence). A file the server does
   * not have yet stays pending; no answer at all stops.
   */
  async downloadPending(maxFiles = 50): Promise<number> {
    const rows = this.ws.sql("SELECT sha256 FROM blob_transfers WHERE direction = 'down' ORDER BY attempts, updated_at LIMIT ?").pluck().all(maxFiles) as string[];
    let fetched = 0;
    for (const sha256 of rows) {
      try {
        await this.fetch(sha256);
        fetched++;
      } catch (err) {
        if (err instanceof SyncFailure && /^sync\.(offline|timeout|tls|serverNotFound)$/.test(err.code)) throw err;
        // Kept with its reason; tried again later (after the files not tried as often).
      }
    }
    return fetched;
  }

  /** Fetches one file now (someone opened it); joins a fetch of the same file already going. */
  fetch(sha256: string): Promise<void> {
    let going = this.inflight.get(sha256);
    if (!going) {
      going = this.download(sha256).finally(() => this.inflight.delete(sha256));
      this.inflight.set(sha256, going);
    }
    return going;
  }

  private async download(sha256: string): Promise<void> {
    const target = join(this.dir, sha256);
    if (existsSync(target)) {
      this.done(sha256);
      return;
    }
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const part = `${target}.part`;
    const from = existsSync(part) ? statSync(part).size : 0;
    let res: Response;
    try {
      res = await this.raw('GET', `/v1/blobs/${sha256}`, undefined, undefined, from > 0 ? { range: `bytes=${from}-` } : {});
    } catch (err) {
      this.hold(sha256, err instanceof SyncFailure ? err.code : 'sync.failed');
      throw err;
    }
    if (res.status === 416) {
      // The partial file is already whole (or longer than the file): check it as it is.
    } else {
      // A server that ignored the Range sends everything: start the partial file over.
      const fd = openSync(part, res.status === 206 ? 'a' : 'w', PRIVATE_FILE);
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) writeSync(fd, chunk);
      } catch (err) {
        // Cut off mid-file: what arrived stays in the partial file and the next fetch asks for the rest.
        this.hold(sha256, noAnswerCode(err));
        throw new SyncFailure(noAnswerCode(err));
      } finally {
        closeSync(fd);
      }
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== sha256) {
      rmSync(part, { force: true });
      this.hold(sha256, 'blobs.hashMismatch');
      throw new SyncFailure('blobs.hashMismatch');
    }
    renameSync(part, target);
    this.done(sha256);
  }

  private done(sha256: string): void {
    if (this.ws.db.open) this.ws.sql('DELETE FROM blob_transfers WHERE sha256 = ?').run(sha256);
  }

  private hold(sha256: string, reason: string): void {
    if (this.ws.db.open) this.ws.sql('UPDATE blob_transfers SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE sha256 = ?').run(reason, this.ws.now(), sha256);
  }

  private async json(method: string, path: string, body: unknown): Promise<unknown> {
    return this.call(method, path, JSON.stringify(body), 'application/json');
  }

  private async call(method: string, path: string, body: string | Uint8Array<ArrayBuffer>, type: string): Promise<unknown> {
    const res = await this.raw(method, path, body, type);
    const json = (await res.json().catch(() => null)) as unknown;
    if (json === null) throw new SyncFailure('sync.notSyncServer');
    return json;
  }

  /** One request with the device's credential; a refusal becomes a SyncFailure with the server's code. */
  private async raw(method: string, path: string, body?: string | Uint8Array<ArrayBuffer>, type?: string, headers: Record<string, string> = {}): Promise<Response> {
    const ep = this.endpoint();
    if (!ep) throw new SyncFailure('sync.notEnrolled');
    let res: Response;
    try {
      res = await this.fetchImpl(ep.url + path, {
        method,
        headers: { authorization: ep.authorization, ...(type ? { 'content-type': type } : {}), ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new SyncFailure(noAnswerCode(err));
    }
    if (res.ok || res.status === 416) return res;
    const parsed = syncErrorSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new SyncFailure(res.status >= 500 ? 'sync.serverError' : 'sync.notSyncServer');
    throw new SyncFailure(parsed.data.error.code, parsed.data.error.details as Record<string, string | number> | undefined);
  }
}
