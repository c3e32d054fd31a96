/**
 * Issue 10, finding 7: the password rule (setup, user creation, an administrator's reset, a
 * self-change), changing one's own password, the change forced after a reset (enforced in core),
 * and sessions' absolute lifetime and per-user cap. Real SQLite files through the real dispatcher.
 */
import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../../electron/core/passwords';
import { MAX_SESSIONS_PER_USER, SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from '../../../electron/core/users';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from '../../../electron/shared/password-policy';
import { ADMIN_PASSWORD, USER_PASSWORD, type TestDesk } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq } from './helpers';

const desks = deskPool();
const HOUR_MS = 60 * 60 * 1000;

const SETUP = {
  branchCode: 'MTY', branchName: 'Sucursal Monterrey', timeZone: 'America/Mexico_City',
  username: 'admin', fullName: 'Ana Administradora',
};

function newUser(username: string, password: string) {
  return { username, fullName: `Usuario ${username}`, password, confirmPassword: password, roles: ['agent' as const] };
}

function actionsAfter(desk: TestDesk, seq: number) {
  return auditEntries(desk).filter((e) => e.seq > seq).map((e) => ({ action: e.action, data: JSON.parse(e.data) as Record<string, unknown> }));
}

/** The cases every way of setting a password must refuse, with the field error each gives. */
const REFUSED: Array<[string, string, string]> = [
  ['11 characters', 'abcdefghijk', 'validation.passwordLength'],
  ['the user name itself, another case', 'MARIANA.LOPEZ', 'validation.passwordHasUsername'],
  ['containing the user name', 'soy-Mariana.Lopez-y-ya', 'validation.passwordHasUsername'],
  ['on the shipped list', 'password1234', 'validation.passwordCommon'],
  ['on the list with digits and symbols around it', 'Contraseña2024!', 'validation.passwordCommon'],
  ['on the list with spaces', 'qwerty uiop 123', 'validation.passwordCommon'],
  ['over 1024 bytes of UTF-8', 'ñ'.repeat(513), 'validation.passwordTooLong'],
];

describe('the password rule', () => {
  it('the shipped common-password list works offline and ignores case', async () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_BYTES).toBe(1024);
    for (const p of ['password1234', 'QWERTY123456', 'iloveyou-2024', 'contraseña', '123456789012']) expect(await isCommonPassword(p), p).toBe(true);
    for (const p of [ADMIN_PASSWORD, USER_PASSWORD, 'caballo-batería-grapa-correcta']) expect(await isCommonPassword(p), p).toBe(false);
  });

  it('setup refuses each broken rule with its message, writing nothing', async () => {
    const desk = desks.make();
    for (const [why, password, key] of REFUSED) {
      const input = { ...SETUP, username: 'mariana.lopez', password, confirmPassword: password };
      expect(await desk.fail('auth.setup', input, null), why).toMatchObject({ code: 'validation.failed', fields: { password: key } });
    }
    expect((await desk.call('app.status', {}, null)).initialized).toBe(false);
  });

  it('user creation and an administrator’s reset refuse the same, writing nothing; 1,000 characters are accepted and sign in', async () => {
    const desk = await desks.ready();
    const before = desk.dataCounts();
    for (const [why, password, key] of REFUSED) {
      expect(await desk.fail('users.create', newUser('mariana.lopez', password)), why).toMatchObject({ code: 'validation.failed', fields: { password: key } });
    }
    expect(desk.dataCounts()).toEqual(before);

    const target = await desk.call('users.create', newUser('mariana.lopez', USER_PASSWORD));
    const afterCreate = desk.dataCounts();
    for (const [why, password, key] of REFUSED) {
      expect(await desk.fail('users.resetPassword', { userId: target.id, password }), why).toMatchObject({ code: 'validation.failed', fields: { password: key } });
    }
    expect(desk.dataCounts()).toEqual(afterCreate);

    const long = 'Una frase larga y propia. '.repeat(40).slice(0, 1000);
    const wide = 'ñ'.repeat(512); // 1,024 bytes: the cap itself
    for (const password of [long, wide]) {
      await desk.call('users.resetPassword', { userId: target.id, password });
      expect((await desk.call('auth.signIn', { username: 'mariana.lopez', password }, null)).user.id).toBe(target.id);
    }
    // A sign-in over the cap is refused before any hashing.
    expect(await desk.fail('auth.signIn', { username: 'mariana.lopez', password: 'x'.repeat(1025) }, null)).toMatchObject({ fields: { password: 'validation.passwordTooLong' } });
  });
});

describe('changing one’s own password', () => {
  it('needs the current password (a wrong one is audited), follows the rule, ends the user’s other sessions', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('rocio', ['agent']);
    const other = await desk.call('auth.signIn', { username: 'rocio', password: USER_PASSWORD }, null);
    const seq = lastSeq(desk);
    const wrong = await desk.fail('auth.changePassword', { currentPassword: 'no-es-la-actual', newPassword: 'mi-nueva-frase-segura', confirmPassword: 'mi-nueva-frase-segura' }, user.token);
    expect(wrong).toEqual({ code: 'validation.failed', fields: { currentPassword: 'auth.wrongCurrentPassword' } });
    expect(await desk.fail('auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: 'rocio-1234567', confirmPassword: 'rocio-1234567' }, user.token))
      .toMatchObject({ fields: { newPassword: 'validation.passwordHasUsername' } });
    expect(await desk.fail('auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: USER_PASSWORD, confirmPassword: USER_PASSWORD }, user.token))
      .toMatchObject({ fields: { newPassword: 'validation.passwordSame' } });
    expect(await desk.fail('auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: 'mi-nueva-frase-segura', confirmPassword: 'otra' }, user.token))
      .toMatchObject({ fields: { confirmPassword: 'validation.passwordMismatch' } });

    const changed = await desk.call('auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: 'mi-nueva-frase-segura', confirmPassword: 'mi-nueva-frase-segura' }, user.token);
    expect(changed.token).toBe(user.token);
    expect((await desk.call('auth.me', {}, user.token)).username).toBe('rocio');
    expect((await desk.fail('auth.me', {}, other.token)).code).toBe('auth.required');
    expect((await desk.fail('auth.signIn', { username: 'rocio', password: USER_PASSWORD }, null)).code).toBe('auth.invalidCredentials');
    expect((await desk.call('auth.signIn', { username: 'rocio', password: 'mi-nueva-frase-segura' }, null)).user.id).toBe(user.id);
    expect(actionsAfter(desk, seq).map((e) => e.action)).toEqual([
      'user.passwordChangeRefused', 'api.invalidInput', 'api.invalidInput', 'api.invalidInput', 'user.passwordChanged', 'auth.signIn.failed', 'auth.signIn',
    ]);
  });

  it('an emergency session cannot change a password (outside its scope)', async () => {
    const desk = await desks.ready();
    const { makeWorld, implementing } = await import('../requests/helpers');
    const { token } = await implementing(await makeWorld(desk));
    expect((await desk.fail('auth.changePassword', { currentPassword: 'x', newPassword: 'mi-nueva-frase-segura', confirmPassword: 'mi-nueva-frase-segura' }, token)).code)
      .toBe('emergency.outOfScope');
  });
});

describe('an administrator’s reset forces a change at the next sign-in', () => {
  it('the session may only change the password, ask who it is or sign out until then — in core', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('tomas', ['agent', 'supervisor']);
    await desk.call('users.resetPassword', { userId: user.id, password: 'temporal-del-admin-9' });
    expect((await desk.fail('auth.me', {}, user.token)).code).toBe('auth.required'); // the reset ended it
    const session = await desk.call('auth.signIn', { username: 'tomas', password: 'temporal-del-admin-9' }, null);
    expect(session.user.mustChangePassword).toBe(true);
    const seq = lastSeq(desk);
    for (const method of ['tickets.list', 'users.directory', 'audit.verify', 'board.load'] as const) {
      expect((await desk.fail(method, {}, session.token)).code, method).toBe('auth.mustChangePassword');
    }
    expect(actionsAfter(desk, seq).map((e) => [e.action, e.data.error])).toEqual(Array(4).fill(['api.refused', 'auth.mustChangePassword']));
    expect((await desk.call('auth.me', {}, session.token)).mustChangePassword).toBe(true);
    expect((await desk.call('app.status', {}, session.token)).initialized).toBe(true); // public: as for anyone
    const changed = await desk.call('auth.changePassword', { currentPassword: 'temporal-del-admin-9', newPassword: 'solo-yo-la-conozco', confirmPassword: 'solo-yo-la-conozco' }, session.token);
    expect(changed.user.mustChangePassword).toBe(false);
    expect((await desk.call('tickets.list', {}, session.token)).rows).toEqual([]);
    const last = auditEntries(desk).filter((e) => e.action === 'user.passwordChanged').at(-1)!;
    expect(JSON.parse(last.data)).toEqual({ forced: true });
  });

  it('no hash leaves in the outbox: only that the password changed and whether a change is pending (every branch asks for it, issue 11)', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('ursula', ['agent']);
    await desk.call('users.resetPassword', { userId: user.id, password: 'temporal-del-admin-9' });
    const s = await desk.call('auth.signIn', { username: 'ursula', password: 'temporal-del-admin-9' }, null);
    await desk.call('auth.changePassword', { currentPassword: 'temporal-del-admin-9', newPassword: 'solo-yo-la-conozco', confirmPassword: 'solo-yo-la-conozco' }, s.token);
    const payloads = desk.services.ws.db.prepare("SELECT payload FROM outbox WHERE entity = 'user'").pluck().all() as string[];
    const hashes = desk.services.ws.db.prepare('SELECT password_hash FROM users').pluck().all() as string[];
    for (const p of payloads) {
      expect(p).not.toMatch(/scrypt|password_?hash|temporal-del-admin|solo-yo/i);
      for (const h of hashes) expect(p).not.toContain(h.split('$').at(-1));
    }
    expect(payloads.map((p) => JSON.parse(p) as object)).toContainEqual({ passwordChangedAt: expect.any(Number), mustChangePassword: false });
  });
});

describe('sessions', () => {
  it('end 7 days after sign-in however active, with a message saying so', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('valeria', ['agent']);
    expect(SESSION_MAX_AGE_MS).toBe(7 * 24 * HOUR_MS);
    // A call every 11 hours keeps the idle limit (12 h) from ending it...
    let elapsed = 0;
    while (elapsed + 11 * HOUR_MS < SESSION_MAX_AGE_MS) {
      desk.advance(11 * HOUR_MS);
      elapsed += 11 * HOUR_MS;
      expect((await desk.call('auth.me', {}, user.token)).username).toBe('valeria');
    }
    // ...but not the lifetime.
    desk.advance(SESSION_MAX_AGE_MS - elapsed);
    expect(await desk.fail('auth.me', {}, user.token)).toEqual({ code: 'auth.sessionExpired' });
    expect(await desk.fail('tickets.list', {}, user.token)).toEqual({ code: 'auth.sessionExpired' });
  });

  it('the idle limit says so too', async () => {
    const desk = await desks.ready();
    const user = await desk.userWithRoles('wendy', ['agent']);
    desk.advance(SESSION_IDLE_MS + 1);
    expect(await desk.fail('auth.me', {}, user.token)).toEqual({ code: 'auth.sessionExpired' });
  });

  it('at most 5 live sessions per user: the oldest ends, audited', async () => {
    const desk = await desks.ready();
    expect(MAX_SESSIONS_PER_USER).toBe(5);
    const user = await desk.userWithRoles('ximena', ['agent']);
    const tokens = [user.token];
    for (let i = 0; i < 4; i++) {
      desk.advance(1000);
      tokens.push((await desk.call('auth.signIn', { username: 'ximena', password: USER_PASSWORD }, null)).token);
    }
    for (const t of tokens) expect((await desk.call('auth.me', {}, t)).id).toBe(user.id);
    const seq = lastSeq(desk);
    desk.advance(1000);
    const sixth = (await desk.call('auth.signIn', { username: 'ximena', password: USER_PASSWORD }, null)).token;
    expect(await desk.fail('auth.me', {}, tokens[0])).toEqual({ code: 'auth.sessionExpired' });
    for (const t of [...tokens.slice(1), sixth]) expect((await desk.call('auth.me', {}, t)).id).toBe(user.id);
    expect(actionsAfter(desk, seq)).toEqual([
      { action: 'auth.signIn', data: { username: 'ximena' } },
      { action: 'auth.sessionEnded', data: { reason: 'session_cap', max: 5, startedAt: expect.any(Number) } },
    ]);
    // Another user's sessions are not counted.
    expect((await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).user.username).toBe('admin');
    for (const t of [...tokens.slice(1), sixth]) expect((await desk.call('auth.me', {}, t)).id).toBe(user.id);
  });
});
