/** "1 h 20 min" in the current language, for business-time countdowns and SLA targets. */
import { i18next } from '../../i18n';
import { splitMinutes } from './countdown';

export function formatDuration(totalMinutes: number): string {
  if (totalMinutes < 1) return i18next.t('duration.lessThanMinute');
  const { hours, minutes } = splitMinutes(totalMinutes);
  if (hours === 0) return i18next.t('duration.m', { minutes });
  if (minutes === 0) return i18next.t('duration.h', { hours });
  return i18next.t('duration.hm', { hours, minutes });
}
