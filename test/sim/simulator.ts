/**
 * The seeded sync simulator (issue 11, Tests): in one process, three branches' devices (real
 * workspaces on real SQLite files, driven through the app's own handler map) and the sync server
 * (real PostgreSQL in PGlite, in-process; two server instances on one database in some seeds)
 * talk through a network that partitions, drops requests and responses, duplicates and re-delivers
 * old requests late. Devices run with clocks up to a day off, the server is killed mid-batch (its
 * transaction aborted), devices are killed mid-batch (the answer never recorded) and mid-apply
 * (the pull's transaction aborted). Everything random comes from the seed, so a failing seed is
 * replayed with `npm run sim -- --seed N`.
 *
 * After the run the network heals and every device syncs until nothing moves; then:
 *  - every device's state (tickets with their timelines, customers, users) hashes equal to the
 *    server's view of what that branch may see;
 *  - every mutation a device wrote is on the server applied, or rejected with a reason the device
 *    also shows; nothing is left pending;
 *  - tracking numbers are unique;
 *  - every device's audit chain verifies, and the server's chain does.
 *
 * Cheap by design (200 seeds run in `npm test`): one PGlite per process, emptied between seeds;
 * each branch's workspace is set up once (users and passwords hashed once) and copied per seed;
 * sessions are opened directly (no password hashing per seed).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { rng } from '../../electron/cli/demo-data';
import { verifyAuditLog } from '../../electron/core/audit';
import { openHost, type Host } from '../../electron/core/host';
import { outboxPayload } from '../../electron/core/sync/outbox-payload';
import { AppError } from '../../electron/shared/errors';
import type { Services } from '../../electron/core/services';
import type { MethodInput, MethodName } from '../../electron/shared/contract';
import type { Role } from '../../electron/shared/domain';
import { makeRfc } from '../../electron/shared/rfc';
import { buildServer } from '../../server/app';
import { createBranch, createEnrolmentCode } from '../../server/commands/admin';
import { verifyServerAudit } from '../../server/commands/audit';
import { openPglite, type Db, type Sql } from '../../server/db';
import { ServerError } from '../../server/errors';
import { migrateServer } from '../../server/migrate';
import { ADMIN_PASSWORD, USER_PASSWORD } from '../fixtures/workspace';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Monday 2 March 2026, 10:00 in Mexico City: the templates are made two days before. */
const BASE = Date.UTC(2026, 2, 2, 16, 0, 0);
const SERVER_URL = 'http://127.0.0.1:9';

interface Rand {
  (): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}
function rand(seed: number): Rand {
  const r = rng(seed) as Rand;
  r.int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  r.pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  r.chance = (p) => r() < p;
  return r;
}

const BRANCHES = ['MTY', 'GDL', 'CUU'] as const;
type Site = (typeof BRANCHES)[number];
/** Each branch's people (the administrator set it up). `soporte` exists at every branch: the server renames the later ones. */
const PEOPLE: Array<{ name: (site: string) => string; roles: Role[] }> = [
  { name: (s) => `agente.${s.toLowerCase()}`, roles: ['agent'] },
  { name: (s) => `ops.${s.toLowerCase()}`, roles: ['operations'] },
  { name: (s) => `dev.${s.toLowerCase()}`, roles: ['development'] },
  { name: () => 'soporte', roles: ['agent'] },
];
/** Customers' RFCs: few, so the same RFC is registered offline at two branches often. */
const RFCS = [
  makeRfc('TCE', { y: 2005, m: 3, d: 15 }, '5C'), makeRfc('FAC', { y: 2011, m: 7, d: 2 }, 'A1'), makeRfc('GMS', { y: 1999, m: 11, d: 30 }, 'K2'),
  makeRfc('LOPA', { y: 1980, m: 1, d: 9 }, 'H3'), makeRfc('DIS', { y: 2016, m: 5, d: 21 }, 'Q7'), makeRfc('SERV', { y: 1975, m: 6, d: 14 }, 'B8'),
];

/** What one seed does: sizes and fault rates. */
export interface SeedPlan {
  seed: number;
  devices: number;
  steps: number;
  twoServers: boolean;
  faults: { dropRequest: number; dropResponse: number; duplicate: number; stale: number };
}

export function planFor(seed: number, steps = 36): SeedPlan {
  const r = rand(seed ^ 0x5eed);
  return {
    seed,
    devices: 3,
    steps,
    twoServers: r.chance(0.4),
    faults: { dropRequest: r() * 0.15, dropResponse: r() * 0.15, duplicate: r() * 0.2, stale: r() * 0.2 },
  };
}

/** What one seed saw (for the report and for a failing seed's message). */
export interface SeedResult {
  seed: number;
  ops: number;
  refusedLocally: number;
  syncs: number;
  failedSyncs: number;
  faults: Record<string, number>;
  mutations: { applied: number; rejected: number };
  reasons: Record<string, number>;
  log: string[];
  /** Where the seed's time went (ms). */
  timing: Record<string, number>;
}

export class SimFailure extends Error {
  constructor(readonly seed: number, message: string, readonly log: string[]) {
    super(`sync simulator, seed ${seed}: ${message}\n  replay: npm run sim -- --seed ${seed} --verbose\n  last steps:\n    ${log.slice(-25).join('\n    ')}`);
  }
}

/** A session opened without a password check (scrypt per seed would cost seconds); the users are real rows. */
function openSession(s: Services, userId: string): string {
  return (s.users as unknown as { openSession(id: string): { token: string } }).openSession(userId).token;
}

interface Person {
  id: string;
  username: string;
  token: string;
}

/** An outbox record as the device wrote it. */
interface Wrote {
  label: string;
  order: number;
  entity: string;
  entityId: string;
  fields: string[];
}

interface Request {
  path: string;
  headers: Record<string, string>;
  body: string;
}

class Device {
  host!: Host;
  people: Person[] = [];
  partitioned = false;
  /** Requests the network may deliver again later (duplicates, reordered). */
  readonly stash: Request[] = [];
  /** Every outbox record this device wrote (id → created), to check each reached the server. */
  readonly wrote = new Map<string, Wrote>();
  private outboxSeen = 0;
  crashAfterDelivery = false;
  abortNextApply = false;

  constructor(readonly site: Site, readonly dir: string, readonly skewMs: number, private readonly world: World) {}

  open(): void {
    this.host = openHost({
      dataDir: this.dir, now: () => this.world.now + this.skewMs, backgroundSync: false, mail: { start: false }, kbStarter: false,
      syncFetch: this.world.fetchFor(this),
    });
    const users = this.s.ws.sql('SELECT id, username FROM users WHERE active = 1 AND password_hash LIKE \'scrypt$%\' ORDER BY username').all() as Array<{ id: string; username: string }>;
    this.people = users.map((u) => ({ ...u, token: openSession(this.s, u.id) }));
  }

  get s(): Services {
    const s = this.host.services();
    if (!s) throw new Error(`${this.site}: workspace not open`);
    return s;
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>, who: Person): Promise<{ ok: true; value: unknown } | { ok: false; code: string }> {
    const r = await this.host.call(method, input, who.token);
    this.noteOutbox(method);
    return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.error.code };
  }

  /** Records the outbox ids written since the last look. */
  noteOutbox(by: string): void {
    const rows = this.s.ws.sql('SELECT seq, id, entity, entity_id AS entityId, op, payload FROM outbox WHERE seq > ? ORDER BY seq').all(this.outboxSeen) as
      Array<{ seq: number; id: string; entity: string; entityId: string; op: string; payload: string }>;
    for (const r of rows) {
      this.wrote.set(r.id, { label: `${r.entity} ${r.op} by ${by}, outbox seq ${r.seq}`, order: this.wrote.size, entity: r.entity, entityId: r.entityId, fields: Object.keys(outboxPayload(this.s.ws.db, r)) });
    }
    if (rows.length > 0) this.outboxSeen = rows[rows.length - 1]!.seq;
  }

  /** Kills the device's process: nothing in memory survives (sessions, runs); the files do. */
  restart(): void {
    this.host.close();
    this.crashAfterDelivery = false;
    this.abortNextApply = false;
    this.open();
  }

  close(): void {
    this.host.close();
  }
}

/** One process's simulator: the PGlite server (made once) and each branch's set-up workspace. */
export class World {
  now = BASE;
  db!: Db;
  private raw!: Db;
  private apps: FastifyInstance[] = [];
  private templates = new Map<Site, string>();
  private root = '';
  private r: Rand = rand(0);
  private plan!: SeedPlan;
  private killNextTx = 0;
  result!: SeedResult;
  verbose = false;

  static async open(): Promise<World> {
    const w = new World();
    w.root = mkdtempSync(join(tmpdir(), 'helpdesk-sim-'));
    w.raw = await openPglite();
    await migrateServer(w.raw);
    // Every server transaction can be aborted before its commit (a server killed mid-batch).
    w.db = {
      ...w.raw,
      kind: w.raw.kind,
      query: (t, p) => w.raw.query(t, p),
      exec: (s) => w.raw.exec(s),
      close: () => w.raw.close(),
      listen: (c, n, l) => w.raw.listen(c, n, l),
      tx: <T>(fn: (sql: Sql) => Promise<T>) => w.raw.tx(async (sql) => {
        const out = await fn(sql);
        if (w.killNextTx > 0) {
          w.killNextTx--;
          w.count('serverKilled');
          throw new ServerError(503, 'sim.killed');
        }
        return out;
      }),
    };
    for (let i = 0; i < 2; i++) {
      const app = buildServer({ db: w.db, now: () => w.now });
      await app.ready();
      w.apps.push(app);
    }
    for (const site of BRANCHES) w.templates.set(site, await w.template(site));
    return w;
  }

  /** A branch's workspace set up once: its administrator and people (passwords hashed here, once). */
  private async template(site: Site): Promise<string> {
    const dir = join(this.root, `template-${site}`);
    const host = openHost({ dataDir: dir, now: () => BASE - 2 * DAY, backgroundSync: false, mail: { start: false }, kbStarter: false });
    const call = async (method: MethodName, input: unknown, token: string | null) => {
      const r = await host.call(method, input, token);
      if (!r.ok) throw new Error(`${site} ${method}: ${JSON.stringify(r.error)}`);
      return r.value as { token: string };
    };
    const admin = await call('auth.setup', {
      branchCode: site, branchName: `Sucursal ${site}`, timeZone: 'America/Mexico_City',
      username: `admin.${site.toLowerCase()}`, fullName: `Administración ${site}`, password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null);
    for (const p of PEOPLE) {
      await call('users.create', { username: p.name(site), fullName: `Persona ${p.name(site)}`, password: USER_PASSWORD, confirmPassword: USER_PASSWORD, roles: p.roles }, admin.token);
    }
    host.close();
    return dir;
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    await this.raw.close();
    rmSync(this.root, { recursive: true, force: true });
  }

  private async timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.result.timing[what] = (this.result.timing[what] ?? 0) + performance.now() - t0;
    }
  }

  count(what: string): void {
    this.result.faults[what] = (this.result.faults[what] ?? 0) + 1;
  }

  private say(line: string): void {
    this.result.log.push(`[${Math.round((this.now - BASE) / MINUTE)} min] ${line}`);
    if (this.verbose) console.log(this.result.log[this.result.log.length - 1]);
  }

  /** Empties the server's database (one PGlite per process: creating one costs seconds). */
  private async resetServer(): Promise<string> {
    const tables = await this.raw.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'");
    await this.raw.exec(`TRUNCATE ${tables.map((x) => `"${x.t}"`).join(', ')} RESTART IDENTITY CASCADE;
      INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');`);
    const adminId = 'sim-admin';
    await this.raw.query("INSERT INTO server_admins (id, username, password_hash, created_at) VALUES ($1, 'central', '!', $2)", [adminId, this.now]);
    return adminId;
  }

  /** The network between a device and the servers: every request of its sync client comes here. */
  fetchFor(dev: Device): typeof fetch {
    return (async (input: string | URL | globalThis.Request, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const req: Request = { path: url.pathname, headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body ?? '') };
      const f = this.plan.faults;
      if (dev.partitioned) throw new TypeError('fetch failed (partitioned)');
      // The network delivers an old request of this device late (duplicated, reordered).
      if (dev.stash.length > 0 && this.r.chance(f.stale)) {
        const old = this.r.pick(dev.stash);
        this.count('staleDelivery');
        await this.deliver(old);
      }
      if (this.r.chance(f.dropRequest)) {
        this.count('droppedRequest');
        throw new TypeError('fetch failed (dropped)');
      }
      let res = await this.deliver(req);
      dev.stash.push(req);
      if (dev.stash.length > 6) dev.stash.shift();
      if (this.r.chance(f.duplicate)) {
        this.count('duplicated');
        const again = await this.deliver(req);
        if (this.r.chance(0.5)) res = again;
      }
      if (dev.crashAfterDelivery) {
        // The device dies after the server committed: the answer is never recorded.
        dev.crashAfterDelivery = false;
        this.count('deviceKilledMidBatch');
        throw new TypeError('fetch failed (device killed)');
      }
      if (this.r.chance(f.dropResponse)) {
        this.count('droppedResponse');
        throw new TypeError('fetch failed (response lost)');
      }
      if (dev.abortNextApply && req.path === '/v1/pull' && res.status === 200) {
        // The device dies while applying this page: its transaction never commits.
        dev.abortNextApply = false;
        this.count('deviceKilledMidApply');
        const ws = dev.s.ws;
        const write = ws.write.bind(ws);
        ws.write = ((actor, fn) => {
          ws.write = write;
          return write(actor, (tx) => {
            fn(tx);
            throw new AppError('sim.killedMidApply');
          });
        }) as typeof ws.write;
      }
      return new Response(res.body, { status: res.status, headers: { 'content-type': 'application/json', date: new Date(this.now).toUTCString() } });
    }) as typeof fetch;
  }

  private async deliver(req: Request): Promise<{ status: number; body: string }> {
    const app = this.plan.twoServers ? this.r.pick(this.apps) : this.apps[0]!;
    const res = await app.inject({ method: 'POST', url: req.path, headers: req.headers, payload: req.body });
    return { status: res.statusCode, body: res.body };
  }

  /** Runs one seed; throws SimFailure when an invariant does not hold. */
  async run(plan: SeedPlan): Promise<SeedResult> {
    this.plan = plan;
    this.r = rand(plan.seed);
    this.now = BASE;
    this.killNextTx = 0;
    this.result = { seed: plan.seed, ops: 0, refusedLocally: 0, syncs: 0, failedSyncs: 0, faults: {}, mutations: { applied: 0, rejected: 0 }, reasons: {}, log: [], timing: {} };
    const faults = plan.faults;
    this.plan = { ...plan, faults: { dropRequest: 0, dropResponse: 0, duplicate: 0, stale: 0 } };
    const adminId = await this.timed('reset', () => this.resetServer());
    const devices: Device[] = [];
    const seedDir = mkdtempSync(join(this.root, `seed-${plan.seed}-`));
    try {
      for (const site of BRANCHES.slice(0, plan.devices)) {
        await this.raw.tx((sql) => createBranch(sql, { code: site, name: `Sucursal ${site}`, timeZone: 'America/Mexico_City' }, this.now));
        const dir = join(seedDir, site);
        cpSync(this.templates.get(site)!, dir, { recursive: true });
        const skew = this.r.int(-DAY, DAY);
        const dev = new Device(site, dir, skew, this);
        await this.timed('open', async () => dev.open());
        devices.push(dev);
        const { code } = await this.raw.tx((sql) => createEnrolmentCode(sql, adminId, site, this.now));
        const admin = dev.people.find((p) => p.username.startsWith('admin.'))!;
        const enrolled = await this.timed('enrol', () => dev.call('sync.enrol', { url: SERVER_URL, code }, admin));
        if (!enrolled.ok) throw new SimFailure(plan.seed, `${site} could not enrol: ${enrolled.code}`, this.result.log);
        this.say(`${site} enrolled, clock ${skew >= 0 ? '+' : ''}${Math.round(skew / MINUTE)} min`);
      }
      this.plan = { ...plan, faults };
      for (let step = 0; step < plan.steps; step++) {
        this.now += this.r.int(1, 15) * MINUTE;
        await this.timed('steps', () => this.step(this.r.pick(devices), devices));
      }
      await this.timed('heal', () => this.heal(devices));
      await this.timed('check', () => this.check(devices));
      return this.result;
    } catch (err) {
      if (err instanceof SimFailure && this.verbose) await this.explain(err.message, devices);
      if (err instanceof SimFailure) throw err;
      throw new SimFailure(plan.seed, `unexpected: ${(err as Error).stack ?? err}`, this.result.log);
    } finally {
      const t0 = performance.now();
      for (const d of devices) d.close();
      rmSync(seedDir, { recursive: true, force: true });
      this.result.timing.close = performance.now() - t0;
    }
  }

  /** Verbose runs: the server's mutations and each device's outbox for the ids a failure names. */
  private async explain(message: string, devices: Device[]): Promise<void> {
    const ids = [...new Set(message.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])].slice(0, 4);
    for (const id of ids) {
      const rows = await this.raw.query<Record<string, unknown>>(
        `SELECT server_seq, device_id, push_seq, entity, entity_id, op, status, reason, payload::text AS payload, sent::text AS sent FROM mutations
         WHERE id = $1 OR entity_id = $1 OR payload::text LIKE '%' || $1 || '%' ORDER BY server_seq`, [id]);
      console.log(`server mutations about ${id}:`);
      for (const r of rows) console.log(`  ${JSON.stringify(r)}`);
      for (const d of devices) {
        const out = d.s.ws.sql('SELECT seq, push_seq, entity, entity_id, op, push_status, push_reason, payload FROM outbox WHERE id = ? OR entity_id = ? OR payload LIKE ?').all(id, id, `%${id}%`);
        console.log(`  ${d.site} (device ${d.s.ws.deviceId}) outbox: ${JSON.stringify(out)}`);
      }
    }
  }

  private async step(dev: Device, all: Device[]): Promise<void> {
    const r = this.r;
    const roll = r();
    if (roll < 0.22) {
      await this.sync(dev, false);
      return;
    }
    if (roll < 0.26) {
      dev.partitioned = !dev.partitioned;
      return this.say(`${dev.site} ${dev.partitioned ? 'cut off' : 'reconnected'}`);
    }
    if (roll < 0.28) {
      // The server cut off from everyone for a while.
      for (const d of all) d.partitioned = true;
      return this.say('server down');
    }
    if (roll < 0.30) {
      this.killNextTx++;
      return this.say('the server will be killed in its next transaction');
    }
    if (roll < 0.32) {
      dev.crashAfterDelivery = true;
      await this.sync(dev, false);
      dev.restart();
      return this.say(`${dev.site} restarted after a kill mid-batch`);
    }
    if (roll < 0.34) {
      dev.abortNextApply = true;
      await this.sync(dev, false);
      dev.restart();
      return this.say(`${dev.site} restarted after a kill mid-apply`);
    }
    if (roll < 0.35) {
      this.now += r.int(1, 3) * 60 * MINUTE;
      return this.say('hours go by');
    }
    await this.operate(dev);
  }

  private async sync(dev: Device, mustSucceed: boolean): Promise<{ moved: number }> {
    this.result.syncs++;
    const admin = dev.people[0]!;
    const r = await this.timed('sync', () => dev.call('sync.now', {}, admin));
    if (!r.ok) {
      this.result.failedSyncs++;
      this.say(`${dev.site} sync failed: ${r.code}`);
      if (mustSucceed) throw new SimFailure(this.plan.seed, `${dev.site} could not sync after healing: ${r.code}`, this.result.log);
      // A run killed mid-apply leaves the device to restart; anything else is retried later.
      return { moved: 0 };
    }
    const v = r.value as { push: { applied: number; rejected: number; duplicate: number }; pull: { applied: number; failed: string[] } };
    if (v.pull.failed.length > 0) {
      throw new SimFailure(this.plan.seed, `${dev.site} could not apply pulled changes ${v.pull.failed.join(', ')}`, this.result.log);
    }
    this.say(`${dev.site} synced: pushed ${v.push.applied} (${v.push.rejected} rejected, ${v.push.duplicate} again), pulled ${v.pull.applied}`);
    return { moved: v.push.applied + v.push.rejected + v.pull.applied };
  }

  /** One random operation through the handler map, by a random person of the branch. */
  private async operate(dev: Device): Promise<void> {
    const r = this.r;
    const db = dev.s.ws.db;
    const who = r.pick(dev.people);
    const tickets = db.prepare('SELECT id, tier, status, customer_id AS customerId FROM tickets ORDER BY tracking_number').all() as Array<{ id: string; tier: string; status: string; customerId: string }>;
    const ticket = tickets.length > 0 ? r.pick(tickets) : null;
    const kind = tickets.length === 0 ? 'create' : r.pick(['create', 'create', 'note', 'reply', 'customerMessage', 'customerMessage', 'assign', 'assign', 'escalate', 'escalate',
      'handBack', 'handBack', 'close', 'close', 'reopen', 'waiting', 'update', 'customer', 'customer', 'user'] as const);
    const text = `${kind} ${r.int(1, 1e6)}`;
    let out: { ok: boolean; code?: string };
    switch (kind) {
      case 'create': {
        const rfc = r.pick(RFCS);
        const known = db.prepare('SELECT id FROM customers WHERE rfc = ?').pluck().get(rfc) as string | undefined;
        out = await dev.call('tickets.create', {
          customer: known ? { kind: 'existing', customerId: known } : { kind: 'new', rfc, name: `Cliente ${rfc.slice(0, 4)} ${dev.site}`, email: `${rfc.toLowerCase()}@${dev.site.toLowerCase()}.example.mx`, phone: '' },
          channel: r.pick(['phone', 'email', 'chat'] as const), requestType: 'technical', supportType: 'web', category: 'issue_invoice',
          priority: r.pick(['low', 'normal', 'high'] as const), severity: r.pick([1, 2, 3] as const), subject: `Asunto ${text}`, description: `Descripción ${text}`, attachments: [],
        } as MethodInput<'tickets.create'>, who);
        break;
      }
      case 'note':
      case 'reply':
      case 'customerMessage':
        out = await dev.call(`tickets.${kind}`, { ticketId: ticket!.id, body: `Texto ${text}`, attachments: [] } as MethodInput<'tickets.note'>, who);
        break;
      case 'assign': {
        const to = r.chance(0.2) ? null : r.pick(dev.people).id;
        out = await dev.call('tickets.assign', { ticketId: ticket!.id, assigneeId: to }, who);
        break;
      }
      case 'escalate':
        out = await dev.call('tickets.moveTier', { ticketId: ticket!.id, toTier: r.pick(['operations', 'development'] as const), reason: `Motivo ${text}` }, who);
        break;
      case 'handBack':
        out = await dev.call('tickets.handBack', { ticketId: ticket!.id, cause: `Causa ${text}`, solution: `Solución ${text}` }, who);
        break;
      case 'close':
        out = await dev.call('tickets.close', { ticketId: ticket!.id, cause: `Causa ${text}`, solution: `Solución ${text}` }, who);
        break;
      case 'reopen':
        out = await dev.call('tickets.setStatus', { ticketId: ticket!.id, status: 'open' }, who);
        break;
      case 'waiting':
        out = await dev.call('tickets.setStatus', { ticketId: ticket!.id, status: 'waiting', waitingOn: 'customer' }, who);
        break;
      case 'update':
        out = await dev.call('tickets.update', { ticketId: ticket!.id, subject: `Asunto ${text}`, priority: r.pick(['low', 'normal', 'high'] as const) }, who);
        break;
      case 'customer': {
        const customerId = ticket!.customerId;
        out = await dev.call('customers.update', r.chance(0.5)
          ? { customerId, plan: r.pick(['basic', 'advanced'] as const), registeredEmail: `cfdi${r.int(1, 99)}@cliente.example.mx` }
          : { customerId, contacts: [{ name: `Contacto ${text}`, email: '', phone: '', isLegalRepresentative: false }] } as MethodInput<'customers.update'>, who);
        break;
      }
      case 'user': {
        // The branch's administrator changes someone's roles or turns them off and on again.
        const admin = dev.people.find((p) => p.username.startsWith('admin.'))!;
        const target = r.pick(dev.people.filter((p) => p !== admin));
        const change = r.chance(0.5) ? { roles: [r.pick(['agent', 'operations', 'development'] as const)] } : { active: r.chance(0.6) };
        out = await dev.call('users.update', { userId: target.id, ...change } as MethodInput<'users.update'>, admin);
        break;
      }
    }
    this.result.ops++;
    if (!out.ok) this.result.refusedLocally++;
    this.say(`${dev.site} ${who.username} ${kind}${ticket && kind !== 'create' ? ` ${ticket.id.slice(-6)}` : ''}: ${out.ok ? 'ok' : out.code}`);
  }

  /** Every link back, no more faults; every device syncs until a full round moves nothing. */
  private async heal(devices: Device[]): Promise<void> {
    this.plan = { ...this.plan, faults: { dropRequest: 0, dropResponse: 0, duplicate: 0, stale: 0 } };
    this.killNextTx = 0;
    this.say('healed');
    for (const d of devices) {
      d.partitioned = false;
      d.crashAfterDelivery = false;
      d.abortNextApply = false;
    }
    // A full round in which no device pushed or pulled anything is a fixpoint.
    let quiet = 0;
    for (let round = 0; quiet < 1; round++) {
      if (round >= 10) throw new SimFailure(this.plan.seed, 'sync did not settle after 10 rounds', this.result.log);
      let moved = 0;
      for (const d of devices) moved += (await this.sync(d, true)).moved;
      quiet = moved === 0 ? quiet + 1 : 0;
    }
  }

  private fail(message: string): never {
    throw new SimFailure(this.plan.seed, message, this.result.log);
  }

  private async check(devices: Device[]): Promise<void> {
    const db = this.raw;
    // Every mutation is applied or rejected with a reason, and the device that wrote it knows which.
    const held = await db.query<{ id: string; device_id: string | null; status: string; reason: string | null }>('SELECT id, device_id, status, reason FROM mutations');
    const byId = new Map(held.map((m) => [m.id, m]));
    for (const m of held) {
      if (m.status === 'applied') this.result.mutations.applied++;
      else if (m.status === 'rejected' && m.reason) {
        this.result.mutations.rejected++;
        this.result.reasons[m.reason] = (this.result.reasons[m.reason] ?? 0) + 1;
      } else this.fail(`mutation ${m.id} is ${m.status} without a reason`);
    }
    for (const d of devices) {
      const ws = d.s.ws;
      const pending = ws.sql('SELECT COUNT(*) FROM outbox WHERE push_status IS NULL').pluck().get() as number;
      if (pending > 0) this.fail(`${d.site} still has ${pending} mutations waiting after healing`);
      for (const [id, w] of d.wrote) {
        const m = byId.get(id);
        if (m && m.device_id !== ws.deviceId) this.fail(`${d.site}'s mutation ${id} is recorded for another device`);
        if (m) continue;
        // Not sent at all: only an update whose every field a later update of the same row replaced before it went (the outbox compacts them).
        const later = [...d.wrote.entries()].filter(([lid, l]) => l.order > w.order && l.entity === w.entity && l.entityId === w.entityId && byId.has(lid));
        const covered = new Set(later.flatMap(([, l]) => l.fields));
        if (!w.fields.every((f) => covered.has(f))) this.fail(`${d.site}'s mutation ${id} (${w.label}) never reached the server`);
      }
      const rejectedHere = new Map((ws.sql("SELECT id, push_reason AS reason FROM outbox WHERE push_status = 'rejected'").all() as Array<{ id: string; reason: string }>).map((x) => [x.id, x.reason]));
      for (const m of held.filter((x) => x.device_id === ws.deviceId)) {
        if (!d.wrote.has(m.id)) this.fail(`the server holds mutation ${m.id} for ${d.site}, which never wrote it`);
        if (m.status === 'rejected' && rejectedHere.get(m.id) !== m.reason) {
          this.fail(`${d.site}'s mutation ${m.id} was rejected (${m.reason}) but the device shows ${rejectedHere.has(m.id) ? rejectedHere.get(m.id) : 'nothing'}`);
        }
        if (m.status === 'applied' && rejectedHere.has(m.id)) this.fail(`${d.site} shows ${m.id} rejected, the server applied it`);
      }
    }
    // Tracking numbers are unique, on the server and at every branch.
    const folios = await db.query<{ f: string; n: number }>("SELECT data->>'trackingNumber' AS f, COUNT(*)::int AS n FROM entities WHERE entity = 'ticket' GROUP BY 1 HAVING COUNT(*) > 1");
    if (folios.length > 0) this.fail(`tracking number ${folios[0]!.f} is used by ${folios[0]!.n} tickets`);
    // Every replica equals the server's view of what its branch may see.
    for (const d of devices) {
      const [local, central] = [this.localState(d), await this.serverState(d)];
      if (hash(local) !== hash(central)) this.fail(`${d.site}'s state differs from the server's:\n${diff(local, central)}`);
    }
    // Every audit chain verifies: each device's, and the server's over all of them.
    for (const d of devices) {
      const v = verifyAuditLog(d.s.ws.db);
      if (!v.ok) this.fail(`${d.site}'s audit chain does not verify: ${JSON.stringify(v)}`);
      const here = d.s.ws.sql('SELECT COUNT(*) FROM audit_log WHERE device_id = ?').pluck().get(d.s.ws.deviceId) as number;
      const [there] = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM audit_entries WHERE device_id = $1', [d.s.ws.deviceId]);
      if (there!.n !== here) this.fail(`${d.site} has ${here} audit entries, the server ${there!.n}`);
    }
    const server = await verifyServerAudit(db);
    if (!server.ok) this.fail(`the server's audit chain does not verify: ${JSON.stringify(server.firstBroken)}`);
  }

  /** What a branch holds: its tickets (with their timelines), the customers, the users. */
  private localState(d: Device): State {
    const db = d.s.ws.db;
    const tickets = db.prepare(`SELECT id, tracking_number AS trackingNumber, customer_id AS customerId, status, tier, assignee_id AS assigneeId, subject,
      priority, severity, waiting_on AS waitingOn, close_cause AS closeCause, close_solution AS closeSolution FROM tickets ORDER BY id`).all() as Array<Record<string, unknown>>;
    // SLA breach entries are derived at each branch by its own sweep from the same clocks (the breach itself travels as sla_breach).
    const events = db.prepare("SELECT id, ticket_id AS ticketId, kind, body FROM ticket_events WHERE kind <> 'sla_breach' ORDER BY id").all() as Array<Record<string, unknown>>;
    const customers = db.prepare('SELECT id, rfc, name, plan, registered_email AS registeredEmail FROM customers ORDER BY id').all() as Array<Record<string, unknown>>;
    const users = db.prepare('SELECT id, username, roles, active FROM users ORDER BY id').all() as Array<Record<string, unknown>>;
    return {
      tickets: Object.fromEntries(tickets.map((t) => [t.id as string, t])),
      events: Object.fromEntries(events.map((e) => [e.id as string, e])),
      customers: Object.fromEntries(customers.map((c) => [c.id as string, c])),
      users: Object.fromEntries(users.map((u) => [u.id as string, { id: u.id, username: u.username, roles: JSON.parse(u.roles as string), active: u.active === 1 }])),
    };
  }

  /** The same, as the server holds it, for what `d`'s branch may see (the pull's rule). */
  private async serverState(d: Device): Promise<State> {
    const branch = d.site;
    const rows = await this.raw.query<{ entity: string; entity_id: string; branch_code: string; shared: boolean; data: Record<string, unknown> }>(
      "SELECT entity, entity_id, branch_code, shared, data FROM entities WHERE entity IN ('ticket', 'ticket_event', 'customer', 'user')",
    );
    const aliases = new Set((await this.raw.query<{ alias_id: string }>('SELECT alias_id FROM customer_aliases')).map((a) => a.alias_id));
    const ticketRows = rows.filter((x) => x.entity === 'ticket' && (x.branch_code === branch || x.shared));
    const pick = (data: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, data[k] ?? null]));
    const tickets = ticketRows.map((t) => ({
      id: t.entity_id,
      ...pick(t.data, ['trackingNumber', 'customerId', 'status', 'tier', 'assigneeId', 'subject', 'priority', 'severity', 'waitingOn', 'closeCause', 'closeSolution']),
    }));
    const visible = new Set(tickets.map((t) => t.id));
    const events = rows.filter((x) => x.entity === 'ticket_event' && visible.has(String(x.data.ticketId)) && x.data.kind !== 'sla_breach')
      .map((e) => ({ id: e.entity_id, ticketId: e.data.ticketId, kind: e.data.kind, body: e.data.body ?? '' }));
    const customers = rows.filter((x) => x.entity === 'customer' && !aliases.has(x.entity_id))
      .map((c) => ({ id: c.entity_id, ...pick(c.data, ['rfc', 'name', 'plan', 'registeredEmail']) }));
    const users = rows.filter((x) => x.entity === 'user').map((u) => ({ id: u.entity_id, username: u.data.username, roles: u.data.roles, active: u.data.active !== false }));
    return {
      tickets: Object.fromEntries(tickets.map((t) => [t.id, t])),
      events: Object.fromEntries(events.map((e) => [e.id, e])),
      customers: Object.fromEntries(customers.map((c) => [c.id, c])),
      users: Object.fromEntries(users.map((u) => [u.id, u])),
    };
  }
}

type State = Record<'tickets' | 'events' | 'customers' | 'users', Record<string, Record<string, unknown>>>;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

function hash(s: State): string {
  return createHash('sha256').update(canonical(s)).digest('hex');
}

/** The first few differences between two states, readable. */
function diff(local: State, central: State): string {
  const out: string[] = [];
  for (const part of ['tickets', 'events', 'customers', 'users'] as const) {
    const ids = new Set([...Object.keys(local[part]), ...Object.keys(central[part])]);
    for (const id of ids) {
      const a = local[part][id];
      const b = central[part][id];
      if (canonical(a) === canonical(b)) continue;
      if (!a) out.push(`  ${part} ${id}: only on the server ${canonical(b)}`);
      else if (!b) out.push(`  ${part} ${id}: only here ${canonical(a)}`);
      else {
        const fields = Object.keys({ ...a, ...b }).filter((k) => canonical(a[k]) !== canonical(b[k]));
        out.push(`  ${part} ${id}: ${fields.map((k) => `${k} here ${canonical(a[k])}, server ${canonical(b[k])}`).join('; ')}`);
      }
      if (out.length >= 12) return out.join('\n');
    }
  }
  return out.join('\n');
}
