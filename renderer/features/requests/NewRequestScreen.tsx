/**
 * "Nueva solicitud": a change request from the customer's legal representative, linked to one of
 * the customer's open tickets, with the signed form and a before/after preview (seed 001 §04).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import {
  ACCESS_OPERATIONS, CHANGE_REQUEST_KINDS, SERVICE_STATUSES,
} from '../../../electron/shared/request-workflow';
import {
  FileButton, Button, CheckboxField, ErrorBanner, PageHeader, SelectField, TextAreaField, TextField, formatBytes,
} from '../../components';
import { errorMessage } from '../../i18n';
import { useNav } from '../../stores/nav';
import { newRequestDefaults, newRequestSchema, formFieldOf, previewDiff, toCreateInput, type NewRequestOutput, type NewRequestValues } from './newRequestForm';
import { useNewRequest } from './newRequestStore';
import { DiffTable } from './parts';
import './requests.css';
import './strings';

export function NewRequestScreen({ customerId }: { customerId?: string }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const store = useNewRequest();
  const fileId = useId();
  const form = useForm<NewRequestValues, unknown, NewRequestOutput>({ resolver: zodResolver(newRequestSchema), defaultValues: newRequestDefaults(customerId) });
  const { register, handleSubmit, watch, setError, setValue, formState: { errors } } = form;
  const values = watch();
  const customer = store.customer?.id === values.customerId ? store.customer : null;

  useEffect(() => {
    useNewRequest.getState().reset();
    if (customerId) void useNewRequest.getState().selectCustomer(customerId);
    else void useNewRequest.getState().search('');
    return () => useNewRequest.getState().reset();
  }, [customerId]);

  // A new customer means new tickets and representatives: clear the choices that belonged to the old one.
  useEffect(() => {
    setValue('ticketId', '');
    setValue('requesterContactId', '');
  }, [values.customerId, setValue]);

  const legalReps = customer?.contacts.filter((c) => c.isLegalRepresentative) ?? [];
  const fromMismatch = customer && values.fromEmail.trim() !== '' && values.fromEmail.trim().toLowerCase() !== customer.registeredEmail.toLowerCase();
  const preview = previewDiff(customer, values);

  const send = (submit: boolean) =>
    handleSubmit(async (v) => {
      const signed = useNewRequest.getState().signedForm;
      if (!signed) {
        useNewRequest.setState({ signedFormError: { code: 'requests.form.signedFormRequired' } });
        return;
      }
      const request = await store.create(toCreateInput(v, { fileName: signed.fileName, mimeType: signed.mimeType, contentBase64: signed.contentBase64 }), submit);
      if (!request) {
        for (const [path, key] of Object.entries(useNewRequest.getState().error?.fields ?? {})) {
          const field = formFieldOf(path);
          if (field) setError(field, { type: 'server', message: key });
          if (path.startsWith('signedForm')) useNewRequest.setState({ signedFormError: { code: key } });
        }
        return;
      }
      go({ name: 'request', requestId: request.id });
    });

  const customerOptions = customer && !store.results.some((r) => r.id === customer.id)
    ? [{ value: customer.id, label: `${customer.name} · ${customer.rfc}` }, ...store.results.map((r) => ({ value: r.id, label: `${r.name} · ${r.rfc}` }))]
    : store.results.map((r) => ({ value: r.id, label: `${r.name} · ${r.rfc}` }));
  const a = 'fiscalAddress' as const;

  return (
    <section className="page new-request">
      <PageHeader title={t('requests.form.title')} />
      <form noValidate onSubmit={send(true)} className="stack" aria-label={t('requests.form.title')}>
        <ErrorBanner error={store.error} hideFields onDismiss={store.clearError} />

        <fieldset className="card stack">
          <legend>{t('requests.form.customerSection')}</legend>
          {customerId ? null : (
            <>
              <TextField label={t('requests.form.customerSearch')} hint={t('requests.form.customerSearchHint')} value={store.query}
                onChange={(e) => void store.search(e.target.value)} autoComplete="off" />
              <SelectField label={t('requests.form.customer')} placeholder={t('requests.form.customerPlaceholder')} options={customerOptions}
                error={errors.customerId?.message}
                {...register('customerId', { onChange: (e: { target: { value: string } }) => void store.selectCustomer(e.target.value) })} />
            </>
          )}
          {customer ? (
            <>
              <dl className="details">
                <dt>{t('requests.form.customer')}</dt>
                <dd>{customer.name} · <span className="mono">{customer.rfc}</span></dd>
                <dt>{t('customers.registeredEmail')}</dt>
                <dd>{customer.registeredEmail}</dd>
              </dl>
              {store.openTickets.length === 0 ? (
                <div className="banner banner--warn" role="status">
                  {t('requests.form.noOpenTickets')}{' '}
                  <Button size="sm" onClick={() => go({ name: 'newTicket' })}>{t('requests.form.newTicket')}</Button>
                </div>
              ) : null}
              <SelectField label={t('requests.form.ticket')} placeholder={t('requests.form.ticketPlaceholder')} hint={t('requests.form.ticketHint')}
                options={store.openTickets.map((tk) => ({ value: tk.id, label: `${tk.trackingNumber} · ${tk.subject}` }))}
                error={errors.ticketId?.message} {...register('ticketId')} />
            </>
          ) : null}
        </fieldset>

        <fieldset className="card stack">
          <legend>{t('requests.form.kindSection')}</legend>
          <SelectField label={t('requests.form.kind')} options={CHANGE_REQUEST_KINDS.map((k) => ({ value: k, label: t(`requestKind.${k}`) }))} {...register('kind')} />
          {values.kind === 'access_control' ? (
            <div className="row">
              <SelectField label={t('requests.form.accessOperation')} options={ACCESS_OPERATIONS.map((o) => ({ value: o, label: t(`accessOperation.${o}`) }))} {...register('accessOperation')} />
              <TextField label={t('requests.form.portalUsername')} autoComplete="off" error={errors.portalUsername?.message} {...register('portalUsername')} />
            </div>
          ) : null}
          {values.kind === 'sensitive_change' ? (
            <>
              <p className="field__hint">{t('requests.form.newValuesHint')}</p>
              <div className="row">
                <TextField label={t('requests.form.newRfc')} autoComplete="off" spellCheck={false} error={errors.rfc?.message} {...register('rfc')} />
                <TextField label={t('requests.form.newName')} error={errors.name?.message} {...register('name')} />
              </div>
              <div className="row">
                <TextField label={t('requests.form.newPhone')} type="tel" hint={t('requests.form.newPhoneHint')} error={errors.phone?.message} {...register('phone')} />
                <TextField label={t('requests.form.newRegisteredEmail')} type="email" error={errors.registeredEmail?.message} {...register('registeredEmail')} />
              </div>
              <CheckboxField label={t('requests.form.changeAddress')} {...register('changeAddress')} />
              {values.changeAddress ? (
                <fieldset className="fieldset">
                  <legend className="field__label">{t('requests.form.newAddress')}</legend>
                  <div className="row">
                    <TextField label={t('customers.street')} {...register(`${a}.street`)} />
                    <TextField label={t('customers.exteriorNumber')} {...register(`${a}.exteriorNumber`)} />
                    <TextField label={t('customers.interiorNumber')} {...register(`${a}.interiorNumber`)} />
                  </div>
                  <div className="row">
                    <TextField label={t('customers.neighborhood')} {...register(`${a}.neighborhood`)} />
                    <TextField label={t('customers.city')} {...register(`${a}.city`)} />
                    <TextField label={t('customers.state')} {...register(`${a}.state`)} />
                    <TextField label={t('customers.postalCode')} inputMode="numeric" error={errors.fiscalAddress?.postalCode?.message} {...register(`${a}.postalCode`)} />
                  </div>
                </fieldset>
              ) : null}
            </>
          ) : null}
          {values.kind === 'service_suspension' ? (
            <SelectField label={t('requests.form.serviceStatus')} options={SERVICE_STATUSES.map((s) => ({ value: s, label: t(`serviceStatus.${s}`) }))} {...register('serviceStatus')} />
          ) : null}
          {values.kind === 'credit_package_change' ? (
            <TextField label={t('requests.form.creditPackage')} error={errors.creditPackage?.message} {...register('creditPackage')} />
          ) : null}
        </fieldset>

        <fieldset className="card stack">
          <legend>{t('requests.form.requesterSection')}</legend>
          {customer && legalReps.length === 0 ? (
            <div className="banner banner--warn" role="status">
              {t('requests.form.noLegalRepresentative')}{' '}
              <Button size="sm" onClick={() => go({ name: 'customer', customerId: customer.id })}>{t('requests.form.openCustomer')}</Button>
            </div>
          ) : null}
          <SelectField label={t('requests.form.requester')} placeholder={t('requests.form.requesterPlaceholder')}
            options={legalReps.map((c) => ({ value: c.id, label: c.email ? `${c.name} · ${c.email}` : c.name }))}
            error={errors.requesterContactId?.message} {...register('requesterContactId')} />
          <TextField label={t('requests.form.fromEmail')} type="email" autoComplete="off"
            hint={fromMismatch ? <span className="field-warning" role="status">{t('requests.form.fromEmailMismatch')}</span> : t('requests.form.fromEmailHint')}
            error={errors.fromEmail?.message} {...register('fromEmail')} />
          <TextAreaField label={t('requests.form.reason')} rows={3} error={errors.reason?.message} {...register('reason')} />
          <div className={`field${store.signedFormError ? ' field--invalid' : ''}`}>
            <label id={`${fileId}-label`} htmlFor={fileId} className="field__label">{t('requests.form.signedForm')}<span className="field__required" aria-hidden="true"> *</span></label>
            <FileButton id={fileId} labelId={`${fileId}-label`} accept="application/pdf,image/*" describedBy={`${fileId}-hint`}
              invalid={Boolean(store.signedFormError)} chosen={store.signedForm?.fileName ?? ''}
              onChange={(e) => void store.pickSignedForm(e.currentTarget.files?.[0] ?? null)} />
            <div id={`${fileId}-hint`} className="field__hint">
              {store.signedForm ? `${store.signedForm.fileName} · ${formatBytes(store.signedForm.sizeBytes)}` : t('requests.form.signedFormHint')}
            </div>
            {store.signedFormError ? <div className="field__error" role="alert">{errorMessage(store.signedFormError)}</div> : null}
          </div>
        </fieldset>

        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('requests.form.preview')}</h2>
          <DiffTable diff={preview} caption={t('requests.form.preview')} emptyText={t('requests.form.previewEmpty')} />
        </section>

        <div className="form-actions">
          <Button onClick={() => void send(false)()} pending={store.saving}>{t('requests.form.saveDraft')}</Button>
          <Button type="submit" variant="primary" pending={store.saving}>{t('requests.form.submit')}</Button>
        </div>
      </form>
    </section>
  );
}
