/** Dates, sizes and counts in the current language. Times are shown in the branch's time zone. */
import { i18next } from '../i18n';
import { useBoot } from './boot';

function zone(): string | undefined {
  return useBoot.getState().status?.branch?.timeZone || undefined;
}

/** Zones already checked (an unknown zone falls back to the machine's). */
const zonesChecked = new Map<string, string | undefined>();

function safeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  if (zonesChecked.has(timeZone)) return zonesChecked.get(timeZone);
  let ok: string | undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    ok = timeZone;
  } catch {
    ok = undefined;
  }
  zonesChecked.set(timeZone, ok);
  return ok;
}

/**
 * Formatters are built once per language, zone and style and reused: building an Intl formatter
 * costs far more than formatting with it, and a list screen formats two dates in every row it
 * paints (the ticket list built ~10 formatters per row on every view change).
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const timeZone = safeZone(zone());
  const key = `d|${locale}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  const key = `r|${locale}`;
  let f = formatters.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    formatters.set(key, f);
  }
  return f;
}

/** "22/11/2025, 14:05" (es-MX) in the branch time zone. */
export function formatDateTime(epochMs: number, locale: string = i18next.language): string {
  return dateFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(epochMs);
}

/** "lunes 30 de noviembre" (es-MX) in the branch time zone: a day, without its time. */
export function formatDay(epochMs: number, locale: string = i18next.language): string {
  return dateFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }).format(epochMs);
}

/** "hace 5 minutos" for the last week, the date-time after that. */
export function formatRelative(epochMs: number, now: number = Date.now(), locale: string = i18next.language): string {
  const seconds = Math.round((epochMs - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = relativeFormat(locale);
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
