/** Ticket detail: header, one timeline, the composer and the actions (assign, status, close). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../../../electron/shared/types';
import { useNav } from '../../stores/nav';
import { Composer } from './Composer';
import { NextTicket } from './NextTicket';
import { EscalationPanel } from './EscalationPanel';
import { TicketNotices } from '../mail/TicketNotices';
import { TicketMail } from '../mail/TicketMail';
import { useFlash } from './flash';
import { formatDateTime } from './format';
import { useOrgSettings } from './orgSettings';
import { SlaPanel } from './SlaPanel';
import { SuggestedArticles } from '../kb/ArticleInsert';
import { TicketActions } from './TicketActions';
import { Timeline } from './Timeline';
import { useTicket } from './ticketStore';
import { useTicketKeys } from './useTicketKeys';
import { Loading, StatusBadge } from '../../components';
import { ErrorBanner, LongText } from './ui';
import './ticket.css';

const DAY_MS = 24 * 60 * 60 * 1000;

const FLASH_TTL_MS = 2 * 60 * 1000;

function Flash({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const message = useFlash((s) => s.message);
  const clear = useFlash((s) => s.clear);
  if (!message || message.ticketId !== ticketId || Date.now() - (message.shownAt ?? 0) > FLASH_TTL_MS) return null;
  return (
    <div className="banner banner--ok flash" role="status">
      <p className="banner__body">{t(message.key, message.params ?? {})}</p>
      <button type="button" className="btn btn--ghost btn--sm" onClick={clear}>
        {t('common.close')}
      </button>
    </div>
  );
}

function ClosedNotice({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const settings = useOrgSettings((s) => s.settings);
  const { ticket } = detail;
  const closedAt = ticket.closedAt ?? ticket.updatedAt;
  const go = useNav((s) => s.go);
  if (ticket.mergedIntoId) {
    const target = ticket.mergedIntoTrackingNumber ?? '';
    const targetId = ticket.mergedIntoId;
    return (
      <section className="closed-notice" aria-labelledby="closed-title">
        <h2 id="closed-title">{t('ticket.closed.mergedTitle', { date: formatDateTime(closedAt) })}</h2>
        <p>{t('ticket.closed.merged', { trackingNumber: target })}</p>
        <p>
          <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: targetId }); }}>
            {t('ticket.closed.openTarget', { trackingNumber: target })}
          </a>
        </p>
      </section>
    );
  }
  let policy = '';
  if (settings?.closedTicketPolicy === 'new_linked') policy = t('ticket.closed.newLinked');
  else if (settings?.closedTicketPolicy === 'reopen_within') {
    const until = closedAt + settings.reopenWithinDays * DAY_MS;
    policy =
      Date.now() < until
        ? t('ticket.closed.reopenWithin', { date: formatDateTime(until), days: settings.reopenWithinDays })
        : t('ticket.closed.reopenExpired', { days: settings.reopenWithinDays });
  }
  return (
    <section className="closed-notice" aria-labelledby="closed-title">
      <h2 id="closed-title">{t('ticket.closed.title', { date: formatDateTime(closedAt) })}</h2>
      <dl>
        <dt>{t('ticket.cause')}</dt>
        <dd>{ticket.closeCause}</dd>
        <dt>{t('ticket.solution')}</dt>
        <dd>{ticket.closeSolution}</dd>
      </dl>
      <p>{t('ticket.closed.readOnly')}</p>
      {policy ? <p className="policy">{policy}</p> : null}
    </section>
  );
}

function TicketHeader({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { ticket, customer, contact } = detail;
  const link = (ticketId: string, text: string) => (
    <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId }); }}>
      {text}
    </a>
  );
  return (
    <header className="ticket-header">
      <p className="folio">
        {t('ticket.folio')} <strong data-testid="tracking-number">{ticket.trackingNumber}</strong> <StatusBadge status={ticket.status} waitingOn={ticket.waitingOn} />
      </p>
      <h1>{ticket.subject}</h1>
      <dl className="ticket-facts">
        <div>
          <dt>{t('ticket.customer')}</dt>
          <dd>
            <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'customer', customerId: customer.id }); }}>
              {customer.name}
            </a>
          </dd>
        </div>
        <div>
          <dt>{t('ticket.rfc')}</dt>
          <dd>{customer.rfc}</dd>
        </div>
        {contact ? (
          <div data-testid="ticket-contact">
            <dt>{t('ticket.customerContact')}</dt>
            <dd>
              {contact.name}
              {contact.phone ? <> · <a href={`tel:${contact.phone}`}>{contact.phone}</a></> : null}
              {contact.email ? <> · <a href={`mailto:${contact.email}`}>{contact.email}</a></> : null}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('ticket.severity')}</dt>
          <dd>{t(`severity.${ticket.severity}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.tier')}</dt>
          <dd>{t(`tier.${ticket.tier}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.priority')}</dt>
          <dd>{t(`priority.${ticket.priority}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.channel')}</dt>
          <dd>{t(`channel.${ticket.channel}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.category')}</dt>
          <dd>{t(`category.${ticket.category}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.requestType')}</dt>
          <dd>{t(`requestType.${ticket.requestType}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.supportType')}</dt>
          <dd>{t(`supportType.${ticket.supportType}`)}</dd>
        </div>
        <div>
          <dt>{t('ticket.assignee')}</dt>
          <dd>{ticket.assigneeName ?? t('ticket.unassigned')}</dd>
        </div>
        <div>
          <dt>{t('ticket.createdAt')}</dt>
          <dd>
            <time dateTime={new Date(ticket.createdAt).toISOString()}>{formatDateTime(ticket.createdAt)}</time>
          </dd>
        </div>
        {ticket.mergedIntoId ? (
          <div data-testid="merged-into">
            <dt>{t('ticket.mergedInto')}</dt>
            <dd>{link(ticket.mergedIntoId, ticket.mergedIntoTrackingNumber ?? ticket.mergedIntoId)}</dd>
          </div>
        ) : null}
        {detail.mergedFrom.length > 0 ? (
          <div data-testid="merged-from">
            <dt>{t('ticket.mergedFrom')}</dt>
            <dd>
              {detail.mergedFrom.map((m, i) => (
                <span key={m.id}>
                  {i > 0 ? ', ' : ''}
                  {link(m.id, m.trackingNumber)}
                </span>
              ))}
            </dd>
          </div>
        ) : null}
        {ticket.linkedTicketId ? (
          <div>
            <dt>{t('ticket.linkedTo')}</dt>
            <dd>{link(ticket.linkedTicketId, ticket.linkedTrackingNumber ?? ticket.linkedTicketId)}</dd>
          </div>
        ) : null}
      </dl>
      {ticket.description ? (
        <div className="ticket-description">
          <h2>{t('ticket.description')}</h2>
          <LongText className="ticket-description__text" text={ticket.description} />
        </div>
      ) : null}
    </header>
  );
}

export function TicketScreen({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const detail = useTicket((s) => (s.detail?.ticket.id === ticketId ? s.detail : null));
  const loadError = useTicket((s) => s.loadError);
  const actionError = useTicket((s) => s.actionError);
  const dismissError = useTicket((s) => s.dismissError);
  const load = useTicket((s) => s.load);
  const loadSettings = useOrgSettings((s) => s.load);
  useTicketKeys();

  useEffect(() => {
    void load(ticketId);
    void loadSettings();
  }, [ticketId, load, loadSettings]);

  if (!detail) {
    return (
      <section className="ticket-screen">
        <Flash ticketId={ticketId} />
        {loadError ? <ErrorBanner error={loadError} /> : <Loading label={t('ticket.loading')} />}
      </section>
    );
  }
  const closed = detail.ticket.status === 'closed';
  return (
    <section className={`ticket-screen${closed ? ' is-closed' : ''}`}>
      <Flash ticketId={ticketId} />
      <ErrorBanner error={actionError} onDismiss={dismissError} />
      <TicketHeader detail={detail} />
      <div className="ticket-layout">
        <div className="ticket-main">
          {closed ? <NextTicket ticketId={detail.ticket.id} /> : null}
          {closed ? <ClosedNotice detail={detail} /> : null}
          <Timeline events={detail.timeline} />
          <Composer key={detail.ticket.id} closed={closed} />
        </div>
        <aside className="ticket-side">
          <TicketActions detail={detail} />
          <SlaPanel />
          <EscalationPanel detail={detail} />
          <TicketMail ticketId={detail.ticket.id} customerId={detail.ticket.customerId} version={detail.timeline.length} />
          <TicketNotices ticketId={detail.ticket.id} version={detail.timeline.length} />
          <SuggestedArticles ticketId={detail.ticket.id} closed={closed} />
        </aside>
      </div>
    </section>
  );
}
