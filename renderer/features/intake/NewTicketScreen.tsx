/** "Nuevo ticket": intake of a call, chat or e-mail for a registered or a new customer (seed 003). */
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CATEGORIES, CHANNELS, PRIORITIES, REQUEST_TYPES, SEVERITIES, SUPPORT_TYPES } from '../../../electron/shared/domain';
import type { Customer, TicketSummary } from '../../../electron/shared/types';
import { PageHeader, StatusBadge } from '../../components';
import { useNav } from '../../stores/nav';
import { useEvidence } from '../ticket/evidence';
import { useFlash } from '../ticket/flash';
import { formatDateTime } from '../ticket/format';
import { useOrgSettings } from '../ticket/orgSettings';
import { Button, ErrorBanner, EvidenceInput, SelectField, TextAreaField, TextField } from '../ticket/ui';
import { formFieldOf, intakeDefaults, intakeResolver, toCreateInput, type IntakeValues } from './intakeForm';
import { useIntake } from './intakeStore';
import '../ticket/ticket.css';
import './intake.css';

function KnownCustomer({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  return (
    <section className="known-customer" aria-labelledby="known-customer-title">
      <h3 id="known-customer-title">{t('intake.knownCustomer')}</h3>
      <dl>
        <dt>{t('intake.name')}</dt>
        <dd>{customer.name}</dd>
        <dt>{t('intake.registeredEmail')}</dt>
        <dd>{customer.registeredEmail}</dd>
        <dt>{t('intake.plan')}</dt>
        <dd>{t(`plan.${customer.plan}`)}</dd>
      </dl>
      {customer.serviceStatus === 'suspended' ? <p className="field-warning">{t('intake.serviceSuspended')}</p> : null}
    </section>
  );
}

function OpenTickets({ tickets, onAdd, busy }: { tickets: TicketSummary[]; onAdd: (ticketId: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="open-tickets" aria-labelledby="open-tickets-title">
      <h3 id="open-tickets-title">{t('intake.openTickets')}</h3>
      <p className="field__hint">{t('intake.openTicketsHint')}</p>
      <ul aria-label={t('intake.openTicketsList')}>
        {tickets.map((ticket) => (
          <li key={ticket.id}>
            <span className="open-ticket-folio">{ticket.trackingNumber}</span> <span>{ticket.subject}</span>{' '}
            <StatusBadge status={ticket.status} waitingOn={ticket.waitingOn} />{' '}
            <time className="file-meta" dateTime={new Date(ticket.updatedAt).toISOString()}>
              {formatDateTime(ticket.updatedAt)}
            </time>{' '}
            <Button size="sm" disabled={busy} onClick={() => onAdd(ticket.id)}>
              {t('intake.addToTicket')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NewTicketScreen() {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const intake = useIntake();
  const loadSettings = useOrgSettings((s) => s.load);
  const evidence = useEvidence();
  const form = useForm<IntakeValues>({ resolver: intakeResolver, defaultValues: intakeDefaults });
  const { register, handleSubmit, watch, setError, setValue, trigger, getValues, setFocus, formState } = form;
  const errors = formState.errors;
  const severity = watch('severity');

  useEffect(() => {
    useIntake.getState().reset();
    void loadSettings();
    return () => useIntake.getState().reset();
  }, [loadSettings]);

  function applyServerErrors() {
    const info = useIntake.getState().submitError;
    for (const [path, key] of Object.entries(info?.fields ?? {})) {
      const field = formFieldOf(path);
      if (field === 'attachments') evidence.setError({ code: key });
      else if (field) setError(field, { type: 'server', message: key });
    }
  }

  const submit = handleSubmit(async (values) => {
    let status = useIntake.getState().lookupStatus;
    if (status !== 'known' && status !== 'unknown' && status !== 'generic') {
      const rfc = useIntake.getState().rfcCheck?.normalized ?? values.rfc;
      status = await useIntake.getState().lookUp(rfc);
      // The customer's fields (or open tickets) just appeared: let the agent look before creating.
      if (status === 'unknown' || status === 'generic') void trigger();
      return;
    }
    // With a generic RFC the customer goes as new: core finds the same person again (name + e-mail or phone).
    const customerId = status === 'known' ? (useIntake.getState().customer?.id ?? null) : null;
    const ticket = await intake.create(toCreateInput(values, customerId, evidence.uploads));
    if (!ticket) return applyServerErrors();
    useFlash.getState().show({ key: 'ticket.flash.created', params: { trackingNumber: ticket.trackingNumber }, ticketId: ticket.id });
    go({ name: 'ticket', ticketId: ticket.id });
  });

  async function addToTicket(ticketId: string) {
    if (!(await trigger('description'))) {
      setFocus('description');
      return;
    }
    const detail = await intake.addToTicket({ ticketId, body: getValues('description'), attachments: evidence.uploads });
    if (!detail) return applyServerErrors();
    useFlash.getState().show({ key: 'ticket.flash.added', params: { trackingNumber: detail.ticket.trackingNumber }, ticketId: detail.ticket.id });
    go({ name: 'ticket', ticketId: detail.ticket.id });
  }

  const rfcCheck = intake.rfcCheck;
  const rfcError = errors.rfc?.message ?? (intake.showRfcError && rfcCheck && !rfcCheck.ok ? rfcCheck.error : undefined);
  const rfcWarning = rfcCheck?.ok && rfcCheck.warnings.includes('rfc.checkDigit') ? t('rfc.checkDigit', { expected: rfcCheck.expectedCheckDigit ?? '' }) : null;
  const known = intake.lookupStatus === 'known' && intake.customer;
  const generic = intake.lookupStatus === 'generic';
  const identify = () => void intake.identify({ name: getValues('name'), email: getValues('email'), phone: getValues('phone') });
  const options = (prefix: string, values: readonly (string | number)[]) => values.map((v) => ({ value: String(v), label: t(`${prefix}.${v}`) }));

  return (
    <section className="intake-screen">
      <PageHeader title={t('intake.title')} />
      <form onSubmit={submit} noValidate className="intake-form">
        <ErrorBanner error={intake.submitError} hideFields={Boolean(intake.submitError?.fields)} onDismiss={intake.clearSubmitError} />
        <fieldset className="card">
          <legend>{t('intake.customerSection')}</legend>
          <TextField
            label={t('intake.rfc')}
            autoComplete="off"
            spellCheck={false}
            error={rfcError}
            hint={
              <>
                {rfcWarning ? <span className="field-warning" role="status">{rfcWarning}</span> : t('intake.rfcHint')}
              </>
            }
            {...register('rfc', {
              onChange: (e: { target: { value: string } }) => intake.rfcChanged(e.target.value, false),
              onBlur: (e: { target: { value: string } }) => {
                intake.rfcChanged(e.target.value, true);
                const normalized = useIntake.getState().rfcCheck?.normalized;
                if (normalized !== undefined && normalized !== e.target.value) setValue('rfc', normalized);
              },
            })}
          />
          {intake.lookupStatus === 'loading' ? <p role="status">{t('intake.lookingUp')}</p> : null}
          <ErrorBanner error={intake.lookupError} />
          {known ? <KnownCustomer customer={intake.customer!} /> : null}
          {intake.lookupStatus === 'unknown' || generic ? (
            <div className="new-customer">
              <p className="field__hint">{t(generic ? 'intake.genericRfcHint' : 'intake.newCustomerHint')}</p>
              <TextField label={t('intake.name')} error={errors.name?.message} {...register('name', { onBlur: identify })} />
              <div className="row">
                <TextField label={t('intake.email')} type="email" error={errors.email?.message} {...register('email', { onBlur: identify })} />
                <TextField label={t('intake.phone')} type="tel" hint={t('intake.phoneHint')} error={errors.phone?.message} {...register('phone', { onBlur: identify })} />
              </div>
              {generic && intake.customer ? <p className="field__hint" role="status">{t('intake.genericIdentified', { name: intake.customer.name })}</p> : null}
            </div>
          ) : null}
          {(known || generic) && intake.openTickets.length > 0 ? <OpenTickets tickets={intake.openTickets} onAdd={(id) => void addToTicket(id)} busy={intake.submitting} /> : null}
        </fieldset>

        <fieldset className="card">
          <legend>{t('intake.ticketSection')}</legend>
          <div className="row">
            <SelectField label={t('intake.channel')} options={options('channel', CHANNELS)} error={errors.channel?.message} {...register('channel')} />
            <SelectField label={t('intake.requestType')} options={options('requestType', REQUEST_TYPES)} error={errors.requestType?.message} {...register('requestType')} />
            <SelectField label={t('intake.supportType')} options={options('supportType', SUPPORT_TYPES)} error={errors.supportType?.message} {...register('supportType')} />
          </div>
          <div className="row">
            <SelectField
              label={t('intake.category')}
             
              placeholder={t('intake.categoryPlaceholder')}
              options={options('category', CATEGORIES)}
              error={errors.category?.message}
              {...register('category')}
            />
            <SelectField label={t('intake.priority')} options={options('priority', PRIORITIES)} error={errors.priority?.message} {...register('priority')} />
          </div>
          <SelectField
            label={t('intake.severity')}
            options={options('severity', SEVERITIES)}
            hint={t(`severity.help${severity}`)}
            error={errors.severity?.message}
            {...register('severity')}
          />
          <TextField label={t('intake.subject')} maxChars={200} error={errors.subject?.message} {...register('subject')} />
          <TextAreaField label={t('intake.description')} rows={6} maxChars={20000} error={errors.description?.message} {...register('description')} />
          <EvidenceInput evidence={evidence} label={t('intake.evidence')} />
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" pending={intake.submitting} disabled={evidence.reading}>
            {t('intake.create')}
          </Button>
        </div>
      </form>
    </section>
  );
}
