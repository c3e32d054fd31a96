/**
 * "Siguiente ticket" after closing (issue 14): the agent goes on to the next ticket of the list they came from
 * (the next row that is not closed), or back to that list when none is left. Shown only right after the agent
 * closed this ticket here; the button takes the focus so Enter goes on.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { TicketSummary } from '../../../electron/shared/types';
import { useNav, type Route } from '../../stores/nav';
import { useTicketList } from '../tickets-list/store';
import { Button } from './ui';

/** The ticket the agent has just closed on the ticket page (null otherwise). */
export const useJustClosed = create<{ ticketId: string | null; set: (ticketId: string | null) => void }>((set) => ({
  ticketId: null,
  set: (ticketId) => set({ ticketId }),
}));

/** The screen the agent came to the ticket page from (ticket pages opened from ticket pages are skipped). */
export function originOf(history: readonly Route[]): Route | null {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.name !== 'ticket') return history[i]!;
  return null;
}

/** The next row after `ticketId` that is not closed (from the top when the ticket is not in the rows); its index too. */
export function nextRow(rows: readonly TicketSummary[], ticketId: string): { row: TicketSummary; index: number } | null {
  const at = rows.findIndex((r) => r.id === ticketId);
  for (let i = at + 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.id !== ticketId && row.status !== 'closed') return { row, index: i };
  }
  return null;
}

export function NextTicket({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const justClosed = useJustClosed((s) => s.ticketId === ticketId);
  const fromList = useNav((s) => originOf(s.history)?.name === 'tickets');
  const rows = useTicketList((s) => s.rows);
  const ref = useRef<HTMLButtonElement>(null);
  const next = fromList ? nextRow(rows, ticketId) : null;

  useEffect(() => {
    if (!justClosed) return;
    // After the close dialog has given the focus back to its opener (the disabled "Cerrar ticket").
    const timer = setTimeout(() => ref.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [justClosed]);
  // Leaving the page (or going to another ticket) ends the offer.
  useEffect(() => () => useJustClosed.getState().set(null), [ticketId]);
  if (!justClosed) return null;

  const goNext = () => {
    useJustClosed.getState().set(null);
    if (!next) {
      const at = useTicketList.getState().rows.findIndex((r) => r.id === ticketId);
      if (at >= 0) useTicketList.getState().select(at);
      useNav.getState().go({ name: 'tickets' });
      return;
    }
    useTicketList.getState().select(next.index);
    useNav.getState().go({ name: 'ticket', ticketId: next.row.id });
  };
  return (
    <section className="next-ticket" aria-labelledby="next-ticket-title">
      <h2 id="next-ticket-title">{t('ticket.next.title')}</h2>
      <Button ref={ref} variant="primary" onClick={goNext}>
        {next ? t('ticket.next.next', { trackingNumber: next.row.trackingNumber }) : t('ticket.next.backToList')}
      </Button>
    </section>
  );
}
