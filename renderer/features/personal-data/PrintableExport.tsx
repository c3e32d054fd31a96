/**
 * Acceso: the printable document of everything kept about a customer. The browser's (or
 * Electron's) print dialog saves it as PDF; the print stylesheet hides the application around it.
 */
import { useTranslation } from 'react-i18next';
import { Button, ErrorBanner, Loading } from '../../components';
import { useNav } from '../../stores/nav';
import { fieldName, formatValue } from '../audit-log/describe';
import { formatDateTime } from '../ticket/format';
import { usePersonalDataExport } from './usePersonalData';
import './personal-data.css';

/** Keys, hashes and sort helpers: the JSON file keeps them; the readable document leaves them out. */
const TECHNICAL = /(^id$|_id$|_by$|^awaiting_response_since$|_rowid$|^seq$|hash$|^sha256$|^position$|_rank$|^device_id$|^policy_id$|^once_key$|^recorded$)/;

function columnLabel(t: (k: string, o?: Record<string, unknown>) => string, name: string): string {
  return t(`personalData.column.${name}`, { defaultValue: name.replace(/_/g, ' ') });
}

/** A stored value as text: instants as dates, flags as yes/no, nested values as "name: value" lines. */
function cell(t: (k: string) => string, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && /(_at|At)$/.test(key) && value > 1e11) return formatDateTime(value);
  if (/^(is_|open$|breached$)/.test(key) && (value === 0 || value === 1)) return t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.map((v) => cell(t, key, v)).join('; ') || '—';
  // Codes of the product's vocabulary (channel, tier, status, plan…) read as the screens show them.
  if (typeof value === 'string' && /^[a-z_]+$/.test(value)) return formatValue(key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), value);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => !/Id$|^id$/.test(k) && v !== '' && v !== null && v !== undefined)
      .map(([k, v]) => `${fieldName(k)}: ${cell(t, k, v)}`)
      .join('\n') || '—';
  }
  return String(value);
}

export function PrintableExport({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { data, error } = usePersonalDataExport(customerId);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading />;
  const customer = data.sections.customers?.[0] ?? {};
  return (
    <article className="arco-print">
      <div className="arco-print__tools">
        <Button onClick={() => go({ name: 'customer', customerId })}>{t('personalData.back')}</Button>
        <Button variant="primary" onClick={() => window.print()}>{t('personalData.printButton')}</Button>
      </div>
      <h1>{t('personalData.printTitle', { name: String(customer.name ?? '') })}</h1>
      <p>
        <strong>RFC:</strong> <span className="mono">{String(customer.rfc ?? '')}</span>
      </p>
      <p>{t('personalData.printIntro', { date: formatDateTime(data.exportedAt) })}</p>
      {Object.entries(data.sections).map(([name, rows]) => {
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !TECHNICAL.test(c));
        return (
          <section key={name} className="arco-print__section">
            <h2>
              {t(`personalData.section.${name}`, { defaultValue: name.replace(/_/g, ' ') })} <small>({t('personalData.records', { count: rows.length })})</small>
            </h2>
            {rows.length === 0 ? <p className="arco-muted">{t('personalData.none')}</p> : (
              <table className="arco-print__table">
                <thead>
                  <tr>{columns.map((c) => <th key={c} scope="col">{columnLabel(t, c)}</th>)}</tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i}>{columns.map((c) => <td key={c}>{cell(t, c, r[c])}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </article>
  );
}
