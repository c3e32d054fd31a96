/** Assignment, status and closing controls; disabled on a closed ticket. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../../../electron/shared/types';
import { CloseDialog } from './CloseDialog';
import { MergeDialog } from './MergeDialog';
import { statusChoiceOf, useTicket, type StatusChoice } from './ticketStore';
import { Button, SelectField, type Option } from './ui';

export function TicketActions({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const directory = useTicket((s) => s.directory);
  const busy = useTicket((s) => s.busy);
  const assign = useTicket((s) => s.assign);
  const setStatus = useTicket((s) => s.setStatus);
  const [closing, setClosing] = useState(false);
  const [merging, setMerging] = useState(false);
  const { ticket } = detail;
  const closed = ticket.status === 'closed';

  const people: Option[] = directory.filter((u) => u.active || u.id === ticket.assigneeId).map((u) => ({ value: u.id, label: u.fullName }));
  if (ticket.assigneeId && !people.some((p) => p.value === ticket.assigneeId)) {
    people.push({ value: ticket.assigneeId, label: ticket.assigneeName ?? ticket.assigneeId });
  }
  const statuses: Option[] = [
    { value: 'open', label: t('status.open') },
    { value: 'waiting:customer', label: t('waitingOn.customer') },
    { value: 'waiting:authorization', label: t('waitingOn.authorization') },
    ...(closed ? [{ value: 'closed', label: t('status.closed') }] : []),
  ];

  return (
    <section className="card ticket-actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('ticket.actions.title')}</h2>
      <SelectField
        label={t('ticket.assignTo')}
        value={ticket.assigneeId ?? ''}
        disabled={closed || busy}
        placeholder={t('ticket.unassigned')}
        options={people}
        onChange={(e) => void assign(e.currentTarget.value || null)}
      />
      <SelectField
        label={t('ticket.status')}
        value={statusChoiceOf(detail)}
        disabled={closed || busy}
        options={statuses}
        onChange={(e) => void setStatus(e.currentTarget.value as StatusChoice)}
      />
      <Button variant="danger" disabled={closed || busy} onClick={() => setClosing(true)}>
        {t('ticket.actions.closeTicket')}
      </Button>
      <Button disabled={closed || busy} onClick={() => setMerging(true)}>
        {t('ticket.merge.action')}
      </Button>
      <CloseDialog open={closing} onClose={() => setClosing(false)} />
      {merging ? <MergeDialog detail={detail} onClose={() => setMerging(false)} /> : null}
    </section>
  );
}
