/**
 * Every path a user takes, on an existing big workspace (the 1,000,000-ticket one), through the
 * dispatcher, with the CPU time of each call (`process.cpuUsage`) and the machine's load beside it:
 * on a shared machine wall-clock time is mostly waiting for a core, CPU per call is what the code costs.
 *
 *   npx tsx test/bench/at-scale.bench.ts --data DIR --password P [--samples N] [--parts list,search,…] [--out FILE]
 *
 * Parts: list (every view × sort × direction: first page with the count the screen shows, the last
 * page — the first page the other way, keyset paging has no OFFSET — and page 2 by cursor), search
 * (rare and common words, relevance and recent, first page with count and tenth page, warm),
 * searchwrite (first page right after a write, and the first time a question is asked), ticket (open, create), audit (the Bitácora filters: person, action, entity, period),
 * board (SLA board), verify (audit chain), home (supervisor home).
 *
 * It refuses to open a workspace with pending migrations: the app first writes a whole-workspace
 * backup (VACUUM INTO), which on the 29 GiB workspace fills the disk. Apply them with sqlite3 first.
 */
import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../electron/core/db/connection';
import { loadMigrations } from '../../electron/core/db/migrate';
import { openHost, type Host } from '../../electron/core/host';
import type { MethodInput, MethodName } from '../../electron/shared/contract';
import { TICKET_SORTS, TICKET_VIEWS } from '../../electron/shared/domain';
import type { TicketPage } from '../../electron/shared/types';
import { bitacoraFilters } from './audit-list.bench';
import { SEARCH_WORDS } from './workspace.bench';

export interface ScaleRow {
  name: string;
  n: number;
  p50ms: number;
  p95ms: number;
  cpuMs: number;
  /** Wall and CPU ms of the warm-up call(s) (the first call of a kind). */
  firstMs: number;
  firstCpuMs: number;
  load: string;
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const cpuOf = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Versions the code has that the workspace has not applied yet (opening it would back it up whole, then migrate). */
export function pendingMigrations(dataDir: string): number[] {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    return loadMigrations().map((m) => m.version).filter((v) => !done.has(v));
  } finally {
    db.close();
  }
}

/** p50/p95 wall and CPU per call of `n` calls after `warm` warm-up calls (timed apart). */
export async function measureCpu(name: string, n: number, op: (i: number) => Promise<unknown>, warm = 1): Promise<ScaleRow> {
  const w0 = performance.now();
  const wc = process.cpuUsage();
  for (let i = 0; i < warm; i++) await op(i);
  const firstMs = (performance.now() - w0) / Math.max(1, warm);
  const firstCpuMs = cpuOf(process.cpuUsage(wc)) / Math.max(1, warm);
  const xs: number[] = [];
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await op(i + warm);
    xs.push(performance.now() - s);
  }
  const cpuMs = cpuOf(process.cpuUsage(c)) / Math.max(1, n);
  xs.sort((a, b) => a - b);
  const p = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  return { name, n, p50ms: p(0.5), p95ms: p(0.95), cpuMs, firstMs, firstCpuMs, load: load() };
}

export function scaleRowLine(r: ScaleRow): string {
  return `| ${r.name} | ${r.n} | ${f(r.p50ms)} | ${f(r.p95ms)} | ${f(r.cpuMs)} | ${f(r.firstMs)} / ${f(r.firstCpuMs)} | ${r.load} |`;
}
export const SCALE_HEADER = '| operation | n | p50 ms | p95 ms | CPU ms/call | first call ms wall / CPU | load |\n|---|---:|---:|---:|---:|---:|---|';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' }, password: { type: 'string' }, samples: { type: 'string', default: '10' },
      parts: { type: 'string', default: 'list,search,searchwrite,ticket,audit,board,home,verify' }, out: { type: 'string' },
      views: { type: 'string' },
    },
  });
  if (!values.data || !values.password) throw new Error('--data DIR --password P');
  const pending = pendingMigrations(values.data);
  if (pending.length > 0) {
    throw new Error(`${values.data} lacks migrations ${pending.join(', ')}: opening it would copy the whole workspace first. Apply them with sqlite3 (schema_migrations rows with the file hashes).`);
  }
  const parts = new Set(values.parts.split(','));
  const N = Number(values.samples);
  const log = (line: string) => {
    console.log(line);
    if (values.out) appendFileSync(values.out, `${line}\n`);
  };
  const row = (r: ScaleRow) => log(scaleRowLine(r));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const host: Host = openHost({ dataDir: values.data, sweepIntervalMs: 0, backgroundSync: false, mail: { start: false } });
  const s = host.services();
  if (!s) throw new Error('workspace did not open');
  log(`# ${new Date().toISOString()} ${values.data}: opened in ${f(performance.now() - t0)} ms wall, ${f(cpuOf(process.cpuUsage(c0)))} ms CPU · load ${load()}`);
  const db = s.ws.db;
  const signIn = async (username: string) => {
    const r = await host.call('auth.signIn', { username, password: values.password! }, null);
    if (!r.ok) throw new Error(`${username}: ${JSON.stringify(r.error)}`);
    return (r.value as { token: string }).token;
  };
  const call = async <M extends MethodName>(token: string, method: M, input: MethodInput<M>) => {
    const r = await host.call(method, input, token);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as unknown;
  };
  const admin = await signIn('admin');
  log(SCALE_HEADER);

  if (parts.has('list')) {
    // Mis tickets as the person with the most tickets assigned (the administrator has few or none).
    const busiest = db.prepare(`SELECT u.username FROM users u WHERE u.id = (SELECT assignee_id FROM tickets INDEXED BY tickets_assignee_status
      WHERE assignee_id IS NOT NULL AND status = 'open' GROUP BY assignee_id ORDER BY count(*) DESC LIMIT 1)`).pluck().get() as string;
    const agent = await signIn(busiest);
    const views = values.views ? TICKET_VIEWS.filter((v) => values.views!.split(',').includes(v)) : TICKET_VIEWS;
    for (const view of views) {
      const token = view === 'mine' || view === 'work' ? agent : admin;
      for (const sort of TICKET_SORTS) {
        for (const direction of ['desc', 'asc'] as const) {
          const other = direction === 'desc' ? 'asc' : 'desc';
          const list = (cursor?: string | null) => call(token, 'tickets.list', { view, sort, direction, limit: 50, ...(cursor ? { cursor } : {}) }) as Promise<TicketPage>;
          const first = await list();
          const label = `${view}${token === agent ? ` (${busiest})` : ''} × ${sort} ${direction} (${first.totalCapped ? '>' : ''}${(first.total ?? 0).toLocaleString('en-US')})`;
          row(await measureCpu(`${label}: first page + count`, N, () => list()));
          row(await measureCpu(`${label}: last page (first ${other})`, N, () => call(token, 'tickets.list', { view, sort, direction: other, limit: 50 })));
          if (first.nextCursor) row(await measureCpu(`${label}: page 2 (cursor)`, N, () => list(first.nextCursor)));
        }
      }
    }
  }

  if (parts.has('search')) {
    for (const [kind, words] of Object.entries(SEARCH_WORDS)) {
      for (const query of words.slice(0, 2)) {
        for (const searchOrder of ['relevance', 'recent'] as const) {
          const search = (cursor?: string | null) => call(admin, 'tickets.list', { query, searchOrder, limit: 50, ...(cursor ? { cursor } : {}) }) as Promise<TicketPage>;
          const p1 = await search();
          const label = `search ${kind} "${query}", ${searchOrder} (${p1.totalCapped ? '>' : ''}${(p1.total ?? 0).toLocaleString('en-US')})`;
          row(await measureCpu(`${label}: first page + count`, N, () => search()));
          let cursor = p1.nextCursor;
          for (let k = 0; k < 8 && cursor; k++) cursor = (await search(cursor)).nextCursor;
          if (cursor) {
            const tenth = cursor;
            row(await measureCpu(`${label}: tenth page`, N, () => search(tenth)));
          }
        }
      }
    }
  }

  if (parts.has('searchwrite')) {
    // Right after someone else's write: the first search a user makes after any save. The warm-up
    // call scores every match (no cached set yet): its column is the cost of a question's first time.
    for (const query of [SEARCH_WORDS.common[0]!, SEARCH_WORDS.rare[0]!]) {
      row(await measureCpu(`search "${query}" first page + count, right after a write each time`, Math.min(N, 5), async (i) => {
        s.ws.write({ kind: 'system' }, (tx) => tx.audit('settings.changed', 'bench', null, { i }));
        return call(admin, 'tickets.list', { query, limit: 50 });
      }));
    }
  }

  if (parts.has('ticket')) {
    const maxRowid = db.prepare('SELECT MAX(rowid) FROM tickets').pluck().get() as number;
    const idAt = db.prepare('SELECT id FROM tickets WHERE rowid >= ? LIMIT 1').pluck();
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    row(await measureCpu('open a ticket (tickets.get), random', N, () => call(admin, 'tickets.get', { ticketId: idAt.get(1 + Math.floor(random() * maxRowid)) as string })));
    const customerAt = db.prepare('SELECT id FROM customers WHERE rowid >= ? LIMIT 1').pluck();
    const customers = db.prepare('SELECT MAX(rowid) FROM customers').pluck().get() as number;
    row(await measureCpu('create a ticket (tickets.create)', N, (i) => call(admin, 'tickets.create', {
      customer: { kind: 'existing', customerId: customerAt.get(1 + ((i * 7919) % customers)) as string }, channel: 'phone', requestType: 'technical',
      supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 2,
      subject: `Prueba de rendimiento ${i}`, description: 'El cliente no puede timbrar; aparece el error CFDI40102 al emitir la factura.',
    } as MethodInput<'tickets.create'>)));
  }

  if (parts.has('audit')) {
    const entries = db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number;
    log(`# audit log: ${entries.toLocaleString('en-US')} entries (MAX(seq))`);
    const someone = db.prepare("SELECT actor_id FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log WHERE actor_id IS NOT NULL AND action = 'ticket.created')").pluck().get() as string;
    const newest = db.prepare('SELECT MAX(at) FROM audit_log').pluck().get() as number;
    const month = 31 * 86_400_000;
    // A month three months before the newest entry.
    const filters = bitacoraFilters(someone, newest - 4 * month);
    for (const [name, filter] of filters) {
      const list = (input: MethodInput<'audit.list'>) => call(admin, 'audit.list', { limit: 100, ...filter, ...input }) as Promise<{ total: number | null; totalCapped: boolean; nextCursor: string | null }>;
      const c = process.cpuUsage();
      const w = performance.now();
      const first = await list({});
      const firstMs = performance.now() - w;
      const firstCpu = cpuOf(process.cpuUsage(c));
      const label = `Bitácora ${name} (${first.totalCapped ? '>' : ''}${(first.total ?? 0).toLocaleString('en-US')})`;
      log(`| ${label}: first time in this process | 1 | ${f(firstMs)} | ${f(firstMs)} | ${f(firstCpu)} | | ${load()} |`);
      row(await measureCpu(`${label}: first page + count`, N, () => list({})));
      row(await measureCpu(`${label}: oldest page`, N, () => list({ order: 'asc' })));
      if (first.nextCursor) row(await measureCpu(`${label}: page 2`, N, () => list({ cursor: first.nextCursor! })));
    }
  }

  if (parts.has('board')) {
    row(await measureCpu('SLA board (board.load, 200 per column)', N, () => call(admin, 'board.load', {})));
    row(await measureCpu('SLA board version (board.version)', N, () => call(admin, 'board.version', {} as never)));
  }

  if (parts.has('home')) {
    const supervisor = await signIn('supervisora');
    row(await measureCpu('supervisor home (reports.home)', N, () => call(supervisor, 'reports.home', {})));
  }

  if (parts.has('verify')) {
    const r = await measureCpu('audit chain verification (audit.verify), whole log', 1, () => call(admin, 'audit.verify', {}), 0);
    row(r);
  }
  log(`# done ${new Date().toISOString()} · load ${load()}`);
  host.close();
}

if (process.argv[1]?.endsWith('at-scale.bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
