/**
 * Notifications (issue 14) through the dispatcher (`host.call`), as the bell and the panel ask:
 * the unread count (every poll), the panel's first page (all, and unread only), a page deep in
 * the history (cursor), marking all read, and assigning a ticket (the write that fans out a
 * notification). Run on a generated workspace (`npm run seed`, bulk path: it writes the same
 * notifications the commands do), as the user with the most notifications.
 *
 * Standalone: `npx tsx test/bench/notifications.bench.ts --data DIR --password P [--samples N]`.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openHost, type Host } from '../../electron/core/host';
import type { NotificationPage, UnreadCount } from '../../electron/shared/notifications';
import { call, measure, withTarget, type BenchRow } from './workspace.bench';

export async function benchNotifications(host: Host, password: string, samples: number): Promise<{ rows: BenchRow[]; facts: string[] }> {
  const s = host.services();
  if (!s) throw new Error('workspace did not open');
  const db = s.ws.db;
  const facts: string[] = [];
  const tickets = db.prepare('SELECT count(*) FROM tickets').pluck().get() as number;
  const total = db.prepare('SELECT count(*) FROM user_notifications').pluck().get() as number;
  const top = db.prepare(
    `SELECT u.username, u.id, count(*) AS n FROM user_notifications n JOIN users u ON u.id = n.recipient_id
     GROUP BY n.recipient_id ORDER BY n DESC LIMIT 1`,
  ).get() as { username: string; id: string; n: number };
  // A rerun measures the same state: the top user's notifications unread again (bench set-up, not a product write).
  db.prepare('UPDATE user_notifications SET read_at = NULL WHERE recipient_id = ?').run(top.id);
  facts.push(`${tickets.toLocaleString('en-US')} tickets, ${total.toLocaleString('en-US')} notifications; ${top.username} has ${top.n.toLocaleString('en-US')}`);
  const signIn = await host.call('auth.signIn', { username: top.username, password }, null);
  if (!signIn.ok) throw new Error(JSON.stringify(signIn.error));
  const token = (signIn.value as { token: string }).token;
  const unread = (await call(host, token, 'notifications.unreadCount', {})) as UnreadCount;
  facts.push(`unread before: ${unread.capped ? '99+' : unread.count}`);

  const rows: BenchRow[] = [];
  rows.push(withTarget(await measure(`unread count (${top.n.toLocaleString('en-US')} unread: counted to the 99+ bound)`, samples,
    () => call(host, token, 'notifications.unreadCount', {})), 5));
  rows.push(withTarget(await measure('panel, first page of 20 (all)', samples, () => call(host, token, 'notifications.list', { limit: 20 })), 5));
  rows.push(withTarget(await measure('panel, first page of 20 (unread only)', samples,
    () => call(host, token, 'notifications.list', { limit: 20, unreadOnly: true })), 5));
  // A cursor 1,000 rows into the history (or half-way).
  let cursor: string | null = null;
  const deep = Math.min(1_000, Math.floor(top.n / 2));
  for (let done = 0; done < deep; done += 100) cursor = ((await call(host, token, 'notifications.list', { limit: 100, ...(cursor ? { cursor } : {}) })) as NotificationPage).nextCursor;
  if (cursor) {
    const at = cursor;
    rows.push(withTarget(await measure(`panel, page of 20 after row ${deep.toLocaleString('en-US')}`, samples,
      () => call(host, token, 'notifications.list', { limit: 20, cursor: at })), 5));
  }
  const t0 = performance.now();
  const after = (await call(host, token, 'notifications.markAllRead', {})) as UnreadCount;
  rows.push({ name: `mark all read (${top.n.toLocaleString('en-US')} rows, one transaction + audit entry)`, n: 1, p50ms: performance.now() - t0, p95ms: performance.now() - t0, totalMs: 0 });
  facts.push(`unread after mark all read: ${after.count}`);
  rows.push(withTarget(await measure('unread count, all read (empty range)', samples, () => call(host, token, 'notifications.unreadCount', {})), 5));
  rows.push(withTarget(await measure('panel, first page of 20 (all read)', samples, () => call(host, token, 'notifications.list', { limit: 20 })), 5));

  // The write that fans out: an administrator assigns an open ticket back and forth between two agents.
  const admin = await host.call('auth.signIn', { username: 'admin', password }, null);
  if (!admin.ok) throw new Error(JSON.stringify(admin.error));
  const adminToken = (admin.value as { token: string }).token;
  const agents = db.prepare(`SELECT id FROM users WHERE active = 1 AND roles LIKE '%"agent"%' AND username != 'admin' LIMIT 2`).pluck().all() as string[];
  const open = db.prepare("SELECT id FROM tickets WHERE status = 'open' LIMIT 50").pluck().all() as string[];
  rows.push(withTarget(await measure('assign a ticket (row + history + audit + outbox + SLA + notification)', samples, (i) =>
    call(host, adminToken, 'tickets.assign', { ticketId: open[i % open.length]!, assigneeId: agents[Math.floor(i / open.length) % 2]! })), 5));
  return { rows, facts };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, password: { type: 'string' }, samples: { type: 'string', default: '200' } } });
  if (!values.data || !values.password) throw new Error('--data DIR --password P');
  // Background sync off: this device is not enrolled, and its after-write hook is not what is measured here.
  const host = openHost({ dataDir: values.data, sweepIntervalMs: 0, backgroundSync: false });
  try {
    console.log(`${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const { rows, facts } = await benchNotifications(host, values.password, Number(values.samples));
    for (const f of facts) console.log(f);
    console.log('| Benchmark | n | p50 (ms) | p95 (ms) | Target |\n|---|---:|---:|---:|---|');
    for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(2)} | ${r.p95ms.toFixed(2)} | ${r.target ?? ''} |`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    host.close();
  }
}

if (process.argv[1]?.endsWith('notifications.bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
