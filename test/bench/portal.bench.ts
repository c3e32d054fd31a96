/**
 * The customer portal under load (issue 13): the central server on a throwaway PostgreSQL cluster
 * (PGlite with --pglite, or an existing cluster with --pg-url) holding N tickets (default 100,000) as
 * branches' syncs leave them (test/bench/portal-seed.ts: every row an applied mutation and its merged
 * entity, three timeline entries a ticket), driven by autocannon over loopback: the form page, a bot challenge, the ticket form post
 * (each request with its own solved challenge), the status by folio + e-mail, an article search, and
 * the same status look-up with the rate limits on (the 429 path: one upsert in PostgreSQL).
 *
 * `npx tsx test/bench/portal.bench.ts [--tickets N] [--seconds S] [--connections C] [--pglite | --pg-url URL]`
 * With --pg-url the cluster is kept: its rows are seeded only when it holds fewer than N tickets (1M take ~14 min).
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildServer } from '../../server/app';
import { openPglite, openPostgres, type Db } from '../../server/db';
import { migrateServer } from '../../server/migrate';
import { leadingZeroBits, powInput, type PortalChallenge } from '../../electron/shared/portal';
import { startPostgres } from '../fixtures/postgres';
import { seededEmail, seededFolio, seedLikeSync } from './portal-seed';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' }, seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' },
    pglite: { type: 'boolean', default: false }, 'pg-url': { type: 'string' },
  },
});
const N = Number(values.tickets);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

/** N tickets as synced rows (portal-seed.ts), unless the cluster already holds them; and 300 public articles. */
async function seed(db: Db): Promise<void> {
  const [have] = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM entities WHERE entity = 'ticket'");
  if (Number(have?.n ?? 0) < N) await seedLikeSync(db, N, console.log);
  const [articles] = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM entities WHERE entity = 'kb_article'");
  if (Number(articles?.n ?? 0) > 0) return;
  await db.exec(`
    INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq)
    SELECT 'kb_article', 'a' || lpad(i::text, 35, '0'), 'MTY', jsonb_build_object('title', 'Artículo ' || i || ' sobre timbrado y cancelación', 'body', 'Pasos para timbrar, cancelar y descargar el XML. ' || repeat('Texto de ayuda. ', 50),
      'status', 'published', 'visibility', 'public', 'category', 'other'), '{}', 0
    FROM generate_series(1, 300) i;
    ANALYZE entities;
  `);
}

function solve(c: PortalChallenge): string {
  for (let n = 0; ; n++) if (leadingZeroBits(createHash('sha256').update(powInput(c.token, String(n))).digest()) >= c.difficulty) return String(n);
}

interface Row { route: string; rps: number; p50: number; p95: number; p99: number; non2xx: number; requests: number }

async function run(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections: CONNECTIONS, ...(opts.amount ? {} : { duration: SECONDS }), ...opts });
  // autocannon's latency object has p97_5 and p99; p95 is read from its percentile table when present.
  const lat = r.latency as unknown as Record<string, number>;
  return {
    route: name, rps: Math.round(r.requests.average), p50: lat.p50!, p95: lat.p95 ?? lat.p97_5!, p99: lat.p99!, non2xx: r.non2xx, requests: r.requests.total,
  };
}

async function main(): Promise<void> {
  let db: Db;
  let stopPg = async () => undefined as void;
  if (values.pglite) db = await openPglite();
  else if (values['pg-url']) db = openPostgres(values['pg-url'], 20);
  else {
    const pg = await startPostgres();
    db = openPostgres(pg.url, 20);
    stopPg = async () => pg.stop();
  }
  await migrateServer(db);
  const t0 = performance.now();
  await seed(db);
  console.log(`seeded ${N.toLocaleString('en-US')} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s (${db.kind})`);

  const open = buildServer({ db, env: { PORTAL_SITE_CODE: 'WEB' }, portal: { smtp: null, rateLimits: false } });
  const limited = buildServer({ db, env: { PORTAL_SITE_CODE: 'WEB' }, portal: { smtp: null } });
  await open.listen({ port: 0, host: '127.0.0.1' });
  await limited.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(open.server.address() as { port: number }).port}`;
  const url2 = `http://127.0.0.1:${(limited.server.address() as { port: number }).port}`;
  const csrf = ((await (await fetch(`${url}/portal/api/session`)).json()) as { csrfToken: string }).csrfToken;
  const headers = { 'content-type': 'application/json', cookie: `portal_csrf=${csrf}`, 'x-csrf-token': csrf };

  // Enough solved challenges for the ticket posts, then a wait past the minimum fill time.
  const solved: string[] = [];
  const target = Math.min(3000, SECONDS * 150);
  for (let i = 0; i < target; i++) {
    const c = (await (await fetch(`${url}/portal/api/challenge`)).json()) as PortalChallenge;
    solved.push(JSON.stringify({ token: c.token, nonce: solve(c) }));
  }
  await new Promise((r) => setTimeout(r, 3_100));
  let next = 0;
  const form = (i: number) => ({
    email: `nuevo${i}@ejemplo.mx`, rfc: 'XAXX010101000', name: `Cliente nuevo ${i}`, subject: 'No puedo timbrar', message: 'El timbrado marca error 301.',
    priority: 'normal', requestType: 'technical', attachments: [], website: '',
  });

  const status = JSON.stringify({ trackingNumber: seededFolio(Math.floor(N / 2)), email: seededEmail(Math.floor(N / 2)) });
  // The look-up answers this ticket (not a uniform 404): checked once before measuring.
  const probe = await fetch(`${url}/portal/api/status`, { method: 'POST', headers, body: status });
  if (probe.status !== 200) throw new Error(`the status look-up answered ${probe.status}: ${await probe.text()}`);
  const timeline = ((await probe.json()) as { timeline: unknown[] }).timeline.length;
  const rows: Row[] = [];
  rows.push(await run('GET /portal/ (form page)', { url: `${url}/portal/` }));
  rows.push(await run('GET /portal/api/challenge', { url: `${url}/portal/api/challenge` }));
  rows.push(await run('POST /portal/api/status', { url: `${url}/portal/api/status`, method: 'POST', headers, body: status }));
  rows.push(await run('GET /portal/api/articles?q=…', { url: `${url}/portal/api/articles?q=no%20puedo%20timbrar` }));
  rows.push(await run('POST /portal/api/tickets', {
    url: `${url}/portal/api/tickets`, method: 'POST', headers, amount: solved.length,
    requests: [{ setupRequest: (req) => ({ ...req, body: `{"challenge":${solved[next]},${JSON.stringify(form(next++)).slice(1)}` }) }],
  }));
  rows.push(await run('POST /portal/api/status (limits on: 429)', { url: `${url2}/portal/api/status`, method: 'POST', headers, body: status }));

  const load = loadavg().map((l) => l.toFixed(1)).join(', ');
  console.log(`\n${N.toLocaleString('en-US')} tickets, ${db.kind}, ${CONNECTIONS} connections, ${SECONDS} s each, load ${load}; the looked-up ticket shows ${timeline} public entries`);
  console.log('| Route | req/s | p50 ms | p95 ms | p99 ms | non-2xx | requests |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.route} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.non2xx} | ${r.requests} |`);
  await open.close();
  await limited.close();
  await db.close();
  await stopPg();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
