/**
 * The decision dialogs of a request: every decision carries a required "Comentario" (the
 * contract's own schema); the IT head's approval adds the seed-05 checklist; the security officer's
 * emergency account adds its validity window.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, type ReactNode } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { creditPackageChecklistSchema, emergencyCreateSchema, requestCommentSchema } from '../../../electron/shared/contract';
import { CHANGE_MODIFIERS } from '../../../electron/shared/request-workflow';
import { Button, CheckboxField, DateField, Dialog, ErrorBanner, SelectField, TextAreaField, TextField, TimeField } from '../../components';
import type { ErrorInfo } from '../../../electron/shared/errors';
import './strings';

const commentSchema = requestCommentSchema.pick({ comment: true });
type CommentValues = z.input<typeof commentSchema>;

interface BaseProps {
  title: string;
  confirmLabel: string;
  pending: boolean;
  error: ErrorInfo | null;
  onClose: () => void;
  danger?: boolean;
  hint?: ReactNode;
}

/** A dialog whose only field is the required comment. */
export function CommentDialog({ title, confirmLabel, pending, error, onClose, danger, hint, onConfirm }: BaseProps & { onConfirm: (comment: string) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const form = useForm<CommentValues, unknown, z.output<typeof commentSchema>>({ resolver: zodResolver(commentSchema), defaultValues: { comment: '' } });
  const submit = form.handleSubmit((v) => onConfirm(v.comment));
  return (
    <Dialog open title={title} onClose={onClose} footer={
      <>
        <Button onClick={onClose} disabled={pending}>{t('common.cancel')}</Button>
        <Button type="submit" form={formId} variant={danger ? 'danger' : 'primary'} pending={pending}>{confirmLabel}</Button>
      </>
    }>
      <form id={formId} onSubmit={submit} noValidate className="stack">
        {hint ? <p className="muted">{hint}</p> : null}
        <ErrorBanner error={error} />
        <TextAreaField label={t('requests.detail.comment')} hint={t('requests.detail.commentHint')} rows={3} autoFocus required
          error={form.formState.errors.comment?.message} {...form.register('comment')} />
      </form>
    </Dialog>
  );
}

const approveSchema = z.object({ comment: commentSchema.shape.comment, checklist: creditPackageChecklistSchema });
type ApproveValues = z.input<typeof approveSchema>;

/** The IT head's authorization of a credit-package change: comment plus the checklist. */
export function ChecklistApproveDialog({ title, confirmLabel, pending, error, onClose, onConfirm }: BaseProps & {
  onConfirm: (v: z.output<typeof approveSchema>) => void;
}) {
  const { t } = useTranslation();
  const formId = useId();
  const form = useForm<ApproveValues, unknown, z.output<typeof approveSchema>>({
    resolver: zodResolver(approveSchema),
    defaultValues: { comment: '', checklist: { licenseAllows: false, modifiedBy: 'own_staff', impactEvaluated: false, impact: '', originalKept: false, changeDocumented: false } },
  });
  const { register, formState: { errors } } = form;
  const itemError = (key: string) => error?.fields?.[`checklist.${key}`];
  return (
    <Dialog open title={title} onClose={onClose} size="lg" footer={
      <>
        <Button onClick={onClose} disabled={pending}>{t('common.cancel')}</Button>
        <Button type="submit" form={formId} variant="primary" pending={pending}>{confirmLabel}</Button>
      </>
    }>
      <form id={formId} onSubmit={form.handleSubmit(onConfirm)} noValidate className="stack">
        <ErrorBanner error={error} hideFields />
        <fieldset className="fieldset stack">
          <legend className="field__label">{t('requests.detail.checklist')}</legend>
          <CheckboxField label={t('requests.detail.checklistLicense')} hint={itemError('licenseAllows') ? t('requests.checklistItem') : undefined} {...register('checklist.licenseAllows')} />
          <SelectField label={t('requests.detail.checklistModifiedBy')} options={CHANGE_MODIFIERS.map((m) => ({ value: m, label: t(`modifier.${m}`) }))} {...register('checklist.modifiedBy')} />
          <CheckboxField label={t('requests.detail.checklistImpactEvaluated')} hint={itemError('impactEvaluated') ? t('requests.checklistItem') : undefined} {...register('checklist.impactEvaluated')} />
          <TextAreaField label={t('requests.detail.checklistImpact')} rows={2} error={errors.checklist?.impact?.message ?? itemError('impact')} {...register('checklist.impact')} />
          <CheckboxField label={t('requests.detail.checklistOriginalKept')} hint={itemError('originalKept') ? t('requests.checklistItem') : undefined} {...register('checklist.originalKept')} />
          <CheckboxField label={t('requests.detail.checklistDocumented')} hint={itemError('changeDocumented') ? t('requests.checklistItem') : undefined} {...register('checklist.changeDocumented')} />
        </fieldset>
        <TextAreaField label={t('requests.detail.comment')} hint={t('requests.detail.commentHint')} rows={3} required error={errors.comment?.message} {...register('comment')} />
      </form>
    </Dialog>
  );
}

const emergencySchema = z.object({
  startDate: z.string(),
  startTime: z.string(),
  durationMinutes: emergencyCreateSchema.shape.durationMinutes,
  comment: emergencyCreateSchema.shape.comment,
}).refine((v) => v.startDate === '' || v.startTime !== '', { path: ['startTime'], message: 'validation.required' })
  .refine((v) => v.startTime === '' || v.startDate !== '', { path: ['startDate'], message: 'validation.required' });
type EmergencyValues = z.input<typeof emergencySchema>;

/**
 * The security officer's emergency account: start (optional: a dd/mm/aaaa date and an hh:mm time on the
 * branch's clock, read and checked by core), duration within the maximum, comment.
 */
export function EmergencyDialog({ maxHours, pending, error, onClose, onConfirm }: Omit<BaseProps, 'title' | 'confirmLabel'> & {
  maxHours: number | null;
  onConfirm: (v: { startDate?: string; startTime?: string; durationMinutes: number; comment: string }) => void;
}) {
  const { t } = useTranslation();
  const formId = useId();
  const maxMinutes = (maxHours ?? 8) * 60;
  const form = useForm<EmergencyValues, unknown, z.output<typeof emergencySchema>>({
    resolver: zodResolver(emergencySchema.refine((v) => v.durationMinutes <= maxMinutes, { path: ['durationMinutes'], message: 'validation.max' })),
    defaultValues: { startDate: '', startTime: '', durationMinutes: Math.min(60, maxMinutes), comment: '' },
  });
  const { register, control, formState: { errors } } = form;
  const submit = form.handleSubmit(({ startDate, startTime, durationMinutes, comment }) => {
    onConfirm({ ...(startDate && startTime ? { startDate, startTime } : {}), durationMinutes, comment });
  });
  const fieldError = (name: 'startDate' | 'startTime') => errors[name]?.message ?? error?.fields?.[name] ?? (name === 'startTime' ? error?.fields?.startsAt : undefined);
  return (
    <Dialog open title={t('requests.detail.emergencyTitle')} onClose={onClose} footer={
      <>
        <Button onClick={onClose} disabled={pending}>{t('common.cancel')}</Button>
        <Button type="submit" form={formId} variant="primary" pending={pending}>{t('requests.detail.create')}</Button>
      </>
    }>
      <form id={formId} onSubmit={submit} noValidate className="stack">
        <ErrorBanner error={error} />
        <div className="row">
          <Controller control={control} name="startDate" render={({ field }) => (
            <DateField label={t('requests.detail.startsOn')} hint={t('requests.detail.startsAtHint')} value={field.value} onChange={field.onChange}
              error={fieldError('startDate')} />
          )} />
          <Controller control={control} name="startTime" render={({ field }) => (
            <TimeField label={t('requests.detail.startsAtTime')} hint={t('requests.detail.startsAtTimeHint')} value={field.value} onChange={field.onChange}
              error={fieldError('startTime')} />
          )} />
          <TextField label={t('requests.detail.duration')} type="number" min={1} max={maxMinutes} required
            hint={t('requests.detail.durationHint', { hours: maxHours ?? 8, minutes: maxMinutes })}
            error={errors.durationMinutes?.message} {...register('durationMinutes', { valueAsNumber: true })} />
        </div>
        <TextAreaField label={t('requests.detail.comment')} hint={t('requests.detail.commentHint')} rows={3} required
          error={errors.comment?.message} {...register('comment')} />
      </form>
    </Dialog>
  );
}
