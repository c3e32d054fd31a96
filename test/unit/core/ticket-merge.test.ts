/**
 * Merging duplicates (issue 14), on real SQLite files through the real dispatcher: a ticket merged into another of the
 * same customer is closed with a link, its timeline shows in the target with where each entry came from, both are
 * audited in one transaction; other customers, closed targets and tiers the caller does not work are refused in core.
 */
import { describe, expect, it } from 'vitest';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { errorStrings } from '../../../renderer/i18n/errors';
import { auditEntries, b64, deskPool, lastSeq } from './helpers';

const desks = deskPool();

/** Two open tickets of one customer (the second through the existing customer) and one of another customer. */
async function duplicates(desk: TestDesk) {
  const first = await desk.call('tickets.create', phoneIntake({ subject: 'No puede timbrar facturas' }));
  const second = await desk.call('tickets.create', {
    ...phoneIntake({ subject: 'Error 301 al timbrar', description: 'Llamó otra vez: sigue el error 301.' }),
    customer: { kind: 'existing', customerId: first.customerId },
  });
  const other = await desk.call('tickets.create', phoneIntake({
    customer: { kind: 'new', rfc: 'PAN990101AB5', name: 'Panadería La Espiga SA de CV', email: 'admin@laespiga.example.mx', phone: '33 3615 0000' },
  }));
  return { first, second, other };
}

describe('merging a duplicate into another ticket of the same customer', () => {
  it('closes the duplicate with a link, joins its timeline into the target, audits both in one transaction', async () => {
    const desk = await desks.ready();
    const { first, second } = await duplicates(desk);
    await desk.call('tickets.note', { ticketId: second.id, body: 'El cliente envía la captura del error.', attachments: [{ fileName: 'error.png', mimeType: 'image/png', contentBase64: b64('png') }] });
    const before = lastSeq(desk);

    desk.advance(60_000);
    const target = await desk.call('tickets.merge', { ticketId: second.id, intoTicketId: first.id });

    expect(target.ticket.id).toBe(first.id);
    expect(target.ticket.status).toBe('open');
    expect(target.mergedFrom).toEqual([{ id: second.id, trackingNumber: second.trackingNumber, subject: 'Error 301 al timbrar' }]);
    // The duplicate's entries are in the target's timeline, each saying where it came from; the target's own are not marked.
    const joined = target.timeline.filter((e) => e.fromTicket);
    expect(joined.map((e) => e.kind)).toEqual(['created', 'note']);
    expect(joined.every((e) => e.fromTicket?.trackingNumber === second.trackingNumber)).toBe(true);
    expect(joined[0]!.body).toBe('Llamó otra vez: sigue el error 301.');
    expect(joined[1]!.attachments.map((a) => a.fileName)).toEqual(['error.png']);
    expect(target.timeline.filter((e) => !e.fromTicket).map((e) => e.kind)).toEqual(['created', 'merged_in']);
    expect(target.timeline.find((e) => e.kind === 'merged_in')!.data).toMatchObject({ ticketId: second.id, trackingNumber: second.trackingNumber });

    // The duplicate: closed, linked to the target, its own timeline says so.
    const merged = await desk.call('tickets.get', { ticketId: second.id });
    expect(merged.ticket).toMatchObject({ status: 'closed', mergedIntoId: first.id, mergedIntoTrackingNumber: first.trackingNumber, closedAt: desk.now() });
    expect(merged.timeline.at(-1)).toMatchObject({ kind: 'merged', data: { ticketId: first.id, trackingNumber: first.trackingNumber } });
    expect(merged.mergedFrom).toEqual([]);

    // One transaction: both audit entries at the same instant, one after the other; the outbox carries the link.
    const entries = auditEntries(desk).filter((e) => e.seq > before);
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([['ticket.merged', second.id], ['ticket.mergeReceived', first.id]]);
    expect(new Set(entries.map((e) => e.at)).size).toBe(1);
    const outbox = desk.services.ws.db.prepare("SELECT payload FROM outbox WHERE entity = 'ticket' AND entity_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(second.id) as string;
    expect(JSON.parse(outbox)).toMatchObject({ status: 'closed', mergedIntoId: first.id });
  });

  it('a ticket merged into one that is merged later shows in the last target too', async () => {
    const desk = await desks.ready();
    const { first, second } = await duplicates(desk);
    const third = await desk.call('tickets.create', { ...phoneIntake({ subject: 'Tercera llamada' }), customer: { kind: 'existing', customerId: first.customerId } });
    await desk.call('tickets.merge', { ticketId: third.id, intoTicketId: second.id });
    const target = await desk.call('tickets.merge', { ticketId: second.id, intoTicketId: first.id });
    expect(target.mergedFrom.map((m) => m.trackingNumber)).toEqual([second.trackingNumber, third.trackingNumber]);
    expect(new Set(target.timeline.flatMap((e) => (e.fromTicket ? [e.fromTicket.trackingNumber] : [])))).toEqual(new Set([second.trackingNumber, third.trackingNumber]));
  });

  it('is refused across customers, into a closed ticket, into itself and from a closed ticket: nothing written', async () => {
    const desk = await desks.ready();
    const { first, second, other } = await duplicates(desk);
    const closed = await desk.call('tickets.create', { ...phoneIntake({ subject: 'Ya resuelto' }), customer: { kind: 'existing', customerId: first.customerId } });
    await desk.call('tickets.close', { ticketId: closed.id, cause: 'Sello vencido', solution: 'Se renovó el CSD.' });
    const data = desk.dataCounts();

    const otherCustomer = await desk.fail('tickets.merge', { ticketId: second.id, intoTicketId: other.id });
    expect(otherCustomer).toMatchObject({ code: 'tickets.mergeOtherCustomer', params: { trackingNumber: other.trackingNumber } });
    expect((await desk.fail('tickets.merge', { ticketId: second.id, intoTicketId: closed.id })).code).toBe('tickets.mergeTargetClosed');
    expect((await desk.fail('tickets.merge', { ticketId: second.id, intoTicketId: second.id })).code).toBe('tickets.mergeSelf');
    expect((await desk.fail('tickets.merge', { ticketId: closed.id, intoTicketId: first.id })).code).toBe('tickets.closed');
    expect((await desk.fail('tickets.merge', { ticketId: second.id })).fields).toEqual({ intoTicketId: 'validation.required' });
    expect(desk.dataCounts()).toEqual(data);
    expect((await desk.call('tickets.get', { ticketId: second.id })).ticket.status).toBe('open');

    // Every reason is said in both languages.
    for (const code of ['mergeOtherCustomer', 'mergeTargetClosed', 'mergeSelf', 'mergeNotYourTier'] as const) {
      expect(errorStrings['es-MX'].tickets[code]).toBeTruthy();
      expect(errorStrings.en.tickets[code]).toBeTruthy();
    }
  });

  it('checks the tiers in core: a Mesa de Servicio agent cannot merge a ticket that went up to Operación; a supervisor can', async () => {
    const desk = await desks.ready();
    const { first, second } = await duplicates(desk);
    await desk.call('tickets.moveTier', { ticketId: first.id, toTier: 'operations', reason: 'Requiere revisión de Operación.' });
    const agent = await desk.userWithRoles('agente', ['agent']);
    const data = desk.dataCounts();
    expect((await desk.fail('tickets.merge', { ticketId: second.id, intoTicketId: first.id }, agent.token)).code).toBe('tickets.mergeNotYourTier');
    expect(desk.dataCounts()).toEqual(data);
    expect(auditEntries(desk).at(-1)).toMatchObject({ action: 'api.refused', actorId: agent.id });

    const supervisor = await desk.userWithRoles('supervisora', ['supervisor']);
    const target = await desk.call('tickets.merge', { ticketId: second.id, intoTicketId: first.id }, supervisor.token);
    expect(target.mergedFrom.map((m) => m.id)).toEqual([second.id]);
  });
});
