/**
 * Issue 10, finding 2: refusals that skipped the audit entry. Malformed sign-ins used to answer
 * errors.internal and leave no trace; now they are validation errors, and every refused call —
 * malformed input, an unknown method, a forbidden role, a rule core refused — is audited.
 */
import { describe, it, expect } from 'vitest';
import { verifyAuditLog } from '../../../electron/core/audit';
import type { MethodName } from '../../../electron/shared/contract';
import type { TestDesk } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq } from './helpers';

const desks = deskPool();

/** The audit entries a call appended, as action + parsed data. */
async function entriesOf(desk: TestDesk, call: () => Promise<unknown>) {
  const seq = lastSeq(desk);
  await call();
  return auditEntries(desk).filter((e) => e.seq > seq).map((e) => ({ action: e.action, actorId: e.actorId, entityId: e.entityId, data: JSON.parse(e.data) as Record<string, unknown> }));
}

describe('malformed sign-ins', () => {
  for (const method of ['auth.signIn', 'emergency.signIn'] as const) {
    it(`${method} with a lone surrogate in the user name is a validation error, audited as a failed sign-in`, async () => {
      const desk = await desks.ready();
      let err;
      const entries = await entriesOf(desk, async () => {
        err = await desk.fail(method, { username: 'ana\ud800', password: 'lo-que-sea' }, null);
      });
      expect(err).toEqual({ code: 'validation.failed', fields: { username: 'validation.invalidText' } });
      expect(entries).toEqual([{
        action: `${method}.failed`, actorId: null, entityId: null,
        data: { username: 'ana\ufffd', reason: 'invalid_input', fields: { username: 'validation.invalidText' } },
      }]);
      expect(verifyAuditLog(desk.services.ws.db).ok).toBe(true);
    });
  }

  it('records a long attempted user name cut short', async () => {
    const desk = await desks.ready();
    const entries = await entriesOf(desk, () => desk.fail('auth.signIn', { username: 'a'.repeat(5000), password: 'x' }, null));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data.username).toBe('a'.repeat(80));
    expect(entries[0]!.data.reason).toBe('invalid_input');
  });
});

describe('every refused call leaves one audit entry', () => {
  it('names the caller, the method and why', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const admin = desk.services.users.list().find((u) => u.username === 'admin')!.id;
    const cases: Array<[string, unknown, string | null, { action: string; actorId: string; entityId: string; data: object }]> = [
      ['nope.nope', {}, desk.token, { action: 'api.unknownMethod', actorId: admin, entityId: 'nope.nope', data: {} }],
      ['users.list', {}, agent.token, { action: 'auth.forbidden', actorId: agent.id, entityId: 'users.list', data: { roles: ['agent'] } }],
      ['tickets.reply', { ticketId: 'x', body: '' }, agent.token, {
        action: 'api.invalidInput', actorId: agent.id, entityId: 'tickets.reply',
        data: { error: 'validation.failed', fields: { ticketId: 'validation.invalid', body: 'validation.required' } },
      }],
      ['tickets.get', { ticketId: '0190a5d0-0000-7000-8000-000000000000' }, agent.token, {
        action: 'api.refused', actorId: agent.id, entityId: 'tickets.get', data: { error: 'tickets.notFound' },
      }],
    ];
    for (const [method, input, token, expected] of cases) {
      const entries = await entriesOf(desk, () => desk.fail(method as MethodName, input, token));
      expect(entries, method).toEqual([expected]);
    }
    expect(verifyAuditLog(desk.services.ws.db).ok).toBe(true);
  });

  it('a refusal core already recorded is not recorded twice', async () => {
    const desk = await desks.ready();
    const entries = await entriesOf(desk, () => desk.fail('auth.signIn', { username: 'nadie', password: 'equivocada' }, null));
    expect(entries.map((e) => e.action)).toEqual(['auth.signIn.failed']);
  });

  it('a refusal is audited even when another call writes while it awaits (the count is per call)', async () => {
    const desk = await desks.ready();
    await desk.userWithRoles('agente', ['agent']);
    const admin = desk.services.users.list().find((u) => u.username === 'admin')!.id;
    const seq = lastSeq(desk);
    // users.create hashes the password (awaited, off the event loop) before its write finds the name
    // taken; meanwhile the second call's settings write lands and moves the audit head.
    const taken = desk.fail('users.create', {
      username: 'agente', fullName: 'Otro agente', password: 'una-frase-bastante-larga', confirmPassword: 'una-frase-bastante-larga', roles: ['agent'],
    });
    const other = desk.call('settings.update', { keepBackups: 4 });
    expect((await taken).fields).toEqual({ username: 'users.usernameTaken' });
    await other;
    const entries = auditEntries(desk).filter((e) => e.seq > seq).map((e) => ({ action: e.action, actorId: e.actorId, entityId: e.entityId }));
    expect(entries).toEqual([
      { action: 'settings.changed', actorId: admin, entityId: expect.any(String) },
      { action: 'api.invalidInput', actorId: admin, entityId: 'users.create' },
    ]);
    expect(verifyAuditLog(desk.services.ws.db).ok).toBe(true);
  });

  it('a call without a session to a method that needs one is refused without an entry (no one to name)', async () => {
    const desk = await desks.ready();
    expect(await entriesOf(desk, () => desk.fail('tickets.list', {}, null))).toEqual([]);
  });
});
