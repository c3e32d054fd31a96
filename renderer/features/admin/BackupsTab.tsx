/** Backups: the warning when the last one is old, a backup as a job, the list, and review → restore. */
import { useTranslation } from 'react-i18next';
import type { BackupPreview } from '../../../electron/shared/types';
import { formatBytes, formatDateTime } from '../../app/format';
import { Button, Dialog, EmptyState, ErrorBanner, JobProgress, Loading, StatusMessage, TextField } from '../../components';
import { BackupWarning } from './BackupWarning';
import { useBackupReview, useBackups } from './useBackups';
import './strings';

export function BackupsTab() {
  const { t } = useTranslation();
  const b = useBackups();
  const review = useBackupReview(t('admin.backups.confirmWord'));
  return (
    <div className="stack">
      <BackupWarning status={b.status} inTab />
      <div className="toolbar">
        <Button variant="primary" pending={b.pending} onClick={b.create}>{t('admin.backups.create')}</Button>
      </div>
      {b.job ? <JobProgress job={b.job} label={t('admin.backups.running')} cancelling={b.cancelling} onCancel={b.cancel} /> : null}
      {b.outcome ? <StatusMessage>{t(b.outcome.key, b.outcome.params ?? {})}</StatusMessage> : null}
      <ErrorBanner error={b.error} />
      <ErrorBanner error={b.listError} />
      <h2 className="section-title">{t('admin.backups.list')}</h2>
      {b.loading && b.backups.length === 0 ? (
        <Loading />
      ) : b.backups.length === 0 ? (
        <EmptyState>{t('admin.backups.none')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.backups.createdAt')}</th>
                <th scope="col">{t('admin.backups.reason')}</th>
                <th scope="col" className="num">{t('admin.backups.size')}</th>
                <th scope="col" className="num">{t('admin.backups.evidence')}</th>
                <th scope="col">{t('admin.backups.file')}</th>
                <th scope="col"><span className="sr-only">{t('admin.backups.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {b.backups.map((x) => (
                <tr key={x.fileName}>
                  <th scope="row">{formatDateTime(x.createdAt)}</th>
                  <td>{t(`admin.backups.reasons.${x.reason}`)}</td>
                  <td className="num">{formatBytes(x.sizeBytes)}</td>
                  <td className="num">{x.attachments ?? '—'}</td>
                  <td className="mono">{x.fileName}</td>
                  <td>
                    <Button size="sm" onClick={() => review.open(x.fileName)}
                      aria-label={`${t('admin.backups.review')}: ${formatDateTime(x.createdAt)}`}>{t('admin.backups.review')}</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ReviewDialog review={review} />
    </div>
  );
}

function ReviewDialog({ review }: { review: ReturnType<typeof useBackupReview> }) {
  const { t } = useTranslation();
  const p = review.preview;
  const title = p ? t('admin.backups.reviewTitle', { date: formatDateTime(p.createdAt) }) : t('admin.backups.previewing');
  return (
    <Dialog open={review.fileName !== null} title={title} onClose={review.restoring ? () => {} : review.close} size="lg"
      footer={
        <>
          {review.job ? null : <Button onClick={review.close} disabled={review.restoring}>{t('common.cancel')}</Button>}
          <Button variant="danger" disabled={!review.canRestore} pending={review.restoring} onClick={review.restore}>
            {t('admin.backups.restore')}
          </Button>
        </>
      }>
      <ErrorBanner error={review.previewError} />
      {!p ? <Loading label={t('admin.backups.previewing')} /> : (
        <div className="stack">
          <BackupFacts preview={p} />
          {p.integrity === 'ok' ? (
            <section className="stack" aria-labelledby="restore-title">
              <h3 id="restore-title" className="section-title">{t('admin.backups.restoreTitle')}</h3>
              <div className="banner banner--warn" role="note">{t('admin.backups.restoreWarning', { date: formatDateTime(p.createdAt) })}</div>
              <TextField label={t('admin.backups.confirmLabel')} value={review.typed} autoComplete="off" spellCheck={false}
                disabled={review.restoring} onChange={(e) => review.setTyped(e.target.value)} />
              {review.job ? (
                <JobProgress job={review.job} percent label={t(`admin.backups.restorePhase.${review.job.phase ?? 'copying'}`)}
                  cancelling={review.cancelling} onCancel={review.cancel} />
              ) : review.restoring ? <div className="banner" role="status" aria-live="polite"><Loading label={t('admin.backups.restoring')} /></div> : null}
              {review.cancelled ? <StatusMessage>{t('admin.backups.restoreCancelled')}</StatusMessage> : null}
              <ErrorBanner error={review.restoreError} />
            </section>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}

/** What a backup holds, as read from the file (shared with the recovery screen). */
export function BackupFacts({ preview: p }: { preview: BackupPreview }) {
  const { t } = useTranslation();
  const ok = p.integrity === 'ok';
  const rows: Array<[string, string | number]> = [
    [t('admin.backups.integrity'), ok ? t('admin.backups.integrityOk') : t('admin.backups.integrityBad', { detail: p.integrity })],
    [t('admin.backups.reason'), t(`admin.backups.reasons.${p.reason}`)],
    [t('admin.backups.size'), formatBytes(p.sizeBytes)],
  ];
  if (ok) {
    rows.push(
      [t('admin.backups.ticketsOpen'), p.tickets.open],
      [t('admin.backups.ticketsWaiting'), p.tickets.waiting],
      [t('admin.backups.ticketsClosed'), p.tickets.closed],
      [t('admin.backups.customers'), p.customers],
      [t('admin.backups.users'), p.users],
      [t('admin.backups.auditEntries'), p.auditEntries],
      [t('admin.backups.lastActivity'), p.lastActivityAt === null ? t('admin.backups.noActivity') : formatDateTime(p.lastActivityAt)],
      [t('admin.backups.attachmentsHeld'), p.attachments ?? 0],
      [t('admin.backups.attachmentsMissing'), p.attachmentsMissing],
      [t('admin.backups.schemaVersion'), p.schemaVersion ?? '—'],
    );
  }
  return (
    <dl className="details backup-facts" data-testid="backup-facts">
      {rows.map(([k, v]) => (
        <div key={k} className="backup-facts__row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
