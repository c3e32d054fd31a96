/**
 * The portal's commands, each in one transaction: open a web ticket (customer found by RFC or
 * registered, ticket and its first timeline entry written to the change feed for the branch that
 * serves the customer or the central queue), read a ticket's public status by folio + e-mail, and
 * add a customer message. Reads only the public parts of a ticket: never notes, never who worked it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { formatTrackingNumber, type Priority, type RequestType, type Status, type Tier, type WaitingOn } from '../../electron/shared/domain';
import {
  PUBLIC_EVENT_KINDS, PUBLIC_TEXT_KINDS, type PortalFileRef, type PortalTicketCreated, type PortalTicketStatus, type PortalTimelineEntry,
  type portalMessageSchema, type portalStatusSchema, type portalTicketSchema,
} from '../../electron/shared/portal';
import { isGenericRfc, normalizeRfc } from '../../electron/shared/rfc';
import { DEFAULT_CALENDARS, type BusinessCalendar } from '../../electron/shared/calendar';
import { DEFAULT_POLICIES, matchPolicy, type SlaPolicy } from '../../electron/shared/sla';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import { FeedWriter, type PortalIdentity } from './feed';
import { storeEvidence, type CheckedFile } from './files';
import { queueAcknowledgement, type MailContext } from './notices';

/** The fields every portal ticket gets: seed 000's web form is the web channel's ticket, entering at the Mesa de Servicio. */
const WEB_TICKET = { channel: 'web_form', supportType: 'web', category: 'other', severity: 1, tier: 'service_desk' } as const;

interface CustomerRow {
  entity_id: string;
  branch_code: string;
  data: { rfc?: string; name?: string; registeredEmail?: string; plan?: string };
}

/** Where a ticket goes: the branch that registered the customer, else the central queue. */
async function routeTo(sql: Sql, portal: PortalIdentity, customer: CustomerRow | undefined): Promise<string> {
  if (customer && customer.branch_code !== portal.siteCode) return customer.branch_code;
  if (portal.centralBranch) return portal.centralBranch;
  const [oldest] = await sql.query<{ code: string }>('SELECT code FROM branches WHERE code <> $1 ORDER BY created_at, code LIMIT 1', [portal.siteCode]);
  if (!oldest) throw new ServerError(503, 'portal.noBranch');
  return oldest.code;
}

/** The customer a web form names: by RFC; a generic RFC only with the same name and e-mail (it names no one by itself). */
async function findCustomer(sql: Sql, rfc: string, name: string, email: string): Promise<CustomerRow | undefined> {
  const rows = await sql.query<CustomerRow>("SELECT entity_id, branch_code, data FROM entities WHERE entity = 'customer' AND data->>'rfc' = $1 ORDER BY updated_seq LIMIT 50", [rfc]);
  if (!isGenericRfc(rfc)) return rows[0];
  return rows.find((r) => r.data.name?.trim().toLowerCase() === name.trim().toLowerCase() && r.data.registeredEmail?.toLowerCase() === email);
}

/** The organization's SLA settings as the branches synced them (else the seeds'). */
export async function slaSettings(sql: Sql): Promise<{ policies: SlaPolicy[]; calendars: BusinessCalendar[] }> {
  const [settings] = await sql.query<{ policies: SlaPolicy[] | null; calendars: BusinessCalendar[] | null }>(
    "SELECT data->'policies' AS policies, data->'calendars' AS calendars FROM entities WHERE entity = 'settings' AND entity_id = 'sla'",
  );
  return {
    policies: Array.isArray(settings?.policies) ? settings.policies : DEFAULT_POLICIES,
    calendars: Array.isArray(settings?.calendars) && settings.calendars.length > 0 ? settings.calendars : [...DEFAULT_CALENDARS],
  };
}

/** The response times the organization's policy (synced SLA settings, else the seeds') gives a ticket. */
async function expectedTimes(sql: Sql, t: { plan: string; channel: string; severity: number; priority: string }): Promise<PortalTicketStatus['expected']> {
  const policy = matchPolicy((await slaSettings(sql)).policies, t);
  return { firstResponseMinutes: policy.firstResponseMinutes, resolutionMinutes: policy.resolutionMinutes };
}

export async function createPortalTicket(
  sql: Sql, portal: PortalIdentity, input: z.output<typeof portalTicketSchema>, files: CheckedFile[], now: number, mail: MailContext,
): Promise<PortalTicketCreated> {
  const rfc = normalizeRfc(input.rfc);
  const existing = await findCustomer(sql, rfc, input.name, input.email);
  const branch = await routeTo(sql, portal, existing);
  const feed = new FeedWriter(sql, portal, now);
  let customerId = existing?.entity_id;
  if (!customerId) {
    customerId = FeedWriter.newId();
    // A new customer as the desk's intake registers one (core/customers.ts insert), for every branch.
    await feed.emit(branch, 'customer', customerId, 'insert', {
      rfc, name: input.name, taxRegime: '', registeredEmail: input.email, plan: 'basic',
      fiscalAddress: { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' },
      contacts: [{ name: input.name, email: input.email, phone: '', isLegalRepresentative: false }],
    });
  }
  const [seq] = await sql.query<{ n: number }>('UPDATE portal_settings SET next_number = next_number + 1 WHERE id = 1 RETURNING next_number - 1 AS n');
  const trackingNumber = formatTrackingNumber(portal.siteCode, seq!.n);
  const ticketId = FeedWriter.newId();
  const refs = await storeEvidence(sql, files, now);
  await feed.emit(branch, 'ticket', ticketId, 'insert', {
    trackingNumber, customerId, ...WEB_TICKET, requestType: input.requestType, priority: input.priority, status: 'open',
    subject: input.subject, description: input.message, linkedTicketId: null, lastCustomerMessageAt: now, updatedAt: now,
  });
  const eventId = FeedWriter.newId();
  await feed.emit(branch, 'ticket_event', eventId, 'insert', {
    ticketId, kind: 'created', body: '', data: { severity: WEB_TICKET.severity, tier: WEB_TICKET.tier, portal: true, files: refs },
  });
  await emitAttachments(feed, branch, ticketId, eventId, refs);
  await sql.query('INSERT INTO portal_tickets (ticket_id, tracking_number, email, created_at) VALUES ($1, $2, $3, $4)', [ticketId, trackingNumber, input.email, now]);
  // The acknowledgement (seed 003) is the server's to send: branches queue notices only for tickets they create.
  await queueAcknowledgement(sql, {
    ticketId, trackingNumber, subject: input.subject, customerName: existing?.data.name ?? input.name, to: input.email,
    plan: existing?.data.plan ?? 'basic', channel: WEB_TICKET.channel, severity: WEB_TICKET.severity, priority: input.priority,
  }, mail, now);
  const expected = await expectedTimes(sql, { plan: existing?.data.plan ?? 'basic', channel: WEB_TICKET.channel, severity: WEB_TICKET.severity, priority: input.priority });
  return { trackingNumber, expected };
}

export interface TicketData {
  trackingNumber: string;
  customerId: string;
  subject: string;
  status: Status;
  waitingOn?: WaitingOn | null;
  requestType: RequestType;
  priority: Priority;
  tier: Tier;
  severity: number;
  channel: string;
  closedAt?: number | null;
  closeSolution?: string | null;
  updatedAt?: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
/** Compared against when there is no ticket, so a wrong folio costs what a wrong e-mail costs. */
const NO_ADDRESS = digest('\u0000no-such-ticket');

/**
 * The ticket a folio and an e-mail open together, or the same 404 whether the folio does not
 * exist or the e-mail is not the ticket's: the same queries run and the e-mail is compared in
 * constant time either way, so neither the answer nor its timing tells which was wrong. The
 * e-mails on a ticket: the one it was opened with on the portal, and the customer's registered one.
 */
async function ticketFor(sql: Sql, trackingNumber: string, email: string): Promise<PortalTicketRow> {
  const [ticket] = await sql.query<{ entity_id: string; branch_code: string; data: TicketData }>(
    "SELECT entity_id, branch_code, data FROM entities WHERE entity = 'ticket' AND data->>'trackingNumber' = $1 LIMIT 1", [trackingNumber],
  );
  const customerId = ticket?.data.customerId ?? '';
  const [customer] = await sql.query<{ email: string | null }>(
    "SELECT data->>'registeredEmail' AS email FROM entities WHERE entity = 'customer' AND entity_id = $1", [customerId],
  );
  const [opened] = await sql.query<{ email: string }>('SELECT email FROM portal_tickets WHERE ticket_id = $1', [ticket?.entity_id ?? '']);
  const given = digest(email);
  let match = false;
  for (const candidate of [opened?.email, customer?.email?.toLowerCase()]) {
    // Always two comparisons, a real one or against a value no e-mail hashes to.
    match = timingSafeEqual(given, candidate ? digest(candidate) : NO_ADDRESS) || match;
  }
  // A merged ticket's folio still answers: it shows the ticket it was merged into is where the work goes on.
  if (!ticket || !match) throw new ServerError(404, 'portal.notFound');
  return { id: ticket.entity_id, branch: ticket.branch_code, data: ticket.data };
}

export async function portalStatus(sql: Sql, input: z.output<typeof portalStatusSchema>): Promise<PortalTicketStatus> {
  return statusOf(sql, await ticketFor(sql, input.trackingNumber, input.email));
}

export interface PortalTicketRow {
  id: string;
  branch: string;
  data: TicketData;
}

/** The public status of a ticket the caller may see. */
export async function statusOf(sql: Sql, t: PortalTicketRow): Promise<PortalTicketStatus> {
  const events = await sql.query<{ data: { kind: PortalTimelineEntry['kind']; body?: string; data?: Record<string, unknown> }; created_at: number }>(
    // Timeline entries are append-only: their row's updated_seq is the mutation that made them, which keeps the moment.
    `SELECT e.data, m.created_at FROM entities e JOIN mutations m ON m.server_seq = e.updated_seq
     WHERE e.entity = 'ticket_event' AND e.data->>'ticketId' = $1 AND e.data->>'kind' = ANY($2)
     ORDER BY m.created_at, e.updated_seq LIMIT 500`,
    [t.id, PUBLIC_EVENT_KINDS],
  );
  const [customer] = await sql.query<{ plan: string | null }>("SELECT data->>'plan' AS plan FROM entities WHERE entity = 'customer' AND entity_id = $1", [t.data.customerId]);
  const d = t.data;
  return {
    trackingNumber: d.trackingNumber,
    subject: d.subject,
    status: d.status,
    waitingOn: d.waitingOn ?? null,
    requestType: d.requestType,
    priority: d.priority,
    tier: d.tier,
    createdAt: events[0]?.created_at ?? 0,
    closedAt: d.closedAt ?? null,
    expected: await expectedTimes(sql, { plan: customer?.plan ?? 'basic', channel: d.channel, severity: d.severity, priority: d.priority }),
    solution: d.status === 'closed' ? (d.closeSolution ?? '') : '',
    timeline: events.map(({ data: e, created_at }) => publicEntry(e, created_at)),
  };
}

/** Only what a customer may read of an entry: its kind, time, text of messages, where it moved to, file names. */
function publicEntry(e: { kind: PortalTimelineEntry['kind']; body?: string; data?: Record<string, unknown> }, at: number): PortalTimelineEntry {
  const data = e.data ?? {};
  const files = Array.isArray(data.files) ? (data.files as PortalFileRef[]).map((f) => ({ fileName: String(f.fileName), size: Number(f.size) })) : [];
  const to = e.kind === 'status_change' || e.kind === 'reopened' ? (data.to as Status | undefined) : e.kind === 'escalated' || e.kind === 'deescalated' ? (data.to as Tier | undefined) : undefined;
  return { kind: e.kind, at, body: PUBLIC_TEXT_KINDS.includes(e.kind) ? String(e.body ?? '') : '', ...(to ? { to } : {}), files };
}

/**
 * What the customer adds arrives at the branch as a customer message (with its evidence). A ticket
 * waiting on the customer goes back to Abierto, as when the customer writes by e-mail; a closed
 * ticket takes no more messages here (the customer opens a new one).
 */
export async function addPortalMessage(
  sql: Sql, portal: PortalIdentity, input: z.output<typeof portalMessageSchema>, files: CheckedFile[], now: number,
): Promise<PortalTicketStatus> {
  return addMessageTo(sql, portal, await ticketFor(sql, input.trackingNumber, input.email), input.message, files, now);
}

/** Adds a customer message to a ticket the caller may write to (folio + e-mail, or a signed-in customer's). */
export async function addMessageTo(sql: Sql, portal: PortalIdentity, t: PortalTicketRow, message: string, files: CheckedFile[], now: number): Promise<PortalTicketStatus> {
  if (t.data.status === 'closed') throw new ServerError(409, 'portal.closed');
  const refs = await storeEvidence(sql, files, now);
  const feed = new FeedWriter(sql, portal, now);
  if (t.data.status === 'waiting' && t.data.waitingOn === 'customer') {
    await feed.emit(t.branch, 'ticket_event', FeedWriter.newId(), 'insert', {
      ticketId: t.id, kind: 'status_change', body: '', data: { from: 'waiting', fromWaitingOn: 'customer', to: 'open', waitingOn: null, reason: 'customer_replied' },
    });
    await feed.emit(t.branch, 'ticket', t.id, 'update', { status: 'open', waitingOn: null });
  }
  const eventId = FeedWriter.newId();
  await feed.emit(t.branch, 'ticket_event', eventId, 'insert', {
    ticketId: t.id, kind: 'customer_message', body: message, data: { portal: true, files: refs },
  });
  await emitAttachments(feed, t.branch, t.id, eventId, refs);
  await feed.emit(t.branch, 'ticket', t.id, 'update', { lastCustomerMessageAt: now, updatedAt: now });
  const [fresh] = await sql.query<{ data: TicketData }>("SELECT data FROM entities WHERE entity = 'ticket' AND entity_id = $1", [t.id]);
  return statusOf(sql, { ...t, data: fresh!.data });
}

/**
 * The evidence as attachment rows of the entry, as the desk records its own (core/attachments.ts):
 * branches pull them like any attachment and fetch the bytes from the blob store when opened.
 */
async function emitAttachments(feed: FeedWriter, branch: string, ticketId: string, eventId: string, refs: PortalFileRef[]): Promise<void> {
  for (const f of refs) {
    await feed.emit(branch, 'attachment', FeedWriter.newId(), 'insert', {
      ticketId, eventId, fileName: f.fileName, mimeType: f.mimeType, sizeBytes: f.size, sha256: f.sha256,
    });
  }
}
