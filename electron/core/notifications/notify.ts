/**
 * The fan-out: inside the transaction of the event that causes it, one notification row per
 * recipient. Never to the actor of the event (nobody is told what they just did), never to an
 * inactive user, never of a kind the recipient turned off. The event's own audit entry records
 * what happened; the rows only point at the item.
 */
import type { Role } from '../../shared/domain';
import type { NotificationEntity, NotificationKind } from '../../shared/notifications';
import type { WriteTx } from '../workspace';

export interface NotificationEvent {
  kind: NotificationKind;
  entity: NotificationEntity;
  entityId: string;
  folio: string;
  title?: string;
  /** Codes only (tier, role, metric…): never customer data. */
  data?: Record<string, string>;
  /** Makes the notification happen once per recipient and key (a second one is ignored). */
  onceKey?: string;
  /** Who caused it, when not the transaction's actor: the user behind a change pulled from another branch. */
  actorId?: string | null;
}

/**
 * One statement per recipient: the row is inserted only when the recipient is active, is not the
 * actor and has not turned the kind off; a repeated once-key does nothing (ON CONFLICT).
 */
const INSERT = `INSERT INTO user_notifications (id, recipient_id, kind, entity, entity_id, folio, title, data, actor_id, once_key, created_at)
  SELECT ?, u.id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM users u
  WHERE u.id = ? AND u.active = 1 AND u.id IS NOT ?
    AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = u.id AND p.kind = ? AND p.enabled = 0)
  ON CONFLICT DO NOTHING`;

/** The user behind the transaction's actor, if any (a person, or the person using an emergency account). */
export function actorUserId(tx: WriteTx): string | null {
  return tx.actor.kind === 'user' || tx.actor.kind === 'emergency' ? tx.actor.userId : null;
}

/** Notifies each distinct recipient (nulls skipped) of `event`; returns how many rows were written. */
export function notify(tx: WriteTx, recipients: Iterable<string | null | undefined>, event: NotificationEvent): number {
  const actorId = event.actorId !== undefined ? event.actorId : actorUserId(tx);
  const data = JSON.stringify(event.data ?? {});
  let written = 0;
  for (const recipient of new Set(recipients)) {
    if (!recipient) continue;
    written += tx.sql(INSERT).run(
      tx.id(), event.kind, event.entity, event.entityId, event.folio, event.title ?? '', data, actorId, event.onceKey ?? null, tx.at,
      recipient, actorId, event.kind,
    ).changes;
  }
  return written;
}

/** Active users holding a role (the users table is small: a branch has tens of people). */
export function usersWithRole(tx: WriteTx, role: Role): string[] {
  return tx.sql('SELECT u.id FROM users u WHERE u.active = 1 AND EXISTS (SELECT 1 FROM json_each(u.roles) r WHERE r.value = ?)')
    .pluck().all(role) as string[];
}
