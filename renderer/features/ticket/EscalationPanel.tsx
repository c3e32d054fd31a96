/**
 * The ticket's tier (Mesa de Servicio → Operación → Desarrollo) with "Turnar a …" (one step up,
 * with a reason) and "Regresar respuesta" (the answer travelling back down, with cause and
 * solution). Core decides who may act; the hint only explains it before anyone tries.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ticketHandBackSchema, ticketMoveTierSchema } from '../../../electron/shared/contract';
import { SEVERITIES, TIER_ROLE, TIERS, tierIndex, type Severity, type Tier } from '../../../electron/shared/domain';
import type { TicketDetail } from '../../../electron/shared/types';
import { applyFieldErrors } from '../../app/forms';
import { Dialog } from '../../components';
import { useSession } from '../../stores/session';
import { useTicket } from './ticketStore';
import { Button, ErrorBanner, SelectField, TextAreaField } from './ui';

export function EscalationPanel({ detail }: { detail: TicketDetail }) {
  const { t } = useTranslation();
  const busy = useTicket((s) => s.busy);
  const roles = useSession((s) => s.user?.roles ?? []);
  const [dialog, setDialog] = useState<'up' | 'handBack' | null>(null);
  const { ticket } = detail;
  const closed = ticket.status === 'closed';
  const next: Tier | undefined = TIERS[tierIndex(ticket.tier) + 1];
  const canAct = roles.includes('supervisor') || roles.includes(TIER_ROLE[ticket.tier]);

  return (
    <section className="card escalation-panel" aria-labelledby="escalation-title">
      <h2 id="escalation-title">{t('ticket.escalation.title')}</h2>
      <ol className="tier-route" aria-label={t('ticket.escalation.route')}>
        {TIERS.map((tier) => (
          <li key={tier} className={tier === ticket.tier ? 'tier-route__step tier-route__step--current' : 'tier-route__step'} aria-current={tier === ticket.tier ? 'step' : undefined}>
            {t(`tier.${tier}`)}
          </li>
        ))}
      </ol>
      {!closed && !canAct ? <p className="small muted">{t('ticket.escalation.notYourTier', { role: t(`role.${TIER_ROLE[ticket.tier]}`) })}</p> : null}
      <div className="escalation-panel__actions">
        {next ? (
          <Button variant="primary" disabled={closed || busy || !canAct} onClick={() => setDialog('up')}>
            {t('ticket.escalation.escalateTo', { tier: t(`tier.${next}`) })}
          </Button>
        ) : null}
        {ticket.tier !== 'service_desk' ? (
          <Button disabled={closed || busy || !canAct} onClick={() => setDialog('handBack')}>
            {t('ticket.escalation.handBack')}
          </Button>
        ) : null}
      </div>
      {next ? <EscalateDialog open={dialog === 'up'} detail={detail} toTier={next} onClose={() => setDialog(null)} /> : null}
      <HandBackDialog open={dialog === 'handBack'} detail={detail} onClose={() => setDialog(null)} />
    </section>
  );
}

const escalateSchema = z.object({ reason: ticketMoveTierSchema.shape.reason, severity: z.enum(['', '1', '2', '3']) });
type EscalateValues = z.input<typeof escalateSchema>;

function EscalateDialog({ open, detail, toTier, onClose }: { open: boolean; detail: TicketDetail; toTier: Tier; onClose: () => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const moveTier = useTicket((s) => s.moveTier);
  const busy = useTicket((s) => s.busy);
  const actionError = useTicket((s) => s.actionError);
  const { register, handleSubmit, reset, setError, formState } = useForm<EscalateValues, unknown, z.output<typeof escalateSchema>>({
    resolver: zodResolver(escalateSchema),
    defaultValues: { reason: '', severity: '' },
  });
  useEffect(() => {
    if (open) reset({ reason: '', severity: '' });
  }, [open, reset]);
  const severity = detail.ticket.severity;

  const submit = handleSubmit(async (values) => {
    const fields = await moveTier(toTier, values.reason, values.severity ? (Number(values.severity) as Severity) : undefined);
    if (fields) applyFieldErrors({ code: 'validation.failed', fields }, setError, ['reason', 'severity']);
    else if (!useTicket.getState().actionError) onClose();
  });

  const label = t('ticket.escalation.escalateTo', { tier: t(`tier.${toTier}`) });
  return (
    <Dialog
      open={open}
      title={label}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" pending={busy}>{t('ticket.escalation.escalate')}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="stack">
        <p>{t('ticket.escalation.escalateIntro', { tier: t(`tier.${toTier}`) })}</p>
        <ErrorBanner error={actionError} hideFields />
        <TextAreaField label={t('ticket.escalation.reason')} required rows={3} error={formState.errors.reason?.message} {...register('reason')} />
        <SelectField
          label={t('ticket.escalation.severity')}
          options={[
            { value: '', label: t('ticket.escalation.keepSeverity', { severity: t(`severity.${severity}`) }) },
            ...SEVERITIES.filter((s) => s !== severity).map((s) => ({ value: String(s), label: t(`severity.${s}`) })),
          ]}
          error={formState.errors.severity?.message}
          {...register('severity')}
        />
      </form>
    </Dialog>
  );
}

const handBackSchema = ticketHandBackSchema.pick({ cause: true, solution: true });
type HandBackValues = z.input<typeof handBackSchema>;

function HandBackDialog({ open, detail, onClose }: { open: boolean; detail: TicketDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const handBack = useTicket((s) => s.handBack);
  const busy = useTicket((s) => s.busy);
  const actionError = useTicket((s) => s.actionError);
  const { register, handleSubmit, reset, setError, formState } = useForm<HandBackValues, unknown, z.output<typeof handBackSchema>>({
    resolver: zodResolver(handBackSchema),
    defaultValues: { cause: '', solution: '' },
  });
  useEffect(() => {
    if (open) reset({ cause: '', solution: '' });
  }, [open, reset]);
  const below: Tier | undefined = TIERS[tierIndex(detail.ticket.tier) - 1];

  const submit = handleSubmit(async ({ cause, solution }) => {
    const fields = await handBack(cause, solution);
    if (fields) applyFieldErrors({ code: 'validation.failed', fields }, setError, ['cause', 'solution']);
    else if (!useTicket.getState().actionError) onClose();
  });

  return (
    <Dialog
      open={open}
      title={t('ticket.escalation.handBack')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" pending={busy}>{t('ticket.escalation.handBack')}</Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="stack">
        {below ? <p>{t('ticket.escalation.handBackIntro', { tier: t(`tier.${below}`) })}</p> : null}
        <ErrorBanner error={actionError} hideFields />
        <TextAreaField label={t('ticket.cause')} required rows={3} error={formState.errors.cause?.message} {...register('cause')} />
        <TextAreaField label={t('ticket.solution')} required rows={4} error={formState.errors.solution?.message} {...register('solution')} />
      </form>
    </Dialog>
  );
}
