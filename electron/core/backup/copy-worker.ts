/**
 * The backup's copy on a worker thread (issue 16 item 3): SQLite's online backup API over the
 * worker's own read-only connection, then the copy turned into a self-contained file and read for
 * its manifest — so the copy's steps, its final fsync and the journal rewrite never run on core's
 * thread, and every other call answers meanwhile.
 *
 * The worker pins one read snapshot (BEGIN + a read) for the whole copy: in WAL mode core keeps
 * committing, and the copy neither sees those commits nor restarts because of them (an online
 * backup from another connection restarts at every change it notices — on a busy workspace it
 * would never end). Cancelling sets a shared flag the worker reads between steps.
 */
import { betterSqlitePath, runWorker } from './worker-thread';

/** Pages per step (4 MiB at 4 KiB pages): few enough round trips, and a cancel is seen within one step. */
export const COPY_STEP_PAGES = 1024;

/** Plain CommonJS evaluated by Node in the worker (like the export worker in jobs.ts). */
const COPY_WORKER = `
const { parentPort, workerData, threadId } = require('node:worker_threads');
const { source, target, modulePath, nativeBinding, stepPages, progressEveryMs } = workerData;
const cancel = new Int32Array(workerData.cancel);
const shared = workerData.shared ? new Int32Array(workerData.shared) : null;
// Views count: audit_log is a view over audit_chain since migration 032.
const hasTable = (db, name) => db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !== undefined;
(async () => {
  const Database = require(modulePath);
  const src = new Database(source, { readonly: true, fileMustExist: true, nativeBinding });
  let lastPost = 0;
  try {
    src.exec('BEGIN');
    src.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // the snapshot starts at the first read
    await src.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (Atomics.load(cancel, 0) === 1) throw Object.assign(new Error('cancelled'), { cancelled: true });
        if (shared) { Atomics.store(shared, 0, totalPages - remainingPages); Atomics.store(shared, 1, totalPages); }
        const now = Date.now();
        if (now - lastPost >= progressEveryMs) {
          lastPost = now;
          parentPort.postMessage({ done: totalPages - remainingPages, total: totalPages });
        }
        return stepPages;
      },
    });
    src.exec('COMMIT');
  } finally {
    src.close();
  }
  // A rollback-journal file: it opens read-only later without a -wal beside it.
  const copy = new Database(target, { fileMustExist: true, nativeBinding });
  try {
    copy.pragma('journal_mode = DELETE');
    const attachments = hasTable(copy, 'attachments') ? copy.prepare('SELECT DISTINCT sha256 FROM attachments ORDER BY sha256').pluck().all() : [];
    const schemaVersion = hasTable(copy, 'schema_migrations') ? (copy.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? null) : null;
    const pages = copy.pragma('page_count', { simple: true });
    parentPort.postMessage({ finished: { attachments, schemaVersion, pages, threadId } });
  } finally {
    copy.close();
  }
})().catch((err) => {
  parentPort.postMessage(err && err.cancelled ? { cancelled: true } : { error: String((err && err.message) || err), code: err && err.code });
});
`;

export interface CopyResult {
  attachments: string[];
  schemaVersion: number | null;
  /** The worker thread's id: never core's (tests check it). */
  threadId: number;
}

export interface CopyOptions {
  nativeBinding?: string;
  /** Where better-sqlite3 is loaded from in the worker. */
  modulePath?: string;
  /** Pages done and in all, a few times a second. Throwing cancels the copy. */
  progress?: (done: number, total: number) => void;
  /** Pages per step (tests make it small to see many steps). */
  stepPages?: number;
  /** An Int32Array over a SharedArrayBuffer the worker keeps [pages done, pages in all] in, readable without the event loop. */
  shared?: Int32Array;
}

/**
 * Copies the database `source` into `target` (an existing empty file) on a worker thread and
 * reads what the manifest needs from the copy. Rejects with jobs.cancelled when `progress` threw
 * that; the caller removes a partial file.
 */
export function copyDatabaseInWorker(source: string, target: string, opts: CopyOptions = {}): Promise<CopyResult> {
  return runWorker<CopyResult>(
    COPY_WORKER,
    {
      source, target, modulePath: opts.modulePath ?? betterSqlitePath(), nativeBinding: opts.nativeBinding,
      stepPages: opts.stepPages ?? COPY_STEP_PAGES, shared: opts.shared?.buffer,
    },
    { progress: opts.progress, name: 'backup' },
  );
}
