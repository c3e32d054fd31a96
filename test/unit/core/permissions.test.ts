import { describe, it, expect } from 'vitest';
import { isAllowed } from '../../../electron/core/api';
import { METHOD_NAMES, type MethodName } from '../../../electron/shared/contract';
import { ROLES, type Role } from '../../../electron/shared/domain';
import { ADMIN_PASSWORD } from '../../fixtures/workspace';
import { auditEntries, deskPool, plus } from './helpers';

const desks = deskPool();

type Who = Role | 'anonymous';
const EVERYONE_SIGNED_IN: Who[] = [...ROLES];
const PUBLIC: Who[] = ['anonymous', ...ROLES];

/**
 * The permission matrix, written out by hand from PRODUCT.md (not derived from METHODS): who may
 * call what. If the contract's access lists drift, this table and the dispatcher disagree. Methods
 * not listed here are still exercised for every role, checked against `isAllowed` only.
 */
const EXPECTED: Record<string, Who[]> = {
  'app.status': PUBLIC,
  'app.resetDatabase': PUBLIC,
  'app.restoreBackup': PUBLIC,
  'app.previewBackup': PUBLIC,
  'app.retryOpen': PUBLIC,
  'app.migrateWithoutBackup': PUBLIC,
  'auth.setup': PUBLIC,
  'auth.signIn': PUBLIC,
  'auth.signOut': EVERYONE_SIGNED_IN,
  'auth.me': EVERYONE_SIGNED_IN,
  'users.directory': EVERYONE_SIGNED_IN,
  'users.list': ['administrator'],
  'users.create': ['administrator'],
  'users.update': ['administrator'],
  'users.unlock': ['administrator'],
  'users.resetPassword': ['administrator'],
  'customers.list': EVERYONE_SIGNED_IN,
  'customers.get': EVERYONE_SIGNED_IN,
  'customers.findByRfc': EVERYONE_SIGNED_IN,
  'customers.create': ['agent', 'operations', 'supervisor', 'administrator'],
  'customers.update': ['agent', 'operations', 'supervisor', 'administrator'],
  'tickets.list': EVERYONE_SIGNED_IN,
  'tickets.get': EVERYONE_SIGNED_IN,
  'tickets.create': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.update': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.reply': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.note': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.customerMessage': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.contactAttempt': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.assign': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.setStatus': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.close': ['agent', 'operations', 'development', 'supervisor'],
  'attachments.read': EVERYONE_SIGNED_IN,
  'settings.get': EVERYONE_SIGNED_IN,
  'settings.update': ['administrator'],
  // The customer portal's branding (issue 13): an administrator's, like the other organization settings.
  'branding.get': ['administrator'],
  'branding.update': ['administrator'],
  'backup.create': ['administrator', 'supervisor'],
  'backup.list': ['administrator', 'supervisor'],
  'backup.status': ['administrator', 'supervisor'],
  'backup.preview': ['administrator'],
  'backup.restore': ['administrator'],
  'audit.verify': ['supervisor', 'security_officer', 'administrator'],
  // Service levels and escalation (issue 3): moving and handing back are desk work; the SLA
  // configuration is an administrator's; the SLA report is for supervisors and administrators.
  'tickets.moveTier': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.handBack': ['agent', 'operations', 'development', 'supervisor'],
  'tickets.sla': EVERYONE_SIGNED_IN,
  'board.load': EVERYONE_SIGNED_IN,
  'board.version': EVERYONE_SIGNED_IN,
  'sla.config': EVERYONE_SIGNED_IN,
  'sla.saveConfig': ['administrator'],
  'reports.sla': ['supervisor', 'administrator'],
  'reports.home': ['supervisor', 'administrator'],
  'reports.run': ['supervisor', 'administrator'],
  // Emergency accounts and the audit log (PRODUCT.md "Access-control…" and "Data and trust"): the
  // security officer creates, revokes and reviews emergency accounts; auditors read and export the log.
  'emergency.create': ['security_officer'],
  'emergency.revoke': ['security_officer'],
  'emergency.reviewQueue': ['security_officer'],
  'emergency.review': ['security_officer'],
  'emergency.signIn': PUBLIC,
  'audit.list': ['supervisor', 'security_officer', 'administrator'],
  'audit.export': ['supervisor', 'security_officer', 'administrator'],
  // Sync (issue 11): everyone sees the state and may sync now; only the administrator enrols the device.
  'sync.status': EVERYONE_SIGNED_IN,
  'sync.now': EVERYONE_SIGNED_IN,
  'sync.enrol': ['administrator'],
  'sync.rejected': ['administrator', 'supervisor'],
  'sync.unenrol': ['administrator'],
  // Everyone has their own notifications; core answers only the caller's rows (notifications.test.ts).
  'notifications.list': EVERYONE_SIGNED_IN,
  'notifications.unreadCount': EVERYONE_SIGNED_IN,
  'notifications.markRead': EVERYONE_SIGNED_IN,
  'notifications.markAllRead': EVERYONE_SIGNED_IN,
  'notifications.preferences': EVERYONE_SIGNED_IN,
  'notifications.setPreferences': EVERYONE_SIGNED_IN,
  // Derechos ARCO: who handles personal-data requests (shared/personal-data.ts).
  'personalData.list': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.create': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.setStatus': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.linkChangeRequest': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.block': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.unblock': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
  'personalData.export': ['administrator', 'information_owner', 'security_officer', 'supervisor'],
};

const DENIED = new Set(['auth.forbidden', 'auth.required']);

describe('permission matrix', () => {
  it('the hand-written table names real methods and covers at least the original 35', () => {
    const names: readonly string[] = METHOD_NAMES;
    expect(Object.keys(EXPECTED).filter((m) => !names.includes(m))).toEqual([]);
    expect(Object.keys(EXPECTED).length).toBeGreaterThanOrEqual(35);
    for (const m of ['users.create', 'users.update', 'settings.update', 'tickets.create', 'audit.verify', 'backup.create', 'backup.list']) expect(EXPECTED[m]).toBeDefined();
  });

  it('isAllowed agrees with the hand-written table for every method × role (+ anonymous)', () => {
    let checked = 0;
    for (const method of METHOD_NAMES) {
      const expected = EXPECTED[method];
      if (!expected) continue;
      checked++;
      expect({ method, who: 'anonymous', allowed: isAllowed(method, null) }).toEqual({ method, who: 'anonymous', allowed: expected.includes('anonymous') });
      for (const role of ROLES) {
        expect({ method, role, allowed: isAllowed(method, [role]) }).toEqual({ method, role, allowed: expected.includes(role) });
      }
    }
    expect(checked).toBe(Object.keys(EXPECTED).length);
  });

  it('the real dispatcher enforces it: every method × every single-role user and anonymous', async () => {
    const desk = await desks.ready();
    const users = new Map<Role, { id: string; token: string }>();
    for (const role of ROLES) users.set(role, await desk.userWithRoles(`solo-${role.replace('_', '-')}`, [role]));

    const outcomes: string[] = [];
    let forbiddenCalls = 0;
    // auth.signOut ends the session, so it runs last for each caller.
    const order = [...METHOD_NAMES.filter((m) => m !== 'auth.signOut'), 'auth.signOut' as const];

    for (const who of ['anonymous', ...ROLES] as Who[]) {
      const user = who === 'anonymous' ? null : users.get(who)!;
      for (const method of order) {
        const before = desk.counts();
        const r = await desk.raw(method, {}, user?.token ?? null);
        const after = desk.counts();
        const code = r.ok ? 'ok' : r.error.code;
        const allowed = !DENIED.has(code);
        outcomes.push(`${who} ${method} ${allowed ? 'allowed' : code}`);

        const expectedAllowed = isAllowed(method, who === 'anonymous' ? null : [who]);
        expect({ who, method, allowed }).toEqual({ who, method, allowed: expectedAllowed });
        const byHand = EXPECTED[method];
        if (byHand) expect({ who, method, allowed, byHand: true }).toEqual({ who, method, allowed: byHand.includes(who), byHand: true });

        if (!expectedAllowed && who === 'anonymous') {
          expect({ method, code }).toEqual({ method, code: 'auth.required' });
          expect(after).toEqual(before); // not even an audit entry
        }
        if (!expectedAllowed && who !== 'anonymous') {
          forbiddenCalls++;
          expect({ method, code }).toEqual({ method, code: 'auth.forbidden' });
          expect(after).toEqual(plus(before, { audit_log: 1 }));
          const last = auditEntries(desk).at(-1)!;
          expect(last).toMatchObject({ action: 'auth.forbidden', entity: 'api', entityId: method, actorId: user!.id, actorKind: 'user' });
          expect(JSON.parse(last.data)).toEqual({ roles: [who] });
        }
      }
    }
    // 35 methods × 9 callers were really exercised, and the forbidden ones were counted.
    expect(outcomes).toHaveLength(METHOD_NAMES.length * 9);
    const expectedForbidden = ROLES.reduce((n, role) => n + METHOD_NAMES.filter((m) => !isAllowed(m, [role])).length, 0);
    expect(forbiddenCalls).toBe(expectedForbidden);
    expect(expectedForbidden).toBeGreaterThan(60);
    // Every user signed itself out last: its token no longer works.
    for (const role of ROLES) expect((await desk.fail('auth.me', {}, users.get(role)!.token)).code).toBe('auth.required');
  });

  it('a user with several roles gets the union of their permissions', async () => {
    const desk = await desks.ready();
    const dev = await desk.userWithRoles('dev-sec', ['development', 'security_officer']);
    expect((await desk.raw('audit.verify', {}, dev.token)).ok).toBe(true);
    expect((await desk.fail('customers.create', {}, dev.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('tickets.create', {}, dev.token)).code).toBe('validation.failed'); // allowed, then validated
    expect((await desk.fail('users.list', {}, dev.token)).code).toBe('auth.forbidden');
  });

  it('checks the role before validating: a forbidden call with bad input is still auth.forbidden', async () => {
    const desk = await desks.ready();
    const officer = await desk.userWithRoles('oficial', ['security_officer']);
    expect((await desk.fail('tickets.create', { nonsense: true }, officer.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('users.create', 'garbage', officer.token)).code).toBe('auth.forbidden');
  });

  it('public methods work without a session', async () => {
    const desk = await desks.ready();
    const status = await desk.call('app.status', {}, null);
    expect(status).toEqual({ initialized: true, branch: { code: 'MTY', name: 'Sucursal Monterrey', timeZone: 'America/Mexico_City' }, recovery: null });
    const session = await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null);
    expect(session.user.username).toBe('admin');
    expect((await desk.fail('auth.setup', {
      branchCode: 'GDL', branchName: 'Otra', username: 'otro', fullName: 'Otro', password: 'contraseña-1', confirmPassword: 'contraseña-1',
    }, null)).code).toBe('auth.alreadySetUp');
    // app.resetDatabase is public but a healthy workspace is never reset from outside.
    const before = desk.dataCounts();
    const reset = await desk.call('app.resetDatabase', {}, null);
    expect(reset.initialized).toBe(true);
    expect(desk.dataCounts()).toEqual(before);
    expect((await desk.call('tickets.list', {})).total).toBe(0);
  });

  it('no session, or an unknown/garbage token, is auth.required and writes nothing', async () => {
    const desk = await desks.ready();
    const before = desk.dataCounts();
    // host.call directly: the fixture's raw() would substitute the admin token for `undefined`.
    for (const token of [null, undefined, '', 'not-a-token', 'x'.repeat(200)]) {
      expect(await desk.host.call('tickets.list', {}, token)).toEqual({ ok: false, error: { code: 'auth.required' } });
      expect(await desk.host.call('users.create', {}, token)).toEqual({ ok: false, error: { code: 'auth.required' } });
    }
    expect(desk.dataCounts()).toEqual(before);
  });

  it('an unknown method is api.unknownMethod, including prototype names', async () => {
    const desk = await desks.ready();
    const before = desk.dataCounts();
    expect(await desk.raw('tickets.drop' as MethodName, {})).toEqual({ ok: false, error: { code: 'api.unknownMethod', params: { method: 'tickets.drop' } } });
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      const r = await desk.raw(name as MethodName, {});
      expect(r.ok ? 'ok' : r.error.code).toBe('api.unknownMethod');
    }
    // also without a session: the method check comes first
    expect((await desk.fail('nope.nope' as MethodName, {}, null)).code).toBe('api.unknownMethod');
    expect(desk.dataCounts()).toEqual(before);
  });
});
