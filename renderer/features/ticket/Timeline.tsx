/** The ticket's single timeline, oldest first; each event kind looks different. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { AttachmentInfo, TimelineEvent } from '../../../electron/shared/types';
import { useNav } from '../../stores/nav';
import { isPreviewable } from '../../../electron/shared/images';
import { downloadAttachment, toErrorInfo } from './evidence';
import { ImagePreview } from './ImagePreview';
import { formatBytes, formatDateTime } from './format';
import { ErrorBanner, LongText } from './ui';

const TRANSLATED_FIELDS: Record<string, string> = {
  category: 'category', priority: 'priority', requestType: 'requestType', supportType: 'supportType',
  severity: 'severity', tier: 'tier', channel: 'channel',
};

function str(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function AttachmentList({ attachments }: { attachments: AttachmentInfo[] }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (attachments.length === 0) return null;
  const images = attachments.filter((a) => isPreviewable(a.mimeType));
  return (
    <div className="attachments">
      {images.length > 0 ? (
        <ul className="image-previews" aria-label={t('evidence.list')}>
          {images.map((a) => (
            <li key={a.id}>
              <ImagePreview attachment={a} />
            </li>
          ))}
        </ul>
      ) : null}
      <ul aria-label={t('evidence.list')}>
        {attachments.map((a) => (
          <li key={a.id}>
            <button type="button" className="btn btn--ghost btn--sm" onClick={() => downloadAttachment(a.id).then(() => setError(null), (e: unknown) => setError(toErrorInfo(e)))}>
              {t('evidence.download')} <span className="file-name">{a.fileName}</span>
            </button>{' '}
            <span className="file-meta">{a.mimeType}</span> <span className="file-meta">{formatBytes(a.sizeBytes)}</span>
            {a.pendingDownload ? (
              <>
                {' '}
                <span className="file-meta file-meta--pending" title={t('evidence.pendingDownloadHint')}>{t('evidence.pendingDownload')}</span>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
    </div>
  );
}

function EventDetails({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const d = event.data;
  const statusLabel = (status: unknown, waitingOn: unknown) =>
    status === 'waiting' && waitingOn ? t(`waitingOn.${str(waitingOn)}`) : status ? t(`status.${str(status)}`) : '—';

  switch (event.kind) {
    case 'contact_attempt':
      return (
        <p className="event-facts">
          {t(d.method === 'email' ? 'ticket.contact.email' : 'ticket.contact.phone')} ·{' '}
          <strong>{t(d.reached ? 'ticket.contact.reached' : 'ticket.contact.notReached')}</strong>
        </p>
      );
    case 'status_change':
    case 'reopened':
      return (
        <p className="event-facts">
          {t('ticket.statusChange', {
            from: statusLabel(d.from, d.fromWaitingOn),
            to: statusLabel(d.to, d.waitingOn),
          })}
        </p>
      );
    case 'assignment':
      return <p className="event-facts">{d.assigneeName ? t('ticket.assigned', { name: str(d.assigneeName) }) : t('ticket.unassignedEvent')}</p>;
    case 'field_change': {
      // data: { <field>: { from, to } } (one entry per changed field).
      const changes = Object.entries(d).filter(
        (entry): entry is [string, { from: unknown; to: unknown }] => typeof entry[1] === 'object' && entry[1] !== null && 'to' in entry[1],
      );
      if (changes.length === 0) return null;
      return (
        <ul className="event-facts">
          {changes.map(([field, change]) => {
            const prefix = TRANSLATED_FIELDS[field];
            const value = (v: unknown) => (prefix && v !== null && v !== undefined && v !== '' ? t(`${prefix}.${str(v)}`) : str(v) || '—');
            return (
              <li key={field}>
                {t('ticket.fieldChange', { field: t(`ticket.fieldName.${field}`, { defaultValue: field }), from: value(change.from), to: value(change.to) })}
              </li>
            );
          })}
        </ul>
      );
    }
    case 'created':
      return (
        <p className="event-facts">
          {[d.channel ? t(`channel.${str(d.channel)}`) : '', d.severity ? t(`severity.${str(d.severity)}`) : '', d.tier ? t(`tier.${str(d.tier)}`) : '']
            .filter(Boolean)
            .join(' · ')}
        </p>
      );
    case 'closed':
      if (!d.cause && !d.solution) return null;
      return (
        <dl className="event-facts close-facts">
          <dt>{t('ticket.cause')}</dt>
          <dd>{str(d.cause)}</dd>
          <dt>{t('ticket.solution')}</dt>
          <dd>{str(d.solution)}</dd>
        </dl>
      );
    case 'linked': {
      const linkedId = str(d.ticketId ?? d.linkedTicketId);
      const label = t('ticket.linkedEvent', { trackingNumber: str(d.trackingNumber) });
      return (
        <p className="event-facts">
          {linkedId ? (
            <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: linkedId }); }}>
              {label}
            </a>
          ) : (
            label
          )}
        </p>
      );
    }
    case 'survey_answered': {
      const rating = Number(d.rating);
      return (
        <p className="event-facts" data-testid="survey-answer">
          <strong>{t('ticket.survey.rating', { rating })}</strong>{' '}
          <span aria-hidden="true" className="survey-stars">{'★'.repeat(rating)}{'☆'.repeat(Math.max(0, 5 - rating))}</span>{' '}
          · {t(`ticket.survey.source.${str(d.source)}`, { defaultValue: '' })}
        </p>
      );
    }
    case 'merged':
    case 'merged_in': {
      const otherId = str(d.ticketId);
      const text = event.kind === 'merged'
        ? t('ticket.mergedEvent', { trackingNumber: str(d.trackingNumber) })
        : t('ticket.mergedInEvent', { trackingNumber: str(d.trackingNumber), subject: str(d.subject) });
      return (
        <p className="event-facts">
          {text}{' '}
          {otherId ? (
            <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: otherId }); }}>
              {str(d.trackingNumber)}
            </a>
          ) : null}
        </p>
      );
    }
    case 'escalated':
    case 'deescalated': {
      const regraded = d.severityTo !== undefined && d.severityTo !== d.severityFrom;
      return (
        <dl className="event-facts tier-facts">
          <dt>{t('ticket.route.move')}</dt>
          <dd className="tier-move">{t('ticket.route.fromTo', { from: t(`tier.${str(d.from)}`), to: t(`tier.${str(d.to)}`) })}</dd>
          <dt>{t('ticket.route.reason')}</dt>
          <dd>{str(d.reason) || event.body}</dd>
          {regraded ? (
            <>
              <dt>{t('ticket.severity')}</dt>
              <dd>{t('ticket.route.fromTo', { from: t(`severity.${str(d.severityFrom)}`), to: t(`severity.${str(d.severityTo)}`) })}</dd>
            </>
          ) : null}
          {event.kind === 'escalated' && d.expectedResponseHours !== undefined ? (
            <>
              <dt>{t('ticket.route.expected')}</dt>
              <dd>{t('ticket.route.hours', { count: Number(d.expectedResponseHours) })}</dd>
            </>
          ) : null}
          {event.kind === 'escalated' && d.customerNotice ? (
            <>
              <dt>{t('ticket.route.notice')}</dt>
              <dd className="customer-notice">{str(d.customerNotice)}</dd>
            </>
          ) : null}
        </dl>
      );
    }
    case 'handed_back':
      return (
        <dl className="event-facts tier-facts">
          <dt>{t('ticket.route.move')}</dt>
          <dd className="tier-move">{t('ticket.route.fromTo', { from: t(`tier.${str(d.from)}`), to: t(`tier.${str(d.to)}`) })}</dd>
          <dt>{t('ticket.cause')}</dt>
          <dd>{str(d.cause)}</dd>
          <dt>{t('ticket.solution')}</dt>
          <dd>{str(d.solution)}</dd>
        </dl>
      );
    case 'sla_breach':
      return (
        <p className="event-facts">
          {t('ticket.route.breach', {
            metric: t(`ticket.sla.metricName.${str(d.metric)}`, { defaultValue: str(d.metric) }),
            due: typeof d.dueAt === 'number' ? formatDateTime(d.dueAt) : '—',
          })}
        </p>
      );
    default:
      return null;
  }
}

/** Kinds whose body is already shown, structured, by EventDetails. */
const BODY_IN_DETAILS = new Set<TimelineEvent['kind']>(['escalated', 'deescalated', 'handed_back']);

export function TimelineItem({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const internal = event.kind === 'note';
  const from = event.fromTicket;
  return (
    <li
      className={`event event-${event.kind}${internal ? ' event-internal' : ''}${from ? ' event-merged-from' : ''}`}
      data-kind={event.kind}
      data-from-ticket={from?.trackingNumber}
    >
      <header className="event-header">
        <span className="event-kind">{t(`ticket.event.${event.kind}`)}</span>
        {internal ? <span className="badge badge-internal">{t('ticket.internalBadge')}</span> : null}
        {from ? (
          <a href="#" className="badge badge-from" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: from.id }); }}>
            {t('ticket.fromTicket', { trackingNumber: from.trackingNumber })}
          </a>
        ) : null}
        <span className="event-actor">{t('ticket.by', { actor: event.actorName ?? t('ticket.system') })}</span>
        <time dateTime={new Date(event.createdAt).toISOString()}>{formatDateTime(event.createdAt)}</time>
      </header>
      <EventDetails event={event} />
      {event.body && !(event.kind === 'closed' && event.data.cause) && !BODY_IN_DETAILS.has(event.kind) ? <LongText className="event-body" text={event.body} /> : null}
      <AttachmentList attachments={event.attachments} />
    </li>
  );
}

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const ordered = [...events].sort((a, b) => a.createdAt - b.createdAt);
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('ticket.timeline')}</h2>
      {ordered.length === 0 ? <p>{t('ticket.emptyTimeline')}</p> : null}
      <ol>
        {ordered.map((e) => (
          <TimelineItem key={e.id} event={e} />
        ))}
      </ol>
    </section>
  );
}
