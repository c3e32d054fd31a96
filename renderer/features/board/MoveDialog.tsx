/**
 * The reason dialog of every board move: target tier (preselected after a drop or an arrow key),
 * "Motivo" (required) and an optional severity re-grade. Confirms with "Turnar" going up and
 * "Regresar" going down; core's errors (escalation.notYourTier, …) show inside the dialog.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ticketMoveTierSchema } from '../../../electron/shared/contract';
import { SEVERITIES, TIERS, type Severity } from '../../../electron/shared/domain';
import { applyFieldErrors } from '../../app/forms';
import { Button, Dialog, ErrorBanner, SelectField, TextAreaField } from '../../components';
import { adjacentTiers, moveDirection, useBoard } from './store';

const moveFormSchema = z.object({
  toTier: z.enum(TIERS),
  reason: ticketMoveTierSchema.shape.reason,
  /** '' keeps the current severity. */
  severity: z.enum(['', '1', '2', '3']),
});
type MoveValues = z.input<typeof moveFormSchema>;

export function MoveDialog() {
  const { t } = useTranslation();
  const formId = useId();
  const pending = useBoard((s) => s.pendingMove);
  const moving = useBoard((s) => s.moving);
  const moveError = useBoard((s) => s.moveError);
  const cancelMove = useBoard((s) => s.cancelMove);
  const confirmMove = useBoard((s) => s.confirmMove);
  const card = pending?.card;
  const targets = card ? adjacentTiers(card.tier) : [];
  const defaultTier = pending?.toTier ?? targets[targets.length - 1] ?? 'operations';

  const { register, handleSubmit, reset, watch, setError, formState } = useForm<MoveValues, unknown, z.output<typeof moveFormSchema>>({
    resolver: zodResolver(moveFormSchema),
    defaultValues: { toTier: defaultTier, reason: '', severity: '' },
  });

  useEffect(() => {
    if (pending) reset({ toTier: pending.toTier ?? defaultTier, reason: '', severity: '' });
    // Reset only when a new move starts (the default tier derives from it).
  }, [pending]);

  const toTier = watch('toTier');
  const direction = card ? moveDirection(card.tier, toTier) : 'up';

  const submit = handleSubmit(async (values) => {
    const fields = await confirmMove({
      toTier: values.toTier,
      reason: values.reason,
      severity: values.severity ? (Number(values.severity) as Severity) : undefined,
    });
    if (fields) applyFieldErrors({ code: 'validation.failed', fields }, setError, ['reason', 'toTier', 'severity']);
  });

  if (!card) return <Dialog open={false} title="" onClose={cancelMove}>{null}</Dialog>;
  const tierName = t(`tier.${toTier}`);
  const title = t(direction === 'up' ? 'board.move.titleUp' : 'board.move.titleDown', { trackingNumber: card.trackingNumber, tier: tierName });
  return (
    <Dialog
      open
      title={title}
      onClose={cancelMove}
      footer={
        <>
          <Button onClick={cancelMove} disabled={moving}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" pending={moving}>
            {t(direction === 'up' ? 'board.move.up' : 'board.move.down')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="stack">
        <p className="muted">{t('board.move.from', { tier: t(`tier.${card.tier}`) })}</p>
        <ErrorBanner error={moveError} hideFields />
        <SelectField
          label={t('board.move.toTier')}
          options={targets.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
          error={formState.errors.toTier?.message}
          {...register('toTier')}
        />
        <TextAreaField
          label={t('board.move.reason')}
          required
          rows={3}
          hint={t('board.move.reasonHint')}
          error={formState.errors.reason?.message}
          {...register('reason')}
        />
        <SelectField
          label={t('board.move.severity')}
          options={[
            { value: '', label: t('board.move.keepSeverity', { severity: t(`severity.${card.severity}`) }) },
            ...SEVERITIES.filter((s) => s !== card.severity).map((s) => ({ value: String(s), label: t(`severity.${s}`) })),
          ]}
          error={formState.errors.severity?.message}
          {...register('severity')}
        />
        {direction === 'up' ? <p className="small muted">{t('board.move.noticeHint')}</p> : null}
      </form>
    </Dialog>
  );
}
