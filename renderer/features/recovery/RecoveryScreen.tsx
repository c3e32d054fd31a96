/** Shown when core could not open the database: restore a backup or start over. */
import { useTranslation } from 'react-i18next';
import { formatBytes, formatDateTime } from '../../app/format';
import { useBoot } from '../../app/boot';
import { Button, ConfirmDialog, Dialog, EmptyState, ErrorBanner, Loading } from '../../components';
import { BackupFacts } from '../admin/BackupsTab';
import { NoSpaceChoices } from './NoSpaceChoices';
import { useRecovery } from './useRecovery';
import './strings';

export function RecoveryScreen() {
  const { t } = useTranslation();
  const recovery = useBoot((s) => s.status?.recovery ?? null);
  const r = useRecovery();
  if (!recovery) return null;
  const backups = [...recovery.backups].sort((a, b) => b.createdAt - a.createdAt);
  // Nothing is damaged when the storage refuses writes: the fix is outside the app, and starting
  // over or restoring would only hide the data, so those choices are not offered.
  const damaged = recovery.reason === 'corrupt' || recovery.reason === 'unreadable';
  return (
    <main className="center-screen">
      <div className="card card--wide">
        <h1 className="card__title">{t(recovery.reason === 'noSpace' ? 'recovery.noSpaceTitle' : 'recovery.title')}</h1>
        <div className="banner banner--warn" role="alert">
          <p>
            {recovery.reason === 'noSpace' && recovery.space
              ? t('recovery.noSpace', {
                  needed: formatBytes(recovery.space.neededBytes),
                  free: formatBytes(recovery.space.freeBytes),
                })
              : t(`recovery.${recovery.reason}`)}
          </p>
        </div>
        {recovery.reason === 'noSpace' && recovery.space ? <NoSpaceChoices folder={recovery.space.folder} missing={formatBytes(Math.max(0, recovery.space.neededBytes - recovery.space.freeBytes))} /> : null}
        {recovery.detail ? (
          <details className="details">
            <summary>{t('recovery.detail')}</summary>
            <pre className="pre">{recovery.detail}</pre>
          </details>
        ) : null}
        {damaged ? (
          <>
            <p>{t('recovery.choose')}</p>
            <ErrorBanner error={r.restoreError} />
            <h2 className="section-title">{t('recovery.backups')}</h2>
            {backups.length === 0 ? (
              <EmptyState>{t('recovery.noBackups')}</EmptyState>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('recovery.file')}</th>
                    <th scope="col">{t('recovery.createdAt')}</th>
                    <th scope="col" className="num">{t('recovery.size')}</th>
                    <th scope="col"><span className="sr-only">{t('recovery.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {backups.map((b) => (
                    <tr key={b.fileName}>
                      <th scope="row" className="mono">{b.fileName}</th>
                      <td>{formatDateTime(b.createdAt)}</td>
                      <td className="num">{formatBytes(b.sizeBytes)}</td>
                      <td>
                        <Button size="sm" disabled={r.busy} title={t('recovery.reviewOf', { fileName: b.fileName })} onClick={() => r.review(b.fileName)}>
                          {t('recovery.review')}
                        </Button>{' '}
                        <Button
                          size="sm"
                          variant="primary"
                          pending={r.restoring === b.fileName}
                          disabled={r.busy}
                          title={t('recovery.restoreOf', { fileName: b.fileName })}
                          onClick={() => r.restore(b.fileName)}
                        >
                          {t('recovery.restore')}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="card__footer">
              <Button variant="danger" disabled={r.busy} onClick={r.askReset}>
                {t('recovery.startOver')}
              </Button>
            </div>
          </>
        ) : null}
      </div>
      <Dialog open={r.reviewing !== null} title={t('recovery.reviewTitle')} onClose={() => r.review(null)} size="lg"
        footer={
          <>
            <Button onClick={() => r.review(null)} disabled={r.busy}>{t('common.cancel')}</Button>
            <Button variant="primary" disabled={r.preview?.integrity !== 'ok'} pending={r.restoring !== null}
              onClick={() => r.reviewing && r.restore(r.reviewing)}>{t('recovery.restore')}</Button>
          </>
        }>
        <ErrorBanner error={r.previewError ?? r.restoreError} />
        {r.preview ? <BackupFacts preview={r.preview} /> : <Loading />}
      </Dialog>
      <ConfirmDialog
        open={r.confirming}
        danger
        title={t('recovery.confirmTitle')}
        message={t('recovery.confirmBody')}
        confirmLabel={t('recovery.confirmButton')}
        onConfirm={r.confirmReset}
        onCancel={r.cancelReset}
        pending={r.resetPending}
      >
        <ErrorBanner error={r.resetError} />
      </ConfirmDialog>
    </main>
  );
}
