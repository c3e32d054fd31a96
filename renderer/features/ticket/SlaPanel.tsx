/**
 * The ticket's service level: the policy that applies, each clock (first response, next response,
 * resolution) with its due moment, business time used against the target, and its state.
 */
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../board/duration';
import { SlaChip } from '../board/SlaChip';
import { formatDateTime } from './format';
import { metricState } from './slaClock';
import { useTicket } from './ticketStore';
import { ErrorBanner } from './ui';

export function SlaPanel() {
  const { t } = useTranslation();
  const sla = useTicket((s) => s.sla);
  const slaError = useTicket((s) => s.slaError);
  return (
    <section className="card sla-panel" aria-labelledby="sla-title" data-testid="sla-panel">
      <h2 id="sla-title">{t('ticket.sla.title')}</h2>
      <ErrorBanner error={slaError} />
      {sla ? (
        <>
          <p className="sla-panel__policy">
            <span className="muted small">{t('ticket.sla.policy')}</span> <strong>{sla.policyName}</strong>
          </p>
          <p>
            <span className="muted small">{t('ticket.sla.state')}</span> <SlaChip state={sla.state} />
          </p>
          <ul className="sla-metrics" aria-label={t('ticket.sla.clocks')}>
            {sla.metrics.map((m) => (
              <li key={m.metric} className="sla-metric" data-metric={m.metric}>
                <div className="sla-metric__head">
                  <strong>{t(`ticket.sla.metricName.${m.metric}`)}</strong> <SlaChip state={metricState(m, sla.now)} />
                </div>
                <dl className="sla-metric__facts">
                  <dt>{t('ticket.sla.due')}</dt>
                  <dd>{m.dueAt !== null ? <time dateTime={new Date(m.dueAt).toISOString()}>{formatDateTime(m.dueAt)}</time> : t('ticket.sla.pausedDue')}</dd>
                  <dt>{t('ticket.sla.elapsed')}</dt>
                  <dd>{t('ticket.sla.elapsedOf', { elapsed: formatDuration(m.elapsedMinutes), target: formatDuration(m.targetMinutes) })}</dd>
                </dl>
              </li>
            ))}
          </ul>
          {!sla.metrics.some((m) => m.metric === 'first_response') ? <p className="small muted">{t('ticket.sla.immediate')}</p> : null}
        </>
      ) : null}
    </section>
  );
}
