/** Per-metric SLA state for the ticket's SLA panel, from what tickets.sla returned. Pure. */
import type { SlaState } from '../../../electron/shared/sla';
import type { TicketSla } from '../../../electron/shared/types';

export type MetricClock = TicketSla['metrics'][number];

/** met / breached once stopped; while running: paused (no due moment), breached, warning or ok at `now`. */
export function metricState(m: MetricClock, now: number): SlaState {
  if (m.stoppedAt !== null) return m.dueAt !== null && m.stoppedAt > m.dueAt ? 'breached' : 'met';
  if (m.dueAt === null) return 'paused';
  if (now > m.dueAt) return 'breached';
  if (m.warnAt !== null && now >= m.warnAt) return 'warning';
  return 'ok';
}
