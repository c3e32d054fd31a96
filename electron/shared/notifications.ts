/**
 * Notifications in the app (issue 14): the kinds, what a row carries across the boundary, and the
 * contract's schemas. A notification only says that something changed and names the item (folio,
 * title); what changed is read in the item itself. Pure: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { str, uuid } from './text';

/**
 * assigned: a ticket was assigned to me · escalated: a ticket reached my tier (escalated or handed
 * back) · customer_message: the customer wrote on my ticket · approval: a change request waits for
 * one of my approver roles · sla_warning: a ticket of mine is about to breach · emergency_review: an
 * emergency session ended and waits for my review (security officer).
 */
export const NOTIFICATION_KINDS = ['assigned', 'escalated', 'customer_message', 'approval', 'sla_warning', 'emergency_review'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotificationEntity = 'ticket' | 'change_request' | 'emergency_account';

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  entity: NotificationEntity;
  entityId: string;
  /** The folio the item is known by (a ticket's tracking number; a request's or session's ticket folio). */
  folio: string;
  /** The ticket's subject, or '' (the UI names a request or a session from kind and data). */
  title: string;
  /** Codes only: tier, direction, approver role, request kind, SLA metric, change request id. */
  data: Record<string, string>;
  actorName: string | null;
  createdAt: number;
  readAt: number | null;
}

export interface NotificationPage {
  rows: NotificationItem[];
  nextCursor: string | null;
  /** The workspace's clock: relative times ("hace 5 minutos") count from it. */
  now: number;
}

/** The bell: unread notifications, counted up to UNREAD_COUNT_BOUND (the bell then says "99+"). */
export interface UnreadCount {
  count: number;
  capped: boolean;
  /** The newest unread notification, so a poller knows when something new arrived without listing. */
  newestId: string | null;
}
export const UNREAD_COUNT_BOUND = 99;

export type NotificationPreferences = Record<NotificationKind, boolean>;

/** What the desktop app hands to the OS for one notification (or a summary: notificationId null). */
export interface OsNotice {
  notificationId: string | null;
  title: string;
  body: string;
}
/** Checked by Electron's main process before it shows anything: plain, short text only. */
export const osNoticeSchema = z.object({
  notificationId: uuid().nullable(),
  title: str().max(120),
  body: str().max(300),
}).strict();

export const notificationListSchema = z.object({
  unreadOnly: z.boolean().default(false),
  /** Keyset paging: the `nextCursor` of the previous page; absent for the first page. */
  cursor: str().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(30),
});
export const notificationReadSchema = z.object({ notificationId: uuid() });
/** Only the kinds given change; at least one. */
export const notificationPreferencesSchema = z
  .object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().optional()])) as Record<NotificationKind, z.ZodOptional<z.ZodBoolean>>)
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'validation.required' });
