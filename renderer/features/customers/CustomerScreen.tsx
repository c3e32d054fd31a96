/**
 * Customer detail. The protected fields (seed 001) are read-only here; régimen fiscal, plan and
 * contacts are edited in place. Below, the customer's tickets.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PLANS } from '../../../electron/shared/domain';
import { checkRfc } from '../../../electron/shared/rfc';
import type { Customer, FiscalAddress } from '../../../electron/shared/types';
import { applyFieldErrors } from '../../app/forms';
import { EmptyState, Loading, PageHeader, StatusBadge, StatusMessage } from '../../components';
import { useNav } from '../../stores/nav';
import { formatDateTime } from '../ticket/format';
import { Button, ErrorBanner, SelectField, TextField } from '../ticket/ui';
import { ContactsEditor } from './ContactsEditor';
import { editCustomerSchema, type EditCustomerOutput, type EditCustomerValues } from './customerForm';
import { useCustomerDetail } from './customersStore';
import { useTaxRegimeOptions } from './NewCustomerForm';
import { useSession } from '../../stores/session';
import { PERSONAL_DATA_HANDLERS } from '../../../electron/shared/personal-data';
import { PersonalDataPanel } from '../personal-data/PersonalDataPanel';
import '../personal-data/strings';
import './customers.css';

function formatAddress(a: FiscalAddress): string {
  const street = [a.street, a.exteriorNumber, a.interiorNumber && `int. ${a.interiorNumber}`].filter(Boolean).join(' ');
  return [street, a.neighborhood, a.city, a.state, a.postalCode && `C.P. ${a.postalCode}`].filter(Boolean).join(', ');
}

function ProtectedData({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const canRequest = useSession((s) => s.hasRole('agent', 'operations', 'supervisor'));
  const none = t('customers.none');
  return (
    <section className="card protected" aria-labelledby="protected-title">
      <h2 id="protected-title">{t('customers.protectedTitle')}</h2>
      <p className="protected-note">
        {t('customers.protectedNote')}{' '}
        {canRequest ? (
          <Button size="sm" onClick={() => go({ name: 'newRequest', customerId: customer.id })}>{t('customers.requestChange')}</Button>
        ) : null}
      </p>
      <dl>
        <dt>{t('customers.rfc')}</dt>
        <dd className="mono">{customer.rfc}</dd>
        <dt>{t('customers.name')}</dt>
        <dd>{customer.name}</dd>
        <dt>{t('customers.fiscalAddress')}</dt>
        <dd>{formatAddress(customer.fiscalAddress) || none}</dd>
        <dt>{t('customers.registeredEmail')}</dt>
        <dd>{customer.registeredEmail || none}</dd>
        <dt>{t('customers.serviceStatus')}</dt>
        <dd>{t(`customers.serviceStatuses.${customer.serviceStatus}`)}</dd>
        <dt>{t('customers.creditPackage')}</dt>
        <dd>{customer.creditPackage || none}</dd>
      </dl>
      {customer.rfcWarnings.length > 0 ? (
        <ul className="field-warning" aria-label={t('customers.rfcWarnings')}>
          {customer.rfcWarnings.map((w) => (
            <li key={w}>{t(w, { expected: checkRfc(customer.rfc).expectedCheckDigit ?? '' })}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function toFormValues(c: Customer): EditCustomerValues {
  return {
    taxRegime: c.taxRegime,
    plan: c.plan,
    registeredEmail: c.registeredEmail === '' ? '' : undefined,
    contacts: c.contacts.map((x) => ({ id: x.id, name: x.name, email: x.email, phone: x.phone, isLegalRepresentative: x.isLegalRepresentative })),
  };
}

function EditableData({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { saving, saveError, savedAt, update, clearSaveError } = useCustomerDetail();
  const canEdit = useSession((s) => s.hasRole('agent', 'operations', 'supervisor', 'administrator'));
  const taxRegimes = useTaxRegimeOptions();
  const form = useForm<EditCustomerValues, unknown, EditCustomerOutput>({ resolver: zodResolver(editCustomerSchema), defaultValues: toFormValues(customer) });
  const { register, handleSubmit, reset, setError, formState } = form;

  useEffect(() => {
    reset(toFormValues(customer));
  }, [customer, reset]);

  // A refused save keeps everything typed: the form is reset only when a saved customer comes back.
  const submit = handleSubmit(async ({ registeredEmail, ...values }) => {
    const input = registeredEmail ? { ...values, registeredEmail } : values;
    if (!(await update(input))) applyFieldErrors(useCustomerDetail.getState().saveError, setError);
  });
  const legalRepresentatives = new Set(customer.contacts.filter((c) => c.isLegalRepresentative).map((c) => c.id));

  // Keep a régimen the list does not know (e.g. from an older catalogue) selectable.
  const regimeOptions = customer.taxRegime && !taxRegimes.some((o) => o.value === customer.taxRegime)
    ? [...taxRegimes, { value: customer.taxRegime, label: customer.taxRegime }]
    : taxRegimes;

  return (
    <FormProvider {...form}>
      <form className="customer-form" onSubmit={submit} noValidate aria-labelledby="editable-title">
        <h2 id="editable-title">{t('customers.editableTitle')}</h2>
        <ErrorBanner error={saveError} hideFields onDismiss={clearSaveError} />
        {savedAt && !formState.isDirty ? <StatusMessage>{t('customers.saved')}</StatusMessage> : null}
        <fieldset className="card">
          <div className="row">
            <SelectField
              label={t('customers.taxRegime')}
              placeholder={t('customers.taxRegimeNone')}
              options={regimeOptions}
              disabled={!canEdit}
              error={formState.errors.taxRegime?.message}
              {...register('taxRegime')}
            />
            <SelectField label={t('customers.plan')} options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))} disabled={!canEdit} {...register('plan')} />
          </div>
          {customer.registeredEmail === '' ? (
            <TextField
              label={t('customers.registeredEmail')}
              type="email"
              hint={t('customers.firstRegisteredEmailHint')}
              disabled={!canEdit}
              error={formState.errors.registeredEmail?.message}
              {...register('registeredEmail')}
            />
          ) : null}
        </fieldset>
        <ContactsEditor disabled={!canEdit} protectedIds={legalRepresentatives} />
        {canEdit ? (
          <div className="form-actions">
            <Button type="submit" variant="primary" pending={saving}>
              {t('customers.saveChanges')}
            </Button>
          </div>
        ) : null}
      </form>
    </FormProvider>
  );
}

function CustomerTickets() {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const tickets = useCustomerDetail((s) => s.tickets);
  return (
    <section className="card" aria-labelledby="customer-tickets-title">
      <h2 id="customer-tickets-title">{t('customers.tickets')}</h2>
      {tickets.length === 0 ? (
        <EmptyState>{t('customers.noTickets')}</EmptyState>
      ) : (
        <table className="table" aria-labelledby="customer-tickets-title">
          <thead>
            <tr>
              <th scope="col">{t('customers.ticketCol.trackingNumber')}</th>
              <th scope="col">{t('customers.ticketCol.subject')}</th>
              <th scope="col">{t('customers.ticketCol.status')}</th>
              <th scope="col">{t('customers.ticketCol.updatedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: ticket.id }); }}>
                    {ticket.trackingNumber}
                  </a>
                </td>
                <td>{ticket.subject}</td>
                <td>
                  <StatusBadge status={ticket.status} waitingOn={ticket.waitingOn} />
                </td>
                <td>
                  <time dateTime={new Date(ticket.updatedAt).toISOString()}>{formatDateTime(ticket.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CustomerScreen({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const customer = useCustomerDetail((s) => (s.customer?.id === customerId ? s.customer : null));
  const loadError = useCustomerDetail((s) => s.loadError);
  const load = useCustomerDetail((s) => s.load);
  const handlesPersonalData = useSession((s) => s.hasRole(...PERSONAL_DATA_HANDLERS));

  useEffect(() => {
    void load(customerId);
  }, [customerId, load]);

  if (!customer) {
    return <section className="customer-screen">{loadError ? <ErrorBanner error={loadError} /> : <Loading label={t('customers.loading')} />}</section>;
  }
  return (
    <section className="customer-screen">
      <PageHeader title={customer.name}>
        <p className="mono">{customer.rfc}</p>
      </PageHeader>
      <ProtectedData customer={customer} />
      <EditableData customer={customer} />
      <CustomerTickets />
      {handlesPersonalData ? <PersonalDataPanel customer={customer} /> : null}
    </section>
  );
}
