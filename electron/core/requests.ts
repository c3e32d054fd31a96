/**
 * Access-control and sensitive-data change requests (seed 001 §04/§05): registered only from the
 * legal representative writing from the registered e-mail, with the signed form; approved by the
 * information owner and the security officer (and the IT head, with the checklist, for a credit
 * package); implemented through an emergency account by someone outside Development; reviewed.
 * The state machine is the table in shared/request-workflow.ts. Separation of duties lives here,
 * not in the UI, and every refusal leaves an audit entry of the attempt.
 */
import type { z } from 'zod';
import type {
  requestApproveSchema, requestCommentSchema, requestCreateSchema, requestDecisionSchema, requestDesignateSchema,
  requestListSchema,
} from '../shared/contract';
import type { Role } from '../shared/domain';
import type { AuditAction } from '../shared/audit-actions';
import { AppError } from '../shared/errors';
import type {
  ChangeRequest, ChangeRequestPage, ChangeRequestSummary, FieldDiff, ImplementerOptions, ProposedValues,
  RequestDecision, RequestDecisionKind,
} from '../shared/request-types';
import {
  allowedActions, APPROVER_ROLES, checklistProblems, implementerProblem, nextState, requiredApprovals, SECOND_REVIEWER_ROLES,
  type ApproverRole, type ChangeRequestKind, type CreditPackageChecklist, type RequestAction, type RequestState,
} from '../shared/request-workflow';
import type { AttachmentInfo, Contact, Customer, UserSummary } from '../shared/types';
import type { Attachments } from './attachments';
import type { Actor } from './audit';
import { reindexCustomerTickets, validRfc, type Customers } from './customers';
import { accountsOfRequest, disableAccount, isFinished } from './emergency';
import { notify, usersWithRole } from './notifications/notify';
import type { Settings } from './settings';
import type { Users } from './users';
import type { Workspace, WriteTx } from './workspace';

export interface RequestRow {
  id: string;
  kind: ChangeRequestKind;
  state: RequestState;
  customer_id: string;
  ticket_id: string;
  requester_contact_id: string;
  requester_name: string;
  from_email: string;
  reason: string;
  signed_form_id: string;
  proposed: string;
  before_values: string;
  applied_before: string | null;
  checklist: string | null;
  implementer_id: string | null;
  control_adicional: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  implemented_at: number | null;
  reviewed_at: number | null;
}

interface DecisionRow {
  id: string;
  decision: RequestDecisionKind;
  role: string | null;
  actor_id: string;
  actor_name: string | null;
  comment: string;
  data: string;
  created_at: number;
}

interface UserRow {
  id: string;
  full_name: string;
  roles: string;
  active: number;
  locked_at: number | null;
}

/** What a refused command was trying to do, for the audit entry of the attempt. */
export interface Attempt {
  /** The audit action of the refusal, e.g. 'request.refused'. */
  action: AuditAction;
  attempted: string;
  entity: string;
  entityId: string | null;
  data?: Record<string, unknown>;
}

/**
 * Runs a command; when it is refused (AppError), records the attempt in a transaction of its own —
 * the command's transaction has rolled back — and rethrows.
 */
export function attempt<T>(ws: Workspace, actor: Actor, what: Attempt, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError) {
      ws.write(actor, (tx) =>
        tx.audit(what.action, what.entity, what.entityId, {
          attempted: what.attempted, reason: err.code, ...(err.params ? { params: err.params } : {}),
          ...(err.fields ? { fields: err.fields } : {}), ...what.data,
        }),
      );
    }
    throw err;
  }
}

const userActor = (userId: string): Actor => ({ kind: 'user', userId });
type CreateInput = z.output<typeof requestCreateSchema>;

/** Fields a proposal may carry, in the order the diff shows them. */
const PROPOSED_ORDER: Array<keyof ProposedValues> = [
  'rfc', 'name', 'fiscalAddress', 'registeredEmail', 'phone', 'serviceStatus', 'creditPackage', 'access',
];

export class Requests {
  constructor(
    private readonly ws: Workspace,
    private readonly customers: Customers,
    private readonly attachments: Attachments,
    private readonly settings: Settings,
    private readonly users: Users,
  ) {}

  /** Registers a request as a draft, linked to the customer's open ticket, with the signed form on that ticket. */
  create(actorId: string, input: CreateInput): ChangeRequest {
    const actor = userActor(actorId);
    const what: Attempt = {
      action: 'request.refused', attempted: 'create', entity: 'customer', entityId: input.customerId,
      data: { kind: input.kind, ticketId: input.ticketId, requesterContactId: input.requesterContactId, fromEmail: input.fromEmail },
    };
    const id = attempt(this.ws, actor, what, () => {
      const files = this.attachments.prepare([input.signedForm], this.settings.get().maxAttachmentBytes);
      return this.ws.write(actor, (tx) => {
        const customer = this.customers.get(input.customerId);
        const ticket = tx.sql('SELECT id, customer_id AS customerId, status, tracking_number AS trackingNumber FROM tickets WHERE id = ?')
          .get(input.ticketId) as { id: string; customerId: string; status: string; trackingNumber: string } | undefined;
        if (!ticket) throw new AppError('tickets.notFound');
        if (ticket.customerId !== customer.id) throw new AppError('requests.ticketOfOtherCustomer', { trackingNumber: ticket.trackingNumber });
        if (ticket.status === 'closed') throw new AppError('tickets.closed', { trackingNumber: ticket.trackingNumber });
        const requester = customer.contacts.find((c) => c.id === input.requesterContactId);
        if (!requester) throw new AppError('requests.requesterNotFound');
        if (!requester.isLegalRepresentative) throw new AppError('requests.notLegalRepresentative', { name: requester.name });
        if (input.fromEmail.trim().toLowerCase() !== customer.registeredEmail.trim().toLowerCase()) {
          throw new AppError('requests.notRegisteredEmail', { email: input.fromEmail });
        }
        const proposed = this.proposal(customer, requester, input);
        const before = currentValues(customer, requester, proposed);

        const requestId = tx.id();
        const eventId = tx.id();
        const eventData = { requestId, document: 'signed_request_form' };
        tx.sql('INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(eventId, ticket.id, 'attachment', '', JSON.stringify(eventData), actorId, tx.at);
        tx.outbox('ticket_event', eventId, 'insert', { ticketId: ticket.id, kind: 'attachment', body: '', data: eventData });
        const [form] = this.attachments.record(tx, ticket.id, eventId, files);
        tx.sql(
          `INSERT INTO change_requests (id, kind, state, customer_id, ticket_id, requester_contact_id, requester_name, from_email, reason,
             signed_form_id, proposed, before_values, created_by, created_at, updated_at)
           VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          requestId, input.kind, customer.id, ticket.id, requester.id, requester.name, input.fromEmail, input.reason, form!.id,
          JSON.stringify(proposed), JSON.stringify(before), actorId, tx.at, tx.at,
        );
        const record = {
          requestId, kind: input.kind, customerId: customer.id, ticketId: ticket.id, requesterContactId: requester.id,
          requesterName: requester.name, fromEmail: input.fromEmail, reason: input.reason, proposed, before,
          signedForm: { id: form!.id, fileName: form!.fileName, sha256: form!.sha256 },
        };
        tx.audit('request.created', 'change_request', requestId, record);
        tx.outbox('change_request', requestId, 'insert', { ...record, state: 'draft' });
        return requestId;
      });
    });
    return this.get(id);
  }

  /** borrador → en revisión, by whoever registered it (or a supervisor). */
  submit(actorId: string, input: { requestId: string }): ChangeRequest {
    this.command(actorId, 'submit', input.requestId, (tx, req) => {
      if (req.created_by !== actorId && !this.rolesOf(actorId).includes('supervisor')) throw new AppError('requests.notRegistrant');
      this.decide(tx, req.id, 'submit', null, '', {});
      this.transition(tx, req, 'submit', '');
      this.notifyApprovers(tx, req);
    });
    return this.get(input.requestId);
  }

  /**
   * One approval, in one of the required roles. The request becomes approved once every required
   * role has approved — each by a different person, none of them the one who registered it.
   */
  approve(actorId: string, input: z.output<typeof requestApproveSchema>): ChangeRequest {
    this.command(actorId, 'approve', input.requestId, (tx, req) => {
      if (!nextState(req.state, 'approve')) throw invalidTransition(req.state, 'approve');
      this.checkApprover(req, actorId, input.role);
      let checklist: CreditPackageChecklist | null = null;
      if (input.role === 'it_head') {
        if (!input.checklist) throw new AppError('requests.checklistRequired');
        const problems = checklistProblems(input.checklist);
        if (problems.length > 0) {
          throw new AppError('requests.checklistIncomplete', undefined, Object.fromEntries(problems.map((p) => [`checklist.${p}`, 'requests.checklistItem'])));
        }
        checklist = input.checklist;
        tx.sql('UPDATE change_requests SET checklist = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(checklist), tx.at, req.id);
      }
      this.decide(tx, req.id, 'approve', input.role, input.comment, checklist ? { checklist } : {});
      tx.audit('request.approved', 'change_request', req.id, { requestId: req.id, role: input.role, comment: input.comment, ...(checklist ? { checklist } : {}) });
      const approved = new Set(this.approvals(req.id).map((d) => d.role));
      if (requiredApprovals(req.kind).every((r) => approved.has(r))) this.transition(tx, req, 'approve', input.comment);
    }, { role: input.role });
    return this.get(input.requestId);
  }

  /** A rejection by any required approver ends the request. */
  reject(actorId: string, input: z.output<typeof requestDecisionSchema>): ChangeRequest {
    this.command(actorId, 'reject', input.requestId, (tx, req) => {
      if (!nextState(req.state, 'reject')) throw invalidTransition(req.state, 'reject');
      this.checkApprover(req, actorId, input.role);
      this.decide(tx, req.id, 'reject', input.role, input.comment, {});
      tx.audit('request.rejected', 'change_request', req.id, { requestId: req.id, role: input.role, comment: input.comment });
      this.transition(tx, req, 'reject', input.comment);
    }, { role: input.role });
    return this.get(input.requestId);
  }

  /** Before implementation starts, by whoever registered it, a supervisor or a security officer. */
  cancel(actorId: string, input: z.output<typeof requestCommentSchema>): ChangeRequest {
    this.command(actorId, 'cancel', input.requestId, (tx, req) => {
      if (!nextState(req.state, 'cancel')) throw invalidTransition(req.state, 'cancel');
      const roles = this.rolesOf(actorId);
      if (req.created_by !== actorId && !roles.includes('supervisor') && !roles.includes('security_officer')) throw new AppError('requests.cannotCancel');
      this.decide(tx, req.id, 'cancel', null, input.comment, {});
      this.transition(tx, req, 'cancel', input.comment);
      for (const account of this.liveAccountRows(req.id, tx.at)) disableAccount(tx, account, 'revoked');
    });
    return this.get(input.requestId);
  }

  designateImplementer(actorId: string, input: z.output<typeof requestDesignateSchema>): ChangeRequest {
    this.command(actorId, 'designateImplementer', input.requestId, (tx, req) => {
      if (req.state !== 'approved') throw new AppError('requests.notApproved', { state: req.state });
      this.designate(tx, req, input.implementerId, input.comment);
    }, { implementerId: input.implementerId });
    return this.get(input.requestId);
  }

  /**
   * Sets the implementer inside the caller's transaction (also used by emergency.create). Someone
   * outside Development who neither registered nor approved the request; when the branch has
   * nobody like that, someone from Development, with control adicional (a second reviewer).
   */
  designate(tx: WriteTx, req: RequestRow, implementerId: string, comment: string): void {
    const accounts = tx.sql('SELECT COUNT(*) FROM emergency_accounts WHERE request_id = ?').pluck().get(req.id) as number;
    if (accounts > 0) throw new AppError('requests.implementerLocked');
    const candidate = this.userRow(implementerId);
    if (!candidate) throw new AppError('requests.implementerNotFound');
    const rule = { registrantId: req.created_by, approverIds: this.approvals(req.id).map((d) => d.actor_id) };
    const problem = implementerProblem(asCandidate(candidate), rule);
    let controlAdicional = false;
    if (problem === 'requests.implementerFromDevelopment' && this.eligibleRows(rule).length === 0) controlAdicional = true;
    else if (problem) throw new AppError(problem, { name: candidate.full_name });
    tx.sql('UPDATE change_requests SET implementer_id = ?, control_adicional = ?, updated_at = ? WHERE id = ?')
      .run(implementerId, controlAdicional ? 1 : 0, tx.at, req.id);
    req.implementer_id = implementerId;
    req.control_adicional = controlAdicional ? 1 : 0;
    this.decide(tx, req.id, 'designate', null, comment, { implementerId, controlAdicional });
    tx.audit('request.implementerDesignated', 'change_request', req.id, {
      requestId: req.id, implementerId, controlAdicional, comment, ...(controlAdicional ? { why: 'no_eligible_implementer' } : {}),
    });
    tx.outbox('change_request', req.id, 'update', { implementerId, controlAdicional });
  }

  /** Who may be designated: everyone who satisfies the rule, or else the Development fallback (control adicional). */
  implementerOptions(requestId: string): ImplementerOptions {
    const req = this.mustRow(requestId);
    const rule = { registrantId: req.created_by, approverIds: this.approvals(req.id).map((d) => d.actor_id) };
    const eligible = this.eligibleRows(rule);
    const fallback = eligible.length > 0
      ? []
      : this.activeUserRows().filter((u) => implementerProblem(asCandidate(u), rule) === 'requests.implementerFromDevelopment');
    const ids = new Set([...eligible, ...fallback].map((u) => u.id));
    const summaries = this.users.directory().filter((u) => ids.has(u.id));
    const pick = (rows: UserRow[]): UserSummary[] => summaries.filter((s) => rows.some((r) => r.id === s.id));
    return { eligible: pick(eligible), controlAdicional: eligible.length === 0, fallback: pick(fallback) };
  }

  /** en aprobada → en implementación, when the implementer first signs in with the emergency account. */
  startImplementation(tx: WriteTx, req: RequestRow): void {
    this.transition(tx, req, 'start_implementation', '');
  }

  /**
   * Applies the change to the customer record — only from a session opened with an emergency
   * account of this very request, by its implementer. Each protected field's before/after goes
   * to the audit log; the request becomes implementada.
   */
  apply(actor: Actor, input: z.output<typeof requestCommentSchema>): ChangeRequest {
    const what: Attempt = { action: 'request.refused', attempted: 'apply', entity: 'change_request', entityId: input.requestId, data: { requestId: input.requestId } };
    attempt(this.ws, actor, what, () =>
      this.ws.write(actor, (tx) => {
        if (actor.kind !== 'emergency' || actor.requestId !== input.requestId) throw new AppError('requests.emergencyRequired');
        const req = this.mustRow(input.requestId);
        if (!nextState(req.state, 'complete')) throw invalidTransition(req.state, 'complete');
        if (req.implementer_id !== actor.userId) throw new AppError('requests.notImplementer');
        this.applyToCustomer(tx, req);
        this.decide(tx, req.id, 'apply', null, input.comment, {});
        this.transition(tx, req, 'complete', input.comment);
      }),
    );
    return this.get(input.requestId);
  }

  /** Control adicional: a security officer or supervisor other than the implementer signs off the implementation. */
  secondReview(actorId: string, input: z.output<typeof requestCommentSchema>): ChangeRequest {
    this.command(actorId, 'secondReview', input.requestId, (tx, req) => {
      if (req.state !== 'implemented') throw new AppError('requests.notImplemented', { state: req.state });
      if (req.control_adicional !== 1) throw new AppError('requests.noSecondReviewNeeded');
      if (!this.rolesOf(actorId).some((r) => (SECOND_REVIEWER_ROLES as readonly Role[]).includes(r))) {
        throw new AppError('requests.wrongRole', { role: SECOND_REVIEWER_ROLES.join(', ') });
      }
      if (actorId === req.implementer_id) throw new AppError('requests.secondReviewerIsImplementer');
      if (this.decisions(req.id).some((d) => d.decision === 'second_review')) throw new AppError('requests.alreadyDecided', { role: 'second_review' });
      this.decide(tx, req.id, 'second_review', null, input.comment, {});
      tx.audit('request.secondReview', 'change_request', req.id, { requestId: req.id, comment: input.comment });
    });
    return this.get(input.requestId);
  }

  /**
   * implementada → revisada: every emergency account of the request has ended and been signed off
   * by the security officer, and under control adicional the second reviewer has signed off too.
   */
  markReviewed(actorId: string, input: z.output<typeof requestCommentSchema>): ChangeRequest {
    this.command(actorId, 'markReviewed', input.requestId, (tx, req) => {
      if (!nextState(req.state, 'review')) throw invalidTransition(req.state, 'review');
      if (actorId === req.implementer_id) throw new AppError('requests.reviewerIsImplementer');
      const pending = accountsOfRequest(tx.db, req.id).filter((a) => !isFinished(a, tx.at) || a.review?.outcome !== 'signed_off');
      if (pending.length > 0) throw new AppError('requests.emergencyReviewPending', { count: pending.length });
      if (req.control_adicional === 1 && !this.decisions(req.id).some((d) => d.decision === 'second_review')) {
        throw new AppError('requests.secondReviewPending');
      }
      this.decide(tx, req.id, 'review', null, input.comment, {});
      this.transition(tx, req, 'review', input.comment);
    });
    return this.get(input.requestId);
  }

  get(requestId: string): ChangeRequest {
    const req = this.mustRow(requestId);
    const summary = this.summaries('WHERE r.id = ?', [requestId])[0]!;
    const proposed = JSON.parse(req.proposed) as ProposedValues;
    const before = JSON.parse(req.applied_before ?? 'null') as Partial<Record<keyof ProposedValues, unknown>> | null
      ?? this.currentBefore(req, proposed);
    const decisions = this.decisions(req.id);
    const approvals = decisions
      .filter((d) => d.decision === 'approve')
      .map((d) => ({ role: d.role as ApproverRole, actorId: d.actor_id, actorName: d.actor_name, comment: d.comment, at: d.created_at }));
    const second = decisions.find((d) => d.decision === 'second_review');
    const signedForm = this.ws.sql(
      `SELECT id, ticket_id AS ticketId, event_id AS eventId, file_name AS fileName, mime_type AS mimeType, size_bytes AS sizeBytes,
         sha256, created_at AS createdAt FROM attachments WHERE id = ?`,
    ).get(req.signed_form_id) as AttachmentInfo | undefined;
    const implementerName = req.implementer_id ? (this.userRow(req.implementer_id)?.full_name ?? null) : null;
    return {
      ...summary,
      requesterContactId: req.requester_contact_id,
      requesterName: req.requester_name,
      fromEmail: req.from_email,
      reason: req.reason,
      signedForm: signedForm ?? null,
      proposed,
      diff: diffOf(before, proposed),
      checklist: req.checklist ? (JSON.parse(req.checklist) as CreditPackageChecklist) : null,
      requiredApprovals: requiredApprovals(req.kind),
      approvals,
      implementerId: req.implementer_id,
      implementerName,
      secondReview: second ? { actorId: second.actor_id, actorName: second.actor_name, comment: second.comment, at: second.created_at } : null,
      decisions: decisions.map(toDecision),
      emergencyAccounts: accountsOfRequest(this.ws.db, req.id),
      allowedActions: allowedActions(req.state),
      implementedAt: req.implemented_at,
      reviewedAt: req.reviewed_at,
    };
  }

  list(actorId: string, input: z.output<typeof requestListSchema>): ChangeRequestPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (input.state.length > 0) {
      where.push(`r.state IN (${input.state.map(() => '?').join(',')})`);
      params.push(...input.state);
    }
    if (input.customerId) {
      where.push('r.customer_id = ?');
      params.push(input.customerId);
    }
    if (input.ticketId) {
      where.push('r.ticket_id = ?');
      params.push(input.ticketId);
    }
    if (input.view === 'mine') {
      where.push('(r.created_by = ? OR r.implementer_id = ?)');
      params.push(actorId, actorId);
    }
    if (input.view === 'awaiting_me') {
      // In review, not mine, not yet decided by me, and still missing an approval in one of my roles.
      const roles = this.rolesOf(actorId).filter((r): r is ApproverRole => (APPROVER_ROLES as readonly Role[]).includes(r));
      const missing = roles.map(
        (role) => `(NOT EXISTS (SELECT 1 FROM change_request_decisions d WHERE d.request_id = r.id AND d.decision = 'approve' AND d.role = '${role}')`
          + (role === 'it_head' ? ` AND r.kind = 'credit_package_change')` : ')'),
      );
      where.push(
        `r.state = 'in_review' AND r.created_by != ?`,
        `NOT EXISTS (SELECT 1 FROM change_request_decisions d WHERE d.request_id = r.id AND d.actor_id = ? AND d.decision IN ('approve', 'reject'))`,
        missing.length > 0 ? `(${missing.join(' OR ')})` : '0',
      );
      params.push(actorId, actorId);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.ws.db.prepare(`SELECT COUNT(*) FROM change_requests r ${clause}`).pluck().get(...params) as number;
    const rows = this.summaries(`${clause} ORDER BY r.updated_at DESC, r.id DESC LIMIT ? OFFSET ?`, [...params, input.limit, input.offset]);
    return { total, rows };
  }

  summaries(clause: string, params: unknown[]): ChangeRequestSummary[] {
    const rows = this.ws.db.prepare(
      `SELECT r.id, r.kind, r.state, r.customer_id AS customerId, c.name AS customerName, c.rfc, r.ticket_id AS ticketId,
         t.tracking_number AS trackingNumber, r.created_by AS createdBy, u.full_name AS createdByName,
         r.control_adicional AS controlAdicional, r.created_at AS createdAt, r.updated_at AS updatedAt
       FROM change_requests r JOIN customers c ON c.id = r.customer_id JOIN tickets t ON t.id = r.ticket_id
       LEFT JOIN users u ON u.id = r.created_by ${clause}`,
    ).all(...params) as Array<Omit<ChangeRequestSummary, 'controlAdicional'> & { controlAdicional: number }>;
    return rows.map((r) => ({ ...r, controlAdicional: r.controlAdicional === 1 }));
  }

  mustRow(requestId: string): RequestRow {
    const row = this.ws.sql('SELECT * FROM change_requests WHERE id = ?').get(requestId) as RequestRow | undefined;
    if (!row) throw new AppError('requests.notFound');
    return row;
  }

  /** A user command on one request: one transaction, and an audit entry of the attempt when refused. */
  private command(actorId: string, attempted: string, requestId: string, fn: (tx: WriteTx, req: RequestRow) => void, data: Record<string, unknown> = {}): void {
    const actor = userActor(actorId);
    const what: Attempt = { action: 'request.refused', attempted, entity: 'change_request', entityId: requestId, data: { requestId, ...data } };
    attempt(this.ws, actor, what, () => this.ws.write(actor, (tx) => fn(tx, this.mustRow(requestId))));
  }

  private notifyApprovers(tx: WriteTx, req: RequestRow): void {
    notifyApprovers(tx, req);
  }

  private checkApprover(req: RequestRow, actorId: string, role: ApproverRole): void {
    if (!requiredApprovals(req.kind).includes(role)) throw new AppError('requests.wrongRole', { role });
    if (!this.rolesOf(actorId).includes(role)) throw new AppError('requests.wrongRole', { role });
    if (req.created_by === actorId) throw new AppError('requests.selfApproval');
    const prior = this.decisions(req.id).filter((d) => d.decision === 'approve' || d.decision === 'reject');
    if (prior.some((d) => d.role === role)) throw new AppError('requests.alreadyDecided', { role });
    if (prior.some((d) => d.actor_id === actorId)) throw new AppError('requests.samePersonApprovals');
  }

  private transition(tx: WriteTx, req: RequestRow, action: RequestAction, comment: string): void {
    const to = nextState(req.state, action);
    if (!to) throw invalidTransition(req.state, action);
    const stamp = to === 'implemented' ? ', implemented_at = @at' : to === 'reviewed' ? ', reviewed_at = @at' : '';
    tx.db.prepare(`UPDATE change_requests SET state = @to, updated_at = @at${stamp} WHERE id = @id`).run({ to, at: tx.at, id: req.id });
    tx.audit('request.transition', 'change_request', req.id, { requestId: req.id, from: req.state, to, action, comment });
    tx.outbox('change_request', req.id, 'update', { state: to });
    req.state = to;
  }

  private decide(tx: WriteTx, requestId: string, decision: RequestDecisionKind, role: Role | null, comment: string, data: Record<string, unknown>): void {
    const id = tx.id();
    const actorId = tx.actor.kind === 'user' || tx.actor.kind === 'emergency' ? tx.actor.userId : null;
    if (!actorId) throw new AppError('auth.required');
    tx.sql('INSERT INTO change_request_decisions (id, request_id, decision, role, actor_id, comment, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, requestId, decision, role, actorId, comment, JSON.stringify(data), tx.at);
    tx.outbox('change_request_decision', id, 'insert', { requestId, decision, role, actorId, comment, data });
  }

  private decisions(requestId: string): DecisionRow[] {
    return this.ws.sql(
      `SELECT d.id, d.decision, d.role, d.actor_id, u.full_name AS actor_name, d.comment, d.data, d.created_at
       FROM change_request_decisions d LEFT JOIN users u ON u.id = d.actor_id WHERE d.request_id = ? ORDER BY d.created_at, d.rowid`,
    ).all(requestId) as DecisionRow[];
  }

  private approvals(requestId: string): DecisionRow[] {
    return this.decisions(requestId).filter((d) => d.decision === 'approve');
  }

  /** The customer's values today for the fields a proposal touches. */
  private currentBefore(req: RequestRow, proposed: ProposedValues): Partial<Record<keyof ProposedValues, unknown>> {
    const customer = this.customers.get(req.customer_id);
    return currentValues(customer, customer.contacts.find((c) => c.id === req.requester_contact_id) ?? null, proposed);
  }

  /** Normalizes and validates the proposal; a field equal to today's value is dropped, and nothing left is refused. */
  private proposal(customer: Customer, requester: Contact, input: CreateInput): ProposedValues {
    switch (input.kind) {
      case 'access_control':
        return { access: { operation: input.access.operation, portalUsername: input.access.portalUsername } };
      case 'service_suspension':
        if (input.serviceStatus === customer.serviceStatus) throw new AppError('requests.noChange');
        return { serviceStatus: input.serviceStatus };
      case 'credit_package_change':
        if (input.creditPackage === customer.creditPackage) throw new AppError('requests.noChange');
        return { creditPackage: input.creditPackage };
      case 'sensitive_change': {
        const c = input.changes;
        const p: ProposedValues = {};
        if (c.rfc !== undefined) {
          const rfc = this.checkNewRfc(customer.id, c.rfc);
          if (rfc !== customer.rfc) p.rfc = rfc;
        }
        if (c.name !== undefined && c.name !== customer.name) p.name = c.name;
        if (c.fiscalAddress !== undefined && JSON.stringify(c.fiscalAddress) !== JSON.stringify(customer.fiscalAddress)) p.fiscalAddress = c.fiscalAddress;
        if (c.registeredEmail !== undefined && c.registeredEmail !== customer.registeredEmail.toLowerCase()) p.registeredEmail = c.registeredEmail;
        if (c.phone !== undefined && c.phone !== requester.phone) p.phone = c.phone;
        if (Object.keys(p).length === 0) throw new AppError('requests.noChange');
        return p;
      }
    }
  }

  /** The new RFC: validRfc (format, date, words; a wrong check digit only warns) and not another customer's. */
  private checkNewRfc(customerId: string, rfc: string): string {
    let normalized: string;
    try {
      normalized = validRfc(rfc).normalized;
    } catch (err) {
      if (err instanceof AppError && err.fields?.rfc) throw new AppError('validation.failed', undefined, { 'changes.rfc': err.fields.rfc });
      throw err;
    }
    const owner = this.ws.sql('SELECT id FROM customers WHERE rfc = ?').pluck().get(normalized) as string | undefined;
    if (owner && owner !== customerId) throw new AppError('validation.failed', { rfc: normalized }, { 'changes.rfc': 'rfc.duplicate' });
    return normalized;
  }

  private applyToCustomer(tx: WriteTx, req: RequestRow): void {
    const customer = this.customers.get(req.customer_id);
    const proposed = JSON.parse(req.proposed) as ProposedValues;
    const requester = customer.contacts.find((c) => c.id === req.requester_contact_id) ?? null;
    if (proposed.phone !== undefined && !requester) throw new AppError('requests.requesterNotFound');
    const before = currentValues(customer, requester, proposed);
    const next = {
      rfc: proposed.rfc !== undefined ? this.checkNewRfc(customer.id, proposed.rfc) : customer.rfc,
      name: proposed.name ?? customer.name,
      fiscalAddress: proposed.fiscalAddress ?? customer.fiscalAddress,
      registeredEmail: proposed.registeredEmail ?? customer.registeredEmail,
      serviceStatus: proposed.serviceStatus ?? customer.serviceStatus,
      creditPackage: proposed.creditPackage ?? customer.creditPackage,
    };
    const warnings = proposed.rfc !== undefined ? validRfc(next.rfc).warnings : customer.rfcWarnings;
    tx.sql(
      `UPDATE customers SET rfc = ?, name = ?, fiscal_address = ?, registered_email = ?, service_status = ?, credit_package = ?,
         rfc_warnings = ?, updated_at = ? WHERE id = ?`,
    ).run(next.rfc, next.name, JSON.stringify(next.fiscalAddress), next.registeredEmail, next.serviceStatus, next.creditPackage,
      JSON.stringify(warnings), tx.at, customer.id);
    if (proposed.phone !== undefined) tx.sql('UPDATE contacts SET phone = ? WHERE id = ?').run(proposed.phone, requester!.id);
    if (proposed.rfc !== undefined || proposed.name !== undefined) reindexCustomerTickets(tx, customer.id, next.rfc, next.name);

    const changed: Record<string, unknown> = {};
    for (const field of PROPOSED_ORDER) {
      if (field === 'access' || proposed[field] === undefined) continue;
      const to = field === 'rfc' ? next.rfc : proposed[field];
      changed[field] = to;
      tx.audit('customer.protectedFieldChanged', 'customer', customer.id, {
        requestId: req.id, field, from: before[field] ?? null, to, ...(field === 'phone' ? { contactId: requester!.id } : {}),
      });
    }
    if (proposed.access) tx.audit('customer.portalAccessChanged', 'customer', customer.id, { requestId: req.id, ...proposed.access });
    if (Object.keys(changed).length > 0) tx.outbox('customer', customer.id, 'update', { ...changed, requestId: req.id });
    tx.sql('UPDATE change_requests SET applied_before = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(before), tx.at, req.id);
    // Every branch shows the same before/after once the customer has changed.
    tx.outbox('change_request', req.id, 'update', { appliedBefore: before });
    tx.audit('request.applied', 'change_request', req.id, { requestId: req.id, customerId: customer.id, before, after: proposed });
  }

  private liveAccountRows(requestId: string, now: number) {
    return this.ws.sql('SELECT * FROM emergency_accounts WHERE request_id = ? AND disabled_at IS NULL AND ends_at > ?').all(requestId, now) as Array<
      Parameters<typeof disableAccount>[1]
    >;
  }

  private userRow(userId: string): UserRow | undefined {
    return this.ws.sql('SELECT id, full_name, roles, active, locked_at FROM users WHERE id = ?').get(userId) as UserRow | undefined;
  }

  private activeUserRows(): UserRow[] {
    return this.ws.sql('SELECT id, full_name, roles, active, locked_at FROM users WHERE active = 1 AND locked_at IS NULL').all() as UserRow[];
  }

  private eligibleRows(rule: { registrantId: string; approverIds: string[] }): UserRow[] {
    return this.activeUserRows().filter((u) => implementerProblem(asCandidate(u), rule) === null);
  }

  private rolesOf(userId: string): Role[] {
    const row = this.userRow(userId);
    return row ? (JSON.parse(row.roles) as Role[]) : [];
  }
}

/**
 * A request in review waits for each required approver role: everyone holding one is told, once
 * per request, except whoever registered it (who may not approve it) and whoever already decided
 * on it (a request pulled from another branch may arrive with decisions). Also for pulled requests.
 */
export function notifyApprovers(tx: WriteTx, req: Pick<RequestRow, 'id' | 'kind' | 'ticket_id' | 'created_by'>, actorId?: string | null): void {
  const folio = tx.sql('SELECT tracking_number FROM tickets WHERE id = ?').pluck().get(req.ticket_id) as string;
  const decided = tx.sql("SELECT role, actor_id FROM change_request_decisions WHERE request_id = ? AND decision IN ('approve', 'reject')")
    .all(req.id) as Array<{ role: string | null; actor_id: string }>;
  for (const role of requiredApprovals(req.kind)) {
    if (decided.some((d) => d.role === role)) continue;
    notify(tx, usersWithRole(tx, role).filter((id) => id !== req.created_by && !decided.some((d) => d.actor_id === id)), {
      kind: 'approval', entity: 'change_request', entityId: req.id, folio,
      data: { role, requestKind: req.kind }, onceKey: `approval:${req.id}`, ...(actorId !== undefined ? { actorId } : {}),
    });
  }
}

function asCandidate(u: UserRow) {
  return { id: u.id, roles: JSON.parse(u.roles) as Role[], active: u.active === 1 && u.locked_at === null };
}

function invalidTransition(from: RequestState, action: RequestAction): AppError {
  return new AppError('requests.invalidTransition', { from, action });
}

/** Today's values of the fields a proposal touches (the phone is the requesting legal representative's). */
function currentValues(customer: Customer, requester: Contact | null, proposed: ProposedValues): Partial<Record<keyof ProposedValues, unknown>> {
  const out: Partial<Record<keyof ProposedValues, unknown>> = {};
  for (const field of PROPOSED_ORDER) {
    if (proposed[field] === undefined) continue;
    if (field === 'phone') out.phone = requester?.phone ?? null;
    else if (field === 'access') out.access = null;
    else out[field] = customer[field];
  }
  return out;
}

function diffOf(before: Partial<Record<keyof ProposedValues, unknown>>, proposed: ProposedValues): FieldDiff[] {
  return PROPOSED_ORDER.filter((f) => proposed[f] !== undefined).map((field) => ({ field, before: before[field] ?? null, after: proposed[field] }));
}

function toDecision(d: DecisionRow): RequestDecision {
  return {
    id: d.id, decision: d.decision, role: d.role as Role | null, actorId: d.actor_id, actorName: d.actor_name, comment: d.comment,
    data: JSON.parse(d.data) as Record<string, unknown>, createdAt: d.created_at,
  };
}
