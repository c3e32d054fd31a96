/**
 * A customer notice as an e-mail: the tracking number in the subject, plain text and a simple
 * HTML version in es-MX, a stable Message-ID per notice and threading headers per ticket (so the
 * customer's replies can come back to the ticket), and Auto-Submitted so other robots do not
 * answer it (RFC 3834).
 */
import type { SendMailOptions } from 'nodemailer';

export interface MailIdentity {
  fromName: string;
  fromAddress: string;
  replyTo: string;
}

export interface NoticeToSend {
  id: string;
  ticketId: string | null;
  recipient: string;
  subject: string;
  body: string;
  trackingNumber: string | null;
  messageId: string;
  threadId: string | null;
  /** Message-IDs of the ticket's earlier notices, oldest first. */
  earlier: string[];
}

/** The domain part used in our Message-IDs: the sender's own domain. */
export function mailDomain(fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@');
  return at >= 0 ? fromAddress.slice(at + 1).toLowerCase() : 'localhost';
}

export const noticeMessageId = (noticeId: string, domain: string) => `<aviso.${noticeId}@${domain}>`;
/** One per ticket: every notice of the ticket refers to it, and a customer's reply carries it back in References. */
export const ticketThreadId = (ticketId: string, domain: string) => `<ticket.${ticketId}@${domain}>`;

/** How many earlier Message-IDs References keeps (RFC 5322 lets it grow; servers cut very long headers). */
const MAX_REFERENCES = 10;

export function composeNotice(n: NoticeToSend, from: MailIdentity): SendMailOptions {
  const subject = n.trackingNumber && !n.subject.includes(n.trackingNumber) ? `[${n.trackingNumber}] ${n.subject}` : n.subject;
  const footer = n.trackingNumber
    ? `Número de seguimiento: ${n.trackingNumber}\nPara agregar información a este ticket, responda a este correo sin cambiar el asunto.`
    : '';
  const text = [n.body.trim(), footer, `— ${from.fromName}`].filter(Boolean).join('\n\n');
  const references = n.threadId ? [n.threadId, ...n.earlier.slice(-MAX_REFERENCES)] : [];
  return {
    from: { name: from.fromName, address: from.fromAddress },
    to: n.recipient,
    ...(from.replyTo ? { replyTo: from.replyTo } : {}),
    subject,
    text,
    html: toHtml(text),
    messageId: n.messageId,
    ...(references.length > 0 ? { inReplyTo: references[references.length - 1], references } : {}),
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'Content-Language': 'es-MX',
      ...(n.trackingNumber ? { 'X-Mesa-Ayuda-Ticket': n.trackingNumber } : {}),
    },
  };
}

function toHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  return `<!doctype html>\n<html lang="es-MX"><head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs}\n</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
