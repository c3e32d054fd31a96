/**
 * Outgoing mail (issue 12, items 1 and 3): the branch's mailbox (SMTP) and the delivery of the
 * customer notices. Schemas are parsed in core at the contract boundary; messages are i18n keys.
 */
import { z } from 'zod';
import { str, uuid } from './text';

/** TLS from the first byte (465), STARTTLS on a plain port (587), or no encryption (only with an explicit warning). */
export const MAIL_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];

/** A notice's delivery state (see migration 013). */
export const NOTICE_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unconfirmed', 'cancelled'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** What kinds of notice the customer receives. */
export const NOTICE_KINDS = ['acknowledged', 'reply', 'waiting_reminder', 'escalated', 'closed', 'auto_closed'] as const;

/**
 * Why a connection or a message failed, translated in the UI (mail.error.*). `auth`, `connection`,
 * `tls` and `timeout` are about the mailbox or the network (the notice waits and is retried);
 * `rejected` and `badAddress` are about the message (recorded as failed, not retried).
 */
export const MAIL_ERRORS = ['auth', 'connection', 'tls', 'timeout', 'temporary', 'rejected', 'badAddress', 'notConfigured', 'unknown'] as const;
export type MailError = (typeof MAIL_ERRORS)[number];

const required = 'validation.required';
const email = str().trim().toLowerCase().pipe(z.email('validation.email'));
/** A host name or an IPv4/IPv6 address, no scheme, no port. */
const HOST = /^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^\d{1,3}(\.\d{1,3}){3}$|^\[?[0-9A-Fa-f:.]+\]?$/;

export const mailboxSaveSchema = z
  .object({
    host: str().trim().min(1, required).max(253, 'validation.tooLong').regex(HOST, 'mail.badHost'),
    port: z.number().int().min(1, 'validation.min').max(65535, 'validation.max'),
    security: z.enum(MAIL_SECURITY),
    /** Required to save a mailbox without encryption: the password and the customers' data would travel in clear. */
    acceptInsecure: z.boolean().default(false),
    username: str().trim().max(320, 'validation.tooLong').default(''),
    /** Absent: keep the stored password. '' removes it. Never returned, never audited. */
    password: str().max(500, 'validation.tooLong').optional(),
    fromName: str().trim().min(1, required).max(200, 'validation.tooLong'),
    fromAddress: email,
    replyTo: z.union([z.literal(''), email]).default(''),
    enabled: z.boolean().default(true),
  })
  .refine((v) => v.security !== 'none' || v.acceptInsecure, { path: ['acceptInsecure'], message: 'mail.insecureNotAccepted' });

export const mailTestSchema = z.object({ to: email });
export const noticeIdSchema = z.object({ noticeId: uuid() });
export const mailQueueSchema = z.object({
  status: z.enum(NOTICE_STATUSES).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/** The mailbox as the UI sees it: never the password, only whether there is one. */
export interface MailboxInfo {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  hasPassword: boolean;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  enabled: boolean;
  /** How the password is protected at rest: a key file, or a key wrapped by the operating system (desktop app). */
  protection: 'keyFile' | 'os';
}

export interface MailCheckResult {
  ok: boolean;
  error?: MailError;
  /** The server's own words (not translated), for the administrator. */
  detail?: string;
}

export interface NoticeInfo {
  id: string;
  ticketId: string | null;
  trackingNumber: string | null;
  kind: string;
  recipient: string;
  subject: string;
  status: NoticeStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: MailError | null;
  lastErrorDetail: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface SenderStatus {
  /** idle: nothing to send; waiting: a retry is planned; notConfigured: no mailbox (or turned off). */
  state: 'idle' | 'sending' | 'waiting' | 'notConfigured';
  lastError: MailError | null;
  lastErrorDetail: string | null;
  lastSentAt: number | null;
  nextAttemptAt: number | null;
}

export interface MailQueue {
  items: NoticeInfo[];
  counts: Record<NoticeStatus, number>;
  sender: SenderStatus;
}
