import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../app/api';
import { formatBytes, formatDateTime } from '../../app/format';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { Button, EmptyState, ErrorBanner, Loading, StatusMessage } from '../../components';

function useBackups() {
  const list = useApiQuery('backup.list', {});
  const [created, setCreated] = useState<string | null>(null);
  const create = useApiAction(async () => {
    setCreated(null);
    const backup = await call('backup.create', {});
    setCreated(backup.fileName);
    await list.reload();
  });
  const backups = [...(list.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return { backups, loading: list.loading, listError: list.error, create: () => void create.run(), pending: create.pending, error: create.error, created };
}

export function BackupsTab() {
  const { t } = useTranslation();
  const b = useBackups();
  return (
    <div className="stack">
      <div className="toolbar">
        <Button variant="primary" pending={b.pending} onClick={b.create}>{t('admin.backups.create')}</Button>
      </div>
      {b.created ? <StatusMessage>{t('admin.backups.created', { fileName: b.created })}</StatusMessage> : null}
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
