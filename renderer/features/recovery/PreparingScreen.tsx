/**
 * Shown while core makes the backup that comes before an update of the database (on a worker
 * thread): what it is doing, the percent and the time left, asked again every half second.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import './strings';

const POLL_MS = 500;

export function PreparingScreen() {
  const { t, i18n } = useTranslation();
  const preparing = useBoot((s) => s.status?.preparing ?? null);
  const load = useBoot((s) => s.load);
  const setStatus = useBoot((s) => s.setStatus);

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(() => {
      void call('app.status', {}).then(
        (status) => {
          if (stopped) return;
          // Done: the full boot (it resumes a session kept from before).
          if (status.preparing) setStatus(status);
          else void load();
        },
        () => undefined, // the next tick asks again
      );
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [load, setStatus]);

  if (!preparing) return null;
  const percent = preparing.total ? Math.floor((preparing.done / preparing.total) * 100) : null;
  const seconds = preparing.etaMs === null ? null : Math.max(1, Math.round(preparing.etaMs / 1000));
  const time = seconds === null ? null : seconds < 60 ? t('jobs.seconds', { count: seconds }) : t('jobs.minutes', { count: Math.round(seconds / 60) });
  const percentText = percent === null ? t('preparing.starting') : `${new Intl.NumberFormat(i18n.language).format(percent)} %`;
  return (
    <main className="center-screen">
      <div className="card card--wide" role="status" aria-live="polite">
        <h1 className="card__title">{t('preparing.title')}</h1>
        <p>{t('preparing.body')}</p>
        <label className="job-progress__label">
          {t('preparing.backup')}
          <progress max={100} {...(percent !== null ? { value: percent } : {})} />
        </label>
        <p className="muted">{time ? `${percentText} · ${t('jobs.left', { time })}` : percentText}</p>
        <p className="muted small">{t('preparing.dontClose')}</p>
      </div>
    </main>
  );
}
