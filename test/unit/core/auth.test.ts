import { describe, it, expect } from 'vitest';
import { SESSION_IDLE_MS, MAX_FAILED_SIGN_INS } from '../../../electron/core/users';
import { ADMIN_PASSWORD, USER_PASSWORD } from '../../fixtures/workspace';
import { backoffMs } from '../../../electron/core/backoff';
import type { TestDesk } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq } from './helpers';

const desks = deskPool();

const SETUP = {
  branchCode: 'mty', branchName: 'Sucursal Monterrey', timeZone: 'America/Mexico_City',
  username: 'Admin', fullName: 'Ana Administradora', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
};

function userRow(desk: TestDesk, username: string) {
  return desk.services.ws.db.prepare('SELECT id, failed_attempts AS failedAttempts, locked_at AS lockedAt, active FROM users WHERE username = ?').get(username) as
    { id: string; failedAttempts: number; lockedAt: number | null; active: number };
}

function entriesAfter(desk: TestDesk, seq: number) {
  return auditEntries(desk).filter((e) => e.seq > seq).map((e) => ({ action: e.action, entityId: e.entityId, actorKind: e.actorKind, actorId: e.actorId, data: JSON.parse(e.data) as Record<string, unknown> }));
}

describe('setup', () => {
  it('creates the branch and the first administrator (who also works the desk), once', async () => {
    const desk = desks.make();
    expect(await desk.call('app.status', {}, null)).toEqual({ initialized: false, branch: null, recovery: null });
    expect((await desk.fail('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).code).toBe('auth.notSetUp');
    const session = await desk.call('auth.setup', SETUP, null);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.user).toMatchObject({ username: 'admin', fullName: 'Ana Administradora', roles: ['administrator', 'agent'], active: true, locked: false, locale: 'es-MX' });
    expect((await desk.call('app.status', {}, null)).branch).toEqual({ code: 'MTY', name: 'Sucursal Monterrey', timeZone: 'America/Mexico_City' });

    const before = desk.dataCounts();
    const again = await desk.fail('auth.setup', { ...SETUP, branchCode: 'GDL', username: 'intruso' }, null);
    expect(again).toEqual({ code: 'auth.alreadySetUp' });
    expect(desk.dataCounts()).toEqual(before);
    expect(desk.services.ws.db.prepare('SELECT code FROM branch').pluck().all()).toEqual(['MTY']);
    expect(auditEntries(desk).map((e) => e.action)).toEqual(['branch.setup', 'user.created', 'api.refused']);
  });

  it('rejects a password confirmation that does not match, writing nothing', async () => {
    const desk = desks.make();
    const before = desk.dataCounts();
    expect(await desk.fail('auth.setup', { ...SETUP, confirmPassword: 'otra-cosa-123' }, null)).toEqual({
      code: 'validation.failed', fields: { confirmPassword: 'validation.passwordMismatch' },
    });
    expect(await desk.fail('auth.setup', { ...SETUP, password: 'corta', confirmPassword: 'corta' }, null)).toEqual({
      code: 'validation.failed', fields: { password: 'validation.passwordLength' },
    });
    expect(await desk.fail('auth.setup', { ...SETUP, timeZone: 'Mars/Olympus_Mons' }, null)).toEqual({
      code: 'validation.failed', fields: { timeZone: 'validation.timeZone' },
    });
    expect(desk.dataCounts()).toEqual(before);
    expect((await desk.call('app.status', {}, null)).initialized).toBe(false);
  });
});

describe('sign-in and lockout', () => {
  it('signs in with the right password and audits it', async () => {
    const desk = await desks.ready();
    const seq = lastSeq(desk);
    const session = await desk.call('auth.signIn', { username: '  ADMIN ', password: ADMIN_PASSWORD }, null);
    expect(session.user.username).toBe('admin');
    expect(await desk.call('auth.me', {}, session.token)).toEqual(session.user);
    expect(entriesAfter(desk, seq)).toEqual([{ action: 'auth.signIn', entityId: session.user.id, actorKind: 'user', actorId: session.user.id, data: { username: 'admin' } }]);
  });

  it('an unknown user is invalidCredentials and is audited', async () => {
    const desk = await desks.ready();
    const seq = lastSeq(desk);
    expect(await desk.fail('auth.signIn', { username: 'fantasma', password: 'lo-que-sea' }, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(entriesAfter(desk, seq)).toEqual([{ action: 'auth.signIn.failed', entityId: null, actorKind: 'anonymous', actorId: null, data: { username: 'fantasma', reason: 'unknown_user' } }]);
  });

  it('locks after three wrong passwords (answered like an unknown user, so the lock does not reveal the name); then even the right one fails, saying why; unlock restores access', async () => {
    expect(MAX_FAILED_SIGN_INS).toBe(3);
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('lupita', ['agent']);
    const seq = lastSeq(desk);
    const wrong = { username: 'lupita', password: 'no-es-la-clave' };
    expect(await desk.fail('auth.signIn', wrong, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(userRow(desk, 'lupita')).toMatchObject({ failedAttempts: 1, lockedAt: null });
    expect(await desk.fail('auth.signIn', wrong, null)).toEqual({ code: 'auth.invalidCredentials' });
    desk.advance(1000);
    expect(await desk.fail('auth.signIn', wrong, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(userRow(desk, 'lupita')).toMatchObject({ failedAttempts: 3, lockedAt: desk.now() });
    // the existing session of a locked user stops working
    expect((await desk.fail('auth.me', {}, agent.token)).code).toBe('auth.required');
    // the right password no longer helps
    expect(await desk.fail('auth.signIn', { username: 'lupita', password: USER_PASSWORD }, null)).toEqual({ code: 'auth.locked' });
    expect((await desk.call('users.list', {})).find((u) => u.username === 'lupita')!.locked).toBe(true);

    expect(entriesAfter(desk, seq)).toEqual([
      { action: 'auth.signIn.failed', entityId: agent.id, actorKind: 'anonymous', actorId: null, data: { username: 'lupita', reason: 'bad_password', attempts: 1 } },
      { action: 'auth.signIn.failed', entityId: agent.id, actorKind: 'anonymous', actorId: null, data: { username: 'lupita', reason: 'bad_password', attempts: 2 } },
      { action: 'auth.signIn.failed', entityId: agent.id, actorKind: 'anonymous', actorId: null, data: { username: 'lupita', reason: 'bad_password', attempts: 3 } },
      { action: 'auth.lockout', entityId: agent.id, actorKind: 'anonymous', actorId: null, data: { username: 'lupita', attempts: 3 } },
      { action: 'auth.signIn.failed', entityId: agent.id, actorKind: 'anonymous', actorId: null, data: { username: 'lupita', reason: 'locked' } },
    ]);

    // A locked name and an unknown one answer a wrong password the same way.
    expect(await desk.fail('auth.signIn', wrong, null)).toEqual({ code: 'auth.invalidCredentials' });
    for (let i = 0; i < 4; i++) {
      expect(await desk.fail('auth.signIn', { username: 'nadie-asi', password: 'no-es-la-clave' }, null)).toEqual({ code: 'auth.invalidCredentials' });
    }

    const adminId = (await desk.call('auth.me', {})).id;
    const seq2 = lastSeq(desk);
    const unlocked = await desk.call('users.unlock', { userId: agent.id });
    expect(unlocked).toMatchObject({ username: 'lupita', locked: false });
    expect(userRow(desk, 'lupita')).toMatchObject({ failedAttempts: 0, lockedAt: null });
    const session = await desk.call('auth.signIn', { username: 'lupita', password: USER_PASSWORD }, null);
    expect(session.user.id).toBe(agent.id);
    expect(entriesAfter(desk, seq2)).toEqual([
      { action: 'auth.unlock', entityId: agent.id, actorKind: 'user', actorId: adminId, data: {} },
      { action: 'auth.signIn', entityId: agent.id, actorKind: 'user', actorId: agent.id, data: { username: 'lupita' } },
    ]);
  });

  it('resets failed_attempts after a successful sign-in', async () => {
    const desk = await desks.ready();
    await desk.userWithRoles('beto', ['agent']);
    await desk.fail('auth.signIn', { username: 'beto', password: 'equivocada-1' }, null);
    await desk.fail('auth.signIn', { username: 'beto', password: 'equivocada-2' }, null);
    expect(userRow(desk, 'beto').failedAttempts).toBe(2);
    await desk.call('auth.signIn', { username: 'beto', password: USER_PASSWORD }, null);
    expect(userRow(desk, 'beto').failedAttempts).toBe(0);
    // so two more failures do not lock
    await desk.fail('auth.signIn', { username: 'beto', password: 'equivocada-3' }, null);
    expect(await desk.fail('auth.signIn', { username: 'beto', password: 'equivocada-4' }, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(userRow(desk, 'beto')).toMatchObject({ failedAttempts: 2, lockedAt: null });
  });

  it('the last active administrator is never locked: after three failures each attempt waits, refused unchecked during the wait (issue 10)', async () => {
    const desk = await desks.ready();
    const admin = userRow(desk, 'admin');
    const seq = lastSeq(desk);
    for (let i = 1; i <= 3; i++) expect(await desk.fail('auth.signIn', { username: 'admin', password: `mala-clave-${i}` }, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(userRow(desk, 'admin')).toMatchObject({ failedAttempts: 3, lockedAt: null });
    // Within the minute even the right password is refused, unchecked, and the attempt is audited.
    desk.advance(30_000);
    expect(await desk.fail('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect(entriesAfter(desk, seq).map((e) => [e.action, e.data.reason, e.data.waitMs])).toEqual([
      ['auth.signIn.failed', 'bad_password', undefined], ['auth.signIn.failed', 'bad_password', undefined],
      ['auth.signIn.failed', 'bad_password', backoffMs(3)], ['auth.signIn.failed', 'backoff', 30_000],
    ]);
    // A fourth failure after the wait doubles it.
    desk.advance(30_000);
    await desk.fail('auth.signIn', { username: 'admin', password: 'mala-clave-4' }, null);
    desk.advance(backoffMs(4) - 1);
    expect((await desk.fail('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).code).toBe('auth.invalidCredentials');
    desk.advance(1);
    expect((await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).user.id).toBe(admin.id);
    expect(userRow(desk, 'admin')).toMatchObject({ failedAttempts: 0, lockedAt: null });
    expect(entriesAfter(desk, seq).map((e) => e.action)).not.toContain('auth.lockout');
  });

  it('with another active administrator, an administrator locks after three failures as anyone', async () => {
    const desk = await desks.ready();
    await desk.userWithRoles('admin-dos', ['administrator']);
    for (let i = 0; i < 3; i++) await desk.fail('auth.signIn', { username: 'admin', password: `mala-${i}-clave` }, null);
    expect(userRow(desk, 'admin').lockedAt).toBe(desk.now());
  });

  // BUG (electron/core/users.ts signIn): the row is read before `await verifyPassword` and the new
  // count is computed from that stale copy, so concurrent wrong guesses all write failed_attempts = 1.
  it('locks even when the wrong passwords arrive concurrently (no lockout bypass by parallel guesses)', async () => {
    const desk = await desks.ready();
    await desk.userWithRoles('carla', ['agent']);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => desk.raw('auth.signIn', { username: 'carla', password: `adivinanza-${i}` }, null)),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    const row = userRow(desk, 'carla');
    expect(row.failedAttempts).toBeGreaterThanOrEqual(3);
    expect(row.lockedAt).not.toBeNull();
    expect(await desk.fail('auth.signIn', { username: 'carla', password: USER_PASSWORD }, null)).toEqual({ code: 'auth.locked' });
  });
});

describe('sessions and user administration', () => {
  it('a deactivated user cannot sign in and loses its session at once', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('dario', ['agent']);
    expect((await desk.call('auth.me', {}, agent.token)).username).toBe('dario');
    const updated = await desk.call('users.update', { userId: agent.id, active: false });
    expect(updated.active).toBe(false);
    expect(await desk.fail('auth.me', {}, agent.token)).toEqual({ code: 'auth.required' });
    expect(await desk.fail('auth.signIn', { username: 'dario', password: USER_PASSWORD }, null)).toEqual({ code: 'auth.inactive' });
    expect((await desk.call('users.directory', {})).map((u) => u.username)).not.toContain('dario');
    const last = auditEntries(desk).at(-1)!;
    expect(last.action).toBe('auth.signIn.failed');
    expect(JSON.parse(last.data)).toEqual({ username: 'dario', reason: 'inactive' });
  });

  it('the last active administrator can be neither demoted nor deactivated', async () => {
    const desk = await desks.ready();
    const me = await desk.call('auth.me', {});
    const before = desk.dataCounts();
    expect(await desk.fail('users.update', { userId: me.id, roles: ['agent'] })).toEqual({ code: 'auth.lastAdministrator' });
    expect(await desk.fail('users.update', { userId: me.id, active: false })).toEqual({ code: 'auth.lastAdministrator' });
    expect(desk.dataCounts()).toEqual(before);
    expect((await desk.call('auth.me', {})).roles).toEqual(['administrator', 'agent']);

    // with a second administrator the first may step down
    const second = await desk.userWithRoles('segunda-admin', ['administrator']);
    const demoted = await desk.call('users.update', { userId: me.id, roles: ['agent'] });
    expect(demoted.roles).toEqual(['agent']);
    const last = auditEntries(desk).at(-1)!;
    expect(last.action).toBe('user.rolesChanged');
    expect(JSON.parse(last.data)).toEqual({ roles: { from: ['administrator', 'agent'], to: ['agent'] } });
    // now the second one is the last
    expect(await desk.fail('users.update', { userId: second.id, roles: ['supervisor'] }, second.token)).toEqual({ code: 'auth.lastAdministrator' });
  });

  // BUG (electron/core/users.ts update): a locked administrator is not counted by
  // activeAdministratorCount(), yet demoting it is checked as if it were the last one.
  it('a locked second administrator can be demoted while an active one remains', async () => {
    const desk = await desks.ready();
    const second = await desk.userWithRoles('admin-dos', ['administrator']);
    for (let i = 0; i < 3; i++) await desk.fail('auth.signIn', { username: 'admin-dos', password: `mala-${i}-clave` }, null);
    expect(userRow(desk, 'admin-dos').lockedAt).not.toBeNull();
    const r = await desk.raw('users.update', { userId: second.id, roles: ['agent'] });
    expect(r.ok ? 'ok' : r.error.code).toBe('ok');
    expect((await desk.call('auth.me', {})).roles).toContain('administrator');
  });

  it('a session expires after SESSION_IDLE_MS without a call, and each call renews it', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('elena', ['agent']);
    desk.advance(SESSION_IDLE_MS - 1000);
    expect((await desk.call('auth.me', {}, agent.token)).username).toBe('elena'); // renews
    desk.advance(SESSION_IDLE_MS - 1000);
    expect((await desk.call('auth.me', {}, agent.token)).username).toBe('elena'); // still alive: renewed above
    desk.advance(SESSION_IDLE_MS + 1);
    expect(await desk.fail('auth.me', {}, agent.token)).toEqual({ code: 'auth.sessionExpired' });
    // gone for good, even if the clock were to go back
    desk.advance(-(SESSION_IDLE_MS + 1));
    expect(await desk.fail('auth.me', {}, agent.token)).toEqual({ code: 'auth.sessionExpired' });
  });

  it('a role change applies to the very next call of an open session', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('fer', ['agent']);
    expect((await desk.fail('audit.verify', {}, user.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('tickets.create', {}, user.token)).code).toBe('validation.failed');
    await desk.call('users.update', { userId: user.id, roles: ['security_officer'] });
    expect((await desk.call('audit.verify', {}, user.token)).ok).toBe(true);
    expect((await desk.fail('tickets.create', {}, user.token)).code).toBe('auth.forbidden');
    expect((await desk.call('auth.me', {}, user.token)).roles).toEqual(['security_officer']);
  });

  it('sign-out ends the session and is audited', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('gabo', ['agent']);
    const seq = lastSeq(desk);
    expect(await desk.call('auth.signOut', {}, user.token)).toBeNull();
    expect(await desk.fail('auth.me', {}, user.token)).toEqual({ code: 'auth.required' });
    expect(entriesAfter(desk, seq)).toEqual([{ action: 'auth.signOut', entityId: user.id, actorKind: 'user', actorId: user.id, data: {} }]);
  });

  it('a password reset ends the user’s sessions and clears a lock', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('hugo', ['agent']);
    await desk.call('users.resetPassword', { userId: user.id, password: 'nueva-clave-456' });
    expect(await desk.fail('auth.me', {}, user.token)).toEqual({ code: 'auth.required' });
    expect(await desk.fail('auth.signIn', { username: 'hugo', password: USER_PASSWORD }, null)).toEqual({ code: 'auth.invalidCredentials' });
    expect((await desk.call('auth.signIn', { username: 'hugo', password: 'nueva-clave-456' }, null)).user.id).toBe(user.id);
  });

  it('refuses a duplicate user name (case-insensitive) with a field error, writing nothing', async () => {
    const desk = await desks.ready();
    await desk.userWithRoles('ines', ['agent']);
    const before = desk.dataCounts();
    expect(await desk.fail('users.create', { username: 'INES', fullName: 'Otra Inés', password: 'clave-larga-1', confirmPassword: 'clave-larga-1', roles: ['agent'] })).toEqual({
      code: 'validation.failed', fields: { username: 'users.usernameTaken' },
    });
    expect(desk.dataCounts()).toEqual(before);
  });
});
