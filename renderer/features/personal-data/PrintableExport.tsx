/**
 * Acceso: the printable document of everything kept about a customer. The browser's (or
 * Electron's) print dialog saves it as PDF; the print stylesheet hides the application around it.
 */
import { useTranslation } from 'react-i18next';
import { Button, ErrorBanner, Loading } from '../../components';
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
      {printableSections(data).map((section) => (
        <section key={section.name} className="arco-print__section">
          <h2>
            {section.title} <small>({t('personalData.records', { count: section.rows.length })})</small>
          </h2>
          {section.rows.length === 0 ? <p className="arco-muted">{t('personalData.none')}</p> : (
            <table className="arco-print__table">
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
    </article>
  );
}
