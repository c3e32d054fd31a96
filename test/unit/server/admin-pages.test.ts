/**
 * The central server's administration pages (issue 11, items 2, 6 and 7): every route of
 * /admin/api on the real server, against PostgreSQL (a throwaway cluster) and PGlite — first run,
 * sign-in (cookie flags, rate limit, expiry), CSRF on every write, branches, one-time enrolment
 * codes, devices (rotate, revoke: a real branch workspace is refused at its next call), central
 * users (created, disabled and reset on the server; a real branch signs them in and follows),
 * audit verification with the first broken entry, and rejected mutations — each write in the
 * server's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../../server/app';
import { firstRunCode, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../server/admin/commands';
import { SIGN_IN_LIMITS } from '../../../server/admin/routes';
import type { Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import type { AuditReport, DeviceSummary } from '../../../electron/shared/server-admin';
import { phoneIntake, USER_PASSWORD, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, deskAt } from './harness';

const desks = deskPool();
const START = Date.UTC(2026, 2, 2, 16, 0, 0); // the test desks' clock
const PASSWORD = 'cuidar-el-servidor-del-norte-9';

/** A browser on the pages: its cookie and the CSRF token the page holds. */
class Browser {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(private readonly app: FastifyInstance, private readonly host = '127.0.0.1') {}

  async request(method: 'GET' | 'POST', url: string, body?: unknown, opts: { csrf?: string | null; origin?: string; cookie?: string | null } = {}): Promise<LightMyRequestResponse> {
    const cookie = opts.cookie === undefined ? this.cookie : opts.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const res = await this.app.inject({
      method, url, payload: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        host: this.host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(opts.origin ? { origin: opts.origin } : {}),
      },
    });
    const set = res.headers['set-cookie'];
    if (typeof set === 'string') this.cookie = set.split(';')[0]!.endsWith('=') ? null : set.split(';')[0]!;
    const json = res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null;
    if (json && typeof json.csrfToken === 'string') this.csrf = json.csrfToken;
    return res;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body: unknown, opts?: { csrf?: string | null; origin?: string; cookie?: string | null }) => this.request('POST', url, body, opts);

  async signIn(username = 'central', password = PASSWORD): Promise<LightMyRequestResponse> {
    return this.post('/admin/api/sign-in', { username, password });
  }
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`administration pages on ${backend.name}`, () => {
    let db: Db;
    let stop: () => Promise<void>;
    let app: FastifyInstance;
    let url = '';
    let clock = START;
    let admin: Browser;

    beforeAll(async () => {
      ({ db, stop } = await backend.open());
      await migrateServer(db);
      app = buildServer({ db, now: () => clock });
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await stop?.();
    });

    const logActions = async () => (await db.query<{ action: string }>('SELECT action FROM admin_log ORDER BY seq')).map((r) => r.action);
    const count = async (table: string) => (await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${table}`))[0]!.n;
    const fields = (res: LightMyRequestResponse) => res.json().error?.details?.fields;
    /** A branch workspace, set up through the app and enrolled with a code from the pages. */
    async function enrolledDesk(site: string): Promise<TestDesk> {
      expect((await admin.post('/admin/api/branches', { code: site, name: `Sucursal ${site}`, timeZone: 'America/Monterrey' })).statusCode).toBe(201);
      const code = (await admin.post('/admin/api/enrolment-codes', { branchCode: site, ttlHours: 24 })).json().code as string;
      const desk = await deskAt(() => desks.make(), site);
      await desk.call('sync.enrol', { url, code });
      await desk.call('sync.now', {});
      return desk;
    }
    const deviceOf = async (desk: TestDesk) => ((await admin.get('/admin/api/devices')).json().devices as DeviceSummary[]).find((d) => d.id === desk.services.ws.deviceId)!;

    it('first run: only with the setup code the server printed, the app\'s password rule, then never again; the session cookie is HttpOnly, SameSite=Strict, and Secure unless reached on a loopback name', async () => {
      const page = await app.inject({ method: 'GET', url: '/admin/' });
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect((await app.inject({ method: 'GET', url: '/' })).headers.location).toBe('/admin/');

      const browser = new Browser(app);
      expect((await browser.get('/admin/api/session')).json()).toMatchObject({ setUp: false, admin: null });
      const code = (await firstRunCode(db))!;
      expect(code).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await firstRunCode(db)).toBe(code); // every process prints the same one
      const form = { setupCode: code, organizationName: 'Timbrado del Norte', username: 'central', password: PASSWORD, confirmPassword: PASSWORD };

      let res = await browser.post('/admin/api/first-run', { ...form, setupCode: 'adivinado-0000' });
      expect(res.statusCode).toBe(400);
      expect(fields(res)).toEqual({ setupCode: 'admin.badSetupCode' });
      res = await browser.post('/admin/api/first-run', { ...form, password: 'Contraseña2024!', confirmPassword: 'Contraseña2024!' });
      expect(fields(res)).toEqual({ password: 'validation.passwordCommon' });
      res = await browser.post('/admin/api/first-run', { ...form, password: 'central-de-todo-2026', confirmPassword: 'central-de-todo-2026' });
      expect(fields(res)).toEqual({ password: 'validation.passwordHasUsername' });
      res = await browser.post('/admin/api/first-run', { ...form, confirmPassword: 'otra-cosa-distinta-1', organizationName: ' ', username: 'X' });
      expect(fields(res)).toEqual({ confirmPassword: 'validation.passwordMismatch', organizationName: 'validation.required', username: 'validation.username' });
      expect(await count('server_admins')).toBe(0);

      res = await browser.post('/admin/api/first-run', form);
      expect(res.statusCode).toBe(200);
      const set = String(res.headers['set-cookie']);
      expect(set).toMatch(/^admin_session=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=28800$/);
      expect(res.json()).toMatchObject({ setUp: true, organizationName: 'Timbrado del Norte', admin: { username: 'central' } });
      expect(await firstRunCode(db)).toBeNull();
      expect((await browser.post('/admin/api/first-run', form)).json().error.code).toBe('admin.alreadySetUp');
      expect(await count('server_admins')).toBe(1);

      // Reached by its network name (behind TLS, or plain HTTP the browser then will not send it back): Secure.
      const remote = new Browser(app, 'soporte.timbradodelnorte.mx');
      expect(String((await remote.signIn()).headers['set-cookie'])).toMatch(/; Secure$/);
      // The session's token is stored only as its hash.
      const token = browser.cookie!.split('=')[1]!;
      expect(await db.query('SELECT 1 FROM admin_sessions WHERE token_hash = $1', [token])).toEqual([]);
      admin = browser;
      expect(await logActions()).toEqual(['admin.setUp', 'admin.signedIn']);
    });

    it('sign-in: a wrong password is refused and logged; too many tries from one address or for one name wait for the window; sessions end when idle and at their absolute limit', async () => {
      const b = new Browser(app);
      const wrong = await b.signIn('central', 'no-es-la-clave-12');
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('auth.invalidCredentials');
      expect(b.cookie).toBeNull();
      let tries = 1;
      while ((await b.signIn('central', 'no-es-la-clave-12')).statusCode === 401) tries++;
      expect(tries).toBeLessThanOrEqual(SIGN_IN_LIMITS.perName[0]);
      const limited = await b.signIn(); // even the right password waits
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('admin.tooManyAttempts');
      expect((await logActions()).filter((a) => a === 'admin.signInFailed')).toHaveLength(tries);
      expect(await logActions()).toContain('admin.signInThrottled');

      clock += SIGN_IN_LIMITS.perName[1] + 1;
      expect((await b.signIn()).statusCode).toBe(200);
      expect((await b.get('/admin/api/branches')).statusCode).toBe(200);
      clock += SESSION_IDLE_MS + 1;
      const idle = await b.get('/admin/api/branches');
      expect(idle.statusCode).toBe(401);
      expect(idle.json().error.code).toBe('admin.signInRequired');

      expect((await b.signIn()).statusCode).toBe(200);
      const end = clock + SESSION_MAX_MS;
      while (clock + SESSION_IDLE_MS / 2 < end) {
        clock += SESSION_IDLE_MS / 2;
        expect((await b.get('/admin/api/branches')).statusCode).toBe(200);
      }
      clock = end + 1;
      expect((await b.get('/admin/api/branches')).statusCode).toBe(401);
      expect((await b.get('/admin/api/session')).json()).toMatchObject({ setUp: true, admin: null });

      // Signing out ends the session on the server, not only in the browser.
      await b.signIn();
      const cookie = b.cookie;
      expect((await b.post('/admin/api/sign-out', {})).statusCode).toBe(200);
      expect((await b.get('/admin/api/branches')).statusCode).toBe(401);
      expect((await b.request('GET', '/admin/api/branches', undefined, { cookie })).statusCode).toBe(401);
      await admin.signIn();
    });

    it('every write needs the session\'s CSRF token and this origin; a refused write changes nothing', async () => {
      const body = { code: 'CSR', name: 'Sucursal CSRF', timeZone: 'America/Mexico_City' };
      const before = await count('branches');
      expect((await admin.post('/admin/api/branches', body, { csrf: null })).json().error.code).toBe('admin.csrf');
      expect((await admin.post('/admin/api/branches', body, { csrf: 'x'.repeat(43) })).statusCode).toBe(403);
      expect((await admin.post('/admin/api/branches', body, { origin: 'https://evil.example' })).statusCode).toBe(403);
      expect((await admin.post('/admin/api/branches', body, { cookie: null })).statusCode).toBe(401);
      expect(await count('branches')).toBe(before);
      expect((await admin.post('/admin/api/branches', body, { origin: 'http://127.0.0.1' })).statusCode).toBe(201);
      // A reloaded page gets a new token; the old one stops working.
      const old = admin.csrf;
      await admin.get('/admin/api/session');
      expect(admin.csrf).not.toBe(old);
      expect((await admin.post('/admin/api/enrolment-codes', { branchCode: 'CSR' }, { csrf: old })).statusCode).toBe(403);
    });

    it('branches with unique site codes; one-time codes shown once; a device enrols, is listed with its branch, last seen and last push; a rotated credential and a revoked device are refused at their next call', async () => {
      const res = await admin.post('/admin/api/branches', { code: 'm', name: '', timeZone: 'Marte/Olimpo' });
      expect(fields(res)).toEqual({ code: 'validation.branchCode', name: 'validation.required', timeZone: 'validation.timeZone' });
      expect(fields(await admin.post('/admin/api/branches', { code: 'csr', name: 'Otra', timeZone: 'America/Mexico_City' }))).toEqual({ code: 'sync.siteCodeTaken' });
      expect(fields(await admin.post('/admin/api/enrolment-codes', { branchCode: 'NOPE' }))).toEqual({ branchCode: 'sync.unknownBranch' });
      expect(fields(await admin.post('/admin/api/enrolment-codes', { branchCode: 'CSR', ttlHours: 0 }))).toEqual({ ttlHours: 'admin.ttlRange' });

      const mty = await enrolledDesk('MTY');
      const branches = (await admin.get('/admin/api/branches')).json().branches;
      expect(branches.find((b: { code: string }) => b.code === 'MTY')).toMatchObject({ name: 'Sucursal MTY', timeZone: 'America/Monterrey', devices: 1, portal: false });
      const codes = await admin.get('/admin/api/enrolment-codes');
      const used = codes.json().codes.find((c: { branchCode: string }) => c.branchCode === 'MTY');
      expect(used).toMatchObject({ usedByDevice: mty.services.ws.deviceId });
      expect(used.usedAt).not.toBeNull();
      expect(Object.keys(used)).not.toContain('code');
      const device = await deviceOf(mty);
      expect(device).toMatchObject({ branchCode: 'MTY', revokedAt: null, lastSeenAt: clock, lastPushAt: clock });
      expect(device.lastPushSeq).toBeGreaterThan(0);
      expect(device.auditSeq).toBeGreaterThan(0);

      // Rotated: the credential the device holds stops working; it enrols again with the code shown once, and resumes.
      const rotated = await admin.post('/admin/api/devices/rotate', { deviceId: device.id });
      expect(rotated.json()).toMatchObject({ branchCode: 'MTY', code: expect.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/) });
      await mty.call('tickets.create', phoneIntake());
      expect((await mty.fail('sync.now', {})).code).toBe('sync.badCredential');
      await mty.call('sync.enrol', { url, code: rotated.json().code });
      expect((await mty.call('sync.now', {})).push.applied).toBeGreaterThan(0);

      // Revoked: its next call is refused, and it cannot enrol again with a fresh code.
      expect((await admin.post('/admin/api/devices/revoke', { deviceId: 'not-a-device' })).statusCode).toBe(400);
      expect((await admin.post('/admin/api/devices/revoke', { deviceId: device.id })).statusCode).toBe(200);
      expect((await deviceOf(mty)).revokedAt).toBe(clock);
      await mty.userWithRoles('luis.mty', ['agent']);
      expect((await mty.fail('sync.now', {})).code).toBe('sync.deviceRevoked');
      const fresh = (await admin.post('/admin/api/enrolment-codes', { branchCode: 'MTY' })).json().code as string;
      expect((await mty.fail('sync.enrol', { url, code: fresh })).code).toBe('sync.deviceRevoked');
      expect((await admin.post('/admin/api/devices/rotate', { deviceId: device.id })).json().error.code).toBe('sync.deviceRevoked');

      const log = (await db.query<{ action: string; target: string; data: unknown }>('SELECT action, target, data FROM admin_log ORDER BY seq'));
      expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(['branch.created', 'enrolmentCode.created', 'device.rotated', 'device.revoked']));
      // Codes are never in the log, nor in any answer but the one that made them.
      expect(JSON.stringify(log)).not.toContain(rotated.json().code);
      expect(JSON.stringify(log)).not.toContain(fresh);
    }, 120_000);

    it('central users: created on the server with the app\'s rules, signed in at a branch with the server\'s password; disabled and reset there, the branch follows at its next pull; the last administrator stays', async () => {
      const gdl = await enrolledDesk('GDL');
      const form = { homeBranch: 'GDL', username: 'marta.central', fullName: 'Marta Central', password: USER_PASSWORD, confirmPassword: USER_PASSWORD, roles: ['agent'] };
      expect(fields(await admin.post('/admin/api/users', { ...form, password: 'marta.central-2026', confirmPassword: 'marta.central-2026' }))).toEqual({ password: 'validation.passwordHasUsername' });
      expect(fields(await admin.post('/admin/api/users', { ...form, password: 'iloveyou-2024', confirmPassword: 'iloveyou-2024' }))).toEqual({ password: 'validation.passwordCommon' });
      expect(fields(await admin.post('/admin/api/users', { ...form, username: 'admin' }))).toEqual({ username: 'users.usernameTaken' });
      expect(fields(await admin.post('/admin/api/users', { ...form, homeBranch: 'ZZZ', roles: [] }))).toEqual({ roles: 'validation.roles' });
      expect(fields(await admin.post('/admin/api/users', { ...form, homeBranch: 'ZZZ' }))).toEqual({ homeBranch: 'sync.unknownBranch' });
      const created = await admin.post('/admin/api/users', form);
      expect(created.statusCode).toBe(201);
      const marta = created.json();
      expect(marta).toMatchObject({ username: 'marta.central', homeBranch: 'GDL', roles: ['agent'], active: true, mustChangePassword: true });
      const listed = (await admin.get('/admin/api/users')).json().users;
      expect(listed.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'marta.central']));
      // No secret in the change feed.
      expect((await db.query("SELECT 1 FROM mutations WHERE payload::text LIKE '%scrypt$%' OR payload::text LIKE $1", [`%${USER_PASSWORD}%`]))).toEqual([]);

      await gdl.call('sync.now', {});
      const signedIn = await gdl.call('auth.signIn', { username: 'marta.central', password: USER_PASSWORD }, null);
      expect(signedIn.user).toMatchObject({ id: marta.id, mustChangePassword: true });

      // Disabled centrally: refused at the branch after its pull.
      expect((await admin.post('/admin/api/users/active', { userId: marta.id, active: false })).statusCode).toBe(200);
      await gdl.call('sync.now', {});
      expect((await gdl.fail('auth.signIn', { username: 'marta.central', password: USER_PASSWORD }, null)).code).toBe('auth.inactive');
      expect((await admin.post('/admin/api/users/active', { userId: marta.id, active: true })).statusCode).toBe(200);

      // Reset centrally: the new password works at the branch, the old one no longer.
      const reset = { userId: marta.id, username: 'marta.central', password: 'nueva-frase-para-marta-5', confirmPassword: 'nueva-frase-para-marta-5' };
      expect(fields(await admin.post('/admin/api/users/password', { ...reset, confirmPassword: 'x' }))).toEqual({ confirmPassword: 'validation.passwordMismatch' });
      expect((await admin.post('/admin/api/users/password', reset)).statusCode).toBe(200);
      await gdl.call('sync.now', {});
      expect((await gdl.fail('auth.signIn', { username: 'marta.central', password: USER_PASSWORD }, null)).code).toBe('auth.invalidCredentials');
      expect((await gdl.call('auth.signIn', { username: 'marta.central', password: 'nueva-frase-para-marta-5' }, null)).user.mustChangePassword).toBe(true);

      // The organization keeps one active administrator (MTY's 'admin'; GDL's was renamed admin.gdl, names being the organization's).
      const idOf = (name: string) => listed.find((u: { username: string }) => u.username === name).id as string;
      expect((await admin.post('/admin/api/users/active', { userId: idOf('admin'), active: false })).statusCode).toBe(200);
      expect((await admin.post('/admin/api/users/active', { userId: idOf('admin.gdl'), active: false })).json().error.code).toBe('auth.lastAdministrator');
      expect((await admin.post('/admin/api/users/active', { userId: idOf('admin'), active: true })).statusCode).toBe(200);
      expect(await logActions()).toEqual(expect.arrayContaining(['user.created', 'user.disabled', 'user.enabled', 'user.passwordReset']));
    }, 120_000);

    it('rejected mutations are listed per device with their reason and fields; the audit report verifies every chain and names the first broken entry', async () => {
      const qro = await enrolledDesk('QRO');
      const pepe = await qro.userWithRoles('pepe.qro', ['agent']);
      await qro.call('sync.now', {});
      // Disabled on the server while QRO has not pulled: what he writes there is refused on push.
      const users = (await admin.get('/admin/api/users')).json().users;
      await admin.post('/admin/api/users/active', { userId: users.find((u: { username: string }) => u.username === 'pepe.qro').id, active: false });
      // (a customer pulled from MTY: the RFC is the organization's now)
      const customerId = qro.services.ws.db.prepare('SELECT id FROM customers LIMIT 1').pluck().get() as string;
      await qro.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, subject: 'Escrito por un usuario desactivado' }), pepe.token);
      const run = await qro.call('sync.now', {});
      expect(run.push.rejected).toBeGreaterThan(0);

      const deviceId = qro.services.ws.deviceId;
      const rejected = (await admin.get(`/admin/api/rejected?deviceId=${deviceId}`)).json().mutations;
      expect(rejected.length).toBe(run.push.rejected);
      const ticket = rejected.find((m: { entity: string }) => m.entity === 'ticket');
      expect(ticket).toMatchObject({ deviceId, branchCode: 'QRO', op: 'insert', reason: 'sync.inactiveActor', actorName: 'pepe.qro' });
      expect(ticket.fields).toEqual(expect.arrayContaining(['subject', 'trackingNumber']));
      expect(JSON.stringify(rejected)).not.toContain('Escrito por un usuario desactivado'); // names of fields, never their values
      expect((await admin.get('/admin/api/rejected?deviceId=nope')).statusCode).toBe(400);

      let report = (await admin.post('/admin/api/audit/verify', {})).json() as AuditReport;
      expect(report.server).toMatchObject({ ok: true, firstBroken: null });
      expect(report.server.checked).toBeGreaterThan(0);
      const qroChain = report.devices.find((d) => d.deviceId === deviceId)!;
      expect(qroChain).toMatchObject({ ok: true, branchCode: 'QRO' });
      expect(qroChain.checked).toBe(await count(`audit_entries WHERE device_id = '${deviceId}'`));
      expect(report.adminLog).toMatchObject({ ok: true, firstBroken: null });

      // Someone with database access edits one of QRO's entries and one line of the log.
      const [victim] = await db.query<{ seq: number }>('SELECT seq FROM audit_entries WHERE device_id = $1 ORDER BY seq OFFSET 2 LIMIT 1', [deviceId]);
      await db.exec(`ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
UPDATE audit_entries SET data = '{"edited":true}' WHERE device_id = '${deviceId}' AND seq = ${victim!.seq};
ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;
ALTER TABLE admin_log DISABLE TRIGGER admin_log_append_only;
UPDATE admin_log SET target = 'nadie' WHERE seq = 3;
ALTER TABLE admin_log ENABLE TRIGGER admin_log_append_only;`);
      report = (await admin.post('/admin/api/audit/verify', {})).json() as AuditReport;
      expect(report.server.ok).toBe(false);
      expect(report.server.deviceId).toBe(deviceId);
      expect(report.devices.find((d) => d.deviceId === deviceId)).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: victim!.seq, reason: 'hash' } });
      expect(report.devices.filter((d) => d.deviceId !== deviceId).every((d) => d.ok)).toBe(true);
      expect(report.adminLog).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3, reason: 'hash' } });
      expect(await logActions()).toContain('audit.verified');
      const log = (await admin.get('/admin/api/log')).json().entries;
      expect(log[0]).toMatchObject({ action: 'audit.verified', admin: 'central' });
    }, 120_000);
  });
}
