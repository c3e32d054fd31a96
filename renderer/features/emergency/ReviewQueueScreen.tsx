/**
 * "Revisión de emergencias": the security officer's queue of finished emergency sessions, each
 * with the timeline of its actions, the before/after values and its anomalies highlighted; sign
 * off, or record a finding — both with a required comment.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmergencyReviewItem } from '../../../electron/shared/request-types';
import { Button, EmptyState, ErrorBanner, Loading, PageHeader, StatusMessage, formatDateTime } from '../../components';
import { useNav } from '../../stores/nav';
import { AuditEntryDetail } from '../audit-log/AuditEntry';
import { auditActionLabel, auditActorLabel } from '../audit-log/describe';
import '../audit-log/audit-log.css';
import { CommentDialog } from '../requests/DecisionDialogs';
import { DiffTable } from '../requests/parts';
import { useEmergencyReviews } from './reviewStore';
import '../requests/requests.css';
import './strings';

export function ReviewQueueScreen() {
  const { t } = useTranslation();
  const q = useEmergencyReviews();

  useEffect(() => {
    void useEmergencyReviews.getState().load();
  }, []);

  return (
    <section className="page stack review-queue">
      <PageHeader title={t('emergencyUi.review.title')}><p className="muted">{t('emergencyUi.review.intro')}</p></PageHeader>
      {q.done ? <StatusMessage>{t(`emergencyUi.review.done.${q.done.outcome}`, { username: q.done.username })}</StatusMessage> : null}
      <ErrorBanner error={q.error} />
      {q.loading && q.items.length === 0 ? <Loading label={t('emergencyUi.review.loading')} /> : q.items.length === 0 ? (
        <EmptyState>{t('emergencyUi.review.empty')}</EmptyState>
      ) : q.items.map((item) => <ReviewItem key={item.account.id} item={item} />)}
      {q.reviewing ? (
        <CommentDialog
          title={t(q.reviewing.outcome === 'signed_off' ? 'emergencyUi.review.signOffTitle' : 'emergencyUi.review.findingTitle', { username: q.reviewing.username })}
          confirmLabel={t(q.reviewing.outcome === 'signed_off' ? 'emergencyUi.review.signOff' : 'emergencyUi.review.finding')}
          danger={q.reviewing.outcome === 'finding'}
          pending={q.pending}
          error={q.reviewError}
          onClose={() => q.open(null)}
          onConfirm={(comment) => void q.review(comment)}
        />
      ) : null}
    </section>
  );
}

function ReviewItem({ item }: { item: EmergencyReviewItem }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const open = useEmergencyReviews((s) => s.open);
  const a = item.account;
  const anomalous = new Set(item.anomalies.map((x) => x.seq));
  const titleId = `review-${a.id}`;
  return (
    <article className="card stack review-item" aria-labelledby={titleId} data-account={a.username}>
      <header className="review-item__head">
        <h2 id={titleId}>{t('emergencyUi.review.item', { username: a.username, customer: item.request.customerName })}</h2>
        {item.anomalies.length > 0 ? <span className="badge badge--danger">{t('emergencyUi.review.anomalies')}: {item.anomalies.length}</span> : null}
      </header>
      <dl className="details">
        <dt>{t('emergencyUi.review.request')}</dt>
        <dd>
          {item.request.trackingNumber} · {t(`requestKind.${item.request.kind}`)} · {t(`requestState.${item.request.state}`)}{' '}
          <Button size="sm" variant="ghost" onClick={() => go({ name: 'request', requestId: item.request.id })}>{t('emergencyUi.review.openRequest')}</Button>
        </dd>
        <dt>{t('emergencyUi.review.implementer')}</dt>
        <dd>{a.implementerName ?? '—'}</dd>
        <dt>{t('emergencyUi.review.window')}</dt>
        <dd>{formatDateTime(a.startsAt)} – {formatDateTime(a.endsAt)}</dd>
        <dt>{t('emergencyUi.review.ended')}</dt>
        <dd>{t(`emergencyUi.review.disabledReason.${a.disabledReason ?? 'none'}`)}{a.disabledAt ? ` · ${formatDateTime(a.disabledAt)}` : ''}</dd>
      </dl>
      {a.review?.outcome === 'finding' ? <p className="banner banner--warn">{t('emergencyUi.review.previousFinding', { comment: a.review.comment })}</p> : null}

      <h3>{t('emergencyUi.review.changes')}</h3>
      <DiffTable diff={item.changes} caption={t('emergencyUi.review.changes')} emptyText={t('emergencyUi.review.noChanges')} />

      <h3>{t('emergencyUi.review.anomalies')}</h3>
      {item.anomalies.length === 0 ? <p className="muted">{t('emergencyUi.review.noAnomalies')}</p> : (
        <ul className="anomalies">
          {item.anomalies.map((x) => (
            <li key={x.seq} className="anomaly" data-kind={x.kind}>
              <strong>{t(`emergencyUi.review.anomaly.${x.kind}`)}</strong> · {formatDateTime(x.at)} · #{x.seq}
            </li>
          ))}
        </ul>
      )}

      <h3>{t('emergencyUi.review.timeline')}</h3>
      <div className="table-wrap">
        <table className="table review-timeline">
          <caption className="sr-only">{t('emergencyUi.review.timeline')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('auditLog.col.seq')}</th>
              <th scope="col">{t('emergencyUi.review.at')}</th>
              <th scope="col">{t('auditLog.col.actor')}</th>
              <th scope="col">{t('emergencyUi.review.action')}</th>
              <th scope="col">{t('emergencyUi.review.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {item.timeline.map((e) => (
              <tr key={e.seq} className={anomalous.has(e.seq) ? 'row--anomaly' : undefined} data-action={e.action}>
                <td className="num">{e.seq}</td>
                <td>{formatDateTime(e.at)}</td>
                <td>{auditActorLabel(e)}</td>
                <td>{auditActionLabel(e.action)}</td>
                <td className="small"><AuditEntryDetail entry={e} userName={(id) => (id === a.implementerId ? a.implementerName ?? undefined : undefined)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <Button variant="primary" onClick={() => open({ accountId: a.id, username: a.username ?? '', outcome: 'signed_off' })}>{t('emergencyUi.review.signOff')}</Button>
        <Button variant="danger" onClick={() => open({ accountId: a.id, username: a.username ?? '', outcome: 'finding' })}>{t('emergencyUi.review.finding')}</Button>
      </div>
    </article>
  );
}
