/**
 * A user's own notifications: the bell's unread count, the panel's pages, marking read, and the
 * per-kind on/off preferences. Every method acts on the caller's rows only: another user's
 * notification is "not found", whatever its id. Marking read and changing preferences are writes,
 * each one transaction with its audit entry.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  NOTIFICATION_KINDS, UNREAD_COUNT_BOUND,
  type NotificationItem, type NotificationKind, type NotificationPage, type NotificationPreferences, type UnreadCount,
  type notificationListSchema, type notificationPreferencesSchema,
} from '../../shared/notifications';
import { decodeCursor, pageEnd } from '../keyset';
import type { Workspace } from '../workspace';

/** The bell's count: at most UNREAD_COUNT_BOUND + 1 entries of one range of the partial index user_notifications_unread. */
export const UNREAD_COUNT_SQL = `SELECT count(*) FROM (SELECT 1 FROM user_notifications
  WHERE recipient_id = ? AND read_at IS NULL LIMIT ${UNREAD_COUNT_BOUND + 1})`;
/**
 * The newest unread one: the end of the same range. Pinned to the partial index: the planner
 * otherwise walks the recipient's whole history newest first, read ones included, to find it.
 */
export const NEWEST_UNREAD_SQL = `SELECT id FROM user_notifications INDEXED BY user_notifications_unread WHERE recipient_id = ? AND read_at IS NULL
  ORDER BY created_at DESC, rowid DESC LIMIT 1`;

const COLUMNS = `n.rowid AS r, n.created_at AS k, n.id, n.kind, n.entity, n.entity_id AS entityId, n.folio, n.title, n.data,
  u.full_name AS actorName, n.created_at AS createdAt, n.read_at AS readAt`;
/**
 * A page newest first: a walk of (recipient_id, created_at, rowid) from the cursor on. The
 * unread-only list walks the partial index instead (its condition `read_at IS NULL` matches it).
 */
export function pageSql(unreadOnly: boolean, withCursor: boolean): string {
  const index = unreadOnly ? 'user_notifications_unread' : 'user_notifications_recipient';
  return `SELECT ${COLUMNS} FROM user_notifications n INDEXED BY ${index} LEFT JOIN users u ON u.id = n.actor_id
    WHERE n.recipient_id = ?${unreadOnly ? ' AND n.read_at IS NULL' : ''}${withCursor ? ' AND (n.created_at, n.rowid) < (?, ?)' : ''}
    ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`;
}

type Row = Omit<NotificationItem, 'data'> & { r: number; k: number; data: string };

export class Inbox {
  constructor(private readonly ws: Workspace) {}

  unreadCount(userId: string): UnreadCount {
    const n = this.ws.sql(UNREAD_COUNT_SQL).pluck().get(userId) as number;
    const newestId = (this.ws.sql(NEWEST_UNREAD_SQL).pluck().get(userId) as string | undefined) ?? null;
    return n > UNREAD_COUNT_BOUND ? { count: UNREAD_COUNT_BOUND, capped: true, newestId } : { count: n, capped: false, newestId };
  }

  list(userId: string, input: z.output<typeof notificationListSchema>): NotificationPage {
    const cursor = input.cursor ? decodeCursor(input.cursor) : null;
    const params: unknown[] = [userId];
    if (cursor) params.push(cursor.value, cursor.rowid);
    const rows = this.ws.sql(pageSql(input.unreadOnly, cursor !== null)).all(...params, input.limit + 1) as Row[];
    const nextCursor = pageEnd(rows.map((row) => ({ r: row.r, k: row.k })), input.limit);
    return {
      rows: rows.slice(0, input.limit).map(({ r: _r, k: _k, data, ...row }) => ({ ...row, data: JSON.parse(data) as Record<string, string> })),
      nextCursor,
      now: this.ws.now(),
    };
  }

  /** Marks one of the caller's notifications read (already read: nothing to write). */
  markRead(userId: string, notificationId: string): UnreadCount {
    this.ws.write({ kind: 'user', userId }, (tx) => {
      const row = tx.sql('SELECT read_at AS readAt, kind FROM user_notifications WHERE id = ? AND recipient_id = ?')
        .get(notificationId, userId) as { readAt: number | null; kind: string } | undefined;
      if (!row) throw new AppError('notifications.notFound');
      if (row.readAt !== null) return;
      tx.sql('UPDATE user_notifications SET read_at = ? WHERE id = ?').run(tx.at, notificationId);
      tx.audit('notification.read', 'notification', notificationId, { notificationKind: row.kind });
    });
    return this.unreadCount(userId);
  }

  /** Marks every unread notification of the caller read, in one transaction. */
  markAllRead(userId: string): UnreadCount {
    this.ws.write({ kind: 'user', userId }, (tx) => {
      const changed = tx.sql('UPDATE user_notifications SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL').run(tx.at, userId).changes;
      if (changed > 0) tx.audit('notification.allRead', 'user', userId, { count: changed });
    });
    return this.unreadCount(userId);
  }

  preferences(userId: string): NotificationPreferences {
    const off = new Set(this.ws.sql('SELECT kind FROM notification_preferences WHERE user_id = ? AND enabled = 0').pluck().all(userId) as string[]);
    return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, !off.has(k)])) as NotificationPreferences;
  }

  /** Turns kinds on or off for the caller; audited with what changed (like a user's other settings). */
  setPreferences(userId: string, input: z.output<typeof notificationPreferencesSchema>): NotificationPreferences {
    this.ws.write({ kind: 'user', userId }, (tx) => {
      const before = this.preferences(userId);
      const changes: Partial<Record<NotificationKind, { from: boolean; to: boolean }>> = {};
      for (const kind of NOTIFICATION_KINDS) {
        const to = input[kind];
        if (to === undefined || to === before[kind]) continue;
        changes[kind] = { from: before[kind], to };
        tx.sql(
          `INSERT INTO notification_preferences (user_id, kind, enabled, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(user_id, kind) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
        ).run(userId, kind, to ? 1 : 0, tx.at);
      }
      if (Object.keys(changes).length > 0) tx.audit('notification.preferencesChanged', 'user', userId, changes);
    });
    return this.preferences(userId);
  }
}
