/**
 * "Fusionar con…": picks, among the customer's other open or waiting tickets, the one that keeps the case, says
 * what merging does (this ticket closes, its history shows in the other) and merges on confirmation. Core checks
 * everything again (same customer, open target, tiers).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { TicketDetail, TicketSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { Dialog, Loading, StatusBadge } from '../../components';
import { formatDateTime } from './format';
import { useTicket } from './ticketStore';
import { Button, ErrorBanner } from './ui';

export function MergeDialog({ detail, onClose }: { detail: TicketDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const merge = useTicket((s) => s.merge);
  const busy = useTicket((s) => s.busy);
  const actionError = useTicket((s) => s.actionError);
  const [candidates, setCandidates] = useState<TicketSummary[] | null>(null);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const { ticket, customer } = detail;

  useEffect(() => {
    let live = true;
    call('tickets.list', { customerId: customer.id, status: ['open', 'waiting'], sort: 'updatedAt', direction: 'desc', limit: 100 })
      .then((page) => live && setCandidates(page.rows.filter((r) => r.id !== ticket.id)))
      .catch((error: unknown) => {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        if (live) setLoadError(info);
      });
    return () => {
      live = false;
    };
  }, [customer.id, ticket.id]);

  const target = candidates?.find((c) => c.id === chosen) ?? null;
  const confirm = async () => {
    if (!target) return;
    if (await merge(target.id)) onClose();
  };

  return (
    <Dialog
      open
      size="lg"
      title={t('ticket.merge.title', { trackingNumber: ticket.trackingNumber })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>{t('common.cancel')}</Button>
          <Button variant="danger" disabled={!target} pending={busy} onClick={() => void confirm()}>
            {t('ticket.merge.confirm')}
          </Button>
        </>
      }
    >
      <div className="stack merge-dialog">
        <p>{t('ticket.merge.intro', { customer: customer.name })}</p>
        <ErrorBanner error={loadError ?? actionError} hideFields />
        {candidates === null && !loadError ? <Loading label={t('ticket.merge.loading')} /> : null}
        {candidates?.length === 0 ? <p className="muted">{t('ticket.merge.none', { customer: customer.name })}</p> : null}
        {candidates && candidates.length > 0 ? (
          <fieldset className="merge-choices">
            <legend>{t('ticket.merge.choose')}</legend>
            {candidates.map((c) => (
              <label key={c.id} className="merge-choice" data-ticket={c.trackingNumber}>
                <input type="radio" name="merge-target" value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} />
                <span className="mono">{c.trackingNumber}</span> <span className="merge-choice__subject">{c.subject}</span>{' '}
                <StatusBadge status={c.status} waitingOn={c.waitingOn} />{' '}
                <span className="muted small">{formatDateTime(c.updatedAt)}</span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {target ? (
          <p className="merge-what" role="status">
            {t('ticket.merge.what', { source: ticket.trackingNumber, target: target.trackingNumber })}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
