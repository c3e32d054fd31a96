/**
 * Administración → Niveles de servicio: business calendars (shifts per weekday, LFT holidays,
 * the organization's days), ordered SLA policies, auto-close and the escalation notice. One
 * "Guardar" sends the whole configuration; core recomputes the open tickets.
 */
import { Controller, get, useFieldArray, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CHANNELS, PLANS, PRIORITIES, SEVERITIES } from '../../../electron/shared/domain';
import { FALLBACK_POLICY } from '../../../electron/shared/sla';
import {
  Button, CheckboxField, ErrorBanner, Loading, MultiSelect, SelectField, StatusMessage, TextAreaField, TextField,
} from '../../components';
import { emptyCalendar, emptyPolicy, WEEK_DAYS, type SlaForm } from './form';
import { useSlaAdmin } from './useSlaAdmin';
import './sla-admin.css';
import './strings';

type Errors = FieldErrors<SlaForm>;

function errorAt(errors: Errors, path: string): string | undefined {
  const node = get(errors, path) as { message?: string } | undefined;
  return node?.message;
}

export function SlaAdminTab() {
  const { t } = useTranslation();
  const s = useSlaAdmin();
  const { control, register, formState: { errors } } = s.form;
  const calendars = useFieldArray({ control, name: 'calendars', keyName: 'key' });
  const policies = useFieldArray({ control, name: 'policies', keyName: 'key' });
  const calendarValues = useWatch({ control, name: 'calendars' }) ?? [];
  if (s.loadError) return <ErrorBanner error={s.loadError} />;
  if (!s.ready) return <Loading />;
  const calendarOptions = calendarValues.map((c) => ({ value: c.id, label: c.name || c.id }));
  const fallbackCalendar = calendarValues.find((c) => c.id === FALLBACK_POLICY.calendarId)?.name ?? FALLBACK_POLICY.calendarId;

  return (
    <form className="stack sla-admin" onSubmit={s.onSubmit} noValidate>
      {s.recomputed !== null ? <StatusMessage>{t('slaAdmin.recomputed', { count: s.recomputed })}</StatusMessage> : null}
      <ErrorBanner error={s.error} hideFields />
      {Object.keys(errors).length > 0 && !s.error ? <p className="banner banner--error" role="alert">{t('validation.failed')}</p> : null}

      <section className="sla-admin__section" aria-labelledby="sla-cal-title">
        <h2 id="sla-cal-title" className="section-title">{t('slaAdmin.calendars')}</h2>
        {errorAt(errors, 'calendars') ? <p className="field__error" role="alert">{t(errorAt(errors, 'calendars')!)}</p> : null}
        {calendars.fields.map((field, index) => (
          <CalendarEditor key={field.key} index={index} control={control} register={register} errors={errors} onRemove={() => calendars.remove(index)} />
        ))}
        <div>
          <Button onClick={() => calendars.append(emptyCalendar())}>{t('slaAdmin.addCalendar')}</Button>
        </div>
      </section>

      <section className="sla-admin__section" aria-labelledby="sla-pol-title">
        <h2 id="sla-pol-title" className="section-title">{t('slaAdmin.policies')}</h2>
        <p className="muted small">{t('slaAdmin.policiesIntro')}</p>
        <p className="banner banner--warn sla-admin__fallback">
          {t('slaAdmin.fallback', {
            first: (FALLBACK_POLICY.firstResponseMinutes ?? 0) / 60,
            resolution: FALLBACK_POLICY.resolutionMinutes / 60,
            calendar: fallbackCalendar,
          })}
        </p>
        <ol className="sla-admin__policies">
          {policies.fields.map((field, index) => (
            <li key={field.key}>
              <PolicyEditor
                index={index}
                count={policies.fields.length}
                control={control}
                register={register}
                errors={errors}
                calendarOptions={calendarOptions}
                onMove={(to) => policies.move(index, to)}
                onRemove={() => policies.remove(index)}
              />
            </li>
          ))}
        </ol>
        <div>
          <Button onClick={() => policies.append(emptyPolicy(calendarValues[0]?.id ?? FALLBACK_POLICY.calendarId))}>{t('slaAdmin.addPolicy')}</Button>
        </div>
      </section>

      <section className="sla-admin__section" aria-labelledby="sla-auto-title">
        <h2 id="sla-auto-title" className="section-title">{t('slaAdmin.autoClose')}</h2>
        <CheckboxField label={t('slaAdmin.autoCloseEnabled')} {...register('autoClose.enabled')} />
        <div className="grid2">
          <TextField
            label={t('slaAdmin.autoCloseDays')}
            type="number"
            min={1}
            max={60}
            step={1}
            error={errorAt(errors, 'autoClose.days')}
            {...register('autoClose.days', { valueAsNumber: true })}
          />
          <SelectField
            label={t('slaAdmin.autoCloseUnit')}
            options={(['natural', 'business'] as const).map((u) => ({ value: u, label: t(`slaAdmin.unit.${u}`) }))}
            error={errorAt(errors, 'autoClose.unit')}
            {...register('autoClose.unit')}
          />
        </div>
        <p className="muted small">{t('slaAdmin.autoCloseHint')}</p>
      </section>

      <section className="sla-admin__section" aria-labelledby="sla-tpl-title">
        <h2 id="sla-tpl-title" className="section-title">{t('slaAdmin.escalationTemplate')}</h2>
        <TextAreaField
          label={t('slaAdmin.templateLabel')}
          rows={3}
          hint={`${t('slaAdmin.templateHint')} {{trackingNumber}}, {{tier}}, {{hours}}`}
          error={errorAt(errors, 'escalationTemplate')}
          {...register('escalationTemplate')}
        />
        <p className="muted small">{t('slaAdmin.templateMoved')}</p>
      </section>

      <div className="sla-admin__save">
        <Button type="submit" variant="primary" pending={s.pending}>{t('common.save')}</Button>
      </div>
    </form>
  );
}

interface EditorProps {
  index: number;
  control: Control<SlaForm>;
  register: UseFormRegister<SlaForm>;
  errors: Errors;
}

function CalendarEditor({ index, control, register, errors, onRemove }: EditorProps & { onRemove: () => void }) {
  const { t } = useTranslation();
  const shifts = useFieldArray({ control, name: `calendars.${index}.week`, keyName: 'key' });
  const name = useWatch({ control, name: `calendars.${index}.name` });
  const base = `calendars.${index}`;
  const weekError = errorAt(errors, `${base}.week`);
  return (
    <fieldset className="fieldset sla-calendar" data-calendar-index={index}>
      <legend className="field__label">{name || t('slaAdmin.newCalendar')}</legend>
      <div className="grid2">
        <TextField label={t('slaAdmin.calendarName')} error={errorAt(errors, `${base}.name`)} {...register(`calendars.${index}.name`)} />
        <TextField
          label={t('slaAdmin.timeZone')}
          hint={t('slaAdmin.timeZoneHint')}
          error={errorAt(errors, `${base}.timeZone`)}
          {...register(`calendars.${index}.timeZone`)}
        />
      </div>
      <fieldset className="fieldset sla-week">
        <legend className="field__label">{t('slaAdmin.week')}</legend>
        {weekError ? <p className="field__error" role="alert">{t(weekError)}</p> : null}
        {WEEK_DAYS.map((day) => {
          const rows = shifts.fields.map((f, j) => ({ f, j })).filter(({ f }) => Number(f.day) === day);
          const dayName = t(`slaAdmin.day.${day}`);
          return (
            <div key={day} className="sla-day" role="group" aria-label={dayName}>
              <span className="sla-day__name">{dayName}</span>
              <div className="sla-day__shifts">
                {rows.length === 0 ? <span className="muted small">{t('slaAdmin.closed')}</span> : null}
                {rows.map(({ f, j }) => {
                  const rowError = errorAt(errors, `${base}.week.${j}`);
                  return (
                    <div key={f.key} className="sla-shift">
                      <TextField
                        label={t('slaAdmin.start')}
                        className="sla-shift__time"
                        placeholder="09:00"
                        inputMode="numeric"
                        error={errorAt(errors, `${base}.week.${j}.start`)}
                        {...register(`calendars.${index}.week.${j}.start`)}
                      />
                      <TextField
                        label={t('slaAdmin.end')}
                        className="sla-shift__time"
                        placeholder="19:00"
                        inputMode="numeric"
                        error={errorAt(errors, `${base}.week.${j}.end`)}
                        {...register(`calendars.${index}.week.${j}.end`)}
                      />
                      <Button size="sm" variant="ghost" aria-label={t('slaAdmin.removeShiftOf', { day: dayName })} onClick={() => shifts.remove(j)}>
                        {t('slaAdmin.removeShift')}
                      </Button>
                      {rowError ? <p className="field__error" role="alert">{t(rowError)}</p> : null}
                    </div>
                  );
                })}
              </div>
              <Button size="sm" aria-label={t('slaAdmin.addShiftOf', { day: dayName })} onClick={() => shifts.append({ day, start: '09:00', end: '19:00' })}>
                {t('slaAdmin.addShift')}
              </Button>
            </div>
          );
        })}
      </fieldset>
      <CheckboxField label={t('slaAdmin.lft')} hint={t('slaAdmin.lftHint')} {...register(`calendars.${index}.lft`)} />
      <TextAreaField
        label={t('slaAdmin.extra')}
        hint={t('slaAdmin.extraHint')}
        rows={3}
        error={errorAt(errors, `${base}.extra`)}
        {...register(`calendars.${index}.extra`)}
      />
      <div>
        <Button size="sm" variant="danger" onClick={onRemove}>{t('slaAdmin.removeCalendar')}</Button>
      </div>
    </fieldset>
  );
}

function DurationInputs({ legend, prefix, register, errors, disabled, children }: {
  legend: string;
  prefix: `policies.${number}.${'first' | 'next' | 'resolution'}`;
  register: UseFormRegister<SlaForm>;
  errors: Errors;
  disabled?: boolean;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const error = errorAt(errors, prefix);
  return (
    <fieldset className="fieldset sla-duration">
      <legend className="field__label">{legend}</legend>
      {children}
      <div className="sla-duration__inputs">
        <TextField label={t('slaAdmin.hours')} type="number" min={0} step={1} disabled={disabled} {...register(`${prefix}.hours`, { valueAsNumber: true })} />
        <TextField label={t('slaAdmin.minutes')} type="number" min={0} max={59} step={1} disabled={disabled} {...register(`${prefix}.minutes`, { valueAsNumber: true })} />
      </div>
      {error ? <p className="field__error" role="alert">{t(error)}</p> : null}
    </fieldset>
  );
}

function PolicyEditor({ index, count, control, register, errors, calendarOptions, onMove, onRemove }: EditorProps & {
  count: number;
  calendarOptions: Array<{ value: string; label: string }>;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const name = useWatch({ control, name: `policies.${index}.name` });
  const firstImmediate = useWatch({ control, name: `policies.${index}.firstImmediate` });
  const nextNone = useWatch({ control, name: `policies.${index}.nextNone` });
  const base = `policies.${index}`;
  const title = t('slaAdmin.policyTitle', { n: index + 1, name: name || t('slaAdmin.newPolicy') });
  return (
    <fieldset className="fieldset sla-policy" data-policy-index={index}>
      <legend className="field__label">{title}</legend>
      <div className="sla-policy__order">
        <Button size="sm" disabled={index === 0} aria-label={t('slaAdmin.moveUpOf', { name: title })} onClick={() => onMove(index - 1)}>
          {t('slaAdmin.moveUp')}
        </Button>
        <Button size="sm" disabled={index === count - 1} aria-label={t('slaAdmin.moveDownOf', { name: title })} onClick={() => onMove(index + 1)}>
          {t('slaAdmin.moveDown')}
        </Button>
        <Button size="sm" variant="danger" aria-label={t('slaAdmin.removePolicyOf', { name: title })} onClick={onRemove}>
          {t('slaAdmin.removePolicy')}
        </Button>
      </div>
      <TextField label={t('slaAdmin.policyName')} error={errorAt(errors, `${base}.name`)} {...register(`policies.${index}.name`)} />
      <fieldset className="fieldset sla-match">
        <legend className="field__label">{t('slaAdmin.match')}</legend>
        <p className="muted small">{t('slaAdmin.matchHint')}</p>
        <div className="sla-match__fields">
          <Controller control={control} name={`policies.${index}.plans`} render={({ field }) => (
            <MultiSelect label={t('slaAdmin.plan')} options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))} value={field.value} onChange={field.onChange} />
          )} />
          <Controller control={control} name={`policies.${index}.channels`} render={({ field }) => (
            <MultiSelect label={t('slaAdmin.channel')} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} value={field.value} onChange={field.onChange} />
          )} />
          <Controller control={control} name={`policies.${index}.severities`} render={({ field }) => (
            <MultiSelect label={t('slaAdmin.severity')} options={SEVERITIES.map((s) => ({ value: String(s) as '1' | '2' | '3', label: t(`severity.${s}`) }))}
              value={field.value} onChange={field.onChange} />
          )} />
          <Controller control={control} name={`policies.${index}.priorities`} render={({ field }) => (
            <MultiSelect label={t('slaAdmin.priority')} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} value={field.value} onChange={field.onChange} />
          )} />
        </div>
      </fieldset>
      <div className="sla-policy__targets">
        <DurationInputs legend={t('slaAdmin.firstResponse')} prefix={`policies.${index}.first`} register={register} errors={errors} disabled={firstImmediate}>
          <CheckboxField label={t('slaAdmin.immediate')} {...register(`policies.${index}.firstImmediate`)} />
        </DurationInputs>
        <DurationInputs legend={t('slaAdmin.nextResponse')} prefix={`policies.${index}.next`} register={register} errors={errors} disabled={nextNone}>
          <CheckboxField label={t('slaAdmin.noTarget')} {...register(`policies.${index}.nextNone`)} />
        </DurationInputs>
        <DurationInputs legend={t('slaAdmin.resolution')} prefix={`policies.${index}.resolution`} register={register} errors={errors} />
      </div>
      <div className="grid2">
        <SelectField label={t('slaAdmin.calendar')} options={calendarOptions} error={errorAt(errors, `${base}.calendarId`)} {...register(`policies.${index}.calendarId`)} />
        <TextField
          label={t('slaAdmin.warningPercent')}
          type="number"
          min={1}
          max={99}
          step={1}
          error={errorAt(errors, `${base}.warningPercent`)}
          {...register(`policies.${index}.warningPercent`, { valueAsNumber: true })}
        />
      </div>
    </fieldset>
  );
}
