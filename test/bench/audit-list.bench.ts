/**
 * The Bitácora (audit.list) at scale: N audit entries (default 2,000,000) written in bulk through
 * the real audit writer (20 people, a mix of actions and entities, some rare, spread over a year),
 * then each filter's first page with its count, the page after 5,000 entries, and the oldest
 * page (the first page in the other order). "First time" is the very first call after opening
 * the workspace in a new process' connection, before any cache is warm.
 *
 * `npx tsx test/bench/audit-list.bench.ts [--entries N] [--samples S]` (the workspace is cached
 * under /tmp/helpdesk-bench-audit-N and reused).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DB_FILE } from '../../electron/core/db/connection';
import { openHost, type Host } from '../../electron/core/host';
import { WriteTx } from '../../electron/core/workspace';
import type { MethodInput } from '../../electron/shared/contract';
import type { AuditPage } from '../../electron/shared/request-types';
import { call, measure, withTarget, type BenchRow } from './workspace.bench';

const PASSWORD = 'bench-clave-segura';
const YEAR_MS = 365 * 24 * 3600_000;
const START = Date.UTC(2025, 0, 1);
/** Actions with their share of the log (the rest are ticket replies) and entity. */
const MIX: Array<[action: string, entity: string, every: number]> = [
  ['ticket.created', 'ticket', 5], ['ticket.note', 'ticket', 7], ['ticket.statusChanged', 'ticket', 11], ['ticket.closed', 'ticket', 13],
  ['customer.updated', 'customer', 50], ['auth.signIn', 'user', 97], ['request.approved', 'change_request', 1_000],
  ['emergency.call', 'emergency_account', 5_000],
];

/** Rarest first: checked in MIX's order, every multiple of 1,000 or 5,000 was a multiple of 5 and the rare actions never appeared. */
const BY_RARITY = [...MIX].sort((a, b) => b[2] - a[2]);

function auditDir(entries: number): string {
  return `/tmp/helpdesk-bench-audit-${entries}`;
}

/** Builds the workspace once: an admin, 20 agents, and `entries` audit entries in time order. */
async function ensureAuditWorkspace(entries: number, log: (line: string) => void): Promise<void> {
  const dataDir = auditDir(entries);
  if (existsSync(`${dataDir}/${DB_FILE}.done`)) return;
  const clock = { now: START };
  const host = openHost({ dataDir, now: () => clock.now, sweepIntervalMs: 0 });
  try {
    const setup = await host.call('auth.setup', {
      branchCode: 'AUD', branchName: 'Bitácora', timeZone: 'America/Mexico_City', username: 'admin', fullName: 'Ana Administradora',
      password: PASSWORD, confirmPassword: PASSWORD, locale: 'es-MX',
    }, null);
    if (!setup.ok) throw new Error(JSON.stringify(setup.error));
    const s = host.services()!;
    // Ids as the workspace makes them: audit.list refuses anything else (issue 10).
    const people = Array.from({ length: 20 }, () => s.ws.newId());
    const t0 = performance.now();
    for (let done = 0; done < entries; done += 20_000) {
      s.ws.write({ kind: 'system' }, () => {
        for (let i = done; i < Math.min(entries, done + 20_000); i++) {
          clock.now = START + Math.floor((i / entries) * YEAR_MS);
          const [action, entity] = BY_RARITY.find(([, , every]) => i % every === 0) ?? ['ticket.reply', 'ticket'];
          const tx = new WriteTx(s.ws, { kind: 'user', userId: people[i % people.length]! });
          tx.audit(action as Parameters<WriteTx['audit']>[0], entity, `e-${i % 100_000}`, { n: i });
        }
      });
      if (done % 500_000 === 0) log(`  ${done.toLocaleString('en-US')} entries · ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    log(`  ${entries.toLocaleString('en-US')} audit entries written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    host.close();
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dataDir}/${DB_FILE}.done`, '');
}

async function signedIn(entries: number): Promise<{ host: Host; token: string }> {
  const host = openHost({ dataDir: auditDir(entries), sweepIntervalMs: 0 });
  const r = await host.call('auth.signIn', { username: 'admin', password: PASSWORD }, null);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { host, token: (r.value as { token: string }).token };
}

/** The Bitácora's filters as the screen offers them: none, a person, an action prefix, a rare action, an entity, a month (from `monthFrom`), a person in that month. */
export function bitacoraFilters(someone: string, monthFrom: number): Array<[string, MethodInput<'audit.list'>]> {
  const month = { from: monthFrom, to: monthFrom + 31 * 24 * 3600_000 };
  return [
    ['no filter', {}],
    ['one person', { actorId: someone }],
    ['an action prefix (ticket.)', { action: 'ticket.' }],
    ['a rare action (emergency.)', { action: 'emergency.' }],
    ['an entity (customer)', { entity: 'customer' }],
    ['a month', month],
    ['one person in a month', { actorId: someone, ...month }],
  ];
}

export async function benchAuditList(entries: number, samples: number, log: (line: string) => void): Promise<BenchRow[]> {
  await ensureAuditWorkspace(entries, log);
  const probe = await signedIn(entries);
  const db = probe.host.services()!.ws.db;
  const someone = db.prepare("SELECT actor_id FROM audit_log WHERE action = 'ticket.reply' LIMIT 1").pluck().get() as string;
  const march = Date.UTC(2025, 2, 1);
  probe.host.close();
  const filters = bitacoraFilters(someone, march);
  const rows: BenchRow[] = [];
  for (const [name, filter] of filters) {
    // First time: a new connection, the first call it answers.
    const cold = await signedIn(entries);
    const t0 = performance.now();
    const first = (await call(cold.host, cold.token, 'audit.list', { ...filter, limit: 100 })) as AuditPage;
    const firstMs = performance.now() - t0;
    const label = `audit.list ${name} (${first.totalCapped ? '>' : ''}${(first.total ?? 0).toLocaleString('en-US')})`;
    rows.push({ name: `${label}: first time, new connection`, n: 1, p50ms: firstMs, p95ms: firstMs, totalMs: firstMs, target: 'p95 ≤ 50 ms', met: firstMs <= 50 });
    const { host, token } = cold;
    rows.push(withTarget(await measure(`${label}: first page + count`, samples, () => call(host, token, 'audit.list', { ...filter, limit: 100 })), 50));
    rows.push(withTarget(await measure(`${label}: oldest page`, samples, () => call(host, token, 'audit.list', { ...filter, order: 'asc', limit: 100 })), 50));
    let cursor: string | null = first.nextCursor;
    for (let p = 1; p < 50 && cursor; p++) cursor = ((await call(host, token, 'audit.list', { ...filter, limit: 100, cursor })) as AuditPage).nextCursor;
    if (cursor) {
      const deep = cursor;
      rows.push(withTarget(await measure(`${label}: page after 5,000 entries`, samples, () => call(host, token, 'audit.list', { ...filter, limit: 100, cursor: deep })), 50));
    }
    host.close();
  }
  return rows;
}

if (process.argv[1]?.endsWith('audit-list.bench.ts')) {
  const { values } = parseArgs({ options: { entries: { type: 'string', default: '2000000' }, samples: { type: 'string', default: '30' } } });
  const log = (line: string) => console.error(line);
  benchAuditList(Number(values.entries), Number(values.samples), log).then((rows) => {
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| Benchmark | n | p50 (ms) | p95 (ms) | Target |\n|---|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(2)} | ${r.p95ms.toFixed(2)} | ${r.target ?? ''} |`);
  }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
