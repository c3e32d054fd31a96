/** The bell in the header: the unread count, and the panel listing the user's notifications. */
import { useCallback, useEffect, useRef } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { useTranslation } from 'react-i18next';
import type { NotificationItem } from '../../../electron/shared/notifications';
import { formatRelative } from '../../app/format';
import { ErrorBanner } from '../../components';
import { useNav } from '../../stores/nav';
import { notificationRoute, notificationText } from './describe';
import { osTargets, useNotifications } from './store';
import './notifications.css';
import './strings';

export function NotificationBell() {
  const { t } = useTranslation();
  const count = useNotifications((s) => s.count);
  const capped = useNotifications((s) => s.capped);
  const open = useNotifications((s) => s.open);
  const setOpen = useNotifications((s) => s.setOpen);
  const close = useCallback(() => setOpen(false), [setOpen]);
  const route = useNav((s) => s.route);
  const wrapRef = useRef<HTMLDivElement>(null);

  useEffect(() => useNotifications.getState().startLive(), []);
  // After every navigation (an action usually ends in one) the count is read again.
  useEffect(() => {
    void useNotifications.getState().refresh();
  }, [route]);
  useEffect(() => () => useNotifications.getState().reset(), []);
  useDesktopClicks();

  useDismiss(open, close, wrapRef, '.bell');

  const label = count === 0 ? t('notif.bell') : capped ? t('notif.bellUnreadMany') : t('notif.bellUnread', { count });
  return (
    <div className="bell-wrap" ref={wrapRef}>
      <button
        type="button"
        className={`bell${count > 0 ? ' bell--unread' : ''}`}
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="notification-bell"
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {count > 0 ? <span className="bell__count" aria-hidden="true">{capped ? '99+' : count}</span> : null}
      </button>
      {open ? <NotificationPanel /> : null}
    </div>
  );
}

function NotificationPanel() {
  const { t } = useTranslation();
  const rows = useNotifications((s) => s.rows);
  const loading = useNotifications((s) => s.loading);
  const error = useNotifications((s) => s.error);
  const nextCursor = useNotifications((s) => s.nextCursor);
  const unreadOnly = useNotifications((s) => s.unreadOnly);
  const count = useNotifications((s) => s.count);
  const { setUnreadOnly, loadPage, markAll, setOpen } = useNotifications.getState();
  const go = useNav((s) => s.go);
  const now = useNotifications((s) => s.serverNow);
  return (
    <div className="notif-panel" role="dialog" aria-label={t('notif.title')} data-testid="notification-panel">
      <div className="notif-panel__head">
        <h2 className="notif-panel__title">{t('notif.title')}</h2>
        <label className="notif-panel__filter">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> {t('notif.onlyUnread')}
        </label>
        <button type="button" className="btn btn--ghost btn--sm" disabled={count === 0} onClick={() => void markAll()}>
          {t('notif.markAll')}
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {rows.length === 0 && !loading ? (
        <p className="notif-panel__empty">{unreadOnly ? t('notif.emptyUnread') : t('notif.empty')}</p>
      ) : (
        <ul className="notif-list">
          {rows.map((n) => (
            <li key={n.id}>
              <NotificationRow n={n} now={now} />
            </li>
          ))}
        </ul>
      )}
      <div className="notif-panel__foot">
        {nextCursor ? (
          <button type="button" className="btn btn--ghost btn--sm" disabled={loading} onClick={() => void loadPage(false)}>
            {t('notif.more')}
          </button>
        ) : <span />}
        <button
          type="button"
          className="btn btn--ghost btn--sm"
          onClick={() => {
            setOpen(false);
            go({ name: 'myPreferences' });
          }}
        >
          {t('notif.preferences')}
        </button>
      </div>
    </div>
  );
}

function NotificationRow({ n, now }: { n: NotificationItem; now: number }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const unread = n.readAt === null;
  const open = () => {
    const s = useNotifications.getState();
    void s.markRead(n.id);
    s.setOpen(false);
    go(notificationRoute(n));
  };
  return (
    <button type="button" className={`notif${unread ? ' notif--unread' : ''}`} onClick={open}>
      {unread ? <span className="notif__dot" aria-label={t('notif.unread')} /> : <span className="notif__dot notif__dot--read" aria-hidden="true" />}
      <span className="notif__body">
        <span className="notif__text">{notificationText(n)}</span>
        {n.title ? <span className="notif__title">{n.title}</span> : null}
        <span className="notif__meta">
          <time dateTime={new Date(n.createdAt).toISOString()}>{formatRelative(n.createdAt, Math.max(now, n.createdAt))}</time>
          {n.actorName ? <> · {t('notif.by', { name: n.actorName })}</> : null}
        </span>
      </span>
    </button>
  );
}

/** Desktop: a click on an OS notification opens its item (or the panel, for a summary). */
function useDesktopClicks(): void {
  const go = useNav((s) => s.go);
  useEffect(() => {
    const subscribe = window.helpdesk?.onNotificationClick;
    if (!subscribe) return;
    return subscribe((id) => {
      const s = useNotifications.getState();
      const target = id ? osTargets.get(id) : undefined;
      if (!id || !target) {
        s.setOpen(true);
        return;
      }
      void s.markRead(id);
      go(target);
    });
  }, [go]);
}
