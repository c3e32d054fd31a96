/**
 * The read-only sections of a request: its data, the before/after table, the approvals, the
 * implementer and emergency accounts, and the decisions timeline. Shared by the detail screen and
 * the emergency session (which may call nothing but its own request).
 */
import { useTranslation } from 'react-i18next';
import type { ChangeRequest, EmergencyAccountInfo } from '../../../electron/shared/request-types';
import { formatDateTime } from '../../components';
import { DiffTable } from './parts';
import './strings';

export function RequestFacts({ request, signedFormAction }: { request: ChangeRequest; signedFormAction?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="request-facts">
      <h2 id="request-facts">{t('requests.detail.summary')}</h2>
      <dl className="details request-facts">
        <dt>{t('requests.detail.customer')}</dt>
        <dd>{request.customerName} · <span className="mono">{request.rfc}</span></dd>
        <dt>{t('requests.detail.ticket')}</dt>
        <dd className="mono">{request.trackingNumber}</dd>
        <dt>{t('requests.detail.registeredBy')}</dt>
        <dd>{request.createdByName ?? '—'} · {formatDateTime(request.createdAt)}</dd>
        <dt>{t('requests.detail.requester')}</dt>
        <dd>{request.requesterName}</dd>
        <dt>{t('requests.detail.fromEmail')}</dt>
        <dd>{request.fromEmail}</dd>
        <dt>{t('requests.detail.reason')}</dt>
        <dd className="pre">{request.reason}</dd>
        <dt>{t('requests.detail.signedForm')}</dt>
        <dd>{request.signedForm ? <>{request.signedForm.fileName} {signedFormAction}</> : t('requests.detail.noSignedForm')}</dd>
      </dl>
    </section>
  );
}

export function RequestDiff({ request }: { request: ChangeRequest }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="request-diff">
      <h2 id="request-diff">{t('requests.detail.diff')}</h2>
      <DiffTable diff={request.diff} caption={t('requests.detail.diffCaption')} />
    </section>
  );
}

export function RequestApprovals({ request }: { request: ChangeRequest }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="request-approvals">
      <h2 id="request-approvals">{t('requests.detail.approvals')}</h2>
      <ul className="approvals">
        {request.requiredApprovals.map((role) => {
          const a = request.approvals.find((x) => x.role === role);
          return (
            <li key={role} data-role={role} className={a ? 'approval approval--done' : 'approval'}>
              <strong>{t(`role.${role}`)}</strong>:{' '}
              {a ? t('requests.detail.approvedBy', { name: a.actorName ?? '—', at: formatDateTime(a.at) }) : t('requests.detail.approvalPending')}
            </li>
          );
        })}
      </ul>
      <h3>{t('requests.detail.implementer')}</h3>
      <p>{request.implementerName ?? t('requests.detail.noImplementer')}</p>
      {request.controlAdicional ? <p className="banner banner--warn">{t('requests.detail.controlAdicionalNote')}</p> : null}
      {request.secondReview ? (
        <p>
          <strong>{t('requests.detail.secondReview')}</strong>:{' '}
          {t('requests.detail.secondReviewBy', { name: request.secondReview.actorName ?? '—', at: formatDateTime(request.secondReview.at) })}
        </p>
      ) : null}
    </section>
  );
}

export type AccountStatus = 'live' | 'expired' | 'revoked' | 'locked' | 'signed_out';

/**
 * From the server's facts only (the web host's clock may be pinned, so the window's clock is no
 * guide): an account is live until core disables it — at its end, on every call and by the sweep.
 */
export function accountStatus(a: EmergencyAccountInfo): AccountStatus {
  if (a.disabledAt === null) return 'live';
  return a.disabledReason === 'revoked' || a.disabledReason === 'locked' || a.disabledReason === 'signed_out' ? a.disabledReason : 'expired';
}

export function EmergencyAccounts({ request, actions }: { request: ChangeRequest; actions?: (a: EmergencyAccountInfo) => React.ReactNode }) {
  const { t } = useTranslation();
  if (request.emergencyAccounts.length === 0) return null;
  return (
    <section className="card" aria-labelledby="request-accounts">
      <h2 id="request-accounts">{t('requests.detail.accounts')}</h2>
      <ul className="accounts">
        {request.emergencyAccounts.map((a) => {
          const status = accountStatus(a);
          return (
            <li key={a.id} data-account={a.username ?? a.id}>
              {a.username ? <span className="mono">{a.username}</span> : <span className="muted">{t('requests.detail.usernameHidden')}</span>} · {a.implementerName ?? '—'} ·{' '}
              {t('requests.detail.accountWindow', { from: formatDateTime(a.startsAt), to: formatDateTime(a.endsAt) })}{' '}
              <span className={`badge ${status === 'live' ? 'badge--warn' : 'badge--muted'}`}>{t(`requests.detail.accountStatus.${status}`)}</span>{' '}
              <span className={`badge ${a.review?.outcome === 'signed_off' ? 'badge--ok' : a.review ? 'badge--danger' : 'badge--muted'}`}>
                {t(`requests.detail.accountReviewed.${a.review?.outcome ?? 'none'}`)}
              </span>{' '}
              {actions?.(a)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function RequestTimeline({ request }: { request: ChangeRequest }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="request-timeline">
      <h2 id="request-timeline">{t('requests.detail.timeline')}</h2>
      {request.decisions.length === 0 ? (
        <p className="muted">{t('requests.detail.timelineEmpty')}</p>
      ) : (
        <ol className="decisions">
          {request.decisions.map((d) => (
            <li key={d.id} className={`decision decision--${d.decision}`} data-decision={d.decision}>
              <div className="decision__head">
                <strong>{t(`decision.${d.decision}`)}</strong>
                {d.role ? <> · {t(`role.${d.role}`)}</> : null} · {d.actorName ?? '—'} ·{' '}
                <time dateTime={new Date(d.createdAt).toISOString()}>{formatDateTime(d.createdAt)}</time>
              </div>
              {d.comment ? <p className="decision__comment pre">{d.comment}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
