import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../../electron/shared/types';
import { ApiError, call } from '../../app/api';
import { formatBytes, formatDateTime } from '../../app/format';
import { followJob } from '../../app/jobs';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { Button, EmptyState, ErrorBanner, JobProgress, Loading, StatusMessage } from '../../components';

/** Backups run as a core job (issue 16): progress with the time left, and Cancelar. */
function useBackups() {
  const list = useApiQuery('backup.list', {});
  const [outcome, setOutcome] = useState<{ key: string; params?: Record<string, string> } | null>(null);
  const [job, setJob] = useState<JobInfo | null>(null);
  const create = useApiAction(async () => {
    setOutcome(null);
    const end = await followJob(await call('backup.start', {}), setJob);
    setJob(null);
    if (end.state === 'failed') throw new ApiError(end.error ?? { code: 'errors.internal' });
    if (end.state === 'cancelled') setOutcome({ key: 'admin.backups.cancelled' });
    if (end.backup) setOutcome({ key: 'admin.backups.created', params: { fileName: end.backup.fileName } });
    await list.reload();
  }, { onError: () => setJob(null) });
  const cancel = useApiAction(async (jobId: string) => call('jobs.cancel', { jobId }));
  const backups = [...(list.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return {
    backups, loading: list.loading, listError: list.error, create: () => void create.run(), pending: create.pending, error: create.error ?? cancel.error, outcome,
    job, cancel: () => job && void cancel.run(job.id), cancelling: cancel.pending,
  };
}

export function BackupsTab() {
  const { t } = useTranslation();
  const b = useBackups();
  return (
    <div className="stack">
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
                <th scope="col">{t('admin.backups.file')}</th>
                <th scope="col">{t('admin.backups.createdAt')}</th>
                <th scope="col" className="num">{t('admin.backups.size')}</th>
              </tr>
            </thead>
            <tbody>
              {b.backups.map((x) => (
                <tr key={x.fileName}>
                  <th scope="row" className="mono">{x.fileName}</th>
                  <td>{formatDateTime(x.createdAt)}</td>
                  <td className="num">{formatBytes(x.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
