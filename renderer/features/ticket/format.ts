/** Display formatting shared by the ticket, intake and customer screens. */
import { i18next } from '../../i18n';

export { formatBytes } from '../../app/format';

/**
 * Local date and time in the machine's time zone (the agent's clock), e.g. "3 mar 2025, 10:42"
 * in es-MX.
 */
export function formatDateTime(epochMs: number): string {
  const locale = i18next.language === 'en' ? 'en-US' : 'es-MX';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochMs));
}
