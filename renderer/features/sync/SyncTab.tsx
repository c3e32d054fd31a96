/**
 * Administración → Sincronización (issue 11): enrol this computer (server address + one-time
 * code), its state in words, "Sincronizar ahora", the changes the server rejected with their
 * reason and what to do, and un-enrolment. Core checks the administrator role on every call.
 */
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../electron/shared/sync/types';
import { formatDateTime } from '../../app/format';
import { Button, CheckboxField, ConfirmDialog, EmptyState, ErrorBanner, Loading, StatusMessage, TextField } from '../../components';
import { errorMessage, formatCount } from '../../i18n';
import { describeRejected, progressPercent, progressText, rejectionTexts, skewText, whenText } from './describe';
import { useSync } from './store';
import { useSyncAdmin } from './useSyncAdmin';
import './strings';
import './sync.css';

export function SyncTab() {
  const { t } = useTranslation();
  const status = useSync((s) => s.status);
  const a = useSyncAdmin();
  if (!status) return <Loading />;
  return (
    <div className="stack">
      <p className="muted">{t('syncUi.intro')}</p>
      {a.outcome ? <StatusMessage>{t(a.outcome.key, a.outcome.params ?? {})}</StatusMessage> : null}
      {status.enrolled ? <EnrolledView status={status} a={a} /> : <EnrolForm a={a} />}
    </div>
  );
}

type Admin = ReturnType<typeof useSyncAdmin>;

function EnrolForm({ a }: { a: Admin }) {
  const { t } = useTranslation();
  const { register, formState: { errors } } = a.form;
  return (
    <form className="sync-form" onSubmit={a.onEnrol} noValidate aria-labelledby="sync-enrol-title">
      <h2 id="sync-enrol-title" className="section-title">{t('syncUi.enrolTitle')}</h2>
      <p>{t('syncUi.enrolHelp')}</p>
      <ErrorBanner error={a.enrolError} hideFields />
      <TextField label={t('syncUi.url')} hint={t('syncUi.urlHint')} required autoComplete="url" spellCheck={false} error={errors.url?.message} {...register('url')} />
      <TextField label={t('syncUi.code')} hint={t('syncUi.codeHint')} required autoComplete="off" spellCheck={false} error={errors.code?.message} {...register('code')} />
      <CheckboxField label={t('syncUi.allowLanHttp')} hint={t('syncUi.allowLanHttpHint')} {...register('allowLanHttp')} />
      <div>
        <Button type="submit" variant="primary" pending={a.enrolPending}>{t('syncUi.enrol')}</Button>
      </div>
    </form>
  );
}

function EnrolledView({ status, a }: { status: SyncStatus; a: Admin }) {
  const { t } = useTranslation();
  const readAt = useSync((s) => s.readAt);
  const syncing = useSync((s) => s.syncing);
  const runError = useSync((s) => s.runError);
  const now = readAt || Date.now();
  return (
    <>
      <section aria-labelledby="sync-status-title" className="stack">
        <h2 id="sync-status-title" className="section-title">{t('syncUi.statusTitle')}</h2>
        <dl className="sync-status">
          <dt>{t('syncUi.server')}</dt>
          <dd className="mono">{status.url}</dd>
          <dt>{t('syncUi.branch')}</dt>
          <dd>{status.branch}</dd>
          <dt>{t('syncUi.lastPush')}</dt>
          <dd>{whenText(status.lastPushAt, now)}</dd>
          <dt>{t('syncUi.lastPull')}</dt>
          <dd>{whenText(status.lastPullAt, now)}</dd>
          <dt>{t('syncUi.lastSync')}</dt>
          <dd>{whenText(status.lastSyncAt, now)}</dd>
          <dt>{t('syncUi.pending')}</dt>
          <dd>{status.pendingCapped ? t('syncUi.indicator.pendingMany', { count: formatCount(status.pending) }) : formatCount(status.pending)}</dd>
          <dt>{t('syncUi.nextAttempt')}</dt>
          <dd>{status.running ? t('syncUi.running') : status.nextAttemptAt ? formatDateTime(status.nextAttemptAt) : t('syncUi.nextAttemptNone')}</dd>
          {status.pendingDownloads ? (
            <>
              <dt>{t('syncUi.pendingDownloads')}</dt>
              <dd title={t('syncUi.pendingDownloadsHelp')}>{formatCount(status.pendingDownloads)}</dd>
            </>
          ) : null}
          <dt>{t('syncUi.lastError')}</dt>
          <dd data-testid="sync-last-error">
            {status.lastError ? `${errorMessage({ code: status.lastError })}${status.lastErrorAt ? ` — ${whenText(status.lastErrorAt, now)}` : ''}` : t('syncUi.none')}
          </dd>
        </dl>
        <SyncProgressView status={status} />
        {status.clockSkewMs !== null ? (
          <p className="banner banner--warn" role="status">
            {t(status.clockSkewMs > 0 ? 'syncUi.clockSkewAhead' : 'syncUi.clockSkewBehind', { amount: skewText(status.clockSkewMs) })}
          </p>
        ) : null}
        <ErrorBanner error={runError} />
        <div className="toolbar">
          <Button variant="primary" pending={syncing || status.running} onClick={() => void a.syncNow()}>{t('syncUi.syncNow')}</Button>
          <Button variant="danger" onClick={() => a.setConfirmUnenrol(true)}>{t('syncUi.unenrol')}</Button>
        </div>
      </section>
      <RejectedList a={a} />
      <ConfirmDialog
        open={a.confirmUnenrol}
        title={t('syncUi.unenrolTitle')}
        message={t('syncUi.unenrolMessage')}
        confirmLabel={t('syncUi.unenrol')}
        danger
        pending={a.unenrolPending}
        onConfirm={() => void a.onUnenrol()}
        onCancel={() => a.setConfirmUnenrol(false)}
      >
        <ErrorBanner error={a.unenrolError} />
      </ConfirmDialog>
    </>
  );
}

/** The run going now: phase, rows done of the estimated total, a bar (a first sync of a large organization takes a while). */
function SyncProgressView({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  const text = progressText(status);
  if (!text) return null;
  const percent = progressPercent(status);
  return (
    <div className="sync-progress stack" role="status" aria-live="polite">
      {status.progress?.firstSync && status.progress.phase === 'pull' ? <p>{t('syncUi.firstSyncHelp')}</p> : null}
      <p data-testid="sync-progress">{text}</p>
      <progress max={100} aria-label={t('syncUi.progressTitle')} {...(percent !== null ? { value: percent } : {})} />
    </div>
  );
}

function RejectedList({ a }: { a: Admin }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="sync-rejected-title" className="stack">
      <h2 id="sync-rejected-title" className="section-title">{t('syncUi.rejectedTitle')}</h2>
      <p className="muted">{t('syncUi.rejectedHelp')}</p>
      <ErrorBanner error={a.rejectedError} />
      {a.rejectedLoading && a.rejected.length === 0 ? (
        <Loading />
      ) : a.rejected.length === 0 ? (
        <EmptyState>{t('syncUi.rejectedNone')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('syncUi.rejectedWhen')}</th>
                <th scope="col">{t('syncUi.rejectedWhat')}</th>
                <th scope="col">{t('syncUi.rejectedChange')}</th>
                <th scope="col">{t('syncUi.rejectedReason')}</th>
                <th scope="col">{t('syncUi.rejectedAction')}</th>
              </tr>
            </thead>
            <tbody>
              {a.rejected.map((m) => {
                const d = describeRejected(m);
                const r = rejectionTexts(m.reason);
                return (
                  <tr key={m.pushSeq}>
                    <td>{formatDateTime(m.createdAt)}</td>
                    <th scope="row">{d.title}</th>
                    <td>
                      <ul className="sync-changes">{d.fields.map((f) => <li key={f}>{f}</li>)}</ul>
                    </td>
                    <td>{r.reason}</td>
                    <td>{r.action}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
