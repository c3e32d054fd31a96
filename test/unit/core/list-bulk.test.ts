/**
 * Issue 14, the list: bulk actions. Each ticket goes through its own command as its own unit of
 * work (a savepoint: history, audit, outbox), with the same rules and permissions as alone; a refused
 * ticket does not undo or block the others and is reported with its folio and the reason. The
 * selection commits once (issue 16: 500 commits cost half the call).
 */
import { describe, it, expect } from 'vitest';
import { verifyAuditLog } from '../../../electron/core/audit';
import type { MethodInput } from '../../../electron/shared/contract';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq, plus } from './helpers';

const desks = deskPool();

async function tickets(desk: TestDesk, n: number): Promise<Array<{ id: string; trackingNumber: string }>> {
  const out: Array<{ id: string; trackingNumber: string }> = [];
  let customerId: string | undefined;
  for (let i = 0; i < n; i++) {
    desk.advance(60_000);
    const t = await desk.call('tickets.create', {
      ...phoneIntake(), ...(customerId ? { customer: { kind: 'existing', customerId } } : {}), subject: `Ticket en bloque ${i}`,
    } as MethodInput<'tickets.create'>);
    customerId = t.customerId;
    out.push({ id: t.id, trackingNumber: t.trackingNumber });
  }
  return out;
}

describe('tickets.bulk', () => {
  it('assigns each ticket in its own audited transaction; a closed one is refused with its folio and reason, the others go through', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-bulk', ['agent']);
    const list = await tickets(desk, 4);
    await desk.call('tickets.close', { ticketId: list[2]!.id, cause: 'Duplicado', solution: 'Se atendió en otro ticket' });
    const seq = lastSeq(desk);
    let wakes = 0;
    const unsubscribe = desk.services.ws.onOutboxCommit(() => wakes++);

    const result = await desk.call('tickets.bulk', { ticketIds: list.map((t) => t.id), action: { kind: 'assign', assigneeId: agent.id } });
    unsubscribe();
    // One commit for the selection (each ticket a savepoint inside it): background sync and the mail
    // sender are told once, not once per ticket.
    expect(wakes).toBe(1);
    expect(desk.services.ws.db.inTransaction).toBe(false);

    expect(result.succeeded).toEqual([list[0]!.id, list[1]!.id, list[3]!.id]);
    expect(result.failed).toEqual([{ ticketId: list[2]!.id, trackingNumber: list[2]!.trackingNumber, error: { code: 'tickets.closed', params: { trackingNumber: list[2]!.trackingNumber } } }]);
    for (const t of [list[0]!, list[1]!, list[3]!]) expect((await desk.call('tickets.get', { ticketId: t.id })).ticket.assigneeId).toBe(agent.id);
    // One entry per ticket, as when each is assigned alone, plus the refusal's.
    const entries = auditEntries(desk).filter((e) => e.seq > seq);
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([
      ['ticket.assigned', list[0]!.id], ['ticket.assigned', list[1]!.id], ['ticket.bulkRefused', list[2]!.id], ['ticket.assigned', list[3]!.id],
    ]);
    // Each in its own transaction: the outbox has one update per assigned ticket, the timeline one event each.
    const events = desk.services.ws.db.prepare("SELECT count(*) FROM ticket_events WHERE kind = 'assignment'").pluck().get();
    expect(events).toBe(3);
    expect(verifyAuditLog(desk.services.ws.db).ok).toBe(true);
  });

  it('changes status and moves tier with the rules of one ticket: a tier the user does not work is refused per ticket', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-nivel1', ['agent']);
    const list = await tickets(desk, 3);
    // The supervisor moves one up to Operación first; the agent (Mesa de Servicio) may not move it from there.
    await desk.call('tickets.moveTier', { ticketId: list[0]!.id, toTier: 'operations', reason: 'Requiere al especialista' });
    const waiting = await desk.call('tickets.bulk', { ticketIds: list.map((t) => t.id), action: { kind: 'waiting', waitingOn: 'customer' } }, agent.token);
    expect(waiting.succeeded).toHaveLength(3);
    const again = await desk.call('tickets.bulk', { ticketIds: [list[1]!.id], action: { kind: 'waiting', waitingOn: 'customer' } }, agent.token);
    expect(again.failed.map((f) => f.error.code)).toEqual(['tickets.sameStatus']);

    const moved = await desk.call('tickets.bulk', { ticketIds: list.map((t) => t.id), action: { kind: 'moveTier', toTier: 'operations', reason: 'Falla de timbrado' } }, agent.token);
    expect(moved.succeeded).toEqual([list[1]!.id, list[2]!.id]);
    expect(moved.failed.map((f) => [f.ticketId, f.error.code])).toEqual([[list[0]!.id, 'escalation.notYourTier']]);
  });

  it('is refused whole, with nothing written, for bad input or a role that may not change tickets', async () => {
    const desk = await desks.ready();
    const list = await tickets(desk, 2);
    const before = desk.dataCounts();
    expect((await desk.fail('tickets.bulk', { ticketIds: [], action: { kind: 'open' } })).code).toBe('validation.failed');
    expect((await desk.fail('tickets.bulk', { ticketIds: [list[0]!.id, list[0]!.id], action: { kind: 'open' } })).code).toBe('validation.failed');
    expect((await desk.fail('tickets.bulk', { ticketIds: [list[0]!.id], action: { kind: 'assign' } })).code).toBe('validation.failed');
    expect((await desk.fail('tickets.bulk', { ticketIds: Array.from({ length: 501 }, () => list[0]!.id), action: { kind: 'open' } })).code).toBe('validation.failed');
    const auditor = await desk.userWithRoles('seguridad', ['security_officer']);
    expect((await desk.fail('tickets.bulk', { ticketIds: [list[0]!.id], action: { kind: 'open' } }, auditor.token)).code).toBe('auth.forbidden');
    // Only the new user (and its outbox record): no ticket row, event or outbox record of the refused calls.
    expect(desk.dataCounts()).toEqual(plus(before, { users: 1, outbox: 1 }));
  });
});
