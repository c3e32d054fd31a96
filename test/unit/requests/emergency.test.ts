import { describe, expect, it } from 'vitest';
import { sweepEmergencyAccounts } from '../../../electron/core/emergency';
import { backoffMs, EMERGENCY_LOCK_ATTEMPTS } from '../../../electron/core/backoff';
import { EMERGENCY_SCOPE } from '../../../electron/shared/request-workflow';
import {
  approved, audit, DAY_MS, deskPool, emergencyFor, HOUR_MS, implementing, inReview, lastAudit, makeWorld, OLD_RFC,
} from './helpers';
import { USER_PASSWORD } from '../../fixtures/workspace';

const desks = deskPool();

describe('creating an emergency account', () => {
  it('only for an approved request, within the configurable maximum window, one live account at a time', async () => {
    const w = await makeWorld(await desks.ready());
    const pending = await inReview(w);
    const e1 = await w.desk.fail('emergency.create', { requestId: pending.id, implementerId: w.cast.impl.id, durationMinutes: 60, comment: 'x' }, w.cast.officer.token);
    expect(e1).toEqual({ code: 'emergency.requestNotApproved', params: { state: 'in_review' } });
    expect(lastAudit(w.desk)).toMatchObject({ action: 'emergency.refused', entityId: pending.id });

    const r = await approved(w);
    expect(await w.desk.call('emergency.settings', {}, w.cast.officer.token)).toEqual({ maxHours: 8 });
    const tooLong = await w.desk.fail('emergency.create', { requestId: r.id, implementerId: w.cast.impl.id, durationMinutes: 8 * 60 + 1, comment: 'x' }, w.cast.officer.token);
    expect(tooLong).toEqual({ code: 'emergency.windowTooLong', params: { maxHours: 8 } });
    await w.desk.call('emergency.updateSettings', { maxHours: 2 }, w.cast.officer.token);
    expect(lastAudit(w.desk, 'settings.changed')).toMatchObject({ entityId: 'emergency', actorId: w.cast.officer.id });
    expect((await w.desk.fail('emergency.create', { requestId: r.id, implementerId: w.cast.impl.id, durationMinutes: 121, comment: 'x' }, w.cast.officer.token)).params).toEqual({ maxHours: 2 });
    expect((await w.desk.fail('emergency.updateSettings', { maxHours: 4 }, w.cast.agent.token)).code).toBe('auth.forbidden');

    const created = await emergencyFor(w, r.id, 120);
    expect(created.account).toMatchObject({ requestId: r.id, implementerId: w.cast.impl.id, startsAt: w.desk.now(), endsAt: w.desk.now() + 2 * HOUR_MS, disabledAt: null });
    expect((await w.desk.fail('emergency.create', { requestId: r.id, durationMinutes: 60, comment: 'otra' }, w.cast.officer.token)).code).toBe('emergency.alreadyActive');
    // Only the security officer creates them.
    expect((await w.desk.fail('emergency.create', { requestId: r.id, durationMinutes: 60, comment: 'x' }, w.cast.supervisor.token)).code).toBe('auth.forbidden');
    const created2Entry = audit(w.desk).find((e) => e.action === 'emergency.created')!;
    expect(JSON.parse(created2Entry.data)).toEqual({
      requestId: r.id, accountId: created.account.id, username: created.account.username, implementerId: w.cast.impl.id,
      startsAt: created.account.startsAt, endsAt: created.account.endsAt, comment: 'Ventana para aplicar el cambio',
    });
  });
});

describe('expiry (AC-2(2)) at the exact second, with the injected clock', () => {
  it('works until the millisecond before its end; at the end every call is refused, audited, and the account disabled', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    const endsAt = created.account.endsAt;
    w.desk.advance(endsAt - 1 - w.desk.now());
    expect((await w.desk.call('requests.get', { requestId: req.id }, token)).state).toBe('in_implementation');
    w.desk.advance(1);
    expect(w.desk.now()).toBe(endsAt);
    expect(await w.desk.raw('requests.get', { requestId: req.id }, token)).toEqual({ ok: false, error: { code: 'emergency.expired' } });
    expect(await w.desk.raw('requests.apply', { requestId: req.id, comment: 'tarde' }, token)).toEqual({ ok: false, error: { code: 'emergency.expired' } });
    const entry = lastAudit(w.desk);
    expect(entry).toMatchObject({ action: 'emergency.expired', actorKind: 'emergency', actorId: w.cast.impl.id, entityId: created.account.id });
    expect(entry.parsed).toMatchObject({ requestId: req.id, method: 'requests.apply', endsAt, emergency: { requestId: req.id, accountId: created.account.id } });
    expect(audit(w.desk).filter((e) => e.action === 'emergency.disabled')).toHaveLength(1);
    expect((await w.desk.call('customers.get', { customerId: w.customer.id }, w.cast.agent.token)).rfc).toBe(OLD_RFC);
    // Signing in again after the end is refused too, and counts as an anomaly.
    const again = await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null);
    expect(again.code).toBe('emergency.expired');
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'after_expiry', requestId: req.id });
    // Signing out is still possible.
    expect((await w.desk.raw('auth.signOut', {}, token)).ok).toBe(true);
  });

  it('the sweep disables accounts at their end, not a millisecond before, once', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const created = await emergencyFor(w, r.id, 30);
    const endsAt = created.account.endsAt;
    expect(sweepEmergencyAccounts(w.desk.services, endsAt - 1)).toBe(0);
    expect(sweepEmergencyAccounts(w.desk.services, endsAt)).toBe(1);
    expect(sweepEmergencyAccounts(w.desk.services, endsAt + DAY_MS)).toBe(0);
    const entry = lastAudit(w.desk, 'emergency.disabled');
    expect(entry).toMatchObject({ actorKind: 'system', actorId: null, entityId: created.account.id });
    expect(entry.parsed).toMatchObject({ reason: 'expired', by: 'sweep', requestId: r.id, endsAt });
    expect((await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null)).code).toBe('emergency.expired');
  });

  it('a window scheduled ahead is not valid before its start', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const created = await w.desk.call('emergency.create', {
      requestId: r.id, implementerId: w.cast.impl.id, startsAt: w.desk.now() + HOUR_MS, durationMinutes: 60, comment: 'Mañana',
    }, w.cast.officer.token);
    expect((await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null)).code).toBe('emergency.notYetValid');
    w.desk.advance(HOUR_MS);
    expect((await w.desk.call('emergency.signIn', { username: created.account.username, password: created.password }, null)).user.id).toBe(w.cast.impl.id);
  });

  it('the start may come as a date and a time on the branch clock: core reads them in the branch time zone and refuses impossible ones', async () => {
    const w = await makeWorld(await desks.ready()); // Monday 2 March 2026, 10:00 in Mexico City (UTC−6)
    const r = await approved(w);
    const base = { requestId: r.id, implementerId: w.cast.impl.id, durationMinutes: 60, comment: 'Ventana de la tarde' };
    const officer = w.cast.officer.token;
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '2026-03-02' }, officer)).fields).toEqual({ startTime: 'validation.required' });
    expect((await w.desk.fail('emergency.create', { ...base, startTime: '11:30' }, officer)).fields).toEqual({ startDate: 'validation.required' });
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '2026-03-02', startTime: '24:10' }, officer)).fields).toEqual({ startTime: 'validation.time' });
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '02/03/2026', startTime: '11:30' }, officer)).fields).toEqual({ startDate: 'validation.date' });
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '2026-02-30', startTime: '11:30' }, officer)).fields).toEqual({ startTime: 'emergency.badStart' });
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '2026-03-02', startTime: '08:00' }, officer)).fields).toEqual({ startsAt: 'emergency.badStart' });
    // The minute typed a few minutes ago is still "now"; more than five minutes ago is not.
    w.desk.advance(94 * 60_000); // 11:34
    expect((await w.desk.fail('emergency.create', { ...base, startDate: '2026-03-02', startTime: '11:28' }, officer)).fields).toEqual({ startsAt: 'emergency.badStart' });
    const created = await w.desk.call('emergency.create', { ...base, startDate: '2026-03-02', startTime: '11:30' }, officer);
    expect(created.account.startsAt).toBe(Date.UTC(2026, 2, 2, 17, 30));
  });

  it('revoking ends it early', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    const revoked = await w.desk.call('emergency.revoke', { accountId: created.account.id, comment: 'Se resolvió' }, w.cast.officer.token);
    expect(revoked.disabledReason).toBe('revoked');
    expect((await w.desk.fail('requests.get', { requestId: req.id }, token)).code).toBe('emergency.expired');
    expect((await w.desk.fail('emergency.revoke', { accountId: created.account.id, comment: 'otra vez' }, w.cast.officer.token)).code).toBe('emergency.notActive');
  });
});

describe('"Terminar sesión" ends the emergency account', () => {
  it('signing out disables the account at once (audited); a later sign-in is refused and is an anomaly in the review', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    expect((await w.desk.raw('auth.signOut', {}, token)).ok).toBe(true);
    const disabled = lastAudit(w.desk, 'emergency.disabled');
    expect(disabled).toMatchObject({ actorKind: 'emergency', actorId: w.cast.impl.id, entityId: created.account.id });
    expect(disabled.parsed).toMatchObject({ reason: 'signed_out', requestId: req.id });
    const account = await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token);
    expect(account.map((i) => [i.account.id, i.account.disabledReason])).toEqual([[created.account.id, 'signed_out']]);
    expect(account[0]!.anomalies).toEqual([]);

    // The window is still open, but the account is over.
    const again = await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null);
    expect(again.code).toBe('emergency.disabled');
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'disabled', requestId: req.id });
    const [item] = await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token);
    expect(item!.anomalies.map((a) => a.kind)).toEqual(['sign_in_after_end']);

    // Even once signed off, a later attempt brings the account back to the officer's queue.
    await w.desk.call('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Revisado' }, w.cast.officer.token);
    expect(await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token)).toEqual([]);
    w.desk.advance(60_000);
    await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null);
    const [back] = await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token);
    expect(back!.anomalies.map((a) => a.kind)).toEqual(['sign_in_after_end', 'sign_in_after_end']);
  });
});

describe('what an emergency session may do', () => {
  it('says so in auth.me, for the banner', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    expect((await w.desk.call('auth.me', {}, token)).emergency).toEqual({
      accountId: created.account.id, requestId: req.id, username: created.account.username, endsAt: created.account.endsAt,
    });
    expect((await w.desk.call('auth.me', {}, w.cast.impl.token)).emergency).toBeUndefined();
  });

  it('touches only its request and its customer; anything else is refused as out of scope and audited', async () => {
    const w = await makeWorld(await desks.ready());
    const other = await inReview(w, { changes: { name: 'Otra Razón Social SA' } });
    const { req, created, token } = await implementing(w);
    const otherCustomer = await w.desk.call('customers.create', { rfc: 'SUR080320B25', name: 'Servicios del Sur SA', registeredEmail: 'a@sur.example.mx' }, w.cast.agent.token);

    const outside: Array<[string, unknown]> = [
      ['tickets.list', {}],
      ['tickets.get', { ticketId: w.ticket.id }],
      ['customers.list', {}],
      ['customers.update', { customerId: w.customer.id, plan: 'advanced' }],
      ['customers.get', { customerId: otherCustomer.id }],
      ['requests.get', { requestId: other.id }],
      ['requests.apply', { requestId: other.id, comment: 'x' }],
      ['requests.approve', { requestId: req.id, role: 'security_officer', comment: 'x' }],
      ['requests.list', {}],
      ['users.list', {}],
      ['audit.list', {}],
      ['emergency.create', { requestId: req.id, durationMinutes: 60, comment: 'x' }],
    ];
    for (const [method, input] of outside) {
      const before = audit(w.desk).length;
      const r = await w.desk.raw(method as 'tickets.list', input, token);
      expect({ method, r }).toEqual({ method, r: { ok: false, error: { code: 'emergency.outOfScope', params: { method } } } });
      const added = audit(w.desk).slice(before);
      expect(added.map((e) => e.action)).toEqual(['emergency.outOfScope']);
      expect(added[0]).toMatchObject({ actorKind: 'emergency', actorId: w.cast.impl.id, entity: 'emergency_account', entityId: created.account.id });
      expect(JSON.parse(added[0]!.data)).toMatchObject({ requestId: req.id, method, emergency: { requestId: req.id, accountId: created.account.id } });
    }
    // Inside the scope, with its own ids, it works.
    expect(EMERGENCY_SCOPE).toEqual(['requests.get', 'requests.apply', 'customers.get', 'auth.me', 'auth.signOut']);
    expect((await w.desk.call('customers.get', { customerId: w.customer.id }, token)).id).toBe(w.customer.id);
    expect((await w.desk.call('requests.get', { requestId: req.id }, token)).id).toBe(req.id);
  });

  it('every call it makes is audited with the request id, successful or not', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    const before = audit(w.desk).length;
    await w.desk.call('auth.me', {}, token);
    await w.desk.call('customers.get', { customerId: w.customer.id }, token);
    await w.desk.fail('requests.apply', { requestId: req.id, comment: '' }, token); // in scope, invalid input
    await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    await w.desk.call('auth.signOut', {}, token);
    const calls = audit(w.desk).slice(before).filter((e) => e.action === 'emergency.call');
    expect(calls.map((e) => [e.entityId, JSON.parse(e.data).ok, JSON.parse(e.data).error ?? null])).toEqual([
      ['auth.me', true, null],
      ['customers.get', true, null],
      ['requests.apply', false, 'validation.failed'],
      ['requests.apply', true, null],
      ['auth.signOut', true, null],
    ]);
    for (const e of calls) {
      expect(e).toMatchObject({ actorKind: 'emergency', actorId: w.cast.impl.id });
      expect(JSON.parse(e.data)).toMatchObject({ requestId: req.id, emergency: { requestId: req.id, accountId: created.account.id } });
    }
    // Everything written with it, not only the calls, carries actor_kind = emergency and the request id.
    const written = audit(w.desk).slice(before).filter((e) => e.action !== 'emergency.call');
    expect(written.map((e) => e.action)).toEqual(['customer.protectedFieldChanged', 'request.applied', 'request.transition', 'auth.signOut', 'emergency.disabled']);
    for (const e of written) expect({ kind: e.actorKind, req: JSON.parse(e.data).emergency?.requestId }).toEqual({ kind: 'emergency', req: req.id });
  });

  it('the change can only be applied with the emergency account, by its implementer', async () => {
    const w = await makeWorld(await desks.ready());
    const { req } = await implementing(w);
    for (const who of [w.cast.impl, w.cast.officer, w.cast.agent]) {
      expect((await w.desk.fail('requests.apply', { requestId: req.id, comment: 'directo' }, who.token)).code).toBe('requests.emergencyRequired');
      expect(lastAudit(w.desk)).toMatchObject({ action: 'request.refused', actorKind: 'user', actorId: who.id, entityId: req.id });
    }
    expect((await w.desk.call('customers.get', { customerId: w.customer.id }, w.cast.agent.token)).rfc).toBe(OLD_RFC);
  });

  it('failed sign-ins are audited against the account; after three each attempt waits longer, refused unchecked during the wait; only the tenth locks it', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const created = await emergencyFor(w, r.id, 8 * 60);
    const username = created.account.username;
    const signIn = (password: string) => w.desk.raw('emergency.signIn', { username, password }, null);
    const code = async (password: string) => { const res = await signIn(password); return res.ok ? 'ok' : res.error.code; };
    for (let i = 1; i <= 3; i++) expect(await code(`incorrecta-${i}`)).toBe('auth.invalidCredentials'); // as for an unknown name
    const row = () => w.desk.services.ws.db.prepare('SELECT failed_attempts AS n, disabled_at AS disabledAt FROM emergency_accounts WHERE id = ?').get(created.account.id) as { n: number; disabledAt: number | null };
    expect(row()).toEqual({ n: 3, disabledAt: null });
    // Inside the wait (1 minute after the third failure) even the right password is refused, without being checked, and audited.
    expect(backoffMs(3)).toBe(60_000);
    w.desk.advance(59_000);
    expect(await code(created.password)).toBe('auth.invalidCredentials');
    expect(row().n).toBe(3);
    expect(JSON.parse(audit(w.desk).at(-1)!.data)).toMatchObject({ reason: 'backoff', attempts: 3, waitMs: 1000 });
    // After the wait the right password works, and the count starts again.
    w.desk.advance(1000);
    const session = await w.desk.call('emergency.signIn', { username, password: created.password }, null);
    expect(row()).toEqual({ n: 0, disabledAt: null });
    await w.desk.call('auth.signOut', {}, session.token); // signing out ends the account: a new one to go on
    const again = await emergencyFor(w, r.id, 8 * 60);
    const name2 = again.account.username;
    // A stranger needs ten failures, waiting 1, 2, 4, 8, 15, 15, 15 minutes between the last ones, to lock it.
    let waited = 0;
    for (let i = 1; i <= EMERGENCY_LOCK_ATTEMPTS; i++) {
      const res = await w.desk.raw('emergency.signIn', { username: name2, password: `incorrecta-${i}` }, null);
      expect(res.ok).toBe(false);
      const wait = backoffMs(i);
      w.desk.advance(wait);
      waited += wait;
    }
    expect(waited - backoffMs(EMERGENCY_LOCK_ATTEMPTS)).toBe((1 + 2 + 4 + 8 + 15 + 15 + 15) * 60_000);
    expect((await w.desk.fail('emergency.signIn', { username: name2, password: again.password }, null)).code).toBe('emergency.disabled');
    const trail = audit(w.desk).filter((e) => e.entity === 'emergency_account' && e.entityId === again.account.id).map((e) => e.action);
    expect(trail).toEqual([
      'emergency.created', ...Array(EMERGENCY_LOCK_ATTEMPTS).fill('emergency.signIn.failed'), 'emergency.lockout', 'emergency.disabled', 'emergency.signIn.failed',
    ]);
  });

  it('emergency user names are shown only to the person it is issued to and the approvers; not in refusals either', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    const name = created.account.username;
    const { cast } = w;
    for (const who of [cast.impl, cast.officer, cast.owner, cast.itHead]) {
      expect((await w.desk.call('requests.get', { requestId: req.id }, who.token)).emergencyAccounts[0]!.username).toBe(name);
    }
    expect((await w.desk.call('requests.get', { requestId: req.id }, token)).emergencyAccounts[0]!.username).toBe(name); // the emergency session itself
    for (const who of [cast.agent, cast.supervisor, cast.dev, { token: w.desk.token! }]) {
      const seen = await w.desk.call('requests.get', { requestId: req.id }, who.token);
      expect(seen.emergencyAccounts[0]!.username).toBeNull();
      expect(JSON.stringify(seen)).not.toContain(name);
    }
    // Commands answer with the request too: a supervisor's second review or a cancel must not show it.
    const cancelled = await w.desk.raw('requests.cancel', { requestId: req.id, comment: 'x' }, cast.agent.token);
    expect(JSON.stringify(cancelled)).not.toContain(name);
    // The Bitácora: auditors who are not approvers see the entries without the name.
    for (const who of [cast.supervisor, { token: w.desk.token! }]) {
      const page = await w.desk.call('audit.list', { action: 'emergency.', limit: 500 }, who.token);
      expect(page.rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(page)).not.toContain(name);
    }
    const officerPage = await w.desk.call('audit.list', { action: 'emergency.created', limit: 10 }, cast.officer.token);
    expect(officerPage.rows[0]!.data.username).toBe(name);
    // Overdue reviews (supervisors' home screen) once the account has ended.
    await w.desk.call('auth.signOut', {}, token);
    w.desk.advance(4 * DAY_MS);
    const { resignIn } = await import('../core/helpers');
    await resignIn(w.desk);
    const overdue = await w.desk.raw('emergency.overdueReviews', { days: 3 }, w.desk.token);
    expect(overdue.ok).toBe(true);
    expect(JSON.stringify(overdue)).not.toContain(name);
  });
});

describe('the security officer’s review', () => {
  it('lists finished sessions with their anomalies; a finding keeps them there; sign-off removes them; reviewed needs it', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, created, token } = await implementing(w);
    await w.desk.fail('tickets.list', {}, token); // an action outside the scope
    await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    const review = (outcome: 'signed_off' | 'finding', comment = 'Revisado', who = w.cast.officer) =>
      w.desk.raw('emergency.review', { accountId: created.account.id, outcome, comment }, who.token);

    expect(await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token)).toEqual([]); // still valid
    expect((await review('signed_off')).ok).toBe(false);
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'emergency.notFinished' });
    expect((await w.desk.fail('requests.markReviewed', { requestId: req.id, comment: 'x' }, w.cast.officer.token)).code).toBe('requests.emergencyReviewPending');

    w.desk.advance(2 * HOUR_MS);
    await w.desk.fail('requests.get', { requestId: req.id }, token); // a call after expiry
    const [item] = await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token);
    expect(item!.request).toMatchObject({ id: req.id, state: 'implemented' });
    expect(item!.anomalies.map((a) => [a.kind, a.detail.method])).toEqual([['out_of_scope', 'tickets.list'], ['after_expiry', 'requests.get']]);
    expect(item!.changes).toHaveLength(1);

    expect((await review('finding', 'Intentó listar tickets fuera del alcance')).ok).toBe(true);
    expect(await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token)).toHaveLength(1);
    expect((await w.desk.fail('requests.markReviewed', { requestId: req.id, comment: 'x' }, w.cast.officer.token)).params).toEqual({ count: 1 });
    expect((await review('signed_off', 'Hallazgo atendido con el implementador')).ok).toBe(true);
    expect(await w.desk.call('emergency.reviewQueue', {}, w.cast.officer.token)).toEqual([]);
    expect((await review('signed_off')).ok).toBe(false);
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'emergency.alreadyReviewed' });
    expect((await w.desk.call('requests.markReviewed', { requestId: req.id, comment: 'Cerrada' }, w.cast.officer.token)).state).toBe('reviewed');
  });

  it('the implementer cannot review their own session', async () => {
    const w = await makeWorld(await desks.ready());
    const officer2 = await w.desk.userWithRoles('oficial-dos', ['security_officer']);
    const r = await approved(w);
    const created = await w.desk.call('emergency.create', { requestId: r.id, implementerId: officer2.id, durationMinutes: 30, comment: 'x' }, w.cast.officer.token);
    w.desk.advance(HOUR_MS);
    expect((await w.desk.fail('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Todo bien' }, officer2.token)).code).toBe('emergency.selfReview');
    expect(lastAudit(w.desk)).toMatchObject({ action: 'emergency.refused', actorId: officer2.id, entityId: created.account.id });
  });

  it('sessions unreviewed after N days show for the supervisor', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const created = await emergencyFor(w, r.id, 60);
    const endsAt = created.account.endsAt;
    w.desk.advance(endsAt - w.desk.now() + 3 * DAY_MS - 1);
    // Days later, people sign in again (sessions end after 12 idle hours).
    const signIn = async (username: string) => (await w.desk.call('auth.signIn', { username, password: USER_PASSWORD }, null)).token;
    const supervisor = await signIn('supervisora');
    const officer = await signIn('oficial');
    expect(await w.desk.call('emergency.overdueReviews', { days: 3 }, supervisor)).toEqual([]);
    w.desk.advance(1);
    const overdue = await w.desk.call('emergency.overdueReviews', { days: 3 }, supervisor);
    expect(overdue.map((o) => [o.account.id, o.request.id, o.endedAt, o.daysWaiting])).toEqual([[created.account.id, r.id, endsAt, 3]]);
    await w.desk.call('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Sin uso' }, officer);
    expect(await w.desk.call('emergency.overdueReviews', { days: 3 }, supervisor)).toEqual([]);
    expect((await w.desk.fail('emergency.overdueReviews', { days: 3 }, await signIn('agente'))).code).toBe('auth.forbidden');
  });
});
