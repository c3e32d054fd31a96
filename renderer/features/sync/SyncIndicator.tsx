/**
 * The sync indicator in the header, for every user (issue 11): "Sincronizado hace 3 minutos",
 * "2 cambios pendientes", "Sin conexión", "Error de sincronización". An administrator's click opens
 * Administración → Sincronización; anyone else gets a short explanation and "Sincronizar ahora".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../app/format';
import { Button, ErrorBanner } from '../../components';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { indicatorKind, indicatorText } from './describe';
import { useSync } from './store';
import './strings';
import './sync.css';

export function SyncIndicator() {
  const { t } = useTranslation();
  const status = useSync((s) => s.status);
  const readAt = useSync((s) => s.readAt);
  const isAdmin = useSession((s) => s.hasRole('administrator'));
  const go = useNav((s) => s.go);
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const wrapRef = useRef<HTMLDivElement>(null);

  useEffect(() => useSync.getState().startLive(), []);
  useDismiss(open, close, wrapRef, '.sync-ind');

  if (!status) return null;
  const kind = indicatorKind(status);
  const text = indicatorText(status, readAt);
  const onClick = () => (isAdmin ? go({ name: 'admin', tab: 'sync' }) : setOpen(!open));
  return (
    <div className="sync-ind-wrap" ref={wrapRef}>
      <button
        type="button"
        className={`sync-ind sync-ind--${kind}`}
        aria-label={t('syncUi.indicator.label', { state: text })}
        aria-haspopup={isAdmin ? undefined : 'dialog'}
        aria-expanded={isAdmin ? undefined : open}
        data-testid="sync-indicator"
        onClick={onClick}
      >
        <span className="sync-ind__dot" aria-hidden="true" />
        <span className="sync-ind__text">{text}</span>
      </button>
      {open ? <SyncExplanation /> : null}
    </div>
  );
}

/** For users who are not administrators: what the state means and that nothing is lost. */
function SyncExplanation() {
  const { t } = useTranslation();
  const status = useSync((s) => s.status)!;
  const readAt = useSync((s) => s.readAt);
  const syncing = useSync((s) => s.syncing);
  const runError = useSync((s) => s.runError);
  const kind = indicatorKind(status);
  const explain = kind === 'running' ? 'synced' : kind;
  return (
    <div className="sync-pop" role="dialog" aria-label={t('syncUi.explain.title')}>
      <h2 className="sync-pop__title">{t('syncUi.explain.title')}</h2>
      <p>{t(`syncUi.explain.${explain}`, { relative: status.lastSyncAt ? formatRelative(status.lastSyncAt, readAt) : t('syncUi.never') })}</p>
      {status.rejected > 0 ? <p>{t('syncUi.explain.rejected', { count: status.rejected })}</p> : null}
      <ErrorBanner error={runError} />
      {status.enrolled ? (
        <Button variant="primary" size="sm" pending={syncing || status.running} onClick={() => void useSync.getState().syncNow()}>
          {t('syncUi.syncNow')}
        </Button>
      ) : null}
    </div>
  );
}
