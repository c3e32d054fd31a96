/**
 * Workspace benchmarks over a big generated workspace (default 1,000,000 tickets and 5,000,000
 * messages), through the real dispatcher (`host.call`) as the UI calls it: the filtered list
 * page, full-text search, opening a ticket, creating one, cold open, and audit verification.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditLog } from '../../electron/core/audit';
import { DB_FILE } from '../../electron/core/db/connection';
import { generateDemoData, rng } from '../../electron/cli/demo-data';
import { openHost, type Host } from '../../electron/core/host';
import { createServices } from '../../electron/core/services';
import { Workspace } from '../../electron/core/workspace';
import { ticketListSchema, type MethodInput, type MethodName } from '../../electron/shared/contract';
import type { TicketPage } from '../../electron/shared/types';
import type { BenchResult } from './calendar.bench';

export interface BenchRow extends BenchResult {
  /** Human-readable target, e.g. "p95 ≤ 5 ms". */
  target?: string;
  /** Whether the target was met (undefined when there is no target). */
  met?: boolean;
  note?: string;
}

export interface BenchWorkspace {
  dataDir: string;
  password: string;
  /** Generation time of this workspace (measured when it was built, possibly by an earlier run). */
  generationMs: number | null;
  reused: boolean;
}

interface BenchMeta {
  tickets: number;
  messagesPerTicket: number;
  seed: number;
  password: string;
  generationMs: number;
  summary?: unknown;
}

const META_FILE = 'bench-meta.json';
const BENCH_PASSWORD = 'bench-clave-segura';
const SEED = 20260302;

/** The cache folder for a workspace of this size (reused across runs). */
export function cacheDirFor(tickets: number, messagesPerTicket: number): string {
  const label = tickets === 1_000_000 && messagesPerTicket === 5 ? '1m' : `${tickets}x${messagesPerTicket}`;
  return join('/tmp', `helpdesk-bench-${label}`);
}

/**
 * Returns a workspace to measure: `dataDir` as given (generating into it when it is empty), or
 * the size-keyed cache folder, built once with the demo-data generator and then reused.
 */
export async function ensureBenchWorkspace(opts: {
  tickets: number;
  messagesPerTicket: number;
  dataDir?: string;
  password?: string;
  log: (line: string) => void;
}): Promise<BenchWorkspace> {
  const dataDir = opts.dataDir ?? cacheDirFor(opts.tickets, opts.messagesPerTicket);
  const metaPath = join(dataDir, META_FILE);
  const dbPath = join(dataDir, DB_FILE);
  if (existsSync(dbPath)) {
    const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, 'utf8')) as BenchMeta) : null;
    const sizeMatches = meta !== null && meta.tickets === opts.tickets && meta.messagesPerTicket === opts.messagesPerTicket;
    if (sizeMatches || opts.dataDir) {
      const password = opts.password ?? meta?.password;
      if (!password) throw new Error(`${dataDir} has no ${META_FILE}: pass --password for its admin user`);
      return { dataDir, password, generationMs: meta?.generationMs ?? null, reused: true };
    }
    // A cache folder without its meta file is a generation that did not finish (or another size).
    rmSync(dataDir, { recursive: true, force: true });
  }
  opts.log(`Generating ${opts.tickets.toLocaleString('en-US')} tickets × ~${opts.messagesPerTicket} messages into ${dataDir} …`);
  let last = 0;
  const summary = await generateDemoData({
    dataDir, tickets: opts.tickets, messagesPerTicket: opts.messagesPerTicket, seed: SEED, password: opts.password ?? BENCH_PASSWORD,
    onProgress: (p) => {
      if (p.elapsedMs - last < 15_000 && p.ticketsDone < p.ticketsTotal) return;
      last = p.elapsedMs;
      opts.log(`  ${p.ticketsDone.toLocaleString('en-US')} / ${p.ticketsTotal.toLocaleString('en-US')} tickets · ${(p.elapsedMs / 1000).toFixed(0)} s`);
    },
  });
  const meta: BenchMeta = {
    tickets: opts.tickets, messagesPerTicket: opts.messagesPerTicket, seed: SEED, password: opts.password ?? BENCH_PASSWORD,
    generationMs: summary.elapsedMs, summary: { ...summary, credentials: undefined },
  };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  return { dataDir, password: meta.password, generationMs: summary.elapsedMs, reused: false };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export async function measure(name: string, n: number, op: (i: number) => Promise<unknown> | unknown, warmup = 5): Promise<BenchResult> {
  for (let i = 0; i < warmup; i++) await op(i);
  const samples: number[] = [];
  const begin = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i + warmup);
    samples.push(performance.now() - t0);
  }
  const totalMs = performance.now() - begin;
  samples.sort((a, b) => a - b);
  return { name, n, p50ms: percentile(samples, 0.5), p95ms: percentile(samples, 0.95), totalMs };
}

export function withTarget(r: BenchResult, maxP95: number): BenchRow {
  return { ...r, target: `p95 ≤ ${maxP95} ms`, met: r.p95ms <= maxP95 };
}

export async function call<M extends MethodName>(host: Host, token: string, method: M, input: MethodInput<M>): Promise<unknown> {
  const r = await host.call(method, input, token);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Words for the search rows: frequent in the generated text, and rare (≈1 % of tickets or fewer). */
export const SEARCH_WORDS = {
  common: ['factura', 'error', 'cliente', 'timbrar'],
  rare: ['addenda', 'donataria', 'porte', 'exterior'],
};

export interface WorkspaceBenchOptions {
  samples: number;
  log: (line: string) => void;
}

/** Runs the workspace rows against an existing data directory. */
export async function benchWorkspace(ws: BenchWorkspace, opts: WorkspaceBenchOptions): Promise<{ rows: BenchRow[]; facts: Record<string, string>; plans: string[] }> {
  const { dataDir, password } = ws;
  const n = opts.samples;
  const random = rng(7);
  const rows: BenchRow[] = [];
  const facts: Record<string, string> = {};
  const plans: string[] = [];

  // One untimed open applies pending migrations and the start-up sweep (a workspace generated by
  // an older build gets them once); then cold open: open → first list page.
  openHost({ dataDir, sweepIntervalMs: 0 }).close();
  const listInput = ticketListSchema.parse({ status: ['open'], tier: ['operations'], sort: 'updatedAt', direction: 'desc', limit: 50 });
  {
    const firstQuery = async (withQuickCheck: boolean) => {
      if (withQuickCheck) {
        const host = openHost({ dataDir, sweepIntervalMs: 0 });
        const s = host.services();
        if (!s) throw new Error('workspace did not open');
        s.tickets.list('', listInput);
        host.close();
      } else {
        const w = new Workspace({ dataDir });
        createServices(w).tickets.list('', listInput);
        w.close();
      }
    };
    rows.push({
      // quick_check reads the whole file: a few samples are enough (each costs seconds on a big workspace).
      ...(await measure('cold open: openHost (quick_check) → first list page', 3, () => firstQuery(true), 0)),
      target: '≤ 300 ms', note: 'same process, OS page cache warm after the first sample',
    });
    rows[rows.length - 1]!.met = rows[rows.length - 1]!.p95ms <= 300;
    const r = await measure('cold open without quick_check → first list page', Math.max(3, Math.min(10, n)), () => firstQuery(false), 0);
    rows.push({ ...r, target: '≤ 300 ms', met: r.p95ms <= 300, note: 'what the open costs when the integrity check is deferred' });
  }

  const host = openHost({ dataDir, sweepIntervalMs: 0 });
  try {
    const s = host.services();
    if (!s) throw new Error('workspace did not open');
    const db = s.ws.db;
    const signIn = await host.call('auth.signIn', { username: 'admin', password }, null);
    if (!signIn.ok) throw new Error(`sign-in failed: ${JSON.stringify(signIn.error)}`);
    const token = (signIn.value as { token: string }).token;

    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const maxRowid = count('SELECT MAX(rowid) FROM tickets');
    facts.tickets = count('SELECT COUNT(*) FROM tickets').toLocaleString('en-US');
    facts['timeline events'] = count('SELECT MAX(rowid) FROM ticket_events').toLocaleString('en-US');
    facts['messages (replies, notes, customer messages, contact attempts)'] = count(
      "SELECT COUNT(*) FROM ticket_events WHERE kind IN ('reply','note','customer_message','contact_attempt')",
    ).toLocaleString('en-US');
    facts['open tickets in operations'] = count("SELECT COUNT(*) FROM tickets WHERE status = 'open' AND tier = 'operations'").toLocaleString('en-US');
    facts['audit entries'] = count('SELECT MAX(seq) FROM audit_log').toLocaleString('en-US');
    facts['database size'] = `${(statSync(join(dataDir, DB_FILE)).size / 1024 ** 3).toFixed(2)} GiB`;

    // The list page, as the UI asks for it (first page, then scrolling through pages 2–10).
    rows.push(withTarget(await measure('tickets.list open + operations, updatedAt desc, 50 (page 1)', n, () => call(host, token, 'tickets.list', {
      status: ['open'], tier: ['operations'], sort: 'updatedAt', direction: 'desc', limit: 50,
    })), 5));
    // Pages 2–10 by cursor (keyset), each cursor taken from walking the pages once.
    const pageInput: MethodInput<'tickets.list'> = { status: ['open'], tier: ['operations'], sort: 'updatedAt', direction: 'desc', limit: 50 };
    const cursors: string[] = [];
    for (let c: string | null = null, p = 0; p < 9; p++) {
      c = ((await call(host, token, 'tickets.list', { ...pageInput, ...(c ? { cursor: c } : {}) })) as TicketPage).nextCursor;
      if (!c) break;
      cursors.push(c);
    }
    rows.push(withTarget(await measure('tickets.list same filter, pages 2–10 (cursor)', n, (i) => call(host, token, 'tickets.list', {
      ...pageInput, ...(cursors.length > 0 ? { cursor: cursors[i % cursors.length]! } : {}),
    })), 5));
    rows.push(withTarget(await measure('tickets.list all statuses, updatedAt desc, 50 (page 1)', n, () => call(host, token, 'tickets.list', {
      sort: 'updatedAt', direction: 'desc', limit: 50,
    })), 5));

    // Full-text search for one word (the list with a query), common and rare words.
    for (const [kind, words] of Object.entries(SEARCH_WORDS)) {
      const r = await measure(`search one ${kind} word (${words.join(', ')})`, n, (i) => call(host, token, 'tickets.list', {
        query: words[i % words.length]!, limit: 50,
      }));
      rows.push(withTarget(r, 20));
    }

    // Where search time goes: the FTS candidate queries alone, with the last term as a prefix (as
    // core builds it) and as an exact term.
    const ticketFts = db.prepare('SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ? ORDER BY rowid DESC LIMIT 1000').pluck();
    const eventFts = db.prepare('SELECT rowid FROM event_fts WHERE event_fts MATCH ? ORDER BY rowid DESC LIMIT 1000').pluck();
    for (const [label, suffix] of [['prefix "w"*', '*'], ['exact "w"', '']] as const) {
      rows.push({
        ...(await measure(`  FTS candidates only, common words as ${label} (both FTS tables, raw SQL)`, Math.min(n, 100), (i) => {
          const match = `"${SEARCH_WORDS.common[i % SEARCH_WORDS.common.length]}"${suffix}`;
          ticketFts.all(match);
          eventFts.all(match);
        })),
        note: 'diagnostic row',
      });
    }

    // Opening a ticket with its timeline.
    const idAt = db.prepare('SELECT id FROM tickets WHERE rowid = ?').pluck();
    const randomTicket = () => (idAt.get(1 + Math.floor(random() * maxRowid)) as string | undefined) ?? (idAt.get(1) as string);
    rows.push({ ...(await measure('tickets.get (ticket + timeline + customer)', n, () => call(host, token, 'tickets.get', { ticketId: randomTicket() }))) });

    // Creating a ticket: row, created event, FTS, audit entry, outbox — one transaction.
    const customerAt = db.prepare('SELECT id FROM customers WHERE rowid = ?').pluck();
    const customerCount = count('SELECT MAX(rowid) FROM customers');
    rows.push(withTarget(await measure('tickets.create (history + audit + outbox)', n, (i) => call(host, token, 'tickets.create', {
      customer: { kind: 'existing', customerId: customerAt.get(1 + Math.floor(random() * customerCount)) as string },
      channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 2,
      subject: `Prueba de rendimiento ${i}`, description: 'El cliente no puede timbrar; aparece el error CFDI40102 al emitir la factura.',
    })), 2));

    // EXPLAIN QUERY PLAN of the list and search queries, for the report.
    const explain = (label: string, sql: string, ...params: unknown[]) => {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ id: number; parent: number; detail: string }>;
      plans.push(`${label}\n${plan.map((p) => `  ${p.detail}`).join('\n')}`);
    };
    const from = 'FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id';
    explain('list page: open + operations by updated_at', `SELECT t.id ${from} WHERE t.status IN ('open') AND t.tier IN ('operations') ORDER BY t.updated_at DESC, t.rowid DESC LIMIT 50`);
    explain('list count', `SELECT COUNT(*) FROM tickets t WHERE t.status IN ('open') AND t.tier IN ('operations')`);
    explain('list all by updated_at', `SELECT t.id ${from} ORDER BY t.updated_at DESC, t.rowid DESC LIMIT 50`);
    explain('search candidates (ticket_fts)', `SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH '"factura"*' ORDER BY rowid DESC LIMIT 1000`);
    explain('search candidates (event_fts)', `SELECT rowid FROM event_fts WHERE event_fts MATCH '"factura"*' ORDER BY rowid DESC LIMIT 1000`);

    // Audit verification throughput over the whole chain.
    const t0 = performance.now();
    const verification = verifyAuditLog(db);
    const ms = performance.now() - t0;
    rows.push({
      name: `verifyAuditLog (${verification.ok ? 'ok' : 'BROKEN'}, ${verification.checked.toLocaleString('en-US')} entries)`,
      n: 1, p50ms: ms, p95ms: ms, totalMs: ms,
      note: `${Math.round(verification.checked / (ms / 1000)).toLocaleString('en-US')} entries/s`,
    });
  } finally {
    host.close();
  }
  return { rows, facts, plans };
}
