/**
 * Acceso: the printable document of everything kept about a customer (the product's one way to
 * print: PrintableDocument).
 */
import { useTranslation } from 'react-i18next';
import { ErrorBanner, Loading, PrintableDocument } from '../../components';
import { useNav } from '../../stores/nav';
import { formatDateTime } from '../ticket/format';
import { printableSections } from './printable';
import { usePersonalDataExport } from './usePersonalData';
import './personal-data.css';

export function PrintableExport({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { data, error } = usePersonalDataExport(customerId);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading />;
  const customer = data.sections.customers?.[0] ?? {};
  return (
    <PrintableDocument backLabel={t('personalData.back')} onBack={() => go({ name: 'customer', customerId })}>
      <h1>{t('personalData.printTitle', { name: String(customer.name ?? '') })}</h1>
      <p>
        <strong>RFC:</strong> <span className="mono">{String(customer.rfc ?? '')}</span>
      </p>
      <p>{t('personalData.printIntro', { date: formatDateTime(data.exportedAt) })}</p>
      {printableSections(data).map((section) => (
        <section key={section.name} className="printable__section">
          <h2>
            {section.title} <small>({t('personalData.records', { count: section.rows.length })})</small>
          </h2>
          {section.rows.length === 0 ? <p className="arco-muted">{t('personalData.none')}</p> : (
            <table className="printable__table">
              <thead>
                <tr>{section.headers.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr>
              </thead>
              <tbody>
                {section.rows.map((r, i) => (
                  <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </PrintableDocument>
  );
}
