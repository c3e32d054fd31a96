/**
 * The one way core runs a backup worker (the backup's copy, a restore's copy and check, a preview's
 * reading). The workers are eval'd source — the bundle has no file for them — so they cannot
 * resolve modules themselves: better-sqlite3's path comes from here. Their messages share one
 * protocol: `{ done, total }` progress, `{ checking }` when the check starts, then one of
 * `{ finished }`, `{ cancelled }` or `{ error, code }`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';

/** At most one progress message this often (a 5 GB copy has 1,300 steps). */
export const PROGRESS_EVERY_MS = 100;

export function betterSqlitePath(): string {
  return createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url).resolve('better-sqlite3');
}

export interface WorkerHooks {
  /** Progress a few times a second. Throwing stops the worker (the job was cancelled). */
  progress?: (done: number, total: number) => void;
  checking?: () => void;
  /** Set to 1 to stop the worker between steps; one is made when the caller has none. */
  cancel?: Int32Array;
  /** Names the worker in the error when it stops without an answer. */
  name: string;
}

interface WorkerMessage<T> {
  done?: number;
  total?: number;
  checking?: true;
  finished?: T;
  cancelled?: true;
  error?: string;
  code?: string;
}

/**
 * Runs `source` on a worker thread with `data` (plus `cancel` and `progressEveryMs`) and settles
 * with its answer. A stop asked by a throwing hook wins over a late `finished`: the user cancelled,
 * and the caller removes what the worker wrote.
 */
export function runWorker<T>(source: string, data: Record<string, unknown>, hooks: WorkerHooks): Promise<T> {
  const cancelFlag = hooks.cancel ?? new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(source, {
    eval: true,
    workerData: { ...data, progressEveryMs: PROGRESS_EVERY_MS, cancel: cancelFlag.buffer },
  });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stopReason: unknown = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage<T>) => {
      try {
        if (m.total !== undefined && m.done !== undefined) hooks.progress?.(m.done, m.total);
        if (m.checking) hooks.checking?.();
      } catch (err) {
        stopReason = err;
        Atomics.store(cancelFlag, 0, 1);
      }
      if (m.finished) settle(() => (stopReason ? reject(stopReason) : resolve(m.finished!)));
      if (m.cancelled) settle(() => reject(stopReason ?? new AppError('jobs.cancelled')));
      if (m.error !== undefined) settle(() => reject(Object.assign(new Error(m.error), m.code ? { code: m.code } : {})));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', () => settle(() => reject(stopReason ?? new Error(`the ${hooks.name} worker stopped`))));
  });
}
