/**
 * What a notification says and where it leads, in the current language. It names the item (folio,
 * title) and what happened to it, nothing more: the answer is in the item.
 */
import type { NotificationItem } from '../../../electron/shared/notifications';
import { i18next } from '../../i18n';
import type { Route } from '../../stores/nav';
import './strings';

/** One line: "Se te asignó el ticket MTY-000123". */
export function notificationText(n: Pick<NotificationItem, 'kind' | 'folio' | 'data'>): string {
  const t = i18next.t.bind(i18next);
  const d = n.data;
  switch (n.kind) {
    case 'escalated':
      return t(d.direction === 'down' ? 'notif.text.handedBack' : 'notif.text.escalated', { folio: n.folio, tier: t(`tier.${d.tier ?? ''}`) });
    case 'approval':
      return t('notif.text.approval', { folio: n.folio, request: t(`notif.requestKind.${d.requestKind ?? ''}`), role: t(`role.${d.role ?? ''}`) });
    case 'sla_warning':
      return t('notif.text.sla_warning', { folio: n.folio, metric: t(`notif.metric.${d.metric ?? ''}`) });
    case 'emergency_review':
      return t('notif.text.emergency_review', { folio: n.folio });
    default:
      return t(`notif.text.${n.kind}`, { folio: n.folio });
  }
}

/** The screen a notification opens: its ticket, its change request, or the emergency review queue. */
export function notificationRoute(n: Pick<NotificationItem, 'entity' | 'entityId'>): Route {
  if (n.entity === 'change_request') return { name: 'request', requestId: n.entityId };
  if (n.entity === 'emergency_account') return { name: 'emergencyReviews' };
  return { name: 'ticket', ticketId: n.entityId };
}
