/**
 * Personal-data requests (derechos ARCO, issue 15 item 4): the register with its 20-business-day
 * deadline, who may keep it, rectification through a change request, and the block of a customer
 * — gone from the customer list, the ticket lists, search and the board for everyone, its direct
 * opening refused except for who handles the request, still in the audit log; unblock only after
 * the request was rejected or withdrawn. Real SQLite workspace, through the real dispatcher.
 */
import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../electron/shared/contract';
import { deskPool, makeWorld, register, type World } from '../requests/helpers';

const desks = deskPool();

const request = (w: World, over: Partial<MethodInput<'personalData.create'>> = {}): MethodInput<'personalData.create'> => ({
  customerId: w.customer.id, kind: 'cancellation', channel: 'email', requesterName: 'Laura Méndez Ríos', requesterRole: 'legal_representative',
  identityMethod: 'power_of_attorney', identityNotes: 'Poder notarial 4512 revisado', details: 'Pide cancelar sus datos', ...over,
} as MethodInput<'personalData.create'>);

async function world(): Promise<World> {
  return makeWorld(await desks.ready());
}

describe('the register', () => {
  it('the deadline is the end of the 20th business day after receipt on the branch calendar (16 March 2026 is a holiday)', async () => {
    const w = await world(); // the desk's clock: Monday 2 March 2026, 10:00 in Mexico City
    const r = await w.desk.call('personalData.create', request(w));
    expect(r.status).toBe('received');
    expect(r.receivedAt).toBe(w.desk.now());
    // 3–6, 9–13, 17–20 (the 16th is the third Monday of March), 23–27, 30, 31 March: the 20th is Tuesday 31 March.
    expect(new Date(r.dueAt).toISOString()).toBe('2026-04-01T06:00:00.000Z'); // midnight ending 31 March in Mexico City
    expect(r.overdue).toBe(false);
    w.desk.advance(31 * 24 * 3600_000);
    await w.desk.signInAgain();
    const later = await w.desk.call('personalData.list', { customerId: w.customer.id });
    expect(later.rows[0]!.overdue).toBe(true);
    expect((await w.desk.call('personalData.list', { pendingOnly: true })).rows.map((x) => x.id)).toEqual([r.id]);
  });

  it('only the administrator, supervisor, information owner and security officer keep it; an agent is refused', async () => {
    const w = await world();
    for (const who of [w.cast.owner, w.cast.officer, w.cast.supervisor]) {
      expect((await w.desk.raw('personalData.create', request(w), who.token)).ok).toBe(true);
    }
    expect(await w.desk.fail('personalData.create', request(w), w.cast.agent.token)).toMatchObject({ code: 'auth.forbidden' });
    expect(await w.desk.fail('personalData.export', { customerId: w.customer.id }, w.cast.agent.token)).toMatchObject({ code: 'auth.forbidden' });
    expect(await w.desk.fail('personalData.block', { requestId: w.customer.id, comment: 'x' }, w.cast.dev.token)).toMatchObject({ code: 'auth.forbidden' });
  });

  it('bad input is refused field by field and writes no request', async () => {
    const w = await world();
    const before = w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM personal_data_requests').pluck().get();
    const error = await w.desk.fail('personalData.create', { ...request(w), kind: 'borrar', requesterName: '  ', identityMethod: undefined });
    expect(error).toMatchObject({ code: 'validation.failed', fields: { kind: 'validation.invalid', requesterName: 'validation.required', identityMethod: 'validation.required' } });
    const future = await w.desk.fail('personalData.create', { ...request(w), receivedAt: w.desk.now() + 86_400_000 });
    expect(future).toMatchObject({ code: 'validation.failed', fields: { receivedAt: 'personalData.receivedInFuture' } });
    expect(w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM personal_data_requests').pluck().get()).toBe(before);
  });

  it('statuses move forward only, a rejection needs its reason, and every write is audited', async () => {
    const w = await world();
    const r = await w.desk.call('personalData.create', request(w, { kind: 'access' }));
    expect(await w.desk.fail('personalData.setStatus', { requestId: r.id, status: 'rejected' })).toMatchObject({
      code: 'validation.failed', fields: { reason: 'personalData.reasonRequired' },
    });
    await w.desk.call('personalData.setStatus', { requestId: r.id, status: 'in_progress' });
    w.desk.advance(3600_000);
    const answered = await w.desk.call('personalData.setStatus', { requestId: r.id, status: 'answered' });
    expect(answered.respondedAt).toBe(w.desk.now());
    expect(await w.desk.fail('personalData.setStatus', { requestId: r.id, status: 'in_progress' })).toMatchObject({ code: 'personalData.badTransition' });
    const actions = w.desk.services.ws.db.prepare("SELECT action FROM audit_log WHERE entity = 'personal_data_request' AND entity_id = ? ORDER BY seq")
      .pluck().all(r.id);
    expect(actions).toEqual(['personalData.registered', 'personalData.statusChanged', 'personalData.statusChanged']);
    await w.desk.call('personalData.export', { customerId: w.customer.id, requestId: r.id });
    expect(w.desk.services.ws.db.prepare("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").pluck().get()).toBe('personalData.exported');
  });

  it('rectification links the change request that carries the correction, of the same customer only', async () => {
    const w = await world();
    const r = await w.desk.call('personalData.create', request(w, { kind: 'rectification' }));
    const change = await register(w);
    const linked = await w.desk.call('personalData.linkChangeRequest', { requestId: r.id, changeRequestId: change.id });
    expect(linked.changeRequestId).toBe(change.id);
    const access = await w.desk.call('personalData.create', request(w, { kind: 'access' }));
    expect(await w.desk.fail('personalData.linkChangeRequest', { requestId: access.id, changeRequestId: change.id })).toMatchObject({ code: 'personalData.notRectification' });
  });
});

describe('blocking a customer (cancelación / oposición)', () => {
  async function blocked() {
    const w = await world();
    const r = await w.desk.call('personalData.create', request(w));
    await w.desk.call('personalData.block', { requestId: r.id, comment: 'Cancelación procedente; se conserva por obligación fiscal' });
    return { w, r };
  }

  it('hides the customer and its tickets from lists, search and the board for everyone, and refuses opening them to an agent', async () => {
    const { w } = await blocked();
    const agent = w.cast.agent.token;
    for (const token of [agent, w.desk.token!]) {
      expect((await w.desk.call('customers.list', { query: 'Cerro' }, token)).map((c) => c.id)).not.toContain(w.customer.id);
      expect((await w.desk.call('customers.list', { query: '' }, token)).map((c) => c.id)).not.toContain(w.customer.id);
      const all = await w.desk.call('tickets.list', {}, token);
      expect(all.rows.map((t) => t.id)).not.toContain(w.ticket.id);
      expect(all.total).toBe(0);
      expect((await w.desk.call('tickets.list', { query: 'cambio de RFC' }, token)).rows).toEqual([]);
      expect((await w.desk.call('tickets.list', { query: w.ticket.trackingNumber }, token)).rows).toEqual([]);
      const board = await w.desk.call('board.load', {}, token);
      expect(board.columns.flatMap((c) => c.cards.map((card) => card.id))).not.toContain(w.ticket.id);
    }
    // The supervisor's home counts what the lists show.
    expect((await w.desk.call('reports.home', {})).openTotal.count).toBe(0);
    expect(await w.desk.fail('tickets.get', { ticketId: w.ticket.id }, agent)).toMatchObject({ code: 'personalData.blocked' });
    expect(await w.desk.fail('customers.get', { customerId: w.customer.id }, agent)).toMatchObject({ code: 'personalData.blocked' });
    expect(await w.desk.fail('tickets.reply', { ticketId: w.ticket.id, body: 'Hola' }, agent)).toMatchObject({ code: 'personalData.blocked' });
    // Who handles the request still opens them.
    expect((await w.desk.call('tickets.get', { ticketId: w.ticket.id })).ticket.id).toBe(w.ticket.id);
    expect((await w.desk.call('customers.get', { customerId: w.customer.id }, w.cast.officer.token)).id).toBe(w.customer.id);
    // Kept, and in the audit log.
    const audit = await w.desk.call('audit.list', { entity: 'customer' });
    expect(audit.rows.map((e) => e.action)).toContain('customer.blocked');
    expect(w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM tickets WHERE id = ?').pluck().get(w.ticket.id)).toBe(1);
    // The refused opening is itself recorded.
    expect(w.desk.services.ws.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'api.refused' AND entity_id = 'tickets.get'").pluck().get()).toBe(1);
  });

  it('intake cannot reach a blocked customer: not by its id, not by its RFC, not as a "new" customer with that RFC', async () => {
    const { w } = await blocked();
    const agent = w.cast.agent.token;
    const intake = (customer: MethodInput<'tickets.create'>['customer']): MethodInput<'tickets.create'> => ({
      customer, channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
      subject: 'Otra consulta', description: 'El cliente pide ayuda con una factura.',
    });
    const before = w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get();
    expect(await w.desk.fail('tickets.create', intake({ kind: 'existing', customerId: w.customer.id }), agent)).toMatchObject({ code: 'personalData.blocked' });
    expect(await w.desk.fail('customers.findByRfc', { rfc: w.customer.rfc }, agent)).toMatchObject({ code: 'personalData.blocked' });
    expect(await w.desk.fail('tickets.create', intake({ kind: 'new', rfc: w.customer.rfc, name: 'Otro nombre', email: 'otro@example.mx', phone: '' }), agent))
      .toMatchObject({ code: 'personalData.blocked' });
    expect(w.desk.services.ws.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(before);
  });

  it('other customers’ tickets are still listed', async () => {
    const { w } = await blocked();
    const other = await w.desk.call('tickets.create', {
      customer: { kind: 'new', rfc: 'SUR080320B25', name: 'Servicios del Sur SA de CV', email: 'contacto@sur.example.mx', phone: '3312345678' },
      channel: 'phone', requestType: 'general', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
      subject: 'Consulta de timbrado', description: 'Pregunta por el cambio de RFC en sus facturas',
    }, w.cast.agent.token);
    const list = await w.desk.call('tickets.list', {}, w.cast.agent.token);
    expect(list.rows.map((t) => t.id)).toEqual([other.id]);
    expect(list.total).toBe(1);
    expect((await w.desk.call('tickets.list', { query: 'cambio de RFC' }, w.cast.agent.token)).rows.map((t) => t.id)).toEqual([other.id]);
  });

  it('unblocks only once the request is rejected or withdrawn, audited; the customer is back', async () => {
    const { w, r } = await blocked();
    expect(await w.desk.fail('personalData.unblock', { requestId: r.id, comment: 'Error' })).toMatchObject({ code: 'personalData.unblockNeedsClosure' });
    await w.desk.call('personalData.setStatus', { requestId: r.id, status: 'rejected', reason: 'Obligación legal de conservar las facturas' });
    const lifted = await w.desk.call('personalData.unblock', { requestId: r.id, comment: 'Se rechazó la cancelación' });
    expect(lifted.blocking).toBe(false);
    expect((await w.desk.call('customers.list', { query: 'Cerro' }, w.cast.agent.token)).map((c) => c.id)).toContain(w.customer.id);
    expect((await w.desk.call('tickets.get', { ticketId: w.ticket.id }, w.cast.agent.token)).ticket.id).toBe(w.ticket.id);
    const actions = w.desk.services.ws.db.prepare("SELECT action FROM audit_log WHERE entity = 'customer' AND entity_id = ? ORDER BY seq").pluck().all(w.customer.id);
    expect(actions.slice(-2)).toEqual(['customer.blocked', 'customer.unblocked']);
  });

  it('only a cancellation or opposition blocks, and not twice', async () => {
    const { w, r } = await blocked();
    expect(await w.desk.fail('personalData.block', { requestId: r.id, comment: 'Otra vez' })).toMatchObject({ code: 'personalData.alreadyBlocked' });
    const access = await w.desk.call('personalData.create', request(w, { kind: 'access' }));
    expect(await w.desk.fail('personalData.block', { requestId: access.id, comment: 'No' })).toMatchObject({ code: 'personalData.notBlockable' });
  });
});
