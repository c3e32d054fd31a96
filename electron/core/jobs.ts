/**
 * Long work off the request path (issue 16): a call starts a job and answers at once with its id;
 * the work runs on a worker thread over its own read-only connection and streams to a file in the
 * data folder's exports/, so memory stays flat and every other call answers as usual meanwhile.
 * jobs.status reports progress with an estimate, jobs.cancel stops it (the partial file is
 * removed), jobs.file hands the finished file back in slices. Only the user who started a job
 * sees it. Jobs live in memory: a restart of core forgets them (their files stay).
 */
import { mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import type { auditExportSchema } from '../shared/contract';
import { AppError, type ErrorInfo } from '../shared/errors';
import type { AuditExportChain } from '../shared/request-types';
import type { BackupInfo, JobFileChunk, JobInfo, JobKind, JobResultFile } from '../shared/types';
import { toErrorInfo } from './api';
import { addToChains, auditLine, CSV_HEADER, EXPORT_ROWS } from './audit-export';
import type { BackupStep } from './backup/backups';
import { DB_FILE } from './db/connection';
import type { Workspace } from './workspace';

/** How much of a job's file one jobs.file call returns (before base64). */
export const FILE_SLICE_BYTES = 4 * 1024 * 1024;
/** Finished jobs are forgotten this long after they end. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

export function exportsDir(dataDir: string): string {
  return join(dataDir, 'exports');
}

/**
 * The export worker's program (plain CommonJS evaluated by Node, like step-reader.ts). It reads
 * the period in seq order inside one read transaction (one consistent snapshot), writes lines in
 * ~1 MB chunks to `<file>.part` while hashing them, posts progress after each chunk, checks the
 * shared cancel flag between chunks, and renames nothing: the main thread does, after recording
 * the export in the audit log.
 */
const EXPORT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, writeSync, closeSync, fsyncSync, rmSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { dbFile, modulePath, nativeBinding, part, format, from, to, header, sql, countSql, boundsSql } = workerData;
const cancel = new Int32Array(workerData.cancel);
const auditLine = (0, eval)('(' + workerData.auditLine + ')');
const addToChains = (0, eval)('(' + workerData.addToChains + ')');
const CHUNK = 1 << 20;
let db = null;
let fd = null;
try {
  const Database = require(modulePath);
  db = new Database(dbFile, { readonly: true, fileMustExist: true, nativeBinding });
  db.pragma('cache_size = -8192');
  db.exec('BEGIN');
  const bounds = db.prepare(boundsSql).get(from, to);
  const total = bounds.lo === null ? 0 : db.prepare(countSql).pluck().get(from, to);
  parentPort.postMessage({ total });
  fd = openSync(part, 'w', 0o600);
  const hash = createHash('sha256');
  const chains = new Map();
  let buffer = header;
  let count = 0;
  let cancelled = false;
  const flush = () => {
    hash.update(buffer);
    writeSync(fd, buffer);
    buffer = '';
  };
  if (bounds.lo !== null) {
    for (const e of db.prepare(sql).iterate(bounds.lo, bounds.hi, from, to)) {
      buffer += auditLine(format, e);
      addToChains(chains, e);
      count++;
      if (buffer.length >= CHUNK) {
        flush();
        parentPort.postMessage({ done: count });
        if (Atomics.load(cancel, 0) === 1) { cancelled = true; break; }
      }
    }
  }
  db.exec('COMMIT');
  if (cancelled) {
    closeSync(fd);
    rmSync(part, { force: true });
    parentPort.postMessage({ cancelled: true });
  } else {
    flush();
    fsyncSync(fd);
    closeSync(fd);
    parentPort.postMessage({ finished: { count, sha256: hash.digest('hex'), chains: [...chains.values()] } });
  }
} catch (err) {
  if (fd !== null) { try { closeSync(fd); } catch {} }
  try { rmSync(part, { force: true }); } catch {}
  parentPort.postMessage({ error: String((err && err.message) || err) });
} finally {
  if (db) db.close();
}
`;

interface Job {
  info: JobInfo;
  ownerId: string;
  /** The finished file's path (exports/<fileName>). */
  path: string | null;
  cancel: () => void;
  finishedAt: number | null;
}

interface ExportFinished {
  count: number;
  sha256: string;
  chains: AuditExportChain[];
}

export interface JobsOptions {
  /** Where better-sqlite3 is loaded from in the worker (tests point it elsewhere to make it fail). */
  modulePath?: string;
}

export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private seq = 0;

  constructor(private readonly ws: Workspace, private readonly opts: JobsOptions = {}) {}

  /** audit.exportStart: the period [from, to) streamed to exports/<fileName>; recorded in the audit log when done. */
  startAuditExport(ownerId: string, input: z.output<typeof auditExportSchema>): JobInfo {
    this.forgetOld();
    const running = [...this.jobs.values()].find((j) => j.info.kind === 'audit.export' && j.info.state === 'running');
    if (running) throw new AppError('jobs.busy');
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const fileName = `bitacora-${stamp(input.from)}-${stamp(input.to)}.${input.format}`;
    const dir = exportsDir(this.ws.dataDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, fileName);
    const part = `${path}.part`;
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const modulePath = this.opts.modulePath ?? createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(EXPORT_WORKER, {
      eval: true,
      workerData: {
        dbFile: join(this.ws.dataDir, DB_FILE), modulePath, nativeBinding: this.ws.nativeBinding, part, format: input.format, from: input.from, to: input.to,
        header: input.format === 'csv' ? CSV_HEADER : '', ...EXPORT_ROWS, cancel: cancelFlag.buffer,
        auditLine: auditLine.toString(), addToChains: addToChains.toString(),
      },
    });
    const job = this.add(ownerId, 'audit.export', () => Atomics.store(cancelFlag, 0, 1));
    const { info } = job;
    worker.on('message', (m: { total?: number; done?: number; cancelled?: true; finished?: ExportFinished; error?: string }) => {
      if (m.total !== undefined) info.total = m.total;
      if (m.done !== undefined) info.done = m.done;
      if (m.cancelled) this.end(job, 'cancelled');
      if (m.error !== undefined) {
        console.error('[core] audit export failed', m.error);
        this.end(job, 'failed', { code: 'errors.internal' });
      }
      if (m.finished) {
        try {
          const { count, sha256, chains } = m.finished;
          // Recorded before the file takes its name: an export the log does not know never appears.
          this.ws.write({ kind: 'user', userId: ownerId }, (tx) =>
            tx.audit('audit.exported', 'audit_log', null, { from: input.from, to: input.to, format: input.format, count, sha256, chains }),
          );
          renameSync(part, path);
          job.path = path;
          info.done = count;
          info.result = {
            fileName, mimeType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson', sizeBytes: statSync(path).size, count, sha256, chains,
          } satisfies JobResultFile;
          this.end(job, 'done');
        } catch (err) {
          rmSync(part, { force: true });
          console.error('[core] audit export could not be recorded', err);
          this.end(job, 'failed', { code: 'errors.internal' });
        }
      }
    });
    worker.on('error', (err) => {
      console.error('[core] audit export worker failed', err);
      rmSync(part, { force: true });
      this.end(job, 'failed', { code: 'errors.internal' });
    });
    worker.on('exit', () => {
      if (info.state === 'running') this.end(job, 'failed', { code: 'errors.internal' });
    });
    return { ...info };
  }

  /**
   * backup.start: the online backup copies the database on a worker thread (backup/copy-worker.ts),
   * so core's thread stays free; as a job it reports pages done and stops when cancelled
   * (BackupRunner keeps it to one at a time and removes a partial copy).
   */
  startBackup(ownerId: string, run: (step: BackupStep) => Promise<BackupInfo>): JobInfo {
    this.forgetOld();
    let cancelled = false;
    const job = this.add(ownerId, 'backup', () => (cancelled = true));
    const { info } = job;
    run((done, total) => {
      if (cancelled) throw new AppError('jobs.cancelled');
      info.done = done;
      info.total = total;
    }).then(
      (backup) => {
        info.done = info.total ?? info.done;
        info.backup = backup;
        this.end(job, 'done');
      },
      (err: unknown) => {
        if (cancelled) return this.end(job, 'cancelled');
        this.end(job, 'failed', toErrorInfo(err));
      },
    );
    return { ...info };
  }

  status(ownerId: string, jobId: string): JobInfo {
    const { info } = this.mine(ownerId, jobId);
    return { ...info, etaMs: info.state === 'running' ? this.eta(info) : null };
  }

  cancel(ownerId: string, jobId: string): JobInfo {
    const job = this.mine(ownerId, jobId);
    if (job.info.state === 'running') job.cancel();
    return this.status(ownerId, jobId);
  }

  /** A slice of a finished job's file. */
  file(ownerId: string, jobId: string, offset: number): JobFileChunk {
    const job = this.mine(ownerId, jobId);
    if (job.info.state !== 'done' || !job.path) throw new AppError('jobs.notFinished');
    const buffer = Buffer.alloc(FILE_SLICE_BYTES);
    let fd: number;
    try {
      fd = openSync(job.path, 'r');
    } catch {
      throw new AppError('jobs.notFound');
    }
    try {
      const read = readSync(fd, buffer, 0, FILE_SLICE_BYTES, offset);
      const size = job.info.result?.sizeBytes ?? 0;
      return { contentBase64: buffer.subarray(0, read).toString('base64'), next: read > 0 && offset + read < size ? offset + read : null };
    } finally {
      closeSync(fd);
    }
  }

  /** Stops every running job (the workspace is closing). */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (job.info.state === 'running') job.cancel();
  }

  private add(ownerId: string, kind: JobKind, cancel: () => void): Job {
    const info: JobInfo = {
      id: `job-${Date.now().toString(36)}-${(++this.seq).toString(36)}`, kind, state: 'running', done: 0, total: null,
      startedAt: Date.now(), etaMs: null, result: null, backup: null, error: null,
    };
    const job: Job = { info, ownerId, path: null, cancel, finishedAt: null };
    this.jobs.set(info.id, job);
    return job;
  }

  private end(job: Job, state: Exclude<JobInfo['state'], 'running'>, error: ErrorInfo | null = null): void {
    if (job.info.state !== 'running') return;
    job.info.state = state;
    job.info.error = error;
    job.finishedAt = Date.now();
  }

  private eta(info: JobInfo): number | null {
    if (info.total === null || info.done === 0) return null;
    const elapsed = Date.now() - info.startedAt;
    return Math.round((elapsed / info.done) * Math.max(0, info.total - info.done));
  }

  private mine(ownerId: string, jobId: string): Job {
    const job = this.jobs.get(jobId);
    // Someone else's job is reported as absent, not forbidden: ids are not to be probed.
    if (!job || job.ownerId !== ownerId) throw new AppError('jobs.notFound');
    return job;
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id);
  }
}
