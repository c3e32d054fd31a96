/**
 * Tickets: intake from every channel, the timeline (messages, notes, contact attempts and the
 * history of every change), status, assignment and closing, list and full-text search.
 * Each command is one `ws.write` transaction: the row, its timeline event, the FTS index, the
 * audit entry and the outbox record commit together or not at all.
 */
import type { z } from 'zod';
import type {
  ticketHandBackSchema, ticketMoveTierSchema,
  contactAttemptSchema, ticketAssignSchema, ticketCloseSchema, ticketCreateSchema, ticketMergeSchema,
  ticketMessageSchema, ticketStatusSchema, ticketUpdateSchema,
} from '../shared/contract';
import { formatTrackingNumber, TIER_ROLE, tierIndex, TIERS, type EventKind, type Priority, type Role, type Tier } from '../shared/domain';
import { AppError } from '../shared/errors';
import { isGenericRfc, normalizeRfc } from '../shared/rfc';
import type { AttachmentInfo, Ticket, TicketDetail, TicketPage, TimelineEvent } from '../shared/types';
import type { Attachments, PreparedFile } from './attachments';
import type { Customers } from './customers';
import type { Settings } from './settings';
import type { SlaEngine } from './sla';
import { notify, usersWithRole } from './notifications/notify';
import { surveyLink } from './mail/survey';
import { hoursLeft, NoticeTemplates, queueNotice, slaValues } from './mail/templates';
import type { PlaceholderValues, TemplateKind } from '../shared/mail-templates';
import { listTickets, SUMMARY_COLUMNS, SUMMARY_FROM, type ListInput } from './ticket-list';
import { rewriteTicketText } from './ticket-text';
import type { Workspace, WriteTx } from './workspace';

export const PRIORITY_RANK: Record<Priority, number> = { low: 1, normal: 2, high: 3 };
const DAY_MS = 24 * 60 * 60 * 1000;


/** A new ticket's fields as `insertTicket` takes them: the create command's input with its customer resolved. */
export type TicketInsert = Omit<z.output<typeof ticketCreateSchema>, 'customer' | 'attachments'> & { customerId: string; linkedTicketId?: string };

export class Tickets {
  constructor(
    private readonly ws: Workspace,
    private readonly customers: Customers,
    private readonly attachments: Attachments,
    private readonly settings: Settings,
    private readonly sla: SlaEngine,
  ) {
    this.templates = new NoticeTemplates(ws, () => sla.config().escalationTemplate);
  }

  /** The central server's address when this branch syncs with one (its customer portal takes the survey answers); services.ts sets it. */
  portalUrl: () => string | null = () => null;

  /** The customer notices' templates (Administración → Correo). */
  readonly templates: NoticeTemplates;

  create(actorId: string, input: z.output<typeof ticketCreateSchema>): Ticket {
    const files = this.attachments.prepare(input.attachments, this.settings.get().maxAttachmentBytes);
    const id = this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const c = input.customer;
      // A generic RFC names no one: the same person (name + e-mail or phone) is found again, anyone else is a new customer.
      const sameGenericCustomer = c.kind === 'new' && isGenericRfc(c.rfc) ? this.customers.identifyGeneric(normalizeRfc(c.rfc), c) : null;
      const customerId =
        input.customer.kind === 'existing'
          ? this.customers.get(input.customer.customerId).id
          : sameGenericCustomer ?? this.customers.insert(tx, 'customer.rfc', {
              rfc: input.customer.rfc,
              name: input.customer.name,
              registeredEmail: input.customer.email,
              taxRegime: '',
              plan: 'basic',
              fiscalAddress: { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' },
              contacts: [{ name: input.customer.name, email: input.customer.email, phone: input.customer.phone, isLegalRepresentative: false }],
            });
      return this.insertTicket(tx, { ...input, customerId }, files);
    });
    return this.getTicket(id);
  }

  /**
   * Inserts a ticket and its "created" event inside the caller's transaction. Exposed for the
   * demo-data generator (cli/demo-data.ts), whose bulk path mirrors this and the other *InTx commands.
   */
  insertTicket(
    tx: WriteTx,
    input: TicketInsert,
    files: PreparedFile[] = [],
  ): string {
    const site = tx.sql('SELECT code, time_zone AS timeZone FROM branch LIMIT 1').get() as { code: string; timeZone: string } | undefined;
    if (!site) throw new AppError('auth.notSetUp');
    const trackingNumber = nextTrackingNumber(tx, site.code);
    const id = tx.id();
    // Every request enters at the Mesa de Servicio, which answers severity 1 and escalates the
    // rest one tier at a time (seed 002, "canaliza"); the board shows where severity says it belongs.
    const tier: Tier = 'service_desk';
    const actorId = tx.actor.kind === 'user' ? tx.actor.userId : null;
    const info = tx.sql(
      `INSERT INTO tickets (id, tracking_number, customer_id, channel, request_type, support_type, category, priority,
         priority_rank, severity, tier, status, subject, description, created_by, linked_ticket_id, last_customer_message_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id, trackingNumber, input.customerId, input.channel, input.requestType, input.supportType, input.category, input.priority,
      PRIORITY_RANK[input.priority], input.severity, tier, input.subject, input.description, actorId, input.linkedTicketId ?? null, tx.at, tx.at, tx.at,
    );
    const customer = tx.sql('SELECT rfc, name FROM customers WHERE id = ?').get(input.customerId) as { rfc: string; name: string };
    tx.sql('INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name) VALUES (?, ?, ?, ?, ?, ?)').run(
      info.lastInsertRowid, trackingNumber, input.subject, input.description, customer.rfc, customer.name,
    );
    const record = {
      trackingNumber, customerId: input.customerId, channel: input.channel, requestType: input.requestType, supportType: input.supportType,
      category: input.category, priority: input.priority, severity: input.severity, tier, status: 'open', subject: input.subject,
      linkedTicketId: input.linkedTicketId ?? null,
    };
    // The tracking number and channel never change: the ticket row holds them (get() shows them
    // with the event). Severity and tier do change: the event keeps their values at creation.
    const eventId = this.addEvent(tx, id, 'created', '', { severity: input.severity, tier });
    if (files.length > 0) this.attachments.record(tx, id, eventId, files);
    tx.audit('ticket.created', 'ticket', id, { ...record, attachments: files.map((f) => f.sha256) });
    tx.outbox('ticket', id, 'insert', { ...record, description: input.description });
    const sla = this.sla.start(tx, id);
    // The customer hears the tracking number and the expected response time at once (seeds 000/001), by e-mail (core/mail/sender.ts).
    const language = this.templates.get().language;
    this.queueNotice(tx, id, input.customerId, 'acknowledged', { ...this.noticeValues(tx, id), ...slaValues(sla, site.timeZone, language) });
    return id;
  }

  /** tickets.list: views, filters, sorts and search, a keyset page at a time (see ticket-list.ts). */
  list(actorId: string, input: ListInput): TicketPage {
    return listTickets(this.ws, this.sla.config().policies, actorId, input);
  }

  get(ticketId: string): TicketDetail {
    const ticket = this.getTicket(ticketId);
    // The tickets merged into this one (and into those, recursively): their entries join this timeline.
    // CROSS JOIN keeps the few merged ids as the outer loop: with a plain JOIN SQLite chose to walk
    // every ticket in tracking-number order (to skip the sort) and probe the CTE for each — 245 ms
    // per open at 100,000 tickets (test/unit/core/ticket-get-plan.test.ts).
    const mergedFrom = this.ws.sql(
      `WITH RECURSIVE merged(id) AS (SELECT id FROM tickets WHERE merged_into_id = ?
         UNION SELECT t.id FROM tickets t JOIN merged m ON t.merged_into_id = m.id)
       SELECT t.id, t.tracking_number AS trackingNumber, t.subject, t.description FROM merged m CROSS JOIN tickets t ON t.id = m.id
       ORDER BY t.tracking_number`,
    ).all(ticketId) as Array<TicketDetail['mergedFrom'][number] & { description: string }>;
    const tracking = new Map(mergedFrom.map((m) => [m.id, m.trackingNumber]));
    const descriptions = new Map(mergedFrom.map((m) => [m.id, m.description]));
    const ids = JSON.stringify([ticketId, ...tracking.keys()]);
    const events = this.ws.sql(
      `SELECT e.id, e.ticket_id AS ticketId, e.kind, e.body, e.data, e.actor_id AS actorId, u.full_name AS actorName, e.created_at AS createdAt
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.ticket_id IN (SELECT value FROM json_each(?)) ORDER BY e.created_at, e.rowid`,
    ).all(ids) as Array<Omit<TimelineEvent, 'data' | 'attachments'> & { data: string; ticketId: string }>;
    const files = this.ws.sql(
      `SELECT id, ticket_id AS ticketId, event_id AS eventId, file_name AS fileName, mime_type AS mimeType, size_bytes AS sizeBytes,
       sha256, created_at AS createdAt,
       EXISTS (SELECT 1 FROM blob_transfers b WHERE b.sha256 = attachments.sha256 AND b.direction = 'down') AS pendingDownload
       FROM attachments WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid`,
    ).all(ids) as Array<Omit<AttachmentInfo, 'pendingDownload'> & { pendingDownload: number }>;
    const byEvent = new Map<string, AttachmentInfo[]>();
    for (const row of files) {
      const f: AttachmentInfo = { ...row, pendingDownload: row.pendingDownload === 1 };
      const key = f.eventId ?? '';
      byEvent.set(key, [...(byEvent.get(key) ?? []), f]);
    }
    const timeline: TimelineEvent[] = [];
    for (const { ticketId: from, ...e } of events) {
      const own = from === ticketId;
      // A merged ticket's own "merged into this one" entry repeats the target's 'merged_in': shown once.
      if (!own && e.kind === 'merged') continue;
      const data = JSON.parse(e.data) as Record<string, unknown>;
      const shown = e.kind === 'created' && own ? { trackingNumber: ticket.trackingNumber, channel: ticket.channel, ...data } : data;
      // A merged ticket's description is its first message: it shows with its "created" entry.
      const body = !own && e.kind === 'created' ? descriptions.get(from) ?? e.body : e.body;
      timeline.push({
        ...e, body, data: shown, attachments: byEvent.get(e.id) ?? [],
        ...(own ? {} : { fromTicket: { id: from, trackingNumber: tracking.get(from) ?? '' } }),
      });
    }
    const contact = (this.ws.sql('SELECT name, email, phone FROM contacts WHERE customer_id = ? ORDER BY position LIMIT 1')
      .get(ticket.customerId) as TicketDetail['contact'] | undefined) ?? null;
    return {
      ticket, customer: this.customers.summary(ticket.customerId), contact, timeline,
      mergedFrom: mergedFrom.map(({ id, trackingNumber, subject }) => ({ id, trackingNumber, subject })),
    };
  }

  getTicket(ticketId: string): Ticket {
    const row = this.ws.sql(
      `SELECT ${SUMMARY_COLUMNS}, t.description, t.close_cause AS closeCause, t.close_solution AS closeSolution,
         t.closed_at AS closedAt, t.linked_ticket_id AS linkedTicketId, l.tracking_number AS linkedTrackingNumber,
         t.merged_into_id AS mergedIntoId, mt.tracking_number AS mergedIntoTrackingNumber,
         t.last_customer_message_at AS lastCustomerMessageAt
       ${SUMMARY_FROM} LEFT JOIN tickets l ON l.id = t.linked_ticket_id LEFT JOIN tickets mt ON mt.id = t.merged_into_id WHERE t.id = ?`,
    ).get(ticketId) as (Ticket & { lastCustomerMessageAt: number | null; rowid?: number }) | undefined;
    if (!row) throw new AppError('tickets.notFound');
    delete row.rowid;
    const { lastCustomerMessageAt: _omit, ...ticket } = row;
    void _omit;
    return ticket;
  }

  /** A public reply, an internal note: text plus evidence on an open ticket. */
  addMessage(actorId: string, kind: 'reply' | 'note', input: z.output<typeof ticketMessageSchema>): TicketDetail {
    const files = this.attachments.prepare(input.attachments, this.settings.get().maxAttachmentBytes);
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.addMessageInTx(tx, input.ticketId, kind, input.body, files));
    return this.get(input.ticketId);
  }

  /** `addMessage` inside the caller's transaction (the commands below follow the same pattern). */
  addMessageInTx(tx: WriteTx, ticketId: string, kind: 'reply' | 'note', body: string, files: PreparedFile[] = []): string {
    const t = this.mustBeOpen(ticketId);
    const eventId = this.addEvent(tx, t.id, kind, body, {});
    this.attachments.record(tx, t.id, eventId, files);
    this.touch(tx, t.id);
    // A public reply is what stops the response clocks; an internal note does not.
    if (kind === 'reply') this.responded(tx, t.id);
    tx.audit(`ticket.${kind}`, 'ticket', t.id, { eventId, attachments: files.map((f) => f.sha256) });
    // The customer reads a public reply by e-mail, threaded with the ticket's other notices; an internal note never leaves.
    if (kind === 'reply') this.queueNotice(tx, t.id, t.customerId, 'reply', { ...this.noticeValues(tx, t.id), respuesta: body });
    this.sla.recompute(tx, t.id);
    return eventId;
  }

  /**
   * What the customer wrote (by phone, e-mail or chat). On a ticket waiting on the customer it
   * reopens the ticket; on a closed ticket the organization's policy decides: reopen it within N
   * days, or open a new ticket linked to it (seeds 001/004). Returns the ticket that got the message.
   */
  customerMessage(actorId: string, input: z.output<typeof ticketMessageSchema>): TicketDetail {
    const files = this.attachments.prepare(input.attachments, this.settings.get().maxAttachmentBytes);
    const targetId = this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.customerMessageInTx(tx, input.ticketId, input.body, files));
    return this.get(targetId);
  }

  /** `customerMessage` inside the caller's transaction; returns the id of the ticket that got the message. */
  customerMessageInTx(tx: WriteTx, ticketId: string, body: string, files: PreparedFile[] = []): string {
    const policy = this.settings.get();
    const t = this.getTicket(ticketId);
    let target = t.id;
    if (t.status === 'closed') {
      const withinWindow = t.closedAt !== null && tx.at - t.closedAt <= policy.reopenWithinDays * DAY_MS;
      if (policy.closedTicketPolicy === 'reopen_within' && withinWindow) {
        this.changeStatus(tx, t.id, 'closed', null, 'open', null, 'reopened');
      } else {
        target = this.insertTicket(tx, {
          customerId: t.customerId, channel: t.channel, requestType: t.requestType, supportType: t.supportType, category: t.category,
          priority: t.priority, severity: t.severity, subject: t.subject, description: body, linkedTicketId: t.id,
        });
        const newTracking = this.trackingOf(target);
        this.addEvent(tx, t.id, 'linked', '', { ticketId: target, trackingNumber: newTracking, reason: 'customer_wrote_after_close' });
        this.addEvent(tx, target, 'linked', '', { ticketId: t.id, trackingNumber: t.trackingNumber, reason: 'follow_up_of_closed' });
      }
    } else if (t.status === 'waiting' && t.waitingOn === 'customer') {
      this.changeStatus(tx, t.id, 'waiting', 'customer', 'open', null, 'status_change', { reason: 'customer_replied' });
    }
    const eventId = this.addEvent(tx, target, 'customer_message', body, {});
    this.attachments.record(tx, target, eventId, files);
    // After the first response, a customer message starts the next-response clock (if not already running).
    tx.sql(
      `UPDATE tickets SET last_customer_message_at = ?, updated_at = ?,
         awaiting_response_since = CASE WHEN first_response_at IS NOT NULL THEN COALESCE(awaiting_response_since, ?) ELSE NULL END
       WHERE id = ?`,
    ).run(tx.at, tx.at, tx.at, target);
    tx.outbox('ticket', target, 'update', { lastCustomerMessageAt: tx.at });
    tx.audit('ticket.customerMessage', 'ticket', target, { eventId, attachments: files.map((f) => f.sha256) });
    // The ticket's assignee; a follow-up ticket opened for a closed one has none yet: whoever had the closed one.
    const follow = target === t.id ? t : this.getTicket(target);
    notify(tx, [follow.assigneeId ?? t.assigneeId], {
      kind: 'customer_message', entity: 'ticket', entityId: target, folio: follow.trackingNumber, title: follow.subject,
    });
    this.sla.recompute(tx, target);
    return target;
  }

  /**
   * Moves a ticket to another customer, inside the caller's transaction (an e-mail's unknown
   * sender linked to a registered customer, mail/intake.ts): the row, its search entry, a history
   * entry, the audit entry and the sync record; the SLA follows the new customer's plan.
   */
  changeCustomerInTx(tx: WriteTx, ticketId: string, customerId: string, reason: string): void {
    const t = this.getTicket(ticketId);
    if (t.customerId === customerId) return;
    const to = tx.sql('SELECT rfc, name FROM customers WHERE id = ?').get(customerId) as { rfc: string; name: string } | undefined;
    if (!to) throw new AppError('customers.notFound');
    tx.sql('UPDATE tickets SET customer_id = ?, updated_at = ? WHERE id = ?').run(customerId, tx.at, t.id);
    const rowid = tx.sql('SELECT rowid FROM tickets WHERE id = ?').pluck().get(t.id) as number;
    rewriteTicketText(tx, rowid, { trackingNumber: t.trackingNumber, subject: t.subject, description: t.description, rfc: to.rfc, customerName: to.name });
    const changes = { customer: { from: t.customerName, to: to.name }, customerId: { from: t.customerId, to: customerId } };
    this.addEvent(tx, t.id, 'field_change', '', changes);
    tx.audit('ticket.customerChanged', 'ticket', t.id, { ...changes, reason });
    tx.outbox('ticket', t.id, 'update', { customerId, updatedAt: tx.at });
    this.sla.recompute(tx, t.id);
  }

  contactAttempt(actorId: string, input: z.output<typeof contactAttemptSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.contactAttemptInTx(tx, input));
    return this.get(input.ticketId);
  }

  contactAttemptInTx(tx: WriteTx, input: z.output<typeof contactAttemptSchema>): string {
    const t = this.mustBeOpen(input.ticketId);
    const eventId = this.addEvent(tx, t.id, 'contact_attempt', input.body, { method: input.method, reached: input.reached });
    this.touch(tx, t.id);
    // Reaching the customer counts as a response (seed 002: phone first, e-mail if unreachable).
    if (input.reached) this.responded(tx, t.id);
    tx.audit('ticket.contactAttempt', 'ticket', t.id, { eventId, method: input.method, reached: input.reached });
    this.sla.recompute(tx, t.id);
    return eventId;
  }

  assign(actorId: string, input: z.output<typeof ticketAssignSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.assignInTx(tx, input));
    return this.get(input.ticketId);
  }

  assignInTx(tx: WriteTx, input: z.output<typeof ticketAssignSchema>): void {
    const t = this.mustBeOpen(input.ticketId);
    let assigneeName: string | null = null;
    if (input.assigneeId !== null) {
      assigneeName = tx.sql('SELECT full_name FROM users WHERE id = ? AND active = 1').pluck().get(input.assigneeId) as string | null;
      if (!assigneeName) throw new AppError('tickets.assigneeNotFound');
    }
    if (t.assigneeId === input.assigneeId) return;
    tx.sql('UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?').run(input.assigneeId, tx.at, t.id);
    this.addEvent(tx, t.id, 'assignment', '', { from: t.assigneeId, to: input.assigneeId, assigneeName });
    tx.audit('ticket.assigned', 'ticket', t.id, { from: t.assigneeId, to: input.assigneeId });
    tx.outbox('ticket', t.id, 'update', { assigneeId: input.assigneeId });
    notify(tx, [input.assigneeId], { kind: 'assigned', entity: 'ticket', entityId: t.id, folio: t.trackingNumber, title: t.subject });
  }


  setStatus(actorId: string, input: z.output<typeof ticketStatusSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.setStatusInTx(tx, input));
    return this.get(input.ticketId);
  }

  setStatusInTx(tx: WriteTx, input: z.output<typeof ticketStatusSchema>): void {
    const t = this.mustBeOpen(input.ticketId);
    const waitingOn = input.status === 'waiting' ? input.waitingOn : null;
    if (t.status === input.status && t.waitingOn === waitingOn) throw new AppError('tickets.sameStatus');
    this.changeStatus(tx, t.id, t.status, t.waitingOn, input.status, waitingOn, 'status_change');
    this.sla.recompute(tx, t.id);
  }

  /** Closing records the cause and the solution (seed 003); both are required by the schema. */
  close(actorId: string, input: z.output<typeof ticketCloseSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.closeInTx(tx, input.ticketId, input.cause, input.solution));
    return this.get(input.ticketId);
  }

  /**
   * Closes inside the caller's transaction (also used by the auto-close sweep, whose actor is the
   * system) and queues the closing notice with the satisfaction survey for the customer (seed 003).
   */
  closeInTx(tx: WriteTx, ticketId: string, cause: string, solution: string): void {
    const t = this.mustBeOpen(ticketId);
    this.closePause(tx, t.id);
    tx.sql(
      "UPDATE tickets SET status = 'closed', waiting_on = NULL, close_cause = ?, close_solution = ?, closed_at = ?, awaiting_response_since = NULL, updated_at = ? WHERE id = ?",
    ).run(cause, solution, tx.at, tx.at, t.id);
    const automatic = tx.actor.kind === 'system';
    // The survey's one-click link on the customer portal: the e-mail carries the token, the closing entry (synced) its digest.
    const survey = surveyLink(this.portalUrl());
    this.addEvent(tx, t.id, 'closed', '', { from: t.status, waitingOn: t.waitingOn, cause, solution, automatic, ...(survey ? { surveyTokenHash: survey.hash } : {}) });
    tx.audit(automatic ? 'ticket.autoClosed' : 'ticket.closed', 'ticket', t.id, { from: t.status, cause, solution });
    tx.outbox('ticket', t.id, 'update', { status: 'closed', waitingOn: null, closeCause: cause, closeSolution: solution, closedAt: tx.at });
    this.queueNotice(tx, t.id, t.customerId, automatic ? 'auto_closed' : 'closed', {
      ...this.noticeValues(tx, t.id), causa: cause, solucion: solution, enlace_encuesta: survey?.url ?? null,
    });
    this.sla.recompute(tx, t.id);
  }

  /**
   * Merges a duplicate into another ticket of the same customer (one problem per ticket, seed 001): the duplicate is
   * closed with a link to the target, the target's timeline shows the duplicate's entries (read through
   * merged_into_id), both get an entry, both are audited, in one transaction. Refused across customers, into a
   * closed ticket, and for whoever does not work both tickets' tiers (a supervisor may).
   */
  merge(actorId: string, roles: readonly Role[], input: z.output<typeof ticketMergeSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.mergeInTx(tx, roles, input));
    return this.get(input.intoTicketId);
  }

  mergeInTx(tx: WriteTx, roles: readonly Role[], input: z.output<typeof ticketMergeSchema>): void {
    if (input.ticketId === input.intoTicketId) throw new AppError('tickets.mergeSelf');
    const source = this.mustBeOpen(input.ticketId);
    const target = this.getTicket(input.intoTicketId);
    if (target.status === 'closed') throw new AppError('tickets.mergeTargetClosed', { trackingNumber: target.trackingNumber });
    if (target.customerId !== source.customerId) throw new AppError('tickets.mergeOtherCustomer', { trackingNumber: target.trackingNumber });
    const worksTier = (tier: Tier) => roles.includes('supervisor') || roles.includes(TIER_ROLE[tier]);
    if (!worksTier(source.tier) || !worksTier(target.tier)) throw new AppError('tickets.mergeNotYourTier');

    this.closePause(tx, source.id);
    tx.sql(
      `UPDATE tickets SET status = 'closed', waiting_on = NULL, merged_into_id = ?, closed_at = ?, awaiting_response_since = NULL, updated_at = ?
       WHERE id = ?`,
    ).run(target.id, tx.at, tx.at, source.id);
    const into = { ticketId: target.id, trackingNumber: target.trackingNumber };
    const from = { ticketId: source.id, trackingNumber: source.trackingNumber, subject: source.subject };
    this.addEvent(tx, source.id, 'merged', '', { ...into, from: source.status, waitingOn: source.waitingOn });
    this.addEvent(tx, target.id, 'merged_in', '', from);
    this.touch(tx, target.id);
    tx.audit('ticket.merged', 'ticket', source.id, { into, from: source.status });
    tx.audit('ticket.mergeReceived', 'ticket', target.id, { from });
    tx.outbox('ticket', source.id, 'update', { status: 'closed', waitingOn: null, closedAt: tx.at, mergedIntoId: target.id });
    this.sla.recompute(tx, source.id);
    this.sla.recompute(tx, target.id);
  }

  /**
   * Moves a ticket one tier up or down (seed 002: Mesa de Servicio → Operación → Desarrollo and
   * back), with a reason. Going up tells the customer the expected response time from the template.
   */
  moveTier(actorId: string, roles: readonly Role[], input: z.output<typeof ticketMoveTierSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.moveTierInTx(tx, roles, input));
    return this.get(input.ticketId);
  }

  moveTierInTx(tx: WriteTx, roles: readonly Role[], input: z.output<typeof ticketMoveTierSchema>): void {
    const t = this.mustBeOpen(input.ticketId);
    assertWorksTier(roles, t.tier);
    const step = tierIndex(input.toTier) - tierIndex(t.tier);
    if (step === 0) throw new AppError('escalation.sameTier');
    if (Math.abs(step) !== 1) throw new AppError('escalation.notAdjacent', { from: t.tier, to: input.toTier });
    const severity = input.severity ?? t.severity;
    tx.sql('UPDATE tickets SET tier = ?, severity = ?, assignee_id = NULL, updated_at = ? WHERE id = ?').run(input.toTier, severity, tx.at, t.id);
    const sla = this.sla.recompute(tx, t.id);
    const data: Record<string, unknown> = { from: t.tier, to: input.toTier, reason: input.reason, severityFrom: t.severity, severityTo: severity };
    if (step > 0) {
      const hours = hoursLeft(sla);
      data.expectedResponseHours = hours;
      const language = this.templates.get().language;
      const notice = this.queueNotice(tx, t.id, t.customerId, 'escalated', {
        ...this.noticeValues(tx, t.id), area: TIER_NAMES[language][input.toTier], horas: String(hours),
        fecha_resolucion: slaValues(sla, this.timeZone(tx), language).fecha_resolucion ?? null,
      });
      if (notice) data.customerNotice = notice.body;
    }
    this.addEvent(tx, t.id, step > 0 ? 'escalated' : 'deescalated', input.reason, data);
    tx.audit(step > 0 ? 'ticket.escalated' : 'ticket.deescalated', 'ticket', t.id, data);
    tx.outbox('ticket', t.id, 'update', { tier: input.toTier, severity, assigneeId: null });
    this.notifyTier(tx, t, input.toTier, step > 0 ? 'up' : 'down');
  }

  /** The answer travelling back down (Desarrollo → Operación → Mesa de Servicio): cause and solution. */
  handBack(actorId: string, roles: readonly Role[], input: z.output<typeof ticketHandBackSchema>): TicketDetail {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.handBackInTx(tx, roles, input));
    return this.get(input.ticketId);
  }

  handBackInTx(tx: WriteTx, roles: readonly Role[], input: z.output<typeof ticketHandBackSchema>): void {
    const t = this.mustBeOpen(input.ticketId);
    assertWorksTier(roles, t.tier);
    const index = tierIndex(t.tier);
    if (index === 0) throw new AppError('escalation.alreadyAtServiceDesk');
    const to = TIERS[index - 1]!;
    tx.sql('UPDATE tickets SET tier = ?, assignee_id = NULL, updated_at = ? WHERE id = ?').run(to, tx.at, t.id);
    const data = { from: t.tier, to, cause: input.cause, solution: input.solution };
    this.addEvent(tx, t.id, 'handed_back', `${input.cause}\n${input.solution}`, data);
    tx.audit('ticket.handedBack', 'ticket', t.id, data);
    tx.outbox('ticket', t.id, 'update', { tier: to, assigneeId: null });
    this.notifyTier(tx, t, to, 'down');
    this.sla.recompute(tx, t.id);
  }

  /** Everyone who works the tier a ticket just reached (escalated up, or handed back down). */
  private notifyTier(tx: WriteTx, t: Ticket, tier: Tier, direction: 'up' | 'down'): void {
    notify(tx, usersWithRole(tx, TIER_ROLE[tier]), {
      kind: 'escalated', entity: 'ticket', entityId: t.id, folio: t.trackingNumber, title: t.subject, data: { tier, direction },
    });
  }

  /** Queues the customer's e-mail of this kind from its template, in the caller's transaction (core/mail/templates.ts). */
  private queueNotice(tx: WriteTx, ticketId: string, customerId: string, kind: TemplateKind, values: PlaceholderValues): { subject: string; body: string } | null {
    return queueNotice(tx, this.templates, ticketId, customerId, kind, values);
  }

  /** What every notice may say about the ticket: customer, folio, subject, and the agent (the assignee, or whoever acts now). */
  noticeValues(tx: WriteTx, ticketId: string): PlaceholderValues {
    const row = tx.sql(
      `SELECT t.tracking_number AS folio, t.subject AS asunto, c.name AS cliente, u.full_name AS agente
       FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ?`,
    ).get(ticketId) as { folio: string; asunto: string; cliente: string; agente: string | null };
    const actor = tx.actor.kind === 'user' ? (tx.sql('SELECT full_name FROM users WHERE id = ?').pluck().get(tx.actor.userId) as string | undefined) : undefined;
    return { ...row, agente: actor ?? row.agente };
  }

  private timeZone(tx: WriteTx): string {
    return (tx.sql('SELECT time_zone FROM branch LIMIT 1').pluck().get() as string | undefined) ?? 'America/Mexico_City';
  }

  /** Stops the response clocks: the first response, and any pending next response. */
  private responded(tx: WriteTx, ticketId: string): void {
    tx.sql('UPDATE tickets SET first_response_at = COALESCE(first_response_at, ?), awaiting_response_since = NULL WHERE id = ?').run(tx.at, ticketId);
  }

  private closePause(tx: WriteTx, ticketId: string): void {
    const raw = tx.sql('SELECT pauses FROM tickets WHERE id = ?').pluck().get(ticketId) as string;
    const pauses = JSON.parse(raw) as Array<{ from: number; to: number | null }>;
    const open = pauses.find((p) => p.to === null);
    if (!open) return;
    open.to = tx.at;
    tx.sql('UPDATE tickets SET pauses = ? WHERE id = ?').run(JSON.stringify(pauses), ticketId);
  }

  private openPause(tx: WriteTx, ticketId: string, from = tx.at): void {
    const raw = tx.sql('SELECT pauses FROM tickets WHERE id = ?').pluck().get(ticketId) as string;
    const pauses = JSON.parse(raw) as Array<{ from: number; to: number | null }>;
    if (pauses.some((p) => p.to === null)) return;
    pauses.push({ from, to: null });
    tx.sql('UPDATE tickets SET pauses = ? WHERE id = ?').run(JSON.stringify(pauses), ticketId);
  }

  update(actorId: string, input: z.output<typeof ticketUpdateSchema>): Ticket {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const t = this.mustBeOpen(input.ticketId);
      const fields = ['subject', 'category', 'priority', 'requestType', 'supportType', 'severity'] as const;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const f of fields) {
        const to = input[f];
        if (to !== undefined && to !== t[f]) changes[f] = { from: t[f], to };
      }
      if (Object.keys(changes).length === 0) return;
      const next = { ...t, ...input };
      tx.sql(
        'UPDATE tickets SET subject = ?, category = ?, priority = ?, priority_rank = ?, request_type = ?, support_type = ?, severity = ?, updated_at = ? WHERE id = ?',
      ).run(next.subject, next.category, next.priority, PRIORITY_RANK[next.priority], next.requestType, next.supportType, next.severity, tx.at, t.id);
      if (changes.subject) {
        const rowid = tx.sql('SELECT rowid FROM tickets WHERE id = ?').pluck().get(t.id) as number;
        rewriteTicketText(tx, rowid, { trackingNumber: t.trackingNumber, subject: next.subject, description: t.description, rfc: t.rfc, customerName: t.customerName });
      }
      this.addEvent(tx, t.id, 'field_change', '', changes);
      tx.audit('ticket.updated', 'ticket', t.id, changes);
      tx.outbox('ticket', t.id, 'update', Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.to])));
      this.sla.recompute(tx, t.id);
    });
    return this.getTicket(input.ticketId);
  }

  private changeStatus(
    tx: WriteTx, ticketId: string, from: string, fromWaitingOn: string | null, to: 'open' | 'waiting', waitingOn: string | null,
    kind: 'status_change' | 'reopened', extra: Record<string, unknown> = {},
  ): void {
    const clearClose = to !== 'waiting' && from === 'closed';
    // En espera pauses the SLA clocks (seed 001); leaving it resumes them. A reopened ticket's
    // clocks do not count the time it spent closed either.
    if (from === 'closed') this.openPause(tx, ticketId, tx.sql('SELECT closed_at FROM tickets WHERE id = ?').pluck().get(ticketId) as number);
    if (to === 'waiting') this.openPause(tx, ticketId);
    else this.closePause(tx, ticketId);
    tx.sql(
      `UPDATE tickets SET status = ?, waiting_on = ?, updated_at = ?${clearClose ? ', closed_at = NULL' : ''} WHERE id = ?`,
    ).run(to, waitingOn, tx.at, ticketId);
    const data = { from, fromWaitingOn, to, waitingOn, ...extra };
    this.addEvent(tx, ticketId, kind, '', data);
    tx.audit(kind === 'reopened' ? 'ticket.reopened' : 'ticket.statusChanged', 'ticket', ticketId, data);
    tx.outbox('ticket', ticketId, 'update', { status: to, waitingOn, ...(clearClose ? { closedAt: null } : {}) });
  }

  /** Appends to the timeline (the ticket's history) and indexes conversation text (also the survey's answer, core/mail/survey.ts). */
  addEvent(tx: WriteTx, ticketId: string, kind: EventKind, body: string, data: Record<string, unknown>): string {
    const id = tx.id();
    const info = tx.sql('INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id, ticketId, kind, body, JSON.stringify(data), tx.actor.kind === 'user' ? tx.actor.userId : null, tx.at,
    );
    if (body) tx.sql('INSERT INTO event_fts (rowid, body) VALUES (?, ?)').run(info.lastInsertRowid, body);
    tx.outbox('ticket_event', id, 'insert', { ticketId, kind, body, data });
    return id;
  }

  private touch(tx: WriteTx, ticketId: string): void {
    tx.sql('UPDATE tickets SET updated_at = ? WHERE id = ?').run(tx.at, ticketId);
    tx.outbox('ticket', ticketId, 'update', { updatedAt: tx.at });
  }

  private mustBeOpen(ticketId: string): Ticket {
    const t = this.getTicket(ticketId);
    if (t.status === 'closed') throw new AppError('tickets.closed', { trackingNumber: t.trackingNumber });
    return t;
  }

  private trackingOf(ticketId: string): string {
    return this.ws.sql('SELECT tracking_number FROM tickets WHERE id = ?').pluck().get(ticketId) as string;
  }
}

/** The tier's name as the customer reads it in a notice. */
const TIER_NAMES: Record<'es-MX' | 'en', Record<Tier, string>> = {
  'es-MX': { service_desk: 'Mesa de Servicio', operations: 'Operación', development: 'Desarrollo' },
  en: { service_desk: 'the Service Desk', operations: 'Operations', development: 'Development' },
};

/** Only whoever works the ticket's current tier (or a supervisor) moves it or hands it back. */
function assertWorksTier(roles: readonly Role[], tier: Tier): void {
  if (!roles.includes('supervisor') && !roles.includes(TIER_ROLE[tier])) throw new AppError('escalation.notYourTier', { tier });
}

/**
 * `<SITE>-<sequence>`: the branch code keeps numbers unique across branches that create tickets
 * offline; the per-site counter lives in the same transaction as the ticket.
 */
export function nextTrackingNumber(tx: WriteTx, site: string): string {
  const value = tx.sql(
    'INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value',
  ).pluck().get(`ticket.${site}`) as number;
  return formatTrackingNumber(site, value);
}

export { formatTrackingNumber };
