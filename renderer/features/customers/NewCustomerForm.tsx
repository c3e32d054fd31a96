/** "Nuevo cliente": registers a customer with its tax data, registered e-mail, plan and contacts. */
import { zodResolver } from '@hookform/resolvers/zod';
import { FormProvider, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { PLANS } from '../../../electron/shared/domain';
import { applyFieldErrors } from '../../app/forms';
import { useNav } from '../../stores/nav';
import { Button, ErrorBanner, SelectField, TextField } from '../ticket/ui';
import { ContactsEditor } from './ContactsEditor';
import { newCustomerDefaults, newCustomerSchema, rfcFeedback, type NewCustomerOutput, type NewCustomerValues } from './customerForm';
import { useNewCustomer } from './customersStore';
import { TAX_REGIME_CODES } from './strings';

export function useTaxRegimeOptions() {
  const { t } = useTranslation();
  return TAX_REGIME_CODES.map((code) => ({ value: code, label: `${code} — ${t(`customers.taxRegimes.${code}`)}` }));
}

export function NewCustomerForm() {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { saving, error, create, clearError } = useNewCustomer();
  const form = useForm<NewCustomerValues, unknown, NewCustomerOutput>({ resolver: zodResolver(newCustomerSchema), defaultValues: newCustomerDefaults });
  const { register, handleSubmit, setError, watch, formState } = form;
  const errors = formState.errors;
  const rfc = rfcFeedback(watch('rfc'), Boolean(formState.touchedFields.rfc));
  const taxRegimes = useTaxRegimeOptions();

  const submit = handleSubmit(async (values) => {
    const customer = await create(values);
    if (!customer) {
      applyFieldErrors(useNewCustomer.getState().error, setError);
      return;
    }
    go({ name: 'customer', customerId: customer.id });
  });

  const a = 'fiscalAddress' as const;
  return (
    <FormProvider {...form}>
      <form className="customer-form" onSubmit={submit} noValidate aria-labelledby="new-customer-title">
        <h2 id="new-customer-title">{t('customers.newCustomer')}</h2>
        <ErrorBanner error={error} hideFields onDismiss={clearError} />
        <fieldset className="card">
          <div className="row">
            <TextField
              label={t('customers.rfc')}
             
              autoComplete="off"
              spellCheck={false}
              error={errors.rfc?.message ?? rfc.error}
              hint={rfc.expectedCheckDigit ? <span className="field-warning" role="status">{t('rfc.checkDigit', { expected: rfc.expectedCheckDigit })}</span> : undefined}
              {...register('rfc')}
            />
            <TextField label={t('customers.name')} error={errors.name?.message} {...register('name')} />
          </div>
          <div className="row">
            <SelectField label={t('customers.taxRegime')} placeholder={t('customers.taxRegimeNone')} options={taxRegimes} error={errors.taxRegime?.message} {...register('taxRegime')} />
            <SelectField label={t('customers.plan')} options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))} {...register('plan')} />
          </div>
          <TextField
            label={t('customers.registeredEmail')}
            type="email"
           
            hint={t('customers.registeredEmailHint')}
            error={errors.registeredEmail?.message}
            {...register('registeredEmail')}
          />
        </fieldset>
        <fieldset className="card">
          <legend>{t('customers.fiscalAddress')}</legend>
          <div className="row">
            <TextField label={t('customers.street')} error={errors.fiscalAddress?.street?.message} {...register(`${a}.street`)} />
            <TextField label={t('customers.exteriorNumber')} error={errors.fiscalAddress?.exteriorNumber?.message} {...register(`${a}.exteriorNumber`)} />
            <TextField label={t('customers.interiorNumber')} error={errors.fiscalAddress?.interiorNumber?.message} {...register(`${a}.interiorNumber`)} />
          </div>
          <div className="row">
            <TextField label={t('customers.neighborhood')} error={errors.fiscalAddress?.neighborhood?.message} {...register(`${a}.neighborhood`)} />
            <TextField label={t('customers.city')} error={errors.fiscalAddress?.city?.message} {...register(`${a}.city`)} />
            <TextField label={t('customers.state')} error={errors.fiscalAddress?.state?.message} {...register(`${a}.state`)} />
            <TextField label={t('customers.postalCode')} inputMode="numeric" error={errors.fiscalAddress?.postalCode?.message} {...register(`${a}.postalCode`)} />
          </div>
        </fieldset>
        <ContactsEditor />
        <div className="form-actions">
          <Button type="submit" variant="primary" pending={saving}>
            {t('customers.create')}
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
