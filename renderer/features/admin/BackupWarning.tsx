/** The warning that the last good backup is old (or that there is none), for administrators and supervisors. */
import { useTranslation } from 'react-i18next';
import type { BackupRestoreResult, BackupStatus } from '../../../electron/shared/types';
import { formatDateTime } from '../../app/format';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { useBackupStatus, useRestoreNotice } from './useBackups';
import './strings';

/** In the backups tab the status comes from the tab; elsewhere (the shell) the banner asks for it. */
export function BackupWarning({ status, inTab = false }: { status: BackupStatus | null; inTab?: boolean }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const admin = useSession((s) => s.hasRole('administrator'));
  if (!status?.stale) return null;
  return (
    <div className="banner banner--warn" role="status" data-testid="backup-warning">
      <span>
        {status.lastAt === null ? t('admin.backups.staleNone') : t('admin.backups.stale', { date: formatDateTime(status.lastAt) })}
        {status.daily ? null : ` ${t('admin.backups.dailyOff')}`}
      </span>{' '}
      {admin && !inTab ? (
        <button type="button" className="btn btn--ghost btn--sm" onClick={() => go({ name: 'admin', tab: 'backups' })}>{t('admin.backups.staleAction')}</button>
      ) : null}
    </div>
  );
}

/** The shell's banner: asks core how old the last backup is when the signed-in user may see it. */
export function ShellBackupWarning() {
  // Administración shows it in its backups tab; leaving it asks again (a backup may have been made there).
  const onAdmin = useNav((s) => s.route.name === 'admin');
  return onAdmin ? null : <ShellBackupStatus />;
}

function ShellBackupStatus() {
  const status = useBackupStatus();
  return <BackupWarning status={status.data ?? null} />;
}

/** Above the sign-in screen after a restore from the app: what was restored and where the old database went. */
export function RestoredNotice() {
  const { t } = useTranslation();
  const result: BackupRestoreResult | null = useRestoreNotice((s) => s.result);
  const dismiss = useRestoreNotice((s) => s.dismiss);
  if (!result) return null;
  return (
    <div className="banner banner--ok restored-notice" role="status" data-testid="restored-notice">
      <span>{t('admin.backups.restored', { fileName: result.fileName, setAside: result.setAside ?? '—' })}</span>
      {result.attachmentsMissing > 0 ? <span> {t('admin.backups.restoredMissing', { count: result.attachmentsMissing })}</span> : null}{' '}
      <button type="button" className="btn btn--ghost btn--sm" aria-label={t('ui.dialogClose')} onClick={dismiss}>×</button>
    </div>
  );
}
