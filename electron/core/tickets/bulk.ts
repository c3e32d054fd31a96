/**
 * tickets.bulk (issue 14): one action over tickets chosen in the list. Each ticket goes through
 * the same command as alone — its own unit of work (a savepoint), history, audit entry and outbox
 * record, with the same rules and permissions — so one refusal never undoes or blocks the others;
 * the selection is committed once at the end (Workspace.batch). A refused
 * ticket leaves an audit entry (`ticket.bulkRefused`) with the reason, as a refused single call would.
 */
import type { z } from 'zod';
import type { ticketBulkSchema } from '../../shared/contract';
import type { Role } from '../../shared/domain';
import { AppError, type ErrorInfo } from '../../shared/errors';
import type { BulkResult } from '../../shared/types';
import type { Tickets } from '../tickets';
import type { Workspace, WriteTx } from '../workspace';

export type BulkInput = z.output<typeof ticketBulkSchema>;

export function bulkTickets(
  ws: Workspace, tickets: Tickets, actorId: string, roles: readonly Role[], input: BulkInput, toInfo: (err: unknown) => ErrorInfo,
): BulkResult {
  const actor = { kind: 'user' as const, userId: actorId };
  const action = input.action;
  const apply = (tx: WriteTx, ticketId: string): void => {
    switch (action.kind) {
      case 'assign':
        return tickets.assignInTx(tx, { ticketId, assigneeId: action.assigneeId });
      case 'open':
        return tickets.setStatusInTx(tx, { ticketId, status: 'open' });
      case 'waiting':
        return tickets.setStatusInTx(tx, { ticketId, status: 'waiting', waitingOn: action.waitingOn });
      case 'close':
        return tickets.closeInTx(tx, ticketId, action.cause, action.solution);
      case 'moveTier':
        return tickets.moveTierInTx(tx, roles, { ticketId, toTier: action.toTier, reason: action.reason });
    }
  };
  const folio = ws.sql('SELECT tracking_number FROM tickets WHERE id = ?').pluck();
  const result: BulkResult = { succeeded: [], failed: [] };
  // One commit for the selection; each ticket is its own savepoint inside it (Workspace.batch).
  ws.batch(() => {
    for (const ticketId of input.ticketIds) bulkOne(ticketId);
  });
  return result;

  function bulkOne(ticketId: string): void {
    try {
      ws.write(actor, (tx) => apply(tx, ticketId));
      result.succeeded.push(ticketId);
    } catch (err) {
      const error = toInfo(err);
      result.failed.push({ ticketId, trackingNumber: (folio.get(ticketId) as string | undefined) ?? null, error });
      // A refusal is recorded; a failure of the machine (the disk, the database) could not be.
      if (err instanceof AppError) {
        ws.write(actor, (tx) => tx.audit('ticket.bulkRefused', 'ticket', ticketId, { action: action.kind, error: error.code }));
      }
    }
  }
}
