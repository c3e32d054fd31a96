/**
 * The composer: public reply, internal note, contact attempt or customer message. On a closed
 * ticket only "Mensaje del cliente" stays available (core reopens it or opens a linked ticket).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contactAttemptSchema, ticketMessageSchema } from '../../../electron/shared/contract';
import { ArticlePicker } from '../kb/ArticleInsert';
import { appendToMessage, useArticleInsert } from '../kb/composerInsert';
import { useEvidence } from './evidence';
import { useTicket, type ComposerMode } from './ticketStore';
import { Button, CheckboxField, EvidenceInput, SelectField, TextAreaField } from './ui';

const MODES: ComposerMode[] = ['reply', 'note', 'contact_attempt', 'customer_message'];

const composerSchema = z
  .object({
    mode: z.enum(['reply', 'note', 'contact_attempt', 'customer_message']),
    body: z.string(),
    method: contactAttemptSchema.shape.method,
    reached: z.boolean(),
  })
  .superRefine((v, ctx) => {
    const body = v.mode === 'contact_attempt' ? contactAttemptSchema.shape.body : ticketMessageSchema.shape.body;
    const result = body.safeParse(v.body);
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['body'], message: result.error.issues[0]?.message ?? 'validation.invalid' });
  });
type ComposerValues = z.infer<typeof composerSchema>;

const HINTS: Record<ComposerMode, string> = {
  reply: 'ticket.composer.replyHint',
  note: 'ticket.composer.noteHint',
  contact_attempt: 'ticket.composer.contactHint',
  customer_message: 'ticket.composer.customerMessageHint',
};

export function Composer({ closed }: { closed: boolean }) {
  const { t } = useTranslation();
  const send = useTicket((s) => s.send);
  const busy = useTicket((s) => s.busy);
  const evidence = useEvidence();
  const form = useForm<ComposerValues>({
    resolver: zodResolver(composerSchema),
    defaultValues: { mode: closed ? 'customer_message' : 'reply', body: '', method: 'phone', reached: false },
  });
  const { register, handleSubmit, watch, setValue, setError, reset, formState } = form;
  const mode = watch('mode');
  // Knowledge base articles inserted from the ticket's suggestions or the picker below.
  useArticleInsert(useCallback((text: string) => setValue('body', appendToMessage(form.getValues('body'), text), { shouldDirty: true }), [setValue, form]));

  useEffect(() => {
    if (closed) setValue('mode', 'customer_message');
  }, [closed, setValue]);

  const submit = handleSubmit(async (values) => {
    const fields =
      values.mode === 'contact_attempt'
        ? await send({ mode: 'contact_attempt', body: values.body, method: values.method, reached: values.reached })
        : await send({ mode: values.mode, body: values.body, attachments: evidence.uploads });
    if (fields) {
      for (const [path, key] of Object.entries(fields)) {
        if (path === 'body') setError('body', { message: key });
        else if (path.startsWith('attachments')) evidence.setError({ code: key });
      }
      return;
    }
    // Sent (or, on a closed ticket, maybe moved to the linked ticket): start a fresh entry.
    if (useTicket.getState().actionError) return;
    reset({ mode: values.mode === 'contact_attempt' ? 'contact_attempt' : values.mode, body: '', method: values.method, reached: false });
    evidence.clear();
  });

  const withFiles = mode !== 'contact_attempt';
  return (
    <form className={`card composer composer-${mode}`} onSubmit={submit} noValidate aria-labelledby="composer-title">
      <h2 id="composer-title">{t('ticket.composer.title')}</h2>
      <fieldset className="composer-modes">
        <legend>{t('ticket.composer.mode')}</legend>
        {MODES.map((m) => (
          <label key={m} className={`mode mode-${m}`}>
            <input type="radio" value={m} disabled={closed && m !== 'customer_message'} {...register('mode')} /> {t(`ticket.composer.${m}`)}
          </label>
        ))}
      </fieldset>
      <p className="field-hint">{t(HINTS[mode])}</p>
      {mode === 'contact_attempt' ? (
        <div className="row">
          <SelectField
            label={t('ticket.composer.method')}
            options={[
              { value: 'phone', label: t('ticket.composer.methodPhone') },
              { value: 'email', label: t('ticket.composer.methodEmail') },
            ]}
            {...register('method')}
          />
          <CheckboxField label={t('ticket.composer.reached')} {...register('reached')} />
        </div>
      ) : null}
      <div className="composer-tools">{closed ? null : <ArticlePicker />}</div>
      <TextAreaField label={t('ticket.composer.message')} rows={5} maxChars={20000} error={formState.errors.body?.message} {...register('body')} />
      {withFiles ? <EvidenceInput evidence={evidence} label={t('evidence.label')} /> : null}
      <div className="actions">
        <Button type="submit" variant="primary" pending={busy} disabled={evidence.reading}>
          {t('ticket.composer.send')}
        </Button>
      </div>
    </form>
  );
}
