/** Customer list with search, and the "Nuevo cliente" form. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, Loading, PageHeader } from '../../components';
import { useNav } from '../../stores/nav';
import { Button, ErrorBanner, TextField } from '../ticket/ui';
import { useCustomerList } from './customersStore';
import { NewCustomerForm } from './NewCustomerForm';
import './customers.css';

export function CustomersScreen() {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { query, rows, loading, error, setQuery, search } = useCustomerList();
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void search();
  }, [search]);

  return (
    <section className="customers-screen">
      <PageHeader
        title={t('customers.title')}
        actions={
          <Button variant={creating ? 'secondary' : 'primary'} aria-expanded={creating} onClick={() => setCreating((c) => !c)}>
            {creating ? t('customers.hideNewCustomer') : t('customers.newCustomer')}
          </Button>
        }
      />
      {creating ? <NewCustomerForm /> : null}
      <TextField
        label={t('customers.search')}
        type="search"
        hint={t('customers.searchHint')}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
      />
      <ErrorBanner error={error} />
      {loading && rows.length === 0 ? <Loading /> : null}
      {!loading && rows.length === 0 && !error ? <EmptyState>{t('customers.empty')}</EmptyState> : null}
      {rows.length > 0 ? (
        <table className="table customers-table" aria-label={t('customers.results')} aria-busy={loading || undefined}>
          <thead>
            <tr>
              <th scope="col">{t('customers.col.rfc')}</th>
              <th scope="col">{t('customers.col.name')}</th>
              <th scope="col">{t('customers.col.registeredEmail')}</th>
              <th scope="col">{t('customers.col.plan')}</th>
              <th scope="col" className="num">{t('customers.col.openTickets')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              // The whole row opens the customer; the name stays a link for the keyboard.
              <tr key={c.id} className="row--link" data-customer-id={c.id} onClick={() => go({ name: 'customer', customerId: c.id })}>
                <td className="mono">{c.rfc}</td>
                <td>
                  <a href="#" onClick={(e) => { e.preventDefault(); e.stopPropagation(); go({ name: 'customer', customerId: c.id }); }}>
                    {c.name}
                  </a>
                </td>
                <td>{c.registeredEmail}</td>
                <td>{t(`plan.${c.plan}`)}</td>
                <td className="num">{c.openTickets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
