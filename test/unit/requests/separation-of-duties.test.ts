import { describe, expect, it } from 'vitest';
import type { TestDesk } from '../../fixtures/workspace';
import {
  approved, deskPool, emergencyFor, HOUR_MS, inReview, lastAudit, makeWorld, register, rfcChange, type World,
} from './helpers';

const desks = deskPool();

/** Expects a refusal with `code` and an audit entry of the attempt naming it. */
async function refused(desk: TestDesk, r: ReturnType<TestDesk['raw']>, code: string, auditAction = 'request.refused') {
  const result = await r;
  expect(result.ok ? 'ok' : result.error.code).toBe(code);
  const entry = lastAudit(desk);
  expect({ action: entry.action, reason: entry.parsed.reason }).toEqual({ action: auditAction, reason: code });
  return entry;
}

describe('approvals: two different people in the two roles, neither the registrant', () => {
  it('refuses self-approval, even by someone who holds the approver role', async () => {
    const w = await makeWorld(await desks.ready());
    const both = await w.desk.userWithRoles('sup-propietaria', ['supervisor', 'information_owner']);
    const r = await w.desk.call('requests.create', rfcChange(w), both.token);
    await w.desk.call('requests.submit', { requestId: r.id }, both.token);
    const entry = await refused(w.desk, w.desk.raw('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Mía' }, both.token), 'requests.selfApproval');
    expect(entry).toMatchObject({ entity: 'change_request', entityId: r.id, actorId: both.id });
    await refused(w.desk, w.desk.raw('requests.reject', { requestId: r.id, role: 'information_owner', comment: 'Mía' }, both.token), 'requests.selfApproval');
  });

  it('refuses one person approving in both roles', async () => {
    const w = await makeWorld(await desks.ready());
    const both = await w.desk.userWithRoles('doble', ['information_owner', 'security_officer']);
    const r = await inReview(w);
    await w.desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, both.token);
    await refused(w.desk, w.desk.raw('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Sí' }, both.token), 'requests.samePersonApprovals');
    expect((await w.desk.call('requests.get', { requestId: r.id }, both.token)).state).toBe('in_review');
    expect((await w.desk.call('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Sí' }, w.cast.officer.token)).state).toBe('approved');
  });

  it('refuses the wrong role: a role the approver lacks, or one the request does not need', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await inReview(w);
    const entry = await refused(w.desk, w.desk.raw('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Sí' }, w.cast.owner.token), 'requests.wrongRole');
    expect(entry.parsed).toMatchObject({ params: { role: 'security_officer' }, role: 'security_officer' });
    await refused(w.desk, w.desk.raw('requests.approve', { requestId: r.id, role: 'it_head', comment: 'Sí' }, w.cast.itHead.token), 'requests.wrongRole');
    // Roles outside the approvers do not get that far: the contract refuses them (and audits it).
    for (const who of [w.cast.agent, w.cast.supervisor, w.cast.impl, w.cast.dev]) {
      expect((await w.desk.fail('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, who.token)).code).toBe('auth.forbidden');
      expect(lastAudit(w.desk)).toMatchObject({ action: 'auth.forbidden', entityId: 'requests.approve', actorId: who.id });
    }
  });

  it('refuses a second decision in a role already decided', async () => {
    const w = await makeWorld(await desks.ready());
    const owner2 = await w.desk.userWithRoles('propietario-dos', ['information_owner']);
    const r = await inReview(w);
    await w.desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, w.cast.owner.token);
    await refused(w.desk, w.desk.raw('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'También' }, owner2.token), 'requests.alreadyDecided');
    await refused(w.desk, w.desk.raw('requests.reject', { requestId: r.id, role: 'information_owner', comment: 'No' }, owner2.token), 'requests.alreadyDecided');
  });

  it('every decision carries a comment', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await inReview(w);
    for (const method of ['requests.approve', 'requests.reject'] as const) {
      expect((await w.desk.fail(method, { requestId: r.id, role: 'information_owner', comment: '  ' }, w.cast.owner.token)).fields).toEqual({ comment: 'validation.required' });
    }
    expect((await w.desk.fail('requests.cancel', { requestId: r.id, comment: '' }, w.cast.agent.token)).fields).toEqual({ comment: 'validation.required' });
  });

  it('a rejection by either approver ends the request, even after the other approved', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await inReview(w);
    await w.desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, w.cast.owner.token);
    const rejected = await w.desk.call('requests.reject', { requestId: r.id, role: 'security_officer', comment: 'Motivo insuficiente' }, w.cast.officer.token);
    expect(rejected.state).toBe('rejected');
    expect(rejected.decisions.at(-1)).toMatchObject({ decision: 'reject', role: 'security_officer', comment: 'Motivo insuficiente' });
  });
});

describe('credit-package change: the IT head authorizes with the checklist', () => {
  async function creditRequest(w: World) {
    const input = { ...rfcChange(w), kind: 'credit_package_change', creditPackage: 'Paquete 1000 timbres' } as Record<string, unknown>;
    delete input.changes;
    const r = await w.desk.call('requests.create', input as never, w.cast.agent.token);
    await w.desk.call('requests.submit', { requestId: r.id }, w.cast.agent.token);
    await w.desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, w.cast.owner.token);
    await w.desk.call('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Sí' }, w.cast.officer.token);
    return r.id;
  }
  const checklist = { licenseAllows: true, modifiedBy: 'provider' as const, impactEvaluated: true, impact: 'Ninguno en la facturación', originalKept: true, changeDocumented: true };

  it('stays in review until the IT head authorizes; a missing or incomplete checklist is refused', async () => {
    const w = await makeWorld(await desks.ready());
    const id = await creditRequest(w);
    expect((await w.desk.call('requests.get', { requestId: id }, w.cast.agent.token)).state).toBe('in_review');
    await refused(w.desk, w.desk.raw('requests.approve', { requestId: id, role: 'it_head', comment: 'Sí' }, w.cast.itHead.token), 'requests.checklistRequired');
    const err = await w.desk.fail('requests.approve', { requestId: id, role: 'it_head', comment: 'Sí', checklist: { ...checklist, licenseAllows: false, originalKept: false } }, w.cast.itHead.token);
    expect(err).toEqual({ code: 'requests.checklistIncomplete', fields: { 'checklist.licenseAllows': 'requests.checklistItem', 'checklist.originalKept': 'requests.checklistItem' } });
    expect((await w.desk.fail('requests.approve', { requestId: id, role: 'it_head', comment: 'Sí', checklist: { ...checklist, impact: '' } }, w.cast.itHead.token)).fields)
      .toEqual({ 'checklist.impact': 'requests.checklistItem' });
    const ok = await w.desk.call('requests.approve', { requestId: id, role: 'it_head', comment: 'Autorizado', checklist }, w.cast.itHead.token);
    expect(ok.state).toBe('approved');
    expect(ok.checklist).toEqual(checklist);
    expect(lastAudit(w.desk, 'request.approved').parsed).toMatchObject({ role: 'it_head', checklist });
  });
});

describe('the implementer: not from Development, neither approver nor registrant', () => {
  it('refuses each ineligible person, with an audit entry, and accepts an eligible one', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const designate = (implementerId: string) =>
      w.desk.raw('requests.designateImplementer', { requestId: r.id, implementerId, comment: 'Designación' }, w.cast.officer.token);
    expect((await refused(w.desk, designate(w.cast.dev.id), 'requests.implementerFromDevelopment')).parsed).toMatchObject({ params: { name: 'Usuario desarrollador' } });
    await refused(w.desk, designate(w.cast.owner.id), 'requests.implementerIsApprover');
    await refused(w.desk, designate(w.cast.officer.id), 'requests.implementerIsApprover');
    await refused(w.desk, designate(w.cast.agent.id), 'requests.implementerIsRegistrant');
    // The same rule when the officer designates while creating the emergency account.
    await refused(w.desk, w.desk.raw('emergency.create', { requestId: r.id, implementerId: w.cast.dev.id, durationMinutes: 60, comment: 'Ventana' }, w.cast.officer.token),
      'requests.implementerFromDevelopment', 'emergency.refused');
    expect(w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM emergency_accounts').pluck().get()).toBe(0);

    const options = await w.desk.call('requests.implementerOptions', { requestId: r.id }, w.cast.officer.token);
    expect(options.controlAdicional).toBe(false);
    expect(options.eligible.map((u) => u.username).sort()).toEqual(['admin', 'jefa-ti', 'operador', 'supervisora']);
    const ok = await w.desk.call('requests.designateImplementer', { requestId: r.id, implementerId: w.cast.impl.id, comment: 'Operación aplica' }, w.cast.officer.token);
    expect(ok).toMatchObject({ implementerId: w.cast.impl.id, controlAdicional: false });
  });

  it('once an emergency account exists, the implementer is fixed; the officer cannot issue one for themselves', async () => {
    const w = await makeWorld(await desks.ready());
    const officer2 = await w.desk.userWithRoles('oficial-dos', ['security_officer']);
    const r = await approved(w);
    await refused(w.desk, w.desk.raw('emergency.create', { requestId: r.id, implementerId: officer2.id, durationMinutes: 60, comment: 'Yo' }, officer2.token),
      'emergency.selfIssued', 'emergency.refused');
    expect((await w.desk.call('requests.get', { requestId: r.id }, w.cast.agent.token)).implementerId).toBeNull(); // rolled back
    await emergencyFor(w, r.id);
    await refused(w.desk, w.desk.raw('requests.designateImplementer', { requestId: r.id, implementerId: w.cast.supervisor.id, comment: 'Cambio' }, w.cast.officer.token),
      'requests.implementerLocked');
  });

  it('where nobody else is eligible, Development implements under control adicional and a second reviewer must sign off', async () => {
    const desk = await desks.ready();
    // A small branch: the administrator registers; an owner and an officer approve; the only other person is from Development.
    const owner = await desk.userWithRoles('propietaria', ['information_owner']);
    const officer = await desk.userWithRoles('oficial', ['security_officer']);
    const dev = await desk.userWithRoles('dev-supervisor', ['development', 'supervisor']);
    const customer = await desk.call('customers.create', {
      rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', registeredEmail: 'facturas@tecnocerro.example.mx',
      contacts: [{ name: 'Laura Méndez Ríos', email: 'laura@tecnocerro.example.mx', isLegalRepresentative: true }],
    });
    const ticket = await desk.call('tickets.create', {
      customer: { kind: 'existing', customerId: customer.id }, channel: 'email', requestType: 'general', supportType: 'web',
      category: 'other', severity: 1, subject: 'Suspensión', description: 'Solicita suspender el servicio',
    });
    const r = await desk.call('requests.create', {
      kind: 'service_suspension', customerId: customer.id, ticketId: ticket.id, requesterContactId: customer.contacts[0]!.id,
      fromEmail: 'facturas@tecnocerro.example.mx', reason: 'Cierre de operaciones', signedForm: { fileName: 'f.pdf', contentBase64: 'JVBERi0=' },
    });
    await desk.call('requests.submit', { requestId: r.id });
    await desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Sí' }, owner.token);
    await desk.call('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Sí' }, officer.token);

    const options = await desk.call('requests.implementerOptions', { requestId: r.id }, officer.token);
    expect(options).toMatchObject({ eligible: [], controlAdicional: true });
    expect(options.fallback.map((u) => u.id)).toEqual([dev.id]);
    const created = await desk.call('emergency.create', { requestId: r.id, implementerId: dev.id, durationMinutes: 60, comment: 'Única opción' }, officer.token);
    const designated = await desk.call('requests.get', { requestId: r.id }, officer.token);
    expect(designated).toMatchObject({ implementerId: dev.id, controlAdicional: true });
    expect(lastAudit(desk, 'request.implementerDesignated').parsed).toMatchObject({ controlAdicional: true, why: 'no_eligible_implementer' });

    const session = await desk.call('emergency.signIn', { username: created.account.username, password: created.password }, null);
    await desk.call('requests.apply', { requestId: r.id, comment: 'Servicio suspendido' }, session.token);
    expect((await desk.call('customers.get', { customerId: customer.id })).serviceStatus).toBe('suspended');
    desk.advance(HOUR_MS);
    await desk.call('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Correcto' }, officer.token);

    await refused(desk, desk.raw('requests.markReviewed', { requestId: r.id, comment: 'Revisada' }, officer.token), 'requests.secondReviewPending');
    await refused(desk, desk.raw('requests.secondReview', { requestId: r.id, comment: 'Yo mismo' }, dev.token), 'requests.secondReviewerIsImplementer');
    await desk.call('requests.secondReview', { requestId: r.id, comment: 'Verifiqué la suspensión' }, officer.token);
    expect((await desk.call('requests.markReviewed', { requestId: r.id, comment: 'Revisada' }, officer.token)).state).toBe('reviewed');
  });

  it('a request with a separable implementer needs no second reviewer', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await register(w);
    expect((await w.desk.fail('requests.secondReview', { requestId: r.id, comment: 'x' }, w.cast.officer.token)).code).toBe('requests.notImplemented');
  });
});
