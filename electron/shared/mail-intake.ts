/**
 * Incoming mail (issue 12, items 1–2): the branch's IMAP mailboxes, their fetch status, and the
 * messages fetched from them. Schemas are parsed in core at the contract boundary; messages are i18n keys.
 */
import { z } from 'zod';
import { str, uuid } from './text';
import { MAIL_SECURITY, type MailError, type MailSecurity } from './mail';

/** What a mailbox receives: support requests (channel Correo) or complaints and suggestions. */
export const INBOX_PURPOSES = ['support', 'complaint'] as const;
export type InboxPurpose = (typeof INBOX_PURPOSES)[number];

/** What a fetched message became (migration 019). */
export const MAIL_OUTCOMES = ['ticket', 'reply', 'auto', 'bounce', 'loop', 'duplicate'] as const;
export type MailOutcome = (typeof MAIL_OUTCOMES)[number];

/** The fetcher's state for one mailbox, shown in Administración → Correo. */
export const INBOX_STATES = ['connected', 'connecting', 'offline', 'authFailed', 'error', 'disabled'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

const required = 'validation.required';
const HOST = /^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^\d{1,3}(\.\d{1,3}){3}$|^\[?[0-9A-Fa-f:.]+\]?$/;

export const inboxSaveSchema = z
  .object({
    /** Absent: a new mailbox. */
    inboxId: uuid().optional(),
    name: str().trim().min(1, required).max(100, 'validation.tooLong'),
    host: str().trim().min(1, required).max(253, 'validation.tooLong').regex(HOST, 'mail.badHost'),
    port: z.number().int().min(1, 'validation.min').max(65535, 'validation.max'),
    security: z.enum(MAIL_SECURITY).default('tls'),
    acceptInsecure: z.boolean().default(false),
    username: str().trim().min(1, required).max(320, 'validation.tooLong'),
    /** Absent: keep the stored password. Never returned, never audited, never synced. */
    password: str().max(500, 'validation.tooLong').optional(),
    folder: str().trim().min(1, required).max(200, 'validation.tooLong').default('INBOX'),
    purpose: z.enum(INBOX_PURPOSES).default('support'),
    enabled: z.boolean().default(true),
  })
  .refine((v) => v.security !== 'none' || v.acceptInsecure, { path: ['acceptInsecure'], message: 'mail.insecureNotAccepted' });

export const inboxIdSchema = z.object({ inboxId: uuid() });
export const receivedMailSchema = z.object({
  outcome: z.enum(MAIL_OUTCOMES).optional(),
  unknownSenders: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(100),
});
/** The received message of a ticket's timeline entry, with its HTML sanitized; remote images only when asked. */
export const mailViewSchema = z.object({ mailId: uuid(), remoteImages: z.boolean().default(false) });
/** An unknown sender's ticket goes to an existing customer; the address becomes one of its contacts. */
export const linkSenderSchema = z.object({ ticketId: uuid(), customerId: uuid() });

export interface InboxStatus {
  state: InboxState;
  error: MailError | null;
  detail: string | null;
  lastFetchAt: number | null;
  lastConnectedAt: number | null;
  /** The server answers IDLE: new mail arrives at once instead of at the next poll. */
  idle: boolean;
  nextAttemptAt: number | null;
}

export interface InboxInfo {
  id: string;
  name: string;
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  hasPassword: boolean;
  folder: string;
  purpose: InboxPurpose;
  enabled: boolean;
  imported: number;
  status: InboxStatus;
}

export interface ReceivedMail {
  id: string;
  inboxId: string;
  inboxName: string;
  fromAddress: string;
  fromName: string;
  subject: string;
  outcome: MailOutcome;
  reason: string | null;
  ticketId: string | null;
  trackingNumber: string | null;
  senderUnknown: boolean;
  refusedAttachments: Array<{ fileName: string; sizeBytes: number }>;
  createdAt: number;
}

/** The message exactly as it arrived (RFC 822), to save as an .eml file. */
export interface OriginalMail {
  fileName: string;
  mimeType: 'message/rfc822';
  sizeBytes: number;
  contentBase64: string;
}

export interface MailView extends ReceivedMail {
  text: string;
  /** Sanitized: no scripts, no handlers, no forms; remote images replaced unless asked for. */
  html: string | null;
  remoteImagesBlocked: number;
  limitBytes: number;
}

/** A ticket opened from an e-mail whose sender is no registered customer: the agent links or registers it. */
export interface TicketSender {
  mailId: string;
  fromAddress: string;
  fromName: string;
  senderUnknown: boolean;
  refusedAttachments: Array<{ fileName: string; sizeBytes: number }>;
  limitBytes: number;
}
