/**
 * Issue 16 item 3: a year of the audit log exported as a job while a stream of tickets.get and
 * tickets.list calls goes through the same host (`host.call`, what the web host and the desktop
 * core process serve). Prints the export's time, file size and the process's peak RSS (the
 * worker thread included), and the calls' latency with and without the export running.
 *
 * `npx tsx test/bench/jobs.bench.ts [--entries N] [--tickets N]` (default 1,000,000 entries over
 * 2025 and 1,000 tickets). Not part of `npm run bench`: it takes minutes at a million entries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openHost, type Host } from '../../electron/core/host';
import type { JobInfo } from '../../electron/shared/types';
import { appendAuditEntries, phoneIntake } from '../fixtures/workspace';
import type { BenchRow } from './workspace.bench';

const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function call<T>(host: Host, method: string, input: unknown, token: string | null): Promise<T> {
  const r = await host.call(method, input, token);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Calls tickets.get and tickets.list alternately until `stop()` says so; each call's latency in ms. */
export async function callStream(host: Host, token: string, ticketIds: string[], stop: () => boolean, max = 5_000): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; !stop() && i < max; i++) {
    const t = performance.now();
    if (i % 2 === 0) await call(host, 'tickets.get', { ticketId: ticketIds[i % ticketIds.length] }, token);
    else await call(host, 'tickets.list', { view: 'all', limit: 50 }, token);
    times.push(performance.now() - t);
    // A person's screen asks now and then, not in a tight loop: leave the event loop a breath.
    await new Promise((r) => setTimeout(r, 5));
  }
  return times.sort((a, b) => a - b);
}

export function latencyRow(name: string, times: number[]): BenchRow {
  const max = times[times.length - 1] ?? 0;
  return {
    name, n: times.length, p50ms: percentile(times, 50), p95ms: percentile(times, 95), totalMs: 0,
    target: 'no call waits > 50 ms', met: max <= 50, note: `max ${max.toFixed(1)} ms`,
  };
}

export const BENCH_PASSWORD = 'clave-bench-123';

/** A branch set up on a fresh host whose clock the caller moves, with `tickets` tickets (`attachments(i)` on the i-th). */
export async function benchDesk(prefix: string, clock: { now: number }, tickets: number, attachments: (i: number) => unknown[] = () => []) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const host = openHost({ dataDir: dir, now: () => clock.now, sweepIntervalMs: 0 });
  const setup = await call<{ token: string; user: { id: string } }>(host, 'auth.setup', {
    branchCode: 'BEN', branchName: 'Banco de pruebas', username: 'admin', fullName: 'Admin Bench', password: BENCH_PASSWORD, confirmPassword: BENCH_PASSWORD,
  }, null);
  const ticketIds: string[] = [];
  let customer: unknown = phoneIntake().customer;
  for (let i = 0; i < tickets; i++) {
    const t = await call<{ id: string; customerId: string }>(host, 'tickets.create', phoneIntake({ customer, subject: `Incidente ${i}`, attachments: attachments(i) }), setup.token);
    customer = { kind: 'existing', customerId: t.customerId };
    ticketIds.push(t.id);
  }
  return { dir, host, token: setup.token, userId: setup.user.id, ticketIds };
}

/** Starts a job and keeps tickets.get / tickets.list going until it ends: the job as it ended and the calls' latencies. */
export async function jobWithCalls(host: Host, token: string, ticketIds: string[], start: () => Promise<JobInfo>): Promise<{ job: JobInfo; during: number[] }> {
  let job = await start();
  let running = true;
  const watcher = (async () => {
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = await call<JobInfo>(host, 'jobs.status', { jobId: job.id }, token);
    }
    running = false;
  })();
  const during = await callStream(host, token, ticketIds, () => !running, 1_000_000);
  await watcher;
  return { job, during };
}

export async function benchAuditExportJob(log: (s: string) => void, entries = 1_000_000, tickets = 1_000): Promise<BenchRow[]> {
  const clock = { now: YEAR_START };
  const { dir, host, userId, ticketIds } = await benchDesk('helpdesk-bench-jobs-', clock, tickets);
  try {
    const t0 = performance.now();
    appendAuditEntries(host.services()!, entries, userId, (i) => {
      clock.now = YEAR_START + Math.floor((i / entries) * YEAR_MS);
    });
    clock.now = YEAR_START + YEAR_MS;
    // A year later the first session has long gone idle.
    const token = (await call<{ token: string }>(host, 'auth.signIn', { username: 'admin', password: BENCH_PASSWORD }, null)).token;
    log(`  ${tickets.toLocaleString('en-US')} tickets, ${entries.toLocaleString('en-US')} audit entries over 2025 appended in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const idle = await callStream(host, token, ticketIds, () => false, 400);
    const rows: BenchRow[] = [latencyRow('tickets.get / tickets.list, nothing else running', idle)];

    for (const format of ['csv', 'jsonl'] as const) {
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const start = performance.now();
      const { job, during } = await jobWithCalls(host, token, ticketIds, () => call<JobInfo>(host, 'audit.exportStart', { from: YEAR_START, to: YEAR_START + YEAR_MS, format }, token));
      const ms = performance.now() - start;
      clearInterval(sampler);
      if (job.state !== 'done' || !job.result) throw new Error(`export ended ${job.state}`);
      const mb = job.result.sizeBytes / 1_048_576;
      rows.push({
        name: `audit export job, one year (${job.result.count.toLocaleString('en-US')} entries) as ${format.toUpperCase()}`, n: 1, p50ms: ms, p95ms: ms, totalMs: ms,
        target: '≤ 300 MB peak RSS', met: peakRss <= 300 * 1_048_576,
        note: `${mb.toFixed(0)} MB file; peak RSS ${(peakRss / 1_048_576).toFixed(0)} MB (${(rssBefore / 1_048_576).toFixed(0)} MB before)`,
      });
      rows.push(latencyRow(`tickets.get / tickets.list during the ${format.toUpperCase()} export`, during));
      rmSync(join(dir, 'exports'), { recursive: true, force: true });
    }
    return rows;
  } finally {
    host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: { entries: { type: 'string' }, tickets: { type: 'string' } } });
  const rows = await benchAuditExportJob((s) => console.error(s), Number(values.entries ?? 1_000_000), Number(values.tickets ?? 1_000));
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(1)} | ${r.p95ms.toFixed(1)} | ${r.target ?? ''} | ${r.met ? '✅' : '❌'} | ${r.note ?? ''} |`);
  }
}
