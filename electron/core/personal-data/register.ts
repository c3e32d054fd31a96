/**
 * The register of personal-data requests (derechos ARCO) and the block of a customer. Every write
 * is one transaction with its audit entry. Who may call these is declared in the contract
 * (PERSONAL_DATA_HANDLERS) and checked by the dispatcher, in core.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { FALLBACK_POLICY } from '../../shared/sla';
import {
  addBusinessDays, ANSWER_BUSINESS_DAYS, PENDING_STATUSES, PERSONAL_DATA_ENTITY,
  type personalDataBlockSchema, type personalDataCreateSchema, type personalDataLinkSchema, type personalDataListSchema,
  type PersonalDataRegister, type PersonalDataRequest, type PersonalDataStatus, type personalDataStatusSchema,
} from '../../shared/personal-data';
import type { SlaEngine } from '../sla';
import type { Workspace } from '../workspace';

interface Row {
  id: string; customer_id: string; customer_name: string; kind: string; channel: string; requester_name: string;
  requester_role: string; identity_method: string; identity_notes: string; details: string; received_at: number; due_at: number;
  status: string; status_reason: string; responded_at: number | null; change_request_id: string | null; created_at: number;
  blocked_by_request_id: string | null;
}

const SELECT = `SELECT r.*, c.name AS customer_name, c.blocked_by_request_id FROM personal_data_requests r JOIN customers c ON c.id = r.customer_id`;

/** Allowed moves of the register's status; rejected, answered and withdrawn are final. */
const NEXT: Record<PersonalDataStatus, readonly PersonalDataStatus[]> = {
  received: ['in_progress', 'answered', 'rejected', 'withdrawn'],
  in_progress: ['answered', 'rejected', 'withdrawn'],
  answered: [],
  rejected: [],
  withdrawn: [],
};

export class PersonalDataRequests {
  constructor(
    private readonly ws: Workspace,
    private readonly sla: SlaEngine,
  ) {}

  /** The deadline for a request received at `receivedAt`: 20 business days on the branch's calendar. */
  dueAt(receivedAt: number): number {
    const calendar = this.sla.calendar(FALLBACK_POLICY.calendarId);
    return addBusinessDays(calendar, calendar.calendar.timeZone, receivedAt, ANSWER_BUSINESS_DAYS);
  }

  list(input: z.output<typeof personalDataListSchema>): PersonalDataRegister {
    const now = this.ws.now();
    const rows = (input.customerId
      ? this.ws.sql(`${SELECT} WHERE r.customer_id = ? ORDER BY r.received_at DESC, r.id LIMIT ?`).all(input.customerId, input.limit)
      : input.pendingOnly
        ? this.ws.sql(`${SELECT} WHERE r.status IN ('received', 'in_progress') ORDER BY r.due_at LIMIT ?`).all(input.limit)
        : this.ws.sql(`${SELECT} ORDER BY r.received_at DESC, r.id LIMIT ?`).all(input.limit)) as Row[];
    const blockedAt = input.customerId
      ? (this.ws.sql('SELECT blocked_at FROM customers WHERE id = ?').pluck().get(input.customerId) as number | null | undefined)
      : null;
    if (blockedAt === undefined) throw new AppError('customers.notFound');
    const filtered = input.pendingOnly ? rows.filter((r) => PENDING_STATUSES.includes(r.status as PersonalDataStatus)) : rows;
    return { rows: filtered.map((r) => toRequest(r, now)), now, blockedAt };
  }

  get(id: string): PersonalDataRequest {
    const row = this.ws.sql(`${SELECT} WHERE r.id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError('personalData.notFound');
    return toRequest(row, this.ws.now());
  }

  create(actorId: string, input: z.output<typeof personalDataCreateSchema>): PersonalDataRequest {
    const id = this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      if (!tx.sql('SELECT 1 FROM customers WHERE id = ?').get(input.customerId)) throw new AppError('customers.notFound');
      const receivedAt = input.receivedAt ?? tx.at;
      if (receivedAt > tx.at) throw new AppError('validation.failed', undefined, { receivedAt: 'personalData.receivedInFuture' });
      const dueAt = this.dueAt(receivedAt);
      const id = tx.id();
      tx.sql(
        `INSERT INTO personal_data_requests (id, customer_id, kind, channel, requester_name, requester_role, identity_method, identity_notes,
           details, received_at, due_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, input.customerId, input.kind, input.channel, input.requesterName, input.requesterRole, input.identityMethod,
        input.identityNotes, input.details, receivedAt, dueAt, actorId, tx.at, tx.at);
      tx.audit('personalData.registered', 'personal_data_request', id, {
        customerId: input.customerId, arcoKind: input.kind, arcoChannel: input.channel, requesterName: input.requesterName,
        requesterRole: input.requesterRole, identityMethod: input.identityMethod, receivedAt, dueAt,
      });
      // The register is the organization's: every branch sees the request and its deadline as computed here.
      tx.outbox(PERSONAL_DATA_ENTITY, id, 'insert', {
        customerId: input.customerId, kind: input.kind, channel: input.channel, requesterName: input.requesterName, requesterRole: input.requesterRole,
        identityMethod: input.identityMethod, identityNotes: input.identityNotes, details: input.details, receivedAt, dueAt, status: 'received',
      });
      return id;
    });
    return this.get(id);
  }

  setStatus(actorId: string, input: z.output<typeof personalDataStatusSchema>): PersonalDataRequest {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.get(input.requestId);
      if (!NEXT[before.status].includes(input.status)) {
        throw new AppError('personalData.badTransition', { from: before.status, to: input.status });
      }
      const responded = input.status === 'answered' || input.status === 'rejected' ? tx.at : null;
      tx.sql('UPDATE personal_data_requests SET status = ?, status_reason = ?, responded_at = ?, updated_at = ? WHERE id = ?')
        .run(input.status, input.reason, responded, tx.at, input.requestId);
      tx.audit('personalData.statusChanged', 'personal_data_request', input.requestId, {
        customerId: before.customerId, arcoStatus: { from: before.status, to: input.status }, ...(input.reason ? { reason: input.reason } : {}),
        ...(responded !== null ? { late: responded > before.dueAt } : {}),
      });
      tx.outbox(PERSONAL_DATA_ENTITY, input.requestId, 'update', { status: input.status, statusReason: input.reason, respondedAt: responded, updatedAt: tx.at });
    });
    return this.get(input.requestId);
  }

  /** Rectificación: the correction itself goes through a change request of the same customer; this records which. */
  linkChangeRequest(actorId: string, input: z.output<typeof personalDataLinkSchema>): PersonalDataRequest {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const request = this.get(input.requestId);
      if (request.kind !== 'rectification') throw new AppError('personalData.notRectification');
      const owner = tx.sql('SELECT customer_id FROM change_requests WHERE id = ?').pluck().get(input.changeRequestId) as string | undefined;
      if (owner === undefined) throw new AppError('requests.notFound');
      if (owner !== request.customerId) throw new AppError('personalData.otherCustomer');
      tx.sql('UPDATE personal_data_requests SET change_request_id = ?, updated_at = ? WHERE id = ?').run(input.changeRequestId, tx.at, input.requestId);
      tx.audit('personalData.changeRequestLinked', 'personal_data_request', input.requestId, {
        customerId: request.customerId, changeRequestId: input.changeRequestId,
      });
      tx.outbox(PERSONAL_DATA_ENTITY, input.requestId, 'update', { changeRequestId: input.changeRequestId, updatedAt: tx.at });
    });
    return this.get(input.requestId);
  }

  /** Cancelación / oposición: the customer is blocked (kept for legal retention, hidden everywhere else). */
  block(actorId: string, input: z.output<typeof personalDataBlockSchema>): PersonalDataRequest {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const request = this.get(input.requestId);
      if (request.kind !== 'cancellation' && request.kind !== 'opposition') throw new AppError('personalData.notBlockable');
      if (request.status === 'rejected' || request.status === 'withdrawn') throw new AppError('personalData.requestClosed');
      const blockedAt = tx.sql('SELECT blocked_at FROM customers WHERE id = ?').pluck().get(request.customerId) as number | null;
      if (blockedAt !== null) throw new AppError('personalData.alreadyBlocked');
      tx.sql('UPDATE customers SET blocked_at = ?, blocked_by_request_id = ? WHERE id = ?').run(tx.at, request.id, request.customerId);
      tx.audit('customer.blocked', 'customer', request.customerId, { requestId: request.id, arcoKind: request.kind, comment: input.comment });
      // Blocked in the whole organization: every branch hides the customer after its next pull.
      tx.outbox('customer', request.customerId, 'update', { blockedAt: tx.at, blockedByRequestId: request.id });
    });
    return this.get(input.requestId);
  }

  /** Lifts the block, only once the request that caused it was rejected or withdrawn. */
  unblock(actorId: string, input: z.output<typeof personalDataBlockSchema>): PersonalDataRequest {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const request = this.get(input.requestId);
      if (!request.blocking) throw new AppError('personalData.notBlocking');
      if (request.status !== 'rejected' && request.status !== 'withdrawn') throw new AppError('personalData.unblockNeedsClosure');
      tx.sql('UPDATE customers SET blocked_at = NULL, blocked_by_request_id = NULL WHERE id = ?').run(request.customerId);
      tx.audit('customer.unblocked', 'customer', request.customerId, { requestId: request.id, arcoStatus: request.status, comment: input.comment });
      tx.outbox('customer', request.customerId, 'update', { blockedAt: null, blockedByRequestId: null });
    });
    return this.get(input.requestId);
  }
}

function toRequest(r: Row, now: number): PersonalDataRequest {
  const status = r.status as PersonalDataStatus;
  return {
    id: r.id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    kind: r.kind as PersonalDataRequest['kind'],
    channel: r.channel as PersonalDataRequest['channel'],
    requesterName: r.requester_name,
    requesterRole: r.requester_role as PersonalDataRequest['requesterRole'],
    identityMethod: r.identity_method as PersonalDataRequest['identityMethod'],
    identityNotes: r.identity_notes,
    details: r.details,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    status,
    statusReason: r.status_reason,
    respondedAt: r.responded_at,
    changeRequestId: r.change_request_id,
    createdAt: r.created_at,
    overdue: PENDING_STATUSES.includes(status) && now > r.due_at,
    blocking: r.blocked_by_request_id === r.id,
  };
}
