/**
 * `npm run bench [-- --tickets N --messages-per-ticket M --data DIR --password P --samples S --skip-sync]`
 *
 * Builds (or reuses, from a size-keyed cache folder under /tmp) a big workspace and prints a
 * markdown table of the workspace and calendar benchmarks beside their targets; the same table is
 * written to test/bench/results.md. BENCH_SMALL=1 is a quick run over 20,000 tickets.
 * Benchmarks print numbers; they are not pass/fail tests.
 */
import { writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { benchCalendar } from './calendar.bench';
import { benchWorkspace, ensureBenchWorkspace, type BenchRow } from './workspace.bench';
import { benchAudit, benchSlaAndBoard } from './sla-audit.bench';
import { benchListViews } from './list-views.bench';
import { benchAuditList } from './audit-list.bench';
import { benchSync } from './sync-push.bench';
import { benchHome } from './home.bench';
import { benchNotifications } from './notifications.bench';
import { benchKnowledgeBase } from './kb.bench';
import { benchMailImport } from './mail-import.bench';
import { openHost } from '../../electron/core/host';

const here = dirname(fileURLToPath(import.meta.url));

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function table(rows: BenchRow[]): string {
  const lines = ['| Benchmark | n | p50 (ms) | p95 (ms) | Target | Met | Note |', '|---|---:|---:|---:|---|:-:|---|'];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? '✅' : '❌';
    lines.push(`| ${r.name} | ${r.n.toLocaleString('en-US')} | ${fmt(r.p50ms)} | ${fmt(r.p95ms)} | ${r.target ?? ''} | ${met} | ${r.note ?? ''} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string' },
      'messages-per-ticket': { type: 'string', default: '5' },
      data: { type: 'string' },
      password: { type: 'string' },
      samples: { type: 'string' },
      'skip-calendar': { type: 'boolean', default: false },
      'skip-sla': { type: 'boolean', default: false },
      'skip-audit': { type: 'boolean', default: false },
      'skip-list-views': { type: 'boolean', default: false },
      'skip-audit-list': { type: 'boolean', default: false },
      'skip-sync': { type: 'boolean', default: false },
      'skip-home': { type: 'boolean', default: false },
      'audit-list-entries': { type: 'string' },
      'skip-kb': { type: 'boolean', default: false },
      'kb-articles': { type: 'string', default: '2000' },
      'skip-mail-import': { type: 'boolean', default: false },
      'mail-import-messages': { type: 'string' },
    },
  });
  const small = process.env.BENCH_SMALL === '1';
  const tickets = Number(values.tickets ?? (small ? 20_000 : 1_000_000));
  const messagesPerTicket = Number(values['messages-per-ticket']);
  const samples = Number(values.samples ?? 200);
  const log = (line: string) => console.error(line);

  const ws = await ensureBenchWorkspace({ tickets, messagesPerTicket, dataDir: values.data, password: values.password, log });
  log(`Measuring ${ws.dataDir} (${ws.reused ? 'reused' : 'just generated'}) …`);
  const { rows, facts, plans } = await benchWorkspace(ws, { samples, log });
  log('Every list view × sort, search pages …');
  const listViewRows: BenchRow[] = values['skip-list-views'] ? [] : await benchEveryListView(ws.dataDir, ws.password, Math.min(samples, 50), log);
  log('Supervisor home, opening tickets, the bell …');
  const homeRows: BenchRow[] = values['skip-home'] ? [] : [
    ...(await benchHome(ws.dataDir, ws.password, Math.min(samples, 50))),
    ...(await benchBellCount(ws.dataDir, ws.password, Math.min(samples, 50))),
  ];
  const calendarRows: BenchRow[] = values['skip-calendar'] ? [] : await benchCalendar();
  log('SLA and board workspaces …');
  const slaRows: BenchRow[] = values['skip-sla'] ? [] : await benchSlaAndBoard(log, small ? 10_000 : 100_000, small ? 2_000 : 10_000);
  log('Audit chain …');
  const auditRows: BenchRow[] = values['skip-audit'] ? [] : await benchAudit(log, small ? 100_000 : 1_000_000, small ? 10_000 : 100_000);
  log('Bitácora filters …');
  const auditListEntries = Number(values['audit-list-entries'] ?? (small ? 200_000 : 5_000_000));
  const auditListRows: BenchRow[] = values['skip-audit-list'] ? [] : await benchAuditList(auditListEntries, Math.min(samples, 50), log);
  log('Knowledge base search …');
  const kbArticles = Number(values['kb-articles']);
  const kbRows: BenchRow[] = values['skip-kb'] ? [] : await benchKnowledgeBase(kbArticles, samples, log);

  log('Incoming mail (IMAP → tickets) …');
  const mailMessages = Number(values['mail-import-messages'] ?? (small ? 1_000 : 10_000));
  const mailRows: BenchRow[] = values['skip-mail-import'] ? [] : await benchMailImport(mailMessages, log);

  log('Sync server (PostgreSQL) …');
  const syncRows: BenchRow[] = values['skip-sync'] ? [] : await benchSync({
    mutations: small ? 20_000 : 100_000, devices: small ? 10 : 50, perDevice: small ? 500 : 1_000, samples: Math.min(samples, 50), log,
    firstSyncTickets: small ? 10_000 : 100_000,
  });

  const sqlite = (new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string);
  const header = [
    `# Benchmark results`,
    '',
    `Run ${new Date().toISOString()} · Node ${process.version} · SQLite ${sqlite} · ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}) · load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    `Workspace: \`${ws.dataDir}\` — ${Object.entries(facts).map(([k, v]) => `${k}: ${v}`).join(' · ')}`,
    ws.generationMs !== null ? `Generation time (demo-data generator, bulk path): ${(ws.generationMs / 60_000).toFixed(1)} min` : '',
    '',
    '## Workspace (through the dispatcher, `host.call`)',
    '',
    table(rows),
    '',
    '## Every list view × sort, and search pages (the paths the list screen takes)',
    '',
    listViewRows.length > 0 ? table(listViewRows) : '(skipped)',
    '',
    '## Supervisor home, opening a ticket, the notification bell',
    '',
    homeRows.length > 0 ? table(homeRows) : '(skipped)',
    '',
    '## Service levels and escalation board',
    '',
    slaRows.length > 0 ? table(slaRows) : '(skipped)',
    '',
    '## Audit log',
    '',
    auditRows.length > 0 ? table(auditRows) : '(skipped)',
    '',
    `## Bitácora (audit log screen) over ${auditListEntries.toLocaleString('en-US')} entries`,
    '',
    auditListRows.length > 0 ? table(auditListRows) : '(skipped)',
    '',
    `## Knowledge base search over ${kbArticles.toLocaleString('en-US')} articles`,
    '',
    kbRows.length > 0 ? table(kbRows) : '(skipped)',
    '',
    `## Incoming mail: ${mailMessages.toLocaleString('en-US')} messages from a local Dovecot into tickets`,
    '',
    mailRows.length > 0 ? table(mailRows) : '(skipped, or dovecot is not installed)',

    '## Sync server (PostgreSQL, loopback)',
    '',
    syncRows.length > 0 ? table(syncRows) : '(skipped)',
    '',
    '## Business calendar',
    '',
    calendarRows.length > 0 ? table(calendarRows) : '(skipped)',
    '',
    '## Query plans',
    '',
    '```',
    plans.join('\n\n'),
    '```',
    '',
  ].join('\n');
  console.log(header);
  writeFileSync(join(here, 'results.md'), header);
}

/** The list screen's paths on the headline workspace, signed in as its administrator. */
async function benchEveryListView(dataDir: string, password: string, samples: number, log: (line: string) => void): Promise<BenchRow[]> {
  const host = openHost({ dataDir, sweepIntervalMs: 0 });
  try {
    const signIn = await host.call('auth.signIn', { username: 'admin', password }, null);
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
    return await benchListViews(host, (signIn.value as { token: string }).token, samples, log);
  } finally {
    host.close();
  }
}

/** The notification bell (unread count and panel) as the user with the most notifications. */
async function benchBellCount(dataDir: string, password: string, samples: number): Promise<BenchRow[]> {
  const host = openHost({ dataDir, sweepIntervalMs: 0 });
  try {
    return (await benchNotifications(host, password, samples)).rows;
  } finally {
    host.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
