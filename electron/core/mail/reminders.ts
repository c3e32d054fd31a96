/**
 * "En espera" reminders (issue 12, item 3): a ticket waiting on the customer for the configured
 * number of natural days gets one reminder e-mail per wait (from the waiting_reminder template),
 * telling when it will close by itself. Run by the background sweep (host.ts), a step at a time.
 */
import type { SlaEngine } from '../sla';
import type { Tickets } from '../tickets';
import type { Workspace } from '../workspace';
import { formatDay, queueNotice } from './templates';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reminders per sweep step: each is a small write; catching up after days asleep stays in steps. */
const STEP = 200;

/**
 * Tickets waiting on the customer since at least the moment given (the index of migration 005 on
 * the wait's start), without a reminder queued since that wait began.
 */
const DUE = `SELECT t.id, t.customer_id AS customerId, json_extract(t.pauses, '$[#-1].from') AS since
  FROM tickets t INDEXED BY tickets_waiting_customer_since
  WHERE t.status = 'waiting' AND t.waiting_on = 'customer' AND json_extract(t.pauses, '$[#-1].from') <= ?
    AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.ticket_id = t.id AND n.kind = 'waiting_reminder'
      AND n.created_at >= json_extract(t.pauses, '$[#-1].from'))
  LIMIT ?`;

/** Queues the reminders due now; returns how many. */
export function queueWaitingReminders(ws: Workspace, tickets: Tickets, sla: SlaEngine): number {
  const settings = tickets.templates.get();
  const days = settings.waitingReminderDays;
  if (days <= 0 || !settings.templates.waiting_reminder.enabled) return 0;
  const now = ws.now();
  const due = ws.sql(DUE).all(now - days * DAY_MS, STEP) as Array<{ id: string; customerId: string; since: number }>;
  if (due.length === 0) return 0;
  const autoClose = sla.config().autoClose;
  const timeZone = (ws.sql('SELECT time_zone FROM branch LIMIT 1').pluck().get() as string | undefined) ?? 'America/Mexico_City';
  const language = settings.language;
  ws.write({ kind: 'system' }, (tx) => {
    for (const t of due) {
      const waited = Math.max(1, Math.floor((tx.at - t.since) / DAY_MS));
      // The automatic close in natural days is a date the customer can be told; in business days it depends on the calendar: left out.
      const closesAt = autoClose.enabled && autoClose.unit === 'natural' ? t.since + autoClose.days * DAY_MS : null;
      const values = {
        ...tickets.noticeValues(tx, t.id),
        dias_en_espera: language === 'en' ? `${waited} ${waited === 1 ? 'day' : 'days'}` : `${waited} ${waited === 1 ? 'día' : 'días'}`,
        fecha_cierre: closesAt !== null && closesAt > tx.at ? formatDay(closesAt, timeZone, language) : null,
      };
      if (queueNotice(tx, tickets.templates, t.id, t.customerId, 'waiting_reminder', values)) {
        tx.audit('mail.reminderQueued', 'ticket', t.id, { waitingSince: t.since, days: waited });
      }
    }
  });
  return due.length;
}
