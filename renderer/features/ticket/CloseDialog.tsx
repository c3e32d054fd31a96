/**
 * "Cerrar ticket": a modal asking for the cause and solution (seed 003). After a hand-back the
 * upper tier already wrote both: they start filled in, to be kept or edited.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { type z } from 'zod';
import { ticketCloseSchema } from '../../../electron/shared/contract';
import { applyFieldErrors } from '../../app/forms';
import { Dialog } from '../../components';
import { closePrefill } from './closePrefill';
import { useJustClosed } from './NextTicket';
import { useTicket } from './ticketStore';
import { Button, ErrorBanner, TextAreaField } from './ui';

const closeFormSchema = ticketCloseSchema.pick({ cause: true, solution: true });
type CloseValues = z.input<typeof closeFormSchema>;

export function CloseDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const close = useTicket((s) => s.close);
  const busy = useTicket((s) => s.busy);
  const actionError = useTicket((s) => s.actionError);
  const { register, handleSubmit, setError, reset, formState } = useForm<CloseValues, unknown, z.output<typeof closeFormSchema>>({
    resolver: zodResolver(closeFormSchema),
    defaultValues: { cause: '', solution: '' },
  });

  useEffect(() => {
    if (open) reset(closePrefill(useTicket.getState().detail?.timeline ?? []));
  }, [open, reset]);

  const submit = handleSubmit(async ({ cause, solution }) => {
    const fields = await close(cause, solution);
    if (fields) {
      applyFieldErrors({ code: 'validation.failed', fields }, setError, ['cause', 'solution']);
      return;
    }
    if (!useTicket.getState().actionError) {
      const closedId = useTicket.getState().detail?.ticket.id;
      if (closedId) useJustClosed.getState().set(closedId);
      onClose();
    }
  });

  return (
    <Dialog
      open={open}
      title={t('ticket.actions.closeTicket')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="danger" pending={busy}>
            {t('ticket.actions.closeTicket')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p>{t('ticket.actions.closeIntro')}</p>
        {/* The screen's banner is behind the modal, so the error is repeated here. */}
        <ErrorBanner error={actionError} hideFields />
        <TextAreaField label={t('ticket.cause')} rows={3} error={formState.errors.cause?.message} {...register('cause')} />
        <TextAreaField label={t('ticket.solution')} rows={4} error={formState.errors.solution?.message} {...register('solution')} />
      </form>
    </Dialog>
  );
}
