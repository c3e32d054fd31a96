/**
 * The desktop app's OS notifications: which new notifications to show, decided here in plain
 * code (unit-tested), then handed to the thin Electron bridge (`window.helpdesk.showNotification`).
 * Only notifications that arrived while the app runs are shown — never the backlog found at sign-in
 * — and only while the window is not in front (the bell already says it there). A burst is one
 * summary, not a wall of toasts.
 */
import type { NotificationItem, OsNotice } from '../../../electron/shared/notifications';

export type { OsNotice };

/** More new notifications than this at once become one summary. */
export const OS_BURST = 3;

export interface OsDecisionInput {
  /** The unread rows the poll just read, newest first. */
  rows: readonly Pick<NotificationItem, 'id' | 'createdAt' | 'readAt'>[];
  /** Notifications created after this moment are new (the previous poll's newest, or the session start). */
  since: number;
  /** The window is focused and visible. */
  inFront: boolean;
  text: (row: NotificationItem) => string;
  summary: (count: number) => string;
  appName: string;
}

/** The OS notices to show for this poll (possibly none). */
export function osNoticesToShow(input: OsDecisionInput): OsNotice[] {
  if (input.inFront) return [];
  const fresh = input.rows.filter((r) => r.createdAt > input.since && r.readAt === null);
  if (fresh.length === 0) return [];
  if (fresh.length > OS_BURST) return [{ notificationId: null, title: input.appName, body: input.summary(fresh.length) }];
  // Oldest first, so the newest ends up on top of the OS's stack.
  return [...fresh].reverse().map((r) => ({ notificationId: r.id, title: input.appName, body: input.text(r as NotificationItem) }));
}

/** The next `since`: the newest moment seen, never moving back. */
export function nextSince(since: number, rows: readonly Pick<NotificationItem, 'createdAt'>[]): number {
  return rows.reduce((m, r) => Math.max(m, r.createdAt), since);
}
