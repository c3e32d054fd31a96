import { describe, expect, it } from 'vitest';
import { verifyAuditLog, verifyEntries } from '../../../electron/core/audit';
import { parseJsonl, verifyExport } from '../../../electron/core/audit-export';
import { audit, deskPool, HOUR_MS, makeWorld, NEW_RFC, OLD_RFC, REGISTERED_EMAIL, SIGNED_FORM } from './helpers';

const desks = deskPool();

describe('an RFC change from request to review', () => {
  it('agent registers → owner and officer approve → emergency account → implementer applies → expiry → review → reviewed', async () => {
    const desk = await desks.ready();
    const w = await makeWorld(desk);
    const { agent, owner, officer, impl } = w.cast;

    // 1. The agent registers the legal representative's request, sent from the registered e-mail.
    const draft = await desk.call('requests.create', {
      kind: 'sensitive_change', customerId: w.customer.id, ticketId: w.ticket.id, requesterContactId: w.legalRepId,
      fromEmail: REGISTERED_EMAIL.toUpperCase(), reason: 'Cambio de RFC por fusión', signedForm: SIGNED_FORM, changes: { rfc: NEW_RFC.toLowerCase() },
    }, agent.token);
    expect(draft.state).toBe('draft');
    expect(draft.diff).toEqual([{ field: 'rfc', before: OLD_RFC, after: NEW_RFC }]);
    expect(draft.signedForm).toMatchObject({ ticketId: w.ticket.id, fileName: SIGNED_FORM.fileName, mimeType: 'application/pdf' });
    const timeline = (await desk.call('tickets.get', { ticketId: w.ticket.id }, agent.token)).timeline;
    expect(timeline.at(-1)).toMatchObject({ kind: 'attachment', data: { requestId: draft.id, document: 'signed_request_form' } });
    expect(timeline.at(-1)!.attachments.map((a) => a.id)).toEqual([draft.signedForm!.id]);

    const inReview = await desk.call('requests.submit', { requestId: draft.id }, agent.token);
    expect(inReview.state).toBe('in_review');

    // 2. Two approvals by two different people in the two required roles.
    const half = await desk.call('requests.approve', { requestId: draft.id, role: 'information_owner', comment: 'El motivo es válido' }, owner.token);
    expect(half.state).toBe('in_review');
    const ok = await desk.call('requests.approve', { requestId: draft.id, role: 'security_officer', comment: 'Aprobado con cuenta de emergencia' }, officer.token);
    expect(ok.state).toBe('approved');
    expect(ok.approvals.map((a) => [a.role, a.actorId])).toEqual([['information_owner', owner.id], ['security_officer', officer.id]]);

    // 3. The officer creates the emergency account, designating the implementer; the password is shown once.
    const created = await desk.call('emergency.create', {
      requestId: draft.id, implementerId: impl.id, durationMinutes: 120, comment: 'Ventana de dos horas',
    }, officer.token);
    expect(created.account.username).toMatch(/^emerg-[0-9a-f]{6}$/);
    expect(created.password.length).toBeGreaterThanOrEqual(20);
    const stored = desk.services.ws.db.prepare('SELECT password_hash FROM emergency_accounts WHERE id = ?').pluck().get(created.account.id) as string;
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(JSON.stringify(audit(desk))).not.toContain(created.password);
    expect((await desk.call('requests.get', { requestId: draft.id }, officer.token)).emergencyAccounts[0]).not.toHaveProperty('password');

    // 4. The implementer signs in with it: the session says so, and the request is being implemented.
    const session = await desk.call('emergency.signIn', { username: created.account.username, password: created.password }, null);
    const me = await desk.call('auth.me', {}, session.token);
    expect(me.id).toBe(impl.id);
    expect(me.emergency).toEqual({ accountId: created.account.id, requestId: draft.id, username: created.account.username, endsAt: created.account.endsAt });
    expect((await desk.call('requests.get', { requestId: draft.id }, session.token)).state).toBe('in_implementation');
    expect((await desk.call('customers.get', { customerId: w.customer.id }, session.token)).rfc).toBe(OLD_RFC);
    const done = await desk.call('requests.apply', { requestId: draft.id, comment: 'RFC actualizado en el portal y aquí' }, session.token);
    expect(done.state).toBe('implemented');
    expect(done.diff).toEqual([{ field: 'rfc', before: OLD_RFC, after: NEW_RFC }]);
    const changed = audit(desk).find((e) => e.action === 'customer.protectedFieldChanged')!;
    expect(changed).toMatchObject({ actorId: impl.id, actorKind: 'emergency', entity: 'customer', entityId: w.customer.id });
    expect(JSON.parse(changed.data)).toEqual({
      requestId: draft.id, field: 'rfc', from: OLD_RFC, to: NEW_RFC, emergency: { requestId: draft.id, accountId: created.account.id },
    });

    // 5. The account expires by itself: a call at its end is refused and disables it.
    desk.advance(2 * HOUR_MS);
    expect((await desk.fail('requests.get', { requestId: draft.id }, session.token)).code).toBe('emergency.expired');
    expect((await desk.call('requests.get', { requestId: draft.id }, officer.token)).emergencyAccounts[0]).toMatchObject({ disabledReason: 'expired' });

    // 6. The officer reviews the finished session and signs it off; the request is then reviewed.
    const queue = await desk.call('emergency.reviewQueue', {}, officer.token);
    expect(queue).toHaveLength(1);
    expect(queue[0]!.changes).toEqual([{ field: 'rfc', before: OLD_RFC, after: NEW_RFC }]);
    expect(queue[0]!.anomalies.map((a) => a.kind)).toEqual(['after_expiry']);
    expect(queue[0]!.timeline.map((e) => e.action)).toEqual([
      'emergency.created', 'emergency.signIn', 'request.transition', 'emergency.call', 'emergency.call', 'emergency.call',
      'customer.protectedFieldChanged', 'request.applied', 'request.transition', 'emergency.call', 'emergency.disabled', 'emergency.expired',
    ]);
    await desk.call('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Solo se cambió el RFC' }, officer.token);
    expect(await desk.call('emergency.reviewQueue', {}, officer.token)).toEqual([]);
    const reviewed = await desk.call('requests.markReviewed', { requestId: draft.id, comment: 'Cambio revisado' }, officer.token);
    expect(reviewed.state).toBe('reviewed');
    expect(reviewed.decisions.map((d) => d.decision)).toEqual(['submit', 'approve', 'approve', 'designate', 'apply', 'review']);

    // 7. The customer has the new RFC, and the audit log verifies — in the database and as an exported file.
    expect((await desk.call('customers.get', { customerId: w.customer.id }, agent.token)).rfc).toBe(NEW_RFC);
    expect((await desk.call('customers.findByRfc', { rfc: OLD_RFC }, agent.token))).toBeNull();
    expect(verifyAuditLog(desk.services.ws.db)).toMatchObject({ ok: true, firstBroken: null });
    expect((await desk.call('audit.verify', {}, officer.token)).ok).toBe(true);
    const file = await desk.call('audit.export', { from: 0, to: desk.now() + 1, format: 'jsonl' }, officer.token);
    const entries = parseJsonl(file.content);
    expect(verifyEntries(entries)).toMatchObject({ ok: true, checked: entries.length });
    expect(verifyExport(entries, file.chains)).toMatchObject({ ok: true });
    const search = await desk.call('tickets.list', { query: NEW_RFC }, agent.token);
    expect(search.rows.map((t) => t.id)).toEqual([w.ticket.id]);
  });
});
