/**
 * A backup's integrity check and its copy into place on a worker thread (issue 16 item 3): on a
 * workspace of several gigabytes `quick_check` and the copy each read every page, seconds to minutes
 * of work that would otherwise hold core's thread (every other call waiting). Two tasks:
 *
 * - `inspect`: opens a backup read-only and says what it holds (the preview): its quick_check, then —
 *   when that is ok — tickets by status, customers, users, audit entries, last activity, the
 *   evidence files it references and its schema version.
 * - `restore`: copies the backup beside the database (`helpdesk.sqlite.restoring`: a clone where the
 *   filesystem has one, else 4 MiB slices with progress and a cancel flag read between slices),
 *   fsyncs it and inspects the copy — so what is checked is exactly what will be put in place. A copy
 *   whose check fails is removed. The swap itself (a rename) is the caller's, on core's thread.
 */
import { betterSqlitePath, runWorker } from './worker-thread';

/** Bytes per copy slice: a cancel is seen within one slice. */
export const RESTORE_SLICE_BYTES = 4 * 1024 * 1024;

const RESTORE_WORKER = `
const { parentPort, workerData, threadId } = require('node:worker_threads');
const fs = require('node:fs');
const { task, source, target, modulePath, nativeBinding, sliceBytes, progressEveryMs } = workerData;
const cancel = new Int32Array(workerData.cancel);
const shared = workerData.shared ? new Int32Array(workerData.shared) : null;
const Database = require(modulePath);
// Views count: audit_log is a view over audit_chain since migration 032.
const hasTable = (db, name) => db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !== undefined;
const cancelled = () => Atomics.load(cancel, 0) === 1;

function inspect(path) {
  let db = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
    const integrity = String(db.pragma('quick_check', { simple: true }));
    if (integrity !== 'ok') return { integrity };
    const count = (table) => (hasTable(db, table) ? db.prepare('SELECT COUNT(*) FROM ' + table).pluck().get() : 0);
    const byStatus = hasTable(db, 'tickets') ? db.prepare('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status').all() : [];
    const status = (s) => (byStatus.find((r) => r.status === s) || { n: 0 }).n;
    return {
      integrity,
      schemaVersion: hasTable(db, 'schema_migrations') ? (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? null) : null,
      tickets: { open: status('open'), waiting: status('waiting'), closed: status('closed') },
      customers: count('customers'),
      users: count('users'),
      auditEntries: count('audit_log'),
      lastActivityAt: hasTable(db, 'audit_log') ? (db.prepare('SELECT MAX(at) FROM audit_log').pluck().get() ?? null) : null,
      attachments: hasTable(db, 'attachments') ? db.prepare('SELECT DISTINCT sha256 FROM attachments ORDER BY sha256').pluck().all() : [],
    };
  } catch (err) {
    // A file SQLite cannot read at all: its complaint is the integrity result.
    return { integrity: String((err && err.message) || err) };
  } finally {
    if (db) db.close();
  }
}

function copy() {
  const total = fs.statSync(source).size;
  let lastPost = 0;
  const progress = (done) => {
    if (shared) Atomics.store(shared, 0, Math.ceil(done / 1024));
    const now = Date.now();
    if (now - lastPost >= progressEveryMs || done === total) {
      lastPost = now;
      parentPort.postMessage({ done, total });
    }
  };
  parentPort.postMessage({ done: 0, total });
  try {
    // Copy-on-write filesystems clone it at once.
    fs.copyFileSync(source, target, fs.constants.COPYFILE_FICLONE_FORCE);
    progress(total);
    return;
  } catch {}
  const from = fs.openSync(source, 'r');
  const to = fs.openSync(target, 'w', 0o600);
  try {
    const buffer = Buffer.allocUnsafe(sliceBytes);
    let done = 0;
    for (;;) {
      if (cancelled()) throw Object.assign(new Error('cancelled'), { cancelled: true });
      const n = fs.readSync(from, buffer, 0, buffer.length, done);
      if (n === 0) break;
      let written = 0;
      while (written < n) written += fs.writeSync(to, buffer, written, n - written, done + written);
      done += n;
      progress(done);
    }
    fs.fsyncSync(to);
  } finally {
    fs.closeSync(from);
    fs.closeSync(to);
  }
}

try {
  if (task === 'inspect') {
    const result = inspect(source);
    if (shared) Atomics.store(shared, 0, 1);
    parentPort.postMessage({ finished: { ...result, threadId } });
  } else {
    try {
      copy();
      if (cancelled()) throw Object.assign(new Error('cancelled'), { cancelled: true });
      parentPort.postMessage({ checking: true });
      const result = inspect(target);
      if (result.integrity !== 'ok') fs.rmSync(target, { force: true });
      parentPort.postMessage({ finished: { ...result, threadId } });
    } catch (err) {
      fs.rmSync(target, { force: true });
      throw err;
    }
  }
} catch (err) {
  parentPort.postMessage(err && err.cancelled ? { cancelled: true } : { error: String((err && err.message) || err), code: err && err.code });
}
`;

/** What a backup holds, read on the worker; only `integrity` when the check failed. */
export interface Inspection {
  integrity: string;
  schemaVersion?: number | null;
  tickets?: { open: number; waiting: number; closed: number };
  customers?: number;
  users?: number;
  auditEntries?: number;
  lastActivityAt?: number | null;
  attachments?: string[];
  /** The worker thread's id: never core's (tests check it). */
  threadId: number;
}

export interface RestoreWorkerOptions {
  nativeBinding?: string;
  modulePath?: string;
  /** Bytes copied and in all, a few times a second; `checking` once the copy is made and its check runs. Throwing cancels. */
  progress?: (done: number, total: number) => void;
  checking?: () => void;
  sliceBytes?: number;
  /** Over a SharedArrayBuffer: [KiB copied] for a restore, [1 when checked] for an inspection — readable without the event loop. */
  shared?: Int32Array;
  /** Set to 1 to stop the copy between slices (the partial copy is removed). */
  cancel?: Int32Array;
}

function run(task: 'inspect' | 'restore', source: string, target: string | null, opts: RestoreWorkerOptions): Promise<Inspection> {
  return runWorker<Inspection>(
    RESTORE_WORKER,
    {
      task, source, target, modulePath: opts.modulePath ?? betterSqlitePath(), nativeBinding: opts.nativeBinding,
      sliceBytes: opts.sliceBytes ?? RESTORE_SLICE_BYTES, shared: opts.shared?.buffer,
    },
    { progress: opts.progress, checking: opts.checking, cancel: opts.cancel, name: 'restore' },
  );
}

/** The preview's reading of a backup, on a worker thread. */
export function inspectInWorker(path: string, opts: RestoreWorkerOptions = {}): Promise<Inspection> {
  return run('inspect', path, null, opts);
}

/**
 * Copies the backup `source` to `target` and checks the copy, on a worker thread. Resolves with the
 * copy's inspection (the copy removed when its integrity is not ok); rejects with jobs.cancelled
 * (or what `progress` threw) when stopped, the partial copy removed.
 */
export function copyAndCheckInWorker(source: string, target: string, opts: RestoreWorkerOptions = {}): Promise<Inspection> {
  return run('restore', source, target, opts);
}
