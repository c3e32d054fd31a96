/** Display formatting shared by the ticket, intake and customer screens. */
import { i18next } from '../../i18n';

export { formatBytes } from '../../app/format';

/**
 * Local date and time in the machine's time zone (the agent's clock), e.g. "3 mar 2025, 10:42"
 * in es-MX.
 */
export function formatDateTime(epochMs: number): string {
  const locale = i18next.language === 'en' ? 'en-US' : 'es-MX';
  return dateTimeFormatter(locale).format(new Date(epochMs));
}

/**
 * One formatter per language, built once: a ticket's timeline formats a date per event, and
 * building an Intl.DateTimeFormat costs far more than formatting with one (opening a ticket).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormatter(locale: string): Intl.DateTimeFormat {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(locale, f);
  }
  return f;
}
