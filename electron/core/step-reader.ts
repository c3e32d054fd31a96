/**
 * A read-only connection on a worker thread, asked synchronously for one answer at a time: a
 * statement's single value (`request`), or a function run over a statement's rows (`requestRun`).
 * A recompute of every open ticket spends about a third of its time in SQLite building the next
 * step's JSON; asking this reader for step k+1 before computing and writing step k on the main
 * thread runs the two side by side on a 2-core laptop. Verifying the audit log hashes half the
 * chain here while the main thread hashes the other half.
 *
 * The worker sees the last committed state, not the caller's open transaction: use it only for
 * rows that transaction has not written (see SlaEngine.saveConfig).
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * The worker's whole program, plain CommonJS evaluated by Node (no file to bundle next to the app).
 * It answers each {sql, params} with {json}, or each {sql, params, job} with {result} (the job is
 * the source of a self-contained function of the rows and a SHA-256 helper), or with {error};
 * then it wakes the waiting main thread.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, file, modulePath, nativeBinding } = workerData;
const flag = new Int32Array(workerData.flag);
const reply = (message) => {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
let db = null;
try {
  const Database = require(modulePath);
  db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding });
  db.pragma('cache_size = -65536');
} catch (err) {
  db = String((err && err.message) || err);
}
const { hash } = require('node:crypto');
const sha256 = (text) => hash('sha256', text);
port.on('message', ({ sql, params, job, close }) => {
  if (close) {
    if (typeof db === 'object' && db) db.close();
    reply({ closed: true });
    port.close();
    return;
  }
  if (typeof db === 'string') return reply({ error: db });
  try {
    if (job) reply({ result: (0, eval)('(' + job + ')')(db.prepare(sql).raw().iterate(...params), sha256) });
    else reply({ json: db.prepare(sql).pluck().get(...params) });
  } catch (err) {
    reply({ error: String((err && err.message) || err) });
  }
});
`;

/** How long the main thread waits for one answer (the first includes starting the worker). */
const ANSWER_TIMEOUT_MS = 15_000;

/** A function the worker runs over a statement's rows; it may use nothing but its arguments. */
export type RowJob = (rows: Iterable<unknown[]>, sha256: (text: string) => string) => unknown;

export interface StepReaderOptions {
  /** The database file; must exist (WAL mode, so reading never blocks the writer). */
  file: string;
  /** better-sqlite3's Electron build, as the workspace was opened with. */
  nativeBinding?: string;
  /** Where better-sqlite3 is loaded from (tests point it elsewhere to make the worker fail). */
  modulePath?: string;
}

export class StepReader {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private pending = false;

  constructor(opts: StepReaderOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const modulePath = opts.modulePath ?? createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, file: opts.file, modulePath, nativeBinding: opts.nativeBinding, flag: this.flag.buffer },
      transferList: [port2],
    });
    // Never what keeps the app running.
    this.worker.unref();
  }

  /** Starts reading; `take()` returns the answer. An unclaimed earlier answer is dropped. */
  request(sql: string, ...params: unknown[]): void {
    if (this.pending) this.wait();
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ sql, params });
    this.pending = true;
  }

  /**
   * Starts running `job` over the rows of `sql` (raw arrays); `takeResult()` returns what it
   * returned. `job` must be self-contained — the worker rebuilds it from its source — and gets
   * the rows and a SHA-256 helper (hex).
   */
  requestRun(job: RowJob, sql: string, ...params: unknown[]): void {
    if (this.pending) this.wait();
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ sql, params, job: job.toString() });
    this.pending = true;
  }

  /** Waits for the pending request's JSON document; throws what the worker reported. */
  take(): string {
    const answer = this.wait();
    if (answer.error !== undefined || typeof answer.json !== 'string') throw new Error(`StepReader: ${answer.error ?? 'no answer'}`);
    return answer.json;
  }

  /** Waits for the pending job's result (at most `timeoutMs`); throws what the worker reported. */
  takeResult(timeoutMs = ANSWER_TIMEOUT_MS): unknown {
    const answer = this.wait(timeoutMs);
    if (answer.error !== undefined || !('result' in answer)) throw new Error(`StepReader: ${answer.error ?? 'no answer'}`);
    return answer.result;
  }

  /** Closes the worker's connection before returning (the file may be moved next), then stops it. */
  close(): void {
    if (this.pending) this.wait();
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ close: true });
    this.pending = true;
    this.wait(2_000);
    void this.worker.terminate();
  }

  private wait(timeoutMs = ANSWER_TIMEOUT_MS): { json?: string; result?: unknown; error?: string } {
    this.pending = false;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = receiveMessageOnPort(this.port);
      if (message) return message.message as { json?: string; result?: unknown; error?: string };
      const left = deadline - Date.now();
      if (left <= 0) return { error: 'timed out' };
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }
}
