/** The SLA countdown as words ("vence en 3 h hábiles", "vencido hace 2 días"): board cards and the ticket list. */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CardState, Countdown } from './countdown';
import { formatDuration } from './duration';
import './strings';

export function CountdownText({ clock, state }: { clock: Countdown; state: CardState }) {
  const { t } = useTranslation();
  return <>{countdownWords(t, clock, state)}</>;
}

/** The same words as a string, for a screen that translates once for many rows (the ticket list). */
export function countdownWords(t: TFunction, clock: Countdown, state: CardState): string {
  switch (clock.kind) {
    case 'paused':
      return t('board.paused');
    case 'none':
      return t('board.noTarget');
    case 'overdue':
      return t('board.overdue', { time: formatDuration(clock.minutes, 'natural') });
    case 'due':
      return t(state === 'breached' ? 'board.nextDueIn' : 'board.dueIn', { time: formatDuration(clock.minutes) });
  }
}
