/**
 * Every ticket-list view × sort through the dispatcher (`host.call`), as the list screen asks:
 * the first page, the last page (the first page in the other direction: keyset paging has no
 * OFFSET) and a deep page (a cursor 5,000 rows in, or half-way on a smaller view); then search
 * (common and rare words: first page with its count, tenth page), and creating a ticket (what the
 * list indexes cost on every write). Each page carries the SLA column (state, due moment, first
 * breach); the views include Mi trabajo, Vencidos and Por vencer. Last, a bulk assignment of 500
 * tickets (tickets.bulk: 500 audited transactions), back and forth.
 *
 * Standalone: `npx tsx test/bench/list-views.bench.ts --data DIR --password P [--samples N]`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openHost, type Host } from '../../electron/core/host';
import { encodeCursor } from '../../electron/core/keyset';
import { keyQuery, planList } from '../../electron/core/ticket-list';
import { ticketListSchema, type MethodInput } from '../../electron/shared/contract';
import { TICKET_SORTS, TICKET_VIEWS } from '../../electron/shared/domain';
import type { BulkResult, TicketPage } from '../../electron/shared/types';
import { call, measure, SEARCH_WORDS, withTarget, type BenchRow } from './workspace.bench';

const PAGE = 50;
const DEEP = 5_000;

export async function benchListViews(host: Host, token: string, samples: number, log: (line: string) => void): Promise<BenchRow[]> {
  const s = host.services();
  if (!s) throw new Error('workspace did not open');
  const db = s.ws.db;
  const me = (await call(host, token, 'auth.me', {})) as { id: string };
  const rows: BenchRow[] = [];
  const list = (input: MethodInput<'tickets.list'>) => call(host, token, 'tickets.list', input) as Promise<TicketPage>;

  for (const view of TICKET_VIEWS) {
    for (const sort of TICKET_SORTS) {
      const first = await list({ view, sort, direction: 'desc', limit: PAGE });
      const total = first.total ?? 0;
      // The cursor after row DEEP (or the middle), read with the same walk the list uses.
      const input = ticketListSchema.parse({ view, sort, direction: 'desc' });
      const q = keyQuery(planList(me.id, input, s.ws.now()), sort, 'desc', null);
      const at = Math.floor(Math.min(DEEP, total / 2));
      const mid = db.prepare(q.sql.replace(/LIMIT \?$/, 'LIMIT 1 OFFSET ?')).get(...q.params, at) as { r: number; k: number | string } | undefined;
      const label = `list ${view} × ${sort} (${first.totalCapped ? '>' : ''}${total.toLocaleString('en-US')})`;
      rows.push(withTarget(await measure(`${label}: first page`, samples, () => list({ view, sort, direction: 'desc', limit: PAGE })), 5));
      rows.push(withTarget(await measure(`${label}: last page`, samples, () => list({ view, sort, direction: 'asc', limit: PAGE })), 5));
      if (mid) {
        const cursor = encodeCursor(mid.k, mid.r);
        rows.push(withTarget(await measure(`${label}: page after row ${at.toLocaleString('en-US')}`, samples, () => list({ view, sort, direction: 'desc', limit: PAGE, cursor })), 5));
      }
    }
    log(`  list views: ${view} done`);
  }

  for (const [kind, words] of Object.entries(SEARCH_WORDS)) {
    for (const order of ['relevance', 'recent'] as const) {
      const firstPages = await Promise.all(words.map((query) => list({ query, searchOrder: order, limit: PAGE })));
      const counts = firstPages.map((p) => `${p.totalCapped ? '>' : ''}${p.total ?? 0}`).join('/');
      rows.push(withTarget(await measure(`search ${kind} word, ${order}: first page + count (${counts})`, samples, (i) =>
        list({ query: words[i % words.length]!, searchOrder: order, limit: PAGE })), 20));
      // The tenth page: walk nine pages once per word, then measure the tenth.
      const tenth: Array<{ query: string; cursor: string }> = [];
      for (const query of words) {
        let cursor: string | null = null;
        for (let p = 0; p < 9; p++) {
          cursor = (await list({ query, searchOrder: order, limit: PAGE, ...(cursor ? { cursor } : {}) })).nextCursor;
          if (!cursor) break;
        }
        if (cursor) tenth.push({ query, cursor });
      }
      if (tenth.length > 0) {
        rows.push(withTarget(await measure(`search ${kind} word, ${order}: tenth page`, samples, (i) =>
          list({ ...tenth[i % tenth.length]!, searchOrder: order, limit: PAGE })), 20));
      }
    }
  }
  rows.push(...(await benchBulkAssign(host, token, me.id, log)));
  return rows;
}

/** BULK tickets assigned to the signed-in user and back to nobody, one tickets.bulk call each way per sample. */
const BULK = 500;
export async function benchBulkAssign(host: Host, token: string, meId: string, log: (line: string) => void, samples = 6): Promise<BenchRow[]> {
  const page = (await call(host, token, 'tickets.list', { view: 'unassigned', sort: 'createdAt', direction: 'asc', limit: BULK })) as TicketPage;
  const ticketIds = page.rows.map((r) => r.id);
  if (ticketIds.length < BULK) {
    log(`  bulk assign: only ${ticketIds.length} unassigned tickets; skipped`);
    return [];
  }
  const failures: number[] = [];
  const result = await measure(`bulk assign of ${BULK} tickets (tickets.bulk: one audited transaction each), alternately to a user and back`, samples, async (i) => {
    const r = (await call(host, token, 'tickets.bulk', { ticketIds, action: { kind: 'assign', assigneeId: i % 2 === 0 ? meId : null } })) as BulkResult;
    failures.push(r.failed.length);
  }, 0);
  log(`  bulk assign done (refused per call: ${[...new Set(failures)].join(', ')})`);
  return [{ ...result, note: `${(result.p50ms / BULK).toFixed(2)} ms per ticket at p50` }];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, password: { type: 'string' }, samples: { type: 'string', default: '30' } } });
  if (!values.data || !values.password) throw new Error('--data DIR --password P');
  const host = openHost({ dataDir: values.data, sweepIntervalMs: 0 });
  try {
    const signIn = await host.call('auth.signIn', { username: 'admin', password: values.password }, null);
    if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
    const token = (signIn.value as { token: string }).token;
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const rows = await benchListViews(host, token, Number(values.samples), (l) => console.error(l));
    console.log('| Benchmark | n | p50 (ms) | p95 (ms) | Target |\n|---|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(2)} | ${r.p95ms.toFixed(2)} | ${r.target ?? ''} |`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    host.close();
  }
}

if (process.argv[1]?.endsWith('list-views.bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
