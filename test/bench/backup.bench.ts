/**
 * Issue 15 benchmark: backups of a large workspace. A workspace with T tickets, E audit entries and
 * F evidence files of K KB is backed up as a job while tickets.get / tickets.list calls keep going
 * through the same host; prints the copy's time and size, the longest main-thread pause (a 5 ms
 * timer's lateness), the calls' latency, the next day's backup (the evidence store copies nothing
 * again), and a restore from the app.
 *
 * `npx tsx test/bench/backup.bench.ts [--entries N] [--tickets N] [--files N] [--file-kb N] [--daily-only] [--fill-gb N]`
 * (default 2,000,000 entries, 1,000 tickets, 300 files of 256 KB; --daily-only: the first backup and its restore only, for
 * workspaces too large to copy four times; --fill-gb: grow the database to N GiB with copies of its audit entries). The data folder goes in $TMPDIR. Not part of `npm run bench`.
 */
import type Database from 'better-sqlite3';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { JobInfo } from '../../electron/shared/types';
import { appendAuditEntries } from '../fixtures/workspace';
import { BENCH_PASSWORD, benchDesk, call, callStream, jobWithCalls, latencyRow } from './jobs.bench';
import type { BenchRow } from './workspace.bench';

const START = Date.UTC(2025, 0, 1);
const MB = 1_048_576;

function dirBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}

/**
 * How long the main thread was busy at once while `run` goes: perf_hooks' event-loop delay
 * histogram (the longest and the 99th percentile of the loop's lateness, 10 ms resolution).
 */
async function withPauseMeter<T>(run: () => Promise<T>): Promise<{ value: T; maxPauseMs: number; p99PauseMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const value = await run();
    h.disable();
    return { value, maxPauseMs: h.max / 1e6, p99PauseMs: h.percentile(99) / 1e6 };
  } finally {
    h.disable();
  }
}

/**
 * Grows the database to `gb` GiB fast: copies of the audit entries already written, 200,000 rows a
 * transaction, with new ids (their hash chain is not valid: a backup copies pages, it does not verify).
 * Building 5 GB through the real write path takes hours on this machine.
 */
function fillTo(db: Database.Database, file: string, gb: number, log: (s: string) => void): void {
  const t0 = performance.now();
  const target = gb * 1024 * MB;
  const bytes = () => statSync(file).size + (() => { try { return statSync(`${file}-wal`).size; } catch { return 0; } })();
  const top = db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number;
  const copy = db.prepare(`INSERT INTO audit_chain (id, device, at, actor_id, actor_kind, action, entity, entity_id, data, hash)
    SELECT hex(id) || '-r' || ?, device, at, actor_id, actor_kind, action, entity, entity_id, data, hash FROM audit_chain WHERE seq > ? AND seq <= ?`);
  // A bench build, not the app's writes: a large page cache keeps the audit indexes' inserts in memory,
  // and no fsync per transaction (the file is thrown away after the run).
  const cache = db.pragma('cache_size', { simple: true });
  db.pragma('cache_size = -524288');
  db.pragma('synchronous = OFF');
  let lastLog = performance.now();
  for (let round = 0; bytes() < target; round++) {
    for (let lo = 0; lo < top && bytes() < target; lo += 200_000) {
      db.transaction(() => copy.run(round, lo, Math.min(top, lo + 200_000)))();
      db.pragma('wal_checkpoint(TRUNCATE)');
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`  … ${(bytes() / MB).toFixed(0)} MB after ${((lastLog - t0) / 1000).toFixed(0)} s`);
      }
    }
  }
  db.pragma(`cache_size = ${cache}`);
  db.pragma('synchronous = NORMAL');
  log(`  filled to ${(bytes() / MB).toFixed(0)} MB with copies of audit entries in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

export async function benchBackup(log: (s: string) => void, entries = 2_000_000, tickets = 1_000, files = 300, fileKb = 256, dailyOnly = false, fillGb = 0): Promise<BenchRow[]> {
  const clock = { now: START };
  const t0 = performance.now();
  const evidence = (i: number) => (i < files ? [{ fileName: `evidencia-${i}.bin`, mimeType: 'application/octet-stream', contentBase64: randomBytes(fileKb * 1024).toString('base64') }] : []);
  const desk = await benchDesk('helpdesk-bench-backup-', clock, tickets, evidence);
  const { dir, host, ticketIds } = desk;
  try {
    let token = desk.token;
    appendAuditEntries(host.services()!, entries, desk.userId);
    if (fillGb > 0) fillTo(host.services()!.ws.db, join(dir, 'helpdesk.sqlite'), fillGb, log);
    host.services()!.ws.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbMb = statSync(join(dir, 'helpdesk.sqlite')).size / MB;
    log(`  workspace: ${tickets} tickets, ${files} evidence files × ${fileKb} KB, ${entries.toLocaleString('en-US')} audit entries; database ${dbMb.toFixed(0)} MB, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const idle = await callStream(host, token, ticketIds, () => false, 300);
    const rows: BenchRow[] = [latencyRow('tickets.get / tickets.list, nothing else running', idle)];

    const backupOnce = async (label: string) => {
      const start = performance.now();
      const { value: job, maxPauseMs, p99PauseMs } = await withPauseMeter(async () => {
        const { job, during } = await jobWithCalls(host, token, ticketIds, () => call<JobInfo>(host, 'backup.start', {}, token));
        rows.push(latencyRow(`tickets.get / tickets.list during the ${label}`, during));
        return job;
      });
      const ms = performance.now() - start;
      if (job.state !== 'done' || !job.backup) throw new Error(`backup ended ${job.state}`);
      rows.splice(rows.length - 1, 0, {
        name: `${label}: ${(job.backup.sizeBytes / MB).toFixed(0)} MB database + ${job.backup.attachments} evidence files`, n: 1, p50ms: ms, p95ms: ms, totalMs: ms,
        note: `longest main-thread pause ${maxPauseMs.toFixed(0)} ms (p99 ${p99PauseMs.toFixed(0)} ms, event-loop delay); evidence store ${(dirBytes(join(dir, 'backups', 'attachments')) / MB).toFixed(0)} MB`,
      });
      return job.backup;
    };
    const first = await backupOnce('first backup (job)');
    log(`  first backup done (${(first.sizeBytes / MB).toFixed(0)} MB)`);
    // A large workspace: the one daily backup, then its restore (two more full copies would not fit on a shared disk).
    if (!dailyOnly) {
      clock.now += 24 * 60 * 60 * 1000;
      token = (await call<{ token: string }>(host, 'auth.signIn', { username: 'admin', password: BENCH_PASSWORD }, null)).token;
      await backupOnce('next day’s backup (job; evidence already stored)');
    }

    // The restore as a job: calls keep going until the swap (after it every session ends).
    const start = performance.now();
    let swappedAt = 0;
    const { value: restore, maxPauseMs, p99PauseMs } = await withPauseMeter(async () => {
      let job = await call<JobInfo>(host, 'backup.restore', { fileName: first.fileName }, token);
      const beforeSwap = () => job.state === 'running' && job.phase !== 'updating';
      const watcher = (async () => {
        while (job.state === 'running') {
          await new Promise((r) => setTimeout(r, 100));
          job = await call<JobInfo>(host, 'jobs.status', { jobId: job.id }, token);
          if (!swappedAt && !beforeSwap()) swappedAt = performance.now();
        }
      })();
      const during: number[] = [];
      for (let i = 0; beforeSwap(); i++) {
        const t = performance.now();
        const r = await host.call(i % 2 === 0 ? 'tickets.get' : 'tickets.list', i % 2 === 0 ? { ticketId: ticketIds[i % ticketIds.length] } : { view: 'all', limit: 50 }, token);
        if (!r.ok) break; // the swap ended the session
        during.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
      await watcher;
      rows.push(latencyRow('tickets.get / tickets.list during the restore, until the swap', during.sort((a, b) => a - b)));
      return job;
    });
    const ms = performance.now() - start;
    if (restore.state !== 'done' || !restore.restored) throw new Error(`restore ended ${restore.state} ${JSON.stringify(restore.error)}`);
    rows.splice(rows.length - 1, 0, {
      name: `restore from the app (job; ${(first.sizeBytes / MB).toFixed(0)} MB copied beside the database and checked, evidence checked, swap)`, n: 1, p50ms: ms, p95ms: ms, totalMs: ms,
      note: `longest main-thread pause ${maxPauseMs.toFixed(0)} ms (p99 ${p99PauseMs.toFixed(0)} ms); swap and reopen after ${((swappedAt - start) / 1000).toFixed(1)} s`,
    });
    log(`  restore done in ${(ms / 1000).toFixed(1)} s`);
    return rows;
  } finally {
    host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: { entries: { type: 'string' }, tickets: { type: 'string' }, files: { type: 'string' }, 'file-kb': { type: 'string' }, 'daily-only': { type: 'boolean' }, 'fill-gb': { type: 'string' } } });
  const rows = await benchBackup((s) => console.error(s), Number(values.entries ?? 2_000_000), Number(values.tickets ?? 1_000), Number(values.files ?? 300), Number(values['file-kb'] ?? 256), values['daily-only'] ?? false, Number(values['fill-gb'] ?? 0));
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(1)} | ${r.p95ms.toFixed(1)} | ${r.target ?? ''} | ${r.target ? (r.met ? '✅' : '❌') : ''} | ${r.note ?? ''} |`);
  }
}
