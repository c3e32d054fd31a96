/** Dates, sizes and counts in the current language. Times are shown in the branch's time zone. */
import { i18next } from '../i18n';
import { useBoot } from './boot';

function zone(): string | undefined {
  return useBoot.getState().status?.branch?.timeZone || undefined;
}

function safeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** "22/11/2025, 14:05" (es-MX) in the branch time zone. */
export function formatDateTime(epochMs: number, locale: string = i18next.language): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: safeZone(zone()) }).format(epochMs);
}

/** "lunes 30 de noviembre" (es-MX) in the branch time zone: a day, without its time. */
export function formatDay(epochMs: number, locale: string = i18next.language): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: safeZone(zone()) }).format(epochMs);
}

/** "hace 5 minutos" for the last week, the date-time after that. */
export function formatRelative(epochMs: number, now: number = Date.now(), locale: string = i18next.language): string {
  const seconds = Math.round((epochMs - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  return formatDateTime(epochMs, locale);
}

export function formatBytes(bytes: number, locale: string = i18next.language): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
