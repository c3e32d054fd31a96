/**
 * The ticket's e-mails to the customer (issue 12) in its side panel: each notice (acknowledgement,
 * escalation, closure) with its state — en cola, enviado, error with its reason — looked at again
 * while one is still waiting, since the sender works in the background.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useApiQuery } from '../../app/useApiAction';
import { ErrorBanner } from '../../components';
import { NoticeBadge, reasonText } from './NoticeBadge';
import './strings';
import './mail.css';

export function TicketNotices({ ticketId, version }: { ticketId: string; version: number }) {
  const { t } = useTranslation();
  const notices = useApiQuery('mail.ticketNotices', { ticketId });
  const { reload } = notices;
  useEffect(() => {
    void reload();
  }, [version, reload]);
  const pending = (notices.data ?? []).some((n) => n.status === 'queued' || n.status === 'sending');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void reload(), 3_000);
    return () => clearInterval(timer);
  }, [pending, reload]);
  return (
    <section className="card mail-notices-card" aria-labelledby="ticket-mail-title" data-testid="ticket-notices">
      <h2 id="ticket-mail-title">{t('mailUi.ticketTitle')}</h2>
      <ErrorBanner error={notices.error} />
      {notices.data && notices.data.length === 0 ? <p className="muted small">{t('mailUi.ticketNone')}</p> : null}
      <ul className="mail-notices">
        {(notices.data ?? []).map((n) => (
          <li key={n.id} data-kind={n.kind}>
            <div className="mail-notices__head">
              <strong>{t(`mailUi.kind.${n.kind}`, { defaultValue: n.kind })}</strong>
              <NoticeBadge status={n.status} />
            </div>
            <span className="muted small">{n.recipient} · {formatDateTime(n.sentAt ?? n.createdAt)}</span>
            {n.status === 'failed' && n.lastError ? <span className="mail-notices__reason">{reasonText(t, n.lastError)}</span> : null}
            {n.status === 'unconfirmed' ? <span className="mail-notices__reason">{t('mailUi.unconfirmedReason')}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
