/**
 * What the received mail became, for people (issue 12, items 2–3): the list in Administración →
 * Correo, a ticket's messages with their sanitized HTML (remote images only on request), and the
 * unknown senders an agent links to a registered customer.
 */
import type { z } from 'zod';
import { isGenericRfc } from '../../shared/rfc';
import type { linkSenderSchema, MailView, OriginalMail, ReceivedMail, receivedMailSchema, TicketSender } from '../../shared/mail-intake';
import type { Role } from '../../shared/domain';
import { handlesPersonalData } from '../personal-data/visibility';
import { AppError } from '../../shared/errors';
import type { Attachments } from '../attachments';
import type { Customers } from '../customers';
import type { Settings } from '../settings';
import type { Tickets } from '../tickets';
import type { Workspace } from '../workspace';
import { sanitizeMailHtml } from './html';

const COLUMNS = `m.id, m.inbox_id AS inboxId, i.name AS inboxName, m.from_address AS fromAddress, m.from_name AS fromName, m.subject, m.outcome,
  m.reason, m.ticket_id AS ticketId, t.tracking_number AS trackingNumber, m.refused_attachments AS refused, m.created_at AS createdAt,
  (m.sender_unknown = 1 AND c.rfc IN ('XAXX010101000', 'XEXX010101000')) AS unknownNow`;
const FROM = `FROM mail_messages m JOIN mail_inboxes i ON i.id = m.inbox_id LEFT JOIN tickets t ON t.id = m.ticket_id LEFT JOIN customers c ON c.id = t.customer_id`;

type Row = Omit<ReceivedMail, 'senderUnknown' | 'refusedAttachments'> & { refused: string; unknownNow: number };

const toMail = ({ refused, unknownNow, ...r }: Row): ReceivedMail => ({ ...r, senderUnknown: unknownNow === 1, refusedAttachments: JSON.parse(refused) });

export class MailIntake {
  constructor(
    private readonly ws: Workspace,
    private readonly tickets: Tickets,
    private readonly customers: Customers,
    private readonly settings: Settings,
    private readonly attachments: Attachments,
  ) {}

  received(input: z.output<typeof receivedMailSchema>): ReceivedMail[] {
    const rows = input.unknownSenders
      ? this.ws.sql(`SELECT ${COLUMNS} ${FROM} WHERE m.sender_unknown = 1 AND c.rfc IN ('XAXX010101000', 'XEXX010101000') ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?`)
        .all(input.limit)
      : input.outcome
        ? this.ws.sql(`SELECT ${COLUMNS} ${FROM} WHERE m.outcome = ? ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?`).all(input.outcome, input.limit)
        : this.ws.sql(`SELECT ${COLUMNS} ${FROM} ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?`).all(input.limit);
    return (rows as Row[]).map(toMail);
  }

  /** The mail received for a ticket, oldest first: who sent it, whether the sender is still unknown, what was refused. */
  ticketMail(ticketId: string): TicketSender[] {
    const limitBytes = this.settings.get().maxAttachmentBytes;
    return (this.ws.sql(`SELECT ${COLUMNS} ${FROM} WHERE m.ticket_id = ? ORDER BY m.created_at, m.rowid`).all(ticketId) as Row[]).map(toMail)
      .map((m) => ({ mailId: m.id, fromAddress: m.fromAddress, fromName: m.fromName, senderUnknown: m.senderUnknown, refusedAttachments: m.refusedAttachments, limitBytes }));
  }

  view(mailId: string, remoteImages: boolean): MailView {
    const row = this.ws.sql(`SELECT ${COLUMNS}, m.html, e.body AS text ${FROM} LEFT JOIN ticket_events e ON e.id = m.event_id WHERE m.id = ?`).get(mailId) as
      (Row & { html: string | null; text: string | null }) | undefined;
    if (!row) throw new AppError('mail.messageNotFound');
    const { html, text, ...rest } = row;
    const safe = html ? sanitizeMailHtml(html, remoteImages) : null;
    return {
      ...toMail(rest), text: text ?? '', html: safe?.html ?? null, remoteImagesBlocked: safe?.remoteImagesBlocked ?? 0,
      limitBytes: this.settings.get().maxAttachmentBytes,
    };
  }

  /**
   * The message as it arrived, from the evidence store (content-addressed by raw_sha256), as an
   * .eml file named after the ticket. Audited (it is the customer's data leaving the app); a
   * blocked customer's only for who keeps the personal-data register.
   */
  original(viewer: { userId: string; roles: readonly Role[] }, mailId: string): OriginalMail {
    const row = this.ws.sql(
      `SELECT m.raw_sha256 AS sha, m.size_bytes AS size, m.ticket_id AS ticketId, m.created_at AS at, t.tracking_number AS folio, c.blocked_at AS blockedAt
       FROM mail_messages m LEFT JOIN tickets t ON t.id = m.ticket_id LEFT JOIN customers c ON c.id = t.customer_id WHERE m.id = ?`,
    ).get(mailId) as { sha: string | null; size: number; ticketId: string | null; at: number; folio: string | null; blockedAt: number | null } | undefined;
    if (!row) throw new AppError('mail.messageNotFound');
    if (row.blockedAt !== null && !handlesPersonalData(viewer.roles)) throw new AppError('personalData.blocked');
    if (!row.sha) throw new AppError('attachments.missingFile');
    const content = this.attachments.readStored(row.sha);
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      tx.audit('mail.originalDownloaded', 'mail_message', mailId, { ticketId: row.ticketId, sizeBytes: content.length });
    });
    const day = new Date(row.at).toISOString().slice(0, 10);
    return { fileName: `${row.folio ?? 'correo'}-${day}.eml`, mimeType: 'message/rfc822', sizeBytes: content.length, contentBase64: content.toString('base64') };
  }

  /**
   * An unknown sender's ticket goes to a registered customer: the ticket moves (history, audit,
   * sync) and the address becomes one of the customer's contacts, so their next mail is matched.
   */
  linkSender(actorId: string, input: z.output<typeof linkSenderSchema>): void {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const mail = tx.sql('SELECT m.id, m.from_address AS address, m.from_name AS name FROM mail_messages m WHERE m.ticket_id = ? AND m.sender_unknown = 1 ORDER BY m.rowid LIMIT 1')
        .get(input.ticketId) as { id: string; address: string; name: string } | undefined;
      if (!mail) throw new AppError('mail.senderNotUnknown');
      const target = this.customers.get(input.customerId);
      if (isGenericRfc(target.rfc)) throw new AppError('mail.linkToGeneric');
      this.tickets.changeCustomerInTx(tx, input.ticketId, target.id, 'mailSenderLinked');
      if (mail.address) this.customers.addEmailContactInTx(tx, target.id, mail.name || mail.address, mail.address);
      tx.sql('UPDATE mail_messages SET sender_unknown = 0 WHERE ticket_id = ?').run(input.ticketId);
      tx.audit('mail.senderLinked', 'ticket', input.ticketId, { customerId: target.id, address: mail.address });
    });
  }
}
