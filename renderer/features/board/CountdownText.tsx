/** The SLA countdown as words ("vence en 3 h hábiles", "vencido hace 2 días"): board cards and the ticket list. */
import { useTranslation } from 'react-i18next';
import type { CardState, Countdown } from './countdown';
import { formatDuration } from './duration';
import './strings';

export function CountdownText({ clock, state }: { clock: Countdown; state: CardState }) {
  const { t } = useTranslation();
  switch (clock.kind) {
    case 'paused':
      return <>{t('board.paused')}</>;
    case 'none':
      return <>{t('board.noTarget')}</>;
    case 'overdue':
      return <>{t('board.overdue', { time: formatDuration(clock.minutes, 'natural') })}</>;
    case 'due':
      return <>{t(state === 'breached' ? 'board.nextDueIn' : 'board.dueIn', { time: formatDuration(clock.minutes) })}</>;
  }
}
