/**
 * A running job: a progress bar, "n of m" (or the percent, for work counted in bytes) with the time
 * left, and a Cancel button — absent once the job can no longer be stopped.
 */
import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../electron/shared/types';
import { Button } from './Button';

export function JobProgress({ job, label, onCancel, cancelling, percent }: {
  job: JobInfo; label: string; onCancel?: () => void; cancelling?: boolean; percent?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const number = (n: number) => n.toLocaleString(i18n.language);
  const count = job.total === null ? t('jobs.starting')
    : percent ? t('jobs.percent', { percent: Math.floor((100 * job.done) / Math.max(1, job.total)) })
    : t('jobs.progress', { done: number(job.done), total: number(job.total) });
  const seconds = job.etaMs === null ? 0 : Math.max(1, Math.round(job.etaMs / 1000));
  const time = seconds < 60 ? t('jobs.seconds', { count: seconds }) : t('jobs.minutes', { count: Math.round(seconds / 60) });
  const left = job.etaMs === null ? '' : t('jobs.left', { time });
  return (
    <div className="card job-progress" role="status" aria-live="polite" data-testid="job-progress">
      <label className="job-progress__label">
        {label}
        <progress max={job.total ?? undefined} value={job.total === null ? undefined : job.done} />
      </label>
      <span className="muted small">{left ? `${count} · ${left}` : count}</span>
      {onCancel ? <Button size="sm" pending={cancelling} onClick={onCancel}>{t('common.cancel')}</Button> : null}
    </div>
  );
}

