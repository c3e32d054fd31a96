import { describe, expect, it } from 'vitest';
import type { RequestAction, RequestState } from '../../../electron/shared/request-workflow';
import { nextState } from '../../../electron/shared/request-workflow';
import {
  approved, deskPool, implementing, inReview, lastAudit, makeWorld, NEW_RFC, OLD_RFC, OTHER_RFC, REGISTERED_EMAIL, register, rfcChange,
  type World,
} from './helpers';

const desks = deskPool();

/** Rows a refused registration must not have written. */
function rowCounts(w: World) {
  const db = w.desk.services.ws.db;
  const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  return { change_requests: count('change_requests'), attachments: count('attachments'), ticket_events: count('ticket_events') };
}

describe('registering a request: the registered e-mail and the legal representative', () => {
  it('refuses a request from any other address, with the address, and records the attempt', async () => {
    const w = await makeWorld(await desks.ready());
    const before = rowCounts(w);
    const err = await w.desk.fail('requests.create', rfcChange(w, { fromEmail: 'laura@tecnocerro.example.mx' }), w.cast.agent.token);
    expect(err).toEqual({ code: 'requests.notRegisteredEmail', params: { email: 'laura@tecnocerro.example.mx' } });
    expect(rowCounts(w)).toEqual(before);
    const entry = lastAudit(w.desk);
    expect(entry).toMatchObject({ action: 'request.refused', entity: 'customer', entityId: w.customer.id, actorId: w.cast.agent.id, actorKind: 'user' });
    expect(entry.parsed).toMatchObject({ attempted: 'create', reason: 'requests.notRegisteredEmail', fromEmail: 'laura@tecnocerro.example.mx', kind: 'sensitive_change' });
  });

  it('compares the address case-insensitively (also in core, below the schema)', async () => {
    const w = await makeWorld(await desks.ready());
    const viaApi = await w.desk.call('requests.create', rfcChange(w, { fromEmail: '  FACTURAS@TecnoCerro.Example.MX ' }), w.cast.agent.token);
    expect(viaApi.fromEmail).toBe(REGISTERED_EMAIL);
    w.desk.services.ws.db.prepare('UPDATE customers SET registered_email = ? WHERE id = ?').run('Facturas@TecnoCerro.example.mx', w.customer.id);
    const direct = w.desk.services.requests.create(w.cast.agent.id, {
      ...(rfcChange(w, { changes: { name: 'Cerro Tecnológico SA de CV' } }) as Record<string, unknown>), fromEmail: 'FACTURAS@tecnocerro.EXAMPLE.mx',
    } as Parameters<typeof w.desk.services.requests.create>[1]);
    expect(direct.state).toBe('draft');
  });

  it('refuses a requester who is not a legal representative, naming them', async () => {
    const w = await makeWorld(await desks.ready());
    const before = rowCounts(w);
    const err = await w.desk.fail('requests.create', rfcChange(w, { requesterContactId: w.otherContactId }), w.cast.agent.token);
    expect(err).toEqual({ code: 'requests.notLegalRepresentative', params: { name: 'Pedro Soto Lara' } });
    expect(rowCounts(w)).toEqual(before);
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'requests.notLegalRepresentative', requesterContactId: w.otherContactId });
  });

  it('refuses a contact or ticket of another customer', async () => {
    const w = await makeWorld(await desks.ready());
    const other = await w.desk.call('customers.create', {
      rfc: OTHER_RFC, name: 'Servicios del Sur SA de CV', registeredEmail: 'admin@sur.example.mx',
      contacts: [{ name: 'Marta Ruiz', email: 'admin@sur.example.mx', isLegalRepresentative: true }],
    }, w.cast.agent.token);
    expect((await w.desk.fail('requests.create', rfcChange(w, { requesterContactId: other.contacts[0]!.id }), w.cast.agent.token)).code).toBe('requests.requesterNotFound');
    const otherTicket = await w.desk.call('tickets.create', {
      customer: { kind: 'existing', customerId: other.id }, channel: 'phone', requestType: 'general', supportType: 'web', category: 'other',
      severity: 1, subject: 'Duda', description: 'Duda general',
    }, w.cast.agent.token);
    const err = await w.desk.fail('requests.create', rfcChange(w, { ticketId: otherTicket.id }), w.cast.agent.token);
    expect(err).toEqual({ code: 'requests.ticketOfOtherCustomer', params: { trackingNumber: otherTicket.trackingNumber } });
  });

  it('requires the signed form, the reason and at least one proposed value', async () => {
    const w = await makeWorld(await desks.ready());
    const input = rfcChange(w) as Record<string, unknown>;
    delete input.signedForm;
    const missingForm = await w.desk.fail('requests.create', input, w.cast.agent.token);
    expect(Object.keys(missingForm.fields ?? {})).toEqual(['signedForm']);
    expect((await w.desk.fail('requests.create', rfcChange(w, { reason: ' ' }), w.cast.agent.token)).fields).toEqual({ reason: 'validation.required' });
    expect((await w.desk.fail('requests.create', rfcChange(w, { changes: {} }), w.cast.agent.token)).fields).toEqual({ changes: 'requests.noChange' });
    expect((await w.desk.fail('requests.create', rfcChange(w, { changes: { rfc: OLD_RFC } }), w.cast.agent.token)).code).toBe('requests.noChange');
  });

  it('validates the new RFC with validRfc and refuses another customer’s RFC', async () => {
    const w = await makeWorld(await desks.ready());
    expect((await w.desk.fail('requests.create', rfcChange(w, { changes: { rfc: 'TEC0513455C6' } }), w.cast.agent.token)).fields).toEqual({ 'changes.rfc': 'rfc.date' });
    expect((await w.desk.fail('requests.create', rfcChange(w, { changes: { rfc: 'T3C0503155C6' } }), w.cast.agent.token)).fields).toEqual({ 'changes.rfc': 'rfc.format' });
    await w.desk.call('customers.create', { rfc: OTHER_RFC, name: 'Servicios del Sur SA de CV', registeredEmail: 'admin@sur.example.mx' }, w.cast.agent.token);
    expect((await w.desk.fail('requests.create', rfcChange(w, { changes: { rfc: OTHER_RFC } }), w.cast.agent.token)).fields).toEqual({ 'changes.rfc': 'rfc.duplicate' });
    expect(lastAudit(w.desk).parsed).toMatchObject({ reason: 'validation.failed', fields: { 'changes.rfc': 'rfc.duplicate' } });
  });

  it('shows every proposed field as a before/after diff, dropping unchanged ones', async () => {
    const w = await makeWorld(await desks.ready());
    const address = { street: 'Av. Constitución', exteriorNumber: '100', interiorNumber: '', neighborhood: 'Centro', city: 'Monterrey', state: 'Nuevo León', postalCode: '64000' };
    const r = await register(w, {
      changes: { rfc: NEW_RFC, name: 'Nuevo Cerro SA de CV', fiscalAddress: address, phone: '81 5555 0000', registeredEmail: 'fiscal@nuevocerro.example.mx' },
    });
    expect(r.diff).toEqual([
      { field: 'rfc', before: OLD_RFC, after: NEW_RFC },
      { field: 'name', before: 'Tecnologías del Cerro SA de CV', after: 'Nuevo Cerro SA de CV' },
      { field: 'fiscalAddress', before: { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' }, after: address },
      { field: 'registeredEmail', before: REGISTERED_EMAIL, after: 'fiscal@nuevocerro.example.mx' },
      { field: 'phone', before: '8112345678', after: '8155550000' },
    ]);
    const partial = await register(w, { changes: { rfc: OLD_RFC, name: 'Otro Nombre SA' } });
    expect(partial.proposed).toEqual({ name: 'Otro Nombre SA' });
  });

  it('registers the other kinds: access control, service suspension, credit package', async () => {
    const w = await makeWorld(await desks.ready());
    const base = { ...rfcChange(w) } as Record<string, unknown>;
    delete base.changes;
    const access = await w.desk.call('requests.create', { ...base, kind: 'access_control', access: { operation: 'revoke', portalUsername: 'contador.externo' } } as never, w.cast.agent.token);
    expect(access.diff).toEqual([{ field: 'access', before: null, after: { operation: 'revoke', portalUsername: 'contador.externo' } }]);
    const suspension = await w.desk.call('requests.create', { ...base, kind: 'service_suspension' } as never, w.cast.agent.token);
    expect(suspension.diff).toEqual([{ field: 'serviceStatus', before: 'active', after: 'suspended' }]);
    expect((await w.desk.fail('requests.create', { ...base, kind: 'service_suspension', serviceStatus: 'active' }, w.cast.agent.token)).code).toBe('requests.noChange');
    const credits = await w.desk.call('requests.create', { ...base, kind: 'credit_package_change', creditPackage: 'Paquete 500 timbres' } as never, w.cast.agent.token);
    expect(credits).toMatchObject({ kind: 'credit_package_change', requiredApprovals: ['information_owner', 'security_officer', 'it_head'] });
    expect(credits.diff).toEqual([{ field: 'creditPackage', before: '', after: 'Paquete 500 timbres' }]);
  });

  it('only desk staff register requests; an approver or developer cannot', async () => {
    const w = await makeWorld(await desks.ready());
    for (const who of [w.cast.owner, w.cast.officer, w.cast.dev, w.cast.itHead]) {
      expect((await w.desk.fail('requests.create', rfcChange(w), who.token)).code).toBe('auth.forbidden');
    }
    expect((await w.desk.call('requests.create', rfcChange(w), w.cast.supervisor.token)).state).toBe('draft');
  });
});

/**
 * Every allowed and forbidden transition, through the real API: from a request in each state,
 * each user-driven action either leads where the table says or is refused as an invalid
 * transition (with an audit entry of the attempt).
 */
describe('transitions through the API', () => {
  let n = 0;
  const change = () => ({ changes: { name: `Razón Social Nueva ${++n} SA de CV` } });

  const builders: Record<RequestState, (w: World) => Promise<string>> = {
    draft: async (w) => (await register(w, change())).id,
    in_review: async (w) => (await inReview(w, change())).id,
    approved: async (w) => (await approved(w, change())).id,
    rejected: async (w) => {
      const r = await inReview(w, change());
      return (await w.desk.call('requests.reject', { requestId: r.id, role: 'security_officer', comment: 'Falta documentación' }, w.cast.officer.token)).id;
    },
    cancelled: async (w) => {
      const r = await register(w, change());
      return (await w.desk.call('requests.cancel', { requestId: r.id, comment: 'El cliente desistió' }, w.cast.agent.token)).id;
    },
    in_implementation: async (w) => (await implementing(w, change())).req.id,
    implemented: async (w) => {
      const { req, created, token } = await implementing(w, change());
      await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
      // Make it reviewable: end the account early and sign it off.
      await w.desk.call('emergency.revoke', { accountId: created.account.id, comment: 'Terminó la emergencia' }, w.cast.officer.token);
      await w.desk.call('emergency.review', { accountId: created.account.id, outcome: 'signed_off', comment: 'Correcto' }, w.cast.officer.token);
      return req.id;
    },
    reviewed: async (w) => {
      const id = await builders.implemented(w);
      return (await w.desk.call('requests.markReviewed', { requestId: id, comment: 'Revisada' }, w.cast.officer.token)).id;
    },
  };

  const act: Partial<Record<RequestAction, (w: World, requestId: string) => ReturnType<World['desk']['raw']>>> = {
    submit: (w, requestId) => w.desk.raw('requests.submit', { requestId }, w.cast.agent.token),
    approve: (w, requestId) => w.desk.raw('requests.approve', { requestId, role: 'information_owner', comment: 'De acuerdo' }, w.cast.owner.token),
    reject: (w, requestId) => w.desk.raw('requests.reject', { requestId, role: 'information_owner', comment: 'No procede' }, w.cast.owner.token),
    cancel: (w, requestId) => w.desk.raw('requests.cancel', { requestId, comment: 'Ya no es necesario' }, w.cast.agent.token),
    review: (w, requestId) => w.desk.raw('requests.markReviewed', { requestId, comment: 'Revisada' }, w.cast.officer.token),
  };

  it.each(Object.keys(builders) as RequestState[])('from %s', async (state) => {
    const w = await makeWorld(await desks.ready());
    for (const [action, call] of Object.entries(act) as Array<[RequestAction, NonNullable<(typeof act)[RequestAction]>]>) {
      const requestId = await builders[state](w);
      expect((await w.desk.call('requests.get', { requestId }, w.cast.agent.token)).state).toBe(state);
      const result = await call(w, requestId);
      const target = nextState(state, action);
      if (target) {
        expect({ state, action, ok: result.ok }).toEqual({ state, action, ok: true });
        // One approval of two keeps the request in review; the table's 'approve' fires on the last one.
        const expected = action === 'approve' ? 'in_review' : target;
        expect((await w.desk.call('requests.get', { requestId }, w.cast.agent.token)).state).toBe(expected);
      } else {
        expect({ state, action, result }).toEqual({ state, action, result: { ok: false, error: { code: 'requests.invalidTransition', params: { from: state, action } } } });
        const entry = lastAudit(w.desk, 'request.refused');
        expect(entry.entityId).toBe(requestId);
        expect(entry.parsed).toMatchObject({ reason: 'requests.invalidTransition', params: { from: state, action } });
      }
    }
  });

  it('complete (apply) is allowed once, from in_implementation only', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, token } = await implementing(w);
    expect((await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token)).state).toBe('implemented');
    expect(await w.desk.raw('requests.apply', { requestId: req.id, comment: 'Otra vez' }, token)).toEqual({
      ok: false, error: { code: 'requests.invalidTransition', params: { from: 'implemented', action: 'complete' } },
    });
  });

  it('cancelling an approved request disables its emergency account', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await approved(w);
    const created = await w.desk.call('emergency.create', { requestId: r.id, implementerId: w.cast.impl.id, durationMinutes: 60, comment: 'Ventana' }, w.cast.officer.token);
    const cancelled = await w.desk.call('requests.cancel', { requestId: r.id, comment: 'El cliente retiró la solicitud' }, w.cast.officer.token);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.emergencyAccounts[0]).toMatchObject({ id: created.account.id, disabledReason: 'revoked' });
    expect((await w.desk.fail('emergency.signIn', { username: created.account.username, password: created.password }, null)).code).toBe('emergency.disabled');
  });

  it('only the registrant, a supervisor or the security officer may cancel', async () => {
    const w = await makeWorld(await desks.ready());
    const r = await register(w);
    const other = await w.desk.userWithRoles('otra-agente', ['agent']);
    expect((await w.desk.fail('requests.cancel', { requestId: r.id, comment: 'No' }, other.token)).code).toBe('requests.cannotCancel');
    expect(lastAudit(w.desk).parsed).toMatchObject({ attempted: 'cancel', reason: 'requests.cannotCancel' });
    expect((await w.desk.call('requests.cancel', { requestId: r.id, comment: 'Duplicada' }, w.cast.supervisor.token)).state).toBe('cancelled');
  });
});
