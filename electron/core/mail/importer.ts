/**
 * Mail → tickets (issue 12, item 2). One fetched message is imported in ONE transaction with the
 * record of it (mailbox, UIDVALIDITY, UID, Message-ID) and the mailbox's fetch position, so a crash
 * anywhere leaves either all of it or none: the next fetch brings the message again and it is
 * imported once (UNIQUE (inbox, uid_validity, uid); one accepted row per Message-ID).
 *
 * What a message becomes:
 * - auto-replies (Auto-Submitted, Precedence, X-Auto-Response-Suppress, X-Autoreply), bounces
 *   (delivery reports, MAILER-DAEMON) and loops (our own notices coming back, or more than
 *   `loopLimit` messages from one sender within `loopWindowMs`) are recorded and never answered;
 * - a reply — In-Reply-To/References naming a ticket's thread, one of its notices or a mail already
 *   imported for it, or the ticket's tracking number in the subject from the ticket's customer —
 *   becomes a customer message (Tickets.customerMessageInTx: the closed-ticket policy applies);
 * - anything else becomes a ticket (channel Correo, or Quejas y sugerencias for that mailbox) with
 *   the acknowledgement queued in the same transaction (Tickets.insertTicket).
 * Attachments become evidence through the attachments store; one over the size limit is refused
 * with the limit stated and listed on the mail record, and the message as received is always kept.
 */
import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import { isGenericRfc } from '../../shared/rfc';
import type { InboxPurpose, MailOutcome } from '../../shared/mail-intake';
import { formatBytes, tooLarge, type Attachments, type PreparedFile } from '../attachments';
import type { Customers } from '../customers';
import type { Settings } from '../settings';
import type { Tickets } from '../tickets';
import type { Workspace, WriteTx } from '../workspace';

export interface ImporterOptions {
  /** More than this many messages from one sender within `loopWindowMs` are a loop (default 10 in 10 min). */
  loopLimit?: number;
  loopWindowMs?: number;
  /** Tests: runs inside the import transaction, after everything is written and before it commits (a crash there). */
  beforeCommit?: (mailId: string) => void;
  /**
   * A customer's reply to a closure notice: the satisfaction survey answered by mail. Returns
   * whether it recorded an answer; if so the reply is that answer (the ticket stays closed),
   * otherwise it is an ordinary customer message under the closed-ticket policy. Called while the
   * ticket is still closed. Wired to the survey service (mail-templates) in services.ts.
   */
  onClosureReply?: (tx: WriteTx, ticketId: string, text: string, meta: { messageId: string | null; from: string }) => boolean;
}

/** One message as fetched: its bytes, or only its headers when it was too large to fetch (`oversizeBytes`). */
export interface FetchedMessage {
  inboxId: string;
  uidValidity: string;
  uid: number;
  raw: Buffer;
  oversizeBytes?: number;
}

export interface ImportResult {
  mailId: string | null;
  outcome: MailOutcome | 'skipped';
  ticketId: string | null;
}

const MAX_SUBJECT = 200;
const MAX_TEXT = 20_000;
const TRACKING_IN_SUBJECT = /\b([A-Z0-9][A-Z0-9_]{0,15}-\d{6,})\b/gi;
const OUR_THREAD = /<(ticket|aviso)\.([0-9a-f-]{36})@[^>]+>/gi;

export class MailImporter {
  private readonly loopLimit: number;
  private readonly loopWindowMs: number;

  constructor(
    private readonly ws: Workspace,
    private readonly tickets: Tickets,
    private readonly customers: Customers,
    private readonly attachments: Attachments,
    private readonly settings: Settings,
    private readonly opts: ImporterOptions = {},
  ) {
    this.loopLimit = opts.loopLimit ?? 10;
    this.loopWindowMs = opts.loopWindowMs ?? 10 * 60_000;
  }

  /** Whether this message of this mailbox is already recorded (the fetcher skips it). */
  seen(inboxId: string, uidValidity: string, uid: number): boolean {
    return this.ws.sql('SELECT 1 FROM mail_messages WHERE inbox_id = ? AND uid_validity = ? AND uid = ?').get(inboxId, uidValidity, uid) !== undefined;
  }

  async import(m: FetchedMessage, purpose: InboxPurpose): Promise<ImportResult> {
    if (this.seen(m.inboxId, m.uidValidity, m.uid)) return { mailId: null, outcome: 'skipped', ticketId: null };
    const parsed = await parse(m.raw);
    const limit = this.settings.get().maxAttachmentBytes;
    // Stored before the transaction (content-addressed: an unreferenced copy after a rollback is harmless).
    const raw = await this.attachments.storeAsync('correo.eml', 'message/rfc822', m.raw);
    const files: PreparedFile[] = [];
    const refused: Array<{ fileName: string; sizeBytes: number }> = [];
    for (const a of parsed?.attachments ?? []) {
      if (a.related) continue; // images inside the HTML (logos, signatures): shown with the mail, not evidence
      const fileName = a.filename || 'adjunto';
      if (tooLarge(fileName, a.size ?? a.content.length, limit)) refused.push({ fileName, sizeBytes: a.size ?? a.content.length });
      else files.push(await this.attachments.storeAsync(fileName, a.contentType || 'application/octet-stream', a.content));
    }
    const from = firstAddress(parsed?.from);
    const messageId = cleanId(parsed?.messageId ?? header(parsed, 'message-id'));
    const subject = (parsed?.subject ?? '').replace(/\s+/g, ' ').trim();
    const sentAt = parsed?.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null;
    const text = bodyText(parsed, m, limit, refused);

    return this.ws.write({ kind: 'system' }, (tx) => {
      if (this.seen(m.inboxId, m.uidValidity, m.uid)) return { mailId: null, outcome: 'skipped' as const, ticketId: null };
      const mailId = tx.id();
      const at = sentAt ?? tx.at;
      let outcome: MailOutcome;
      let reason: string | null = null;
      let ticketId: string | null = null;
      let eventId: string | null = null;
      let senderUnknown = false;
      const auto = parsed ? automatic(parsed, from.address) : null;
      if (messageId && tx.sql("SELECT 1 FROM mail_messages WHERE message_id = ? AND outcome <> 'duplicate'").get(messageId)) {
        outcome = 'duplicate';
      } else if (messageId && tx.sql('SELECT 1 FROM notifications WHERE message_id = ?').get(messageId)) {
        outcome = 'loop';
        reason = 'ownNotice';
      } else if (auto) {
        outcome = auto.outcome;
        reason = auto.reason;
      } else if (from.address && this.fromSenderWithin(tx, from.address, at) >= this.loopLimit) {
        outcome = 'loop';
        reason = 'repeatedSender';
      } else {
        const thread = this.threadOf(tx, parsed, subject, from.address);
        if (thread) {
          outcome = 'reply';
          const survey = thread.closureNotice && (this.opts.onClosureReply?.(tx, thread.ticketId, text, { messageId, from: from.address }) ?? false);
          if (survey) {
            ticketId = thread.ticketId;
            reason = 'surveyAnswer';
          } else {
            ticketId = this.tickets.customerMessageInTx(tx, thread.ticketId, text, files);
            eventId = tx.sql("SELECT id FROM ticket_events WHERE ticket_id = ? AND kind = 'customer_message' ORDER BY rowid DESC LIMIT 1").pluck().get(ticketId) as string;
          }
        } else {
          outcome = 'ticket';
          const customer = this.customerFor(tx, from.address, from.name);
          senderUnknown = customer.unknown;
          ticketId = this.tickets.insertTicket(tx, {
            customerId: customer.id, channel: purpose === 'complaint' ? 'complaint' : 'email', requestType: 'general', supportType: 'web',
            category: purpose === 'complaint' ? 'other' : 'other', priority: 'normal', severity: 1,
            subject: (subject || '(sin asunto)').slice(0, MAX_SUBJECT), description: text,
          }, files);
          eventId = tx.sql("SELECT id FROM ticket_events WHERE ticket_id = ? AND kind = 'created'").pluck().get(ticketId) as string;
        }
      }
      tx.sql(
        `INSERT INTO mail_messages (id, inbox_id, uid_validity, uid, message_id, from_address, from_name, subject, sent_at, size_bytes, raw_sha256,
           html, outcome, reason, ticket_id, event_id, sender_unknown, refused_attachments, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        mailId, m.inboxId, m.uidValidity, m.uid, messageId, from.address, from.name, subject.slice(0, 1000), at, m.oversizeBytes ?? m.raw.length, raw.sha256,
        typeof parsed?.html === 'string' ? parsed.html : null, outcome, reason, ticketId, eventId, senderUnknown ? 1 : 0, JSON.stringify(refused), tx.at,
      );
      tx.sql('UPDATE mail_inboxes SET uid_validity = ?, last_uid = MAX(last_uid, ?) WHERE id = ?').run(m.uidValidity, m.uid, m.inboxId);
      const record = { inboxId: m.inboxId, uidValidity: m.uidValidity, uid: m.uid, messageId, fromAddress: from.address, outcome, reason, ticketId, eventId };
      tx.audit('mail.received', 'mail_message', mailId, { ...record, refusedAttachments: refused, rawSha256: raw.sha256 });
      tx.outbox('mail_message', mailId, 'insert', { ...record, subject: subject.slice(0, 1000), senderUnknown, rawSha256: raw.sha256, createdAt: tx.at });
      this.opts.beforeCommit?.(mailId);
      return { mailId, outcome, ticketId };
    });
  }

  /** Messages already recorded from this sender around the same time (loops: a robot answering a robot). */
  private fromSenderWithin(tx: WriteTx, address: string, at: number): number {
    return tx.sql(
      "SELECT count(*) FROM mail_messages WHERE from_address = ? AND sent_at BETWEEN ? AND ? AND outcome IN ('ticket', 'reply', 'loop')",
    ).pluck().get(address, at - this.loopWindowMs, at + this.loopWindowMs) as number;
  }

  /** The ticket a reply belongs to: by its headers first (unguessable ids), then by a tracking number from the ticket's customer. */
  private threadOf(tx: WriteTx, parsed: ParsedMail | null, subject: string, fromAddress: string): { ticketId: string; closureNotice: boolean } | null {
    const ids = [...referenceIds(parsed)].reverse(); // the most recent first
    for (const ref of ids) {
      OUR_THREAD.lastIndex = 0;
      const ours = OUR_THREAD.exec(ref);
      if (ours?.[1] === 'ticket' && this.exists(tx, ours[2]!)) return { ticketId: this.followMerge(tx, ours[2]!), closureNotice: false };
      const notice = tx.sql('SELECT ticket_id AS ticketId, kind FROM notifications WHERE message_id = ? OR id = ?')
        .get(ref, ours?.[1] === 'aviso' ? ours[2]! : '') as { ticketId: string | null; kind: string } | undefined;
      if (notice?.ticketId) return { ticketId: this.followMerge(tx, notice.ticketId), closureNotice: notice.kind === 'closed' || notice.kind === 'auto_closed' };
      const earlier = tx.sql("SELECT ticket_id FROM mail_messages WHERE message_id = ? AND ticket_id IS NOT NULL AND outcome <> 'duplicate'").pluck().get(ref) as string | undefined;
      if (earlier) return { ticketId: this.followMerge(tx, earlier), closureNotice: false };
    }
    if (!fromAddress) return null;
    for (const match of subject.matchAll(TRACKING_IN_SUBJECT)) {
      const t = tx.sql('SELECT id, customer_id AS customerId FROM tickets WHERE tracking_number = ?').get(match[1]!.toUpperCase()) as
        { id: string; customerId: string } | undefined;
      if (t && this.customerIdsOf(tx, fromAddress).includes(t.customerId)) return { ticketId: this.followMerge(tx, t.id), closureNotice: false };
    }
    return null;
  }

  private exists(tx: WriteTx, ticketId: string): boolean {
    return tx.sql('SELECT 1 FROM tickets WHERE id = ?').get(ticketId) !== undefined;
  }

  /** A ticket merged into another: the message goes where its conversation went on. */
  private followMerge(tx: WriteTx, ticketId: string): string {
    let id = ticketId;
    for (let i = 0; i < 20; i++) {
      const into = tx.sql('SELECT merged_into_id FROM tickets WHERE id = ?').pluck().get(id) as string | null | undefined;
      if (!into) return id;
      id = into;
    }
    return id;
  }

  /** Customers whose registered e-mail or one of whose contacts is this address (blocked customers are no one's). */
  private customerIdsOf(tx: WriteTx, address: string): string[] {
    return tx.sql(
      `SELECT id FROM customers WHERE lower(registered_email) = ? AND blocked_at IS NULL
       UNION SELECT c.id FROM contacts ct JOIN customers c ON c.id = ct.customer_id WHERE lower(ct.email) = ? AND c.blocked_at IS NULL`,
    ).pluck().all(address, address) as string[];
  }

  /**
   * The sender's customer: the one whose registered e-mail or contact it is. Otherwise — no match,
   * or several customers share the address — a customer under the generic RFC (público en general)
   * with the sender's name and address, flagged for the agent to link to a customer or register.
   */
  private customerFor(tx: WriteTx, address: string, name: string): { id: string; unknown: boolean } {
    const all = address ? this.customerIdsOf(tx, address) : [];
    // A registered customer (its own RFC) wins over the provisional one an earlier unknown mail opened.
    const registered = all.filter((id) => !isGenericRfc(tx.sql('SELECT rfc FROM customers WHERE id = ?').pluck().get(id) as string));
    const matches = registered.length > 0 ? registered : all;
    if (matches.length === 1) {
      const id = matches[0]!;
      const rfc = tx.sql('SELECT rfc FROM customers WHERE id = ?').pluck().get(id) as string;
      // Still the generic customer an earlier unknown mail opened: still unknown until linked or registered.
      const provisional = isGenericRfc(rfc) && tx.sql('SELECT 1 FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.customer_id = ? AND m.sender_unknown = 1 LIMIT 1').get(id) !== undefined;
      return { id, unknown: provisional };
    }
    const display = name || address.split('@')[0] || 'Remitente desconocido';
    const id = this.customers.insert(tx, 'rfc', {
      rfc: 'XAXX010101000', name: display.slice(0, 250), registeredEmail: address, taxRegime: '', plan: 'basic',
      fiscalAddress: { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' },
      contacts: [{ name: display.slice(0, 250), email: address, phone: '', isLegalRepresentative: false }],
    });
    return { id, unknown: true };
  }
}

/** mailparser is tolerant; a message it still cannot read is kept and imported with a note (never lost). */
async function parse(raw: Buffer): Promise<ParsedMail | null> {
  try {
    return await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  } catch {
    return null;
  }
}

function header(parsed: ParsedMail | null, name: string): string | undefined {
  const v = parsed?.headers.get(name);
  return typeof v === 'string' ? v : undefined;
}

function cleanId(id: string | undefined): string | null {
  const trimmed = (id ?? '').trim();
  if (!trimmed) return null;
  return (trimmed.startsWith('<') ? trimmed : `<${trimmed}>`).slice(0, 998);
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): { address: string; name: string } {
  const first = (Array.isArray(a) ? a[0] : a)?.value[0];
  return { address: (first?.address ?? '').trim().toLowerCase().slice(0, 320), name: (first?.name ?? '').replace(/\s+/g, ' ').trim().slice(0, 250) };
}

function referenceIds(parsed: ParsedMail | null): string[] {
  if (!parsed) return [];
  const refs = parsed.references ? (Array.isArray(parsed.references) ? parsed.references : [parsed.references]) : [];
  const all = [...refs, ...(parsed.inReplyTo ? [parsed.inReplyTo] : [])];
  return all.flatMap((r) => r.match(/<[^<>]+>/g) ?? [`<${r.trim()}>`]).slice(-50);
}

/** Robots (RFC 3834 and the headers in use before it), delivery reports and mailer daemons. */
export function automatic(parsed: ParsedMail, fromAddress: string): { outcome: 'auto' | 'bounce'; reason: string } | null {
  const h = (name: string) => {
    const v = parsed.headers.get(name);
    if (v === undefined || v === null) return null;
    return (typeof v === 'string' ? v : typeof v === 'object' && 'value' in v ? String((v as { value: unknown }).value) : String(v)).trim().toLowerCase();
  };
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if ((contentType?.value === 'multipart/report' && /delivery-status/i.test(contentType.params?.['report-type'] ?? ''))
    || /^(mailer-daemon|postmaster)@/i.test(fromAddress)) {
    return { outcome: 'bounce', reason: 'deliveryReport' };
  }
  const autoSubmitted = h('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return { outcome: 'auto', reason: 'autoSubmitted' };
  const precedence = h('precedence');
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return { outcome: 'auto', reason: 'precedence' };
  if (h('x-auto-response-suppress') !== null) return { outcome: 'auto', reason: 'autoResponseSuppress' };
  if (h('x-autoreply') !== null || h('x-autorespond') !== null) return { outcome: 'auto', reason: 'autoReply' };
  return null;
}

/** The text that goes on the ticket: the plain part (or the HTML's text), with what could not be kept said plainly. */
function bodyText(parsed: ParsedMail | null, m: FetchedMessage, limit: number, refused: Array<{ fileName: string; sizeBytes: number }>): string {
  const notes: string[] = [];
  if (!parsed) notes.push('El correo no tiene un formato legible; se conserva tal como llegó.');
  if (m.oversizeBytes !== undefined) {
    notes.push(`El correo (${formatBytes(m.oversizeBytes)}) supera el tamaño que se descarga; se conserva en el servidor de correo y aquí solo su encabezado.`);
  }
  for (const r of refused) {
    notes.push(`El adjunto «${r.fileName}» (${formatBytes(r.sizeBytes)}) no se agregó como evidencia: supera el límite de ${formatBytes(limit)}. El correo original se conserva.`);
  }
  let text = (parsed?.text ?? '').replace(/\r\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  if (text.length > MAX_TEXT - 500) text = `${text.slice(0, MAX_TEXT - 500)}\n[…] El texto continúa en el correo original.`;
  const body = [text || '(correo sin texto)', ...notes].join('\n\n');
  return body.slice(0, MAX_TEXT);
}
