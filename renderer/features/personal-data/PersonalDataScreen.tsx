/** Derechos ARCO (navigation): the pending requests of every customer by deadline, then the recent ones. */
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../components';
import { RequestsTable } from './PersonalDataPanel';
import { usePersonalDataRegister } from './usePersonalData';
import './personal-data.css';

export function PersonalDataScreen() {
  const { t } = useTranslation();
  const pending = usePersonalDataRegister({ pendingOnly: true, limit: 200 });
  const all = usePersonalDataRegister({ pendingOnly: false, limit: 100 });
  return (
    <section className="arco-screen">
      <PageHeader title={t('personalData.title')}>
        <p className="arco-muted">{t('personalData.intro')}</p>
      </PageHeader>
      <ErrorBanner error={pending.error ?? all.error} />
      <section className="card" aria-labelledby="arco-pending">
        <h2 id="arco-pending">{t('personalData.pendingTitle')}</h2>
        {!pending.register ? <Loading /> : pending.register.rows.length === 0 ? <EmptyState>{t('personalData.nonePending')}</EmptyState> : (
          <RequestsTable rows={pending.register.rows} showCustomer />
        )}
      </section>
      <section className="card" aria-labelledby="arco-all">
        <h2 id="arco-all">{t('personalData.allTitle')}</h2>
        {!all.register ? <Loading /> : all.register.rows.length === 0 ? <EmptyState>{t('personalData.nonePending')}</EmptyState> : (
          <RequestsTable rows={all.register.rows} showCustomer />
        )}
      </section>
    </section>
  );
}
