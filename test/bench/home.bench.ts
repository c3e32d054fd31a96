/**
 * The supervisor's home (`reports.home`, issue 15), the reports screen (`reports.run`) and opening tickets (`tickets.get`) on a big
 * workspace, through the dispatcher: the home as the demo supervisor sees it, its first call in
 * a fresh process included; a ticket with a long timeline and the newest one.
 *
 * Standalone: `npx tsx test/bench/home.bench.ts --data DIR --password P [--samples N]`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openHost, type Host } from '../../electron/core/host';
import { call, measure, withTarget, type BenchRow } from './workspace.bench';

async function signIn(host: Host, username: string, password: string): Promise<string> {
  const r = await host.call('auth.signIn', { username, password }, null);
  if (!r.ok) throw new Error(`${username}: ${JSON.stringify(r.error)}`);
  return (r.value as { token: string }).token;
}

/** `dataDir` is opened here (its first `reports.home` is the first call of the process). */
export async function benchHome(dataDir: string, password: string, samples: number): Promise<BenchRow[]> {
  const host = openHost({ dataDir, sweepIntervalMs: 0 });
  try {
    const rows: BenchRow[] = [];
    const token = await signIn(host, 'supervisora', password);
    const t0 = performance.now();
    await call(host, token, 'reports.home', {});
    const first = performance.now() - t0;
    rows.push({ name: 'supervisor home (reports.home): first call after opening', n: 1, p50ms: first, p95ms: first, totalMs: first });
    rows.push(await measure('supervisor home (reports.home)', samples, () => call(host, token, 'reports.home', {})));
    // Reportes (reports.run): every report for a period and branch, as the screen asks.
    const run = (name: string, input: Record<string, unknown>) =>
      measure(`reports (reports.run), ${name}`, Math.min(samples, 15), () => call(host, token, 'reports.run', { groupBy: 'week', format: 'json', locale: 'es-MX', branch: null, ...input } as never), 1);
    const branch = host.services()!.users.branch()?.code ?? null;
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    rows.push(await run('this month, all branches', { period: { preset: 'thisMonth' } }));
    rows.push(await run(`last month, branch ${branch}`, { period: { preset: 'lastMonth' }, branch }));
    rows.push(await run('one year (custom), by month', { period: { preset: 'custom', from: yearAgo, to: today }, groupBy: 'month' }));
    rows.push(await run('last month as CSV', { period: { preset: 'lastMonth' }, format: 'csv' }));

    const db = host.services()!.ws.db;
    const longest = db.prepare('SELECT ticket_id FROM ticket_events GROUP BY ticket_id ORDER BY COUNT(*) DESC LIMIT 1').pluck().get() as string;
    const newest = db.prepare('SELECT id FROM tickets ORDER BY rowid DESC LIMIT 1').pluck().get() as string;
    const events = db.prepare('SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?').pluck().get(longest) as number;
    rows.push(withTarget(await measure(`open a ticket (tickets.get), longest timeline (${events} entries)`, samples,
      () => call(host, token, 'tickets.get', { ticketId: longest })), 5));
    rows.push(withTarget(await measure('open a ticket (tickets.get), the newest', samples, () => call(host, token, 'tickets.get', { ticketId: newest })), 5));
    return rows;
  } finally {
    host.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, password: { type: 'string' }, samples: { type: 'string', default: '30' } } });
  if (!values.data || !values.password) throw new Error('--data DIR --password P');
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows = await benchHome(values.data, values.password, Number(values.samples));
  console.log('| Benchmark | n | p50 (ms) | p95 (ms) | Target |\n|---|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(2)} | ${r.p95ms.toFixed(2)} | ${r.target ?? ''} |`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

if (process.argv[1]?.endsWith('home.bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
