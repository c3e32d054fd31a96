/**
 * Durations as people say them, in the current language: "3 días 4 h", "1 h 20 min", "menos de
 * 1 min". Business time is labelled as such ("2 h 30 min hábiles"), natural time is not. Only the
 * two largest units are shown: nobody needs the minutes of something 3 days overdue.
 */
import { i18next } from '../../i18n';
import { splitMinutes } from './countdown';

/** `business`: minutes of the ticket's business calendar; `natural`: clock minutes. */
export type TimeBase = 'business' | 'natural';

const DAY_MINUTES = 24 * 60;

/** Above this many business hours the minutes are dropped ("14 h hábiles"). */
const BUSINESS_HOURS_WITHOUT_MINUTES = 10;

export function formatDuration(totalMinutes: number, base: TimeBase = 'business'): string {
  const t = i18next.t.bind(i18next);
  const text = humanize(Math.max(0, Math.floor(totalMinutes)), base);
  return base === 'business' && totalMinutes >= 1 ? t('duration.business', { time: text }) : text;
}

function humanize(minutes: number, base: TimeBase): string {
  const t = i18next.t.bind(i18next);
  if (minutes < 1) return t('duration.lessThanMinute');
  if (base === 'natural' && minutes >= DAY_MINUTES) {
    const days = Math.floor(minutes / DAY_MINUTES);
    const hours = Math.floor((minutes % DAY_MINUTES) / 60);
    // A week or more: the hours no longer matter.
    return hours === 0 || days >= 7 ? t('duration.d', { count: days }) : t('duration.dh', { count: days, hours });
  }
  const { hours, minutes: rest } = splitMinutes(minutes);
  if (hours === 0) return t('duration.m', { minutes: rest });
  if (rest === 0 || (base === 'business' && hours >= BUSINESS_HOURS_WITHOUT_MINUTES)) return t('duration.h', { hours });
  return t('duration.hm', { hours, minutes: rest });
}
