/**
 * Sync server benchmarks (issue 11), on a throwaway PostgreSQL cluster over loopback HTTP:
 *  - push: one branch pushes N queued mutations (notes on tickets: each note writes a timeline
 *    event and a ticket touch) — mutations per second;
 *  - live: a change at one branch (a user's name edited at MTY and pushed) visible at another
 *    (GDL, connected to a second server process on the same database, pulling on the live event) —
 *    milliseconds per change, p50/p95;
 *  - 50 devices: fifty branches push their queues at once — mutations per second in all;
 *  - first sync: 100,000 tickets with their messages pulled into an empty branch (first-sync.bench.ts).
 * `npm run bench` runs it (`--skip-sync` leaves it out); alone:
 *   npx tsx test/bench/sync-push.bench.ts [--mutations N] [--devices D] [--per-device M] [--samples S]
 *     [--only push,live,devices,first] [--first-sync-tickets T]
 * Each part prints wall time and CPU: this process's (app and server together) and PostgreSQL's own.
 * Prints numbers; passes or fails nothing.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { SyncClient } from '../../electron/core/sync/client';
import { buildServer } from '../../server/app';
import { openPostgres } from '../../server/db';
import { ADMIN_PASSWORD, phoneIntake, TestDesk } from '../fixtures/workspace';
import { BACKENDS, deskAt, startTestServer, type TestServer } from '../unit/server/harness';
import { benchFirstSync } from './first-sync.bench';
import type { BenchRow } from './workspace.bench';

export interface SyncBenchOptions {
  mutations: number;
  /** Tickets (with their messages) in the first-sync benchmark (first-sync.bench.ts); 0 leaves it out. */
  firstSyncTickets?: number;
  devices: number;
  perDevice: number;
  samples: number;
  /** Which parts to run (all when absent): push, live, devices, first. */
  only?: string[];
  log: (line: string) => void;
}

const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

/** Wall time and CPU of this process (the app and the server share it) and of PostgreSQL's processes, from start() to the call. */
export function meter(server: { pgCpuSeconds(): number | null }): () => { seconds: number; appCpu: number; pgCpu: number | null; text(n: number, unit: string): string } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const p0 = server.pgCpuSeconds();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const appCpu = (c.user + c.system) / 1e6;
    const p1 = server.pgCpuSeconds();
    const pgCpu = p0 === null || p1 === null ? null : p1 - p0;
    return {
      seconds, appCpu, pgCpu,
      text: (n, unit) => `CPU: app+server ${appCpu.toFixed(2)} s (${((appCpu * 1e6) / n).toFixed(1)} µs/${unit})` +
        (pgCpu === null ? '' : `, PostgreSQL ${pgCpu.toFixed(2)} s (${((pgCpu * 1e6) / n).toFixed(1)} µs/${unit}); ${Math.round(n / (appCpu + pgCpu)).toLocaleString('en-US')} ${unit}s per CPU-second in all`),
    };
  };
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))] ?? 0;

/** Queues about `n` notes (with their ticket touches) on a desk's tickets, 500 per write (a ticket is opened for them unless given). */
async function queueNotes(desk: TestDesk, n: number, ticketId?: string): Promise<number> {
  const s = desk.services;
  const me = (await desk.call('auth.me', {})).id;
  const tickets = [ticketId === undefined ? await desk.call('tickets.create', phoneIntake()) : { id: ticketId }];
  const count = () => s.ws.db.prepare('SELECT COUNT(*) FROM outbox WHERE push_status IS NULL').pluck().get() as number;
  for (let round = 0; count() < n; round++) {
    const ticket = tickets[round % tickets.length]!;
    s.ws.write({ kind: 'user', userId: me }, (tx) => {
      for (let i = 0; i < Math.min(500, n); i++) s.tickets.addMessageInTx(tx, ticket.id, 'note', `Nota ${round}.${i}`);
    });
  }
  return count();
}

async function enrol(desk: TestDesk, server: TestServer, site: string, url = server.url): Promise<SyncClient> {
  const client = new SyncClient(desk.services);
  await client.enrol((await desk.call('auth.me', {})).id, url, await server.branchWithCode(site));
  return client;
}

async function benchPush(server: TestServer, n: number, log: (l: string) => void): Promise<BenchRow> {
  const desk = await deskAt(() => new TestDesk(), 'BEN');
  try {
    const queued = await queueNotes(desk, n);
    const client = await enrol(desk, server, 'BEN');
    log(`push: ${queued} mutations queued, pushing (${load()}) …`);
    const stop = meter(server);
    const result = await client.push();
    const m = stop();
    const seconds = m.seconds;
    const rate = queued / seconds;
    log(`push: ${queued} mutations in ${seconds.toFixed(2)} s = ${Math.round(rate)}/s (applied ${result.applied}, rejected ${result.rejected}; ${load()})`);
    log(`push: ${m.text(queued, 'mutation')}`);
    return {
      name: 'Push queued mutations to PostgreSQL (loopback HTTP)', n: queued, p50ms: (seconds * 1000) / Math.ceil(queued / 2000), p95ms: seconds * 1000, totalMs: seconds * 1000,
      target: '≥ 10,000 mutations/s', met: rate >= 10_000, note: `${Math.round(rate).toLocaleString('en-US')} mutations/s; p50 = per 2,000-mutation batch, p95 column = whole push; ${m.text(queued, 'mutation')}; ${load()}`,
    };
  } finally {
    desk.close();
  }
}

async function benchLive(server: TestServer, samples: number, log: (l: string) => void): Promise<BenchRow> {
  // A second server process on the same database: GDL talks to it, MTY to the first.
  const second: FastifyInstance = buildServer({ db: openPostgres(server.pgUrl!) });
  await second.listen({ port: 0, host: '127.0.0.1' });
  const secondUrl = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
  const mty = await deskAt(() => new TestDesk(), 'MTY');
  const gdl = new TestDesk(undefined, Date.now(), { intervalMs: 3_600_000, debounceMs: 3_600_000 });
  try {
    gdl.token = (await gdl.call('auth.setup', {
      branchCode: 'GDL', branchName: 'Sucursal GDL', timeZone: 'America/Mexico_City',
      username: 'admin.gdl', fullName: 'Administración GDL', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null)).token;
    const mtyClient = await enrol(mty, server, 'MTY');
    const user = await mty.userWithRoles('lupita', ['agent']);
    await mtyClient.syncNow();
    await gdl.call('sync.enrol', { url: secondUrl, code: await server.branchWithCode('GDL') });
    const nameAtGdl = gdl.services.ws.db.prepare('SELECT full_name FROM users WHERE id = ?').pluck();
    // Looked at every millisecond (a timer, not a spin: a spinning loop would take the CPU the server and GDL need).
    const wait = async (want: string) => {
      const t0 = performance.now();
      while (nameAtGdl.get(user.id) !== want || !gdl.services.syncBackground.liveConnected()) {
        if (performance.now() - t0 > 10_000) throw new Error('change not seen at GDL within 10 s');
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    await wait('Usuario lupita');
    const times: number[] = [];
    const pushes: number[] = [];
    const stop = meter(server);
    for (let i = 0; i < samples; i++) {
      while (gdl.services.sync.isRunning()) await new Promise((r) => setTimeout(r, 5));
      const name = `Lupita ${i}`;
      const t0 = performance.now();
      await mty.call('users.update', { userId: user.id, fullName: name });
      await mtyClient.push();
      pushes.push(performance.now() - t0);
      await wait(name);
      times.push(performance.now() - t0);
    }
    const m = stop();
    const p95 = pct(times, 0.95);
    log(`live: p50 ${pct(times, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${samples} changes; of which the edit and MTY's push p50 ${pct(pushes, 0.5).toFixed(1)} ms (${load()})`);
    log(`live: ${m.text(samples, 'change')}`);
    return {
      name: 'A change at one branch visible at another (two server processes, live stream)', n: samples, p50ms: pct(times, 0.5), p95ms: p95, totalMs: times.reduce((a, b) => a + b, 0),
      target: 'p95 ≤ 50 ms', met: p95 <= 50, note: `edit at MTY → push → NOTIFY → SSE at GDL → pull → applied; ${load()}`,
    };
  } finally {
    while (gdl.services.sync.isRunning()) await new Promise((r) => setTimeout(r, 5));
    mty.close();
    gdl.close();
    await second.close();
  }
}

async function benchManyDevices(server: TestServer, devices: number, perDevice: number, log: (l: string) => void): Promise<BenchRow> {
  const desks: TestDesk[] = [];
  try {
    const clients: SyncClient[] = [];
    let total = 0;
    // Each device's set-up — its branch, its administrator, the customer and ticket the notes go on —
    // is pushed before the timed part: those are identity decisions that push alone (push.ts's
    // lock), once per device in its life. What is timed is the steady state: notes and ticket touches.
    for (let i = 0; i < devices; i++) {
      const site = `D${i.toString().padStart(2, '0')}`;
      const desk = await deskAt(() => new TestDesk(), site);
      desks.push(desk);
      const ticket = await desk.call('tickets.create', phoneIntake());
      const client = await enrol(desk, server, site);
      await client.push();
      total += await queueNotes(desk, perDevice, ticket.id);
      clients.push(client);
    }
    log(`${devices} devices: set-up pushed; ${total} mutations queued, all pushing at once (${load()}) …`);
    const stop = meter(server);
    const each = await Promise.all(clients.map(async (c) => {
      const s0 = performance.now();
      await c.push();
      return performance.now() - s0;
    }));
    const m = stop();
    const seconds = m.seconds;
    log(`${devices} devices: ${total} mutations in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)}/s; one device's push p50 ${pct(each, 0.5).toFixed(0)} ms, p95 ${pct(each, 0.95).toFixed(0)} ms (${load()})`);
    log(`${devices} devices: ${m.text(total, 'mutation')}`);
    return {
      name: `${devices} devices pushing at once`, n: total, p50ms: pct(each, 0.5), p95ms: pct(each, 0.95), totalMs: seconds * 1000,
      note: `${Math.round(total / seconds).toLocaleString('en-US')} mutations/s in all (steady state: each device's set-up pushed before); p50/p95 = one device's whole push; ${m.text(total, 'mutation')}; ${load()}`,
    };
  } finally {
    for (const d of desks) d.close();
  }
}

export async function benchSync(o: SyncBenchOptions): Promise<BenchRow[]> {
  const backend = BACKENDS[0]!;
  if (!backend.available) {
    o.log('sync: skipped (no PostgreSQL binaries)');
    return [];
  }
  const rows: BenchRow[] = [];
  for (const [name, run] of [
    ['push', (server: TestServer) => benchPush(server, o.mutations, o.log)],
    ['live', (server: TestServer) => benchLive(server, o.samples, o.log)],
    ['devices', (server: TestServer) => benchManyDevices(server, o.devices, o.perDevice, o.log)],
  ] as const) {
    if (o.only && !o.only.includes(name)) continue;
    const server = await startTestServer(backend);
    try {
      rows.push(await run(server));
    } catch (err) {
      o.log(`sync ${name}: failed: ${(err as Error).message}`);
    } finally {
      await server.close();
    }
  }
  if (o.firstSyncTickets && (!o.only || o.only.includes('first'))) {
    try {
      const row = await benchFirstSync(o.firstSyncTickets, o.log);
      if (row) rows.push(row);
    } catch (err) {
      o.log(`sync first sync: failed: ${(err as Error).message}`);
    }
  }
  return rows;
}

if (process.argv[1] && /sync-push\.bench\.[cm]?[jt]s$/.test(process.argv[1])) {
  const { values } = parseArgs({ options: { mutations: { type: 'string' }, devices: { type: 'string' }, 'per-device': { type: 'string' }, samples: { type: 'string' }, only: { type: 'string' }, 'first-sync-tickets': { type: 'string' } } });
  const rows = await benchSync({
    mutations: Number(values.mutations ?? 100_000), devices: Number(values.devices ?? 50), perDevice: Number(values['per-device'] ?? 1_000),
    samples: Number(values.samples ?? 50), log: (l) => console.error(l), only: values.only?.split(','),
    firstSyncTickets: Number(values['first-sync-tickets'] ?? 0),
  });
  for (const r of rows) console.log(`| ${r.name} | ${r.n.toLocaleString('en-US')} | ${r.p50ms.toFixed(1)} | ${r.p95ms.toFixed(1)} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? '✅' : '❌'} | ${r.note ?? ''} |`);
}
