/**
 * The SLA countdown of a board card, in business time: how much working time is left before the
 * next deadline, or how much has passed since it. Pure; the screen passes the current instant
 * (`board.now` plus the time elapsed locally since the board was read).
 */
import { businessMinutesBetween, type BusinessCalendar } from '../../../electron/shared/calendar';
import type { SlaState } from '../../../electron/shared/sla';
import type { BoardCard } from '../../../electron/shared/types';

export type CardState = 'ok' | 'warning' | 'breached' | 'paused' | 'none';

/** `due`: business minutes left; `overdue`: clock minutes since the deadline (how long a customer has waited). */
export type Countdown =
  | { kind: 'due'; minutes: number }
  | { kind: 'overdue'; minutes: number }
  | { kind: 'paused' }
  | { kind: 'none' };

/** The card's state at `now`: the state core read, advanced by the warn and due moments that passed since. */
export function liveCardState(card: Pick<BoardCard, 'slaState' | 'dueAt' | 'warnAt' | 'status'>, now: number): CardState {
  const base: SlaState = card.slaState;
  if (base === 'breached') return 'breached';
  if (card.status === 'waiting' || base === 'paused') return 'paused';
  if (card.dueAt !== null && card.dueAt <= now) return 'breached';
  if (base === 'warning' || (card.warnAt !== null && card.warnAt <= now)) return 'warning';
  if (base === 'met' || base === 'none') return card.dueAt === null ? 'none' : 'ok';
  return 'ok';
}

/** Business minutes left before `card.dueAt` (or elapsed since it), measured on `calendar`. */
export function countdown(
  card: Pick<BoardCard, 'slaState' | 'dueAt' | 'warnAt' | 'status' | 'firstBreachDueAt'>,
  now: number,
  calendar: BusinessCalendar | null,
): Countdown {
  const between = (a: number, b: number) => (calendar ? businessMinutesBetween(calendar, a, b) : (b - a) / 60_000);
  // Once a clock has breached, how long ago it did is what a supervisor needs to see, in clock time.
  const since = overdueSince(card, now);
  if (since !== null) return { kind: 'overdue', minutes: Math.floor((now - since) / 60_000) };
  if (liveCardState(card, now) === 'paused') return { kind: 'paused' };
  if (card.dueAt === null) return { kind: 'none' };
  return { kind: 'due', minutes: Math.floor(between(now, card.dueAt)) };
}

/** The deadline the card first missed, if it has missed one by `now`. */
function overdueSince(card: Pick<BoardCard, 'dueAt' | 'firstBreachDueAt'>, now: number): number | null {
  if (card.firstBreachDueAt !== null && card.firstBreachDueAt <= now) return card.firstBreachDueAt;
  if (card.dueAt !== null && card.dueAt <= now) return card.dueAt;
  return null;
}

/** Splits minutes into whole hours and minutes ("1 h 20 min"). */
export function splitMinutes(minutes: number): { hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(minutes));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}
