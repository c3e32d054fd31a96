/**
 * The composer: public reply, internal note, contact attempt or customer message. On a closed
 * ticket only "Mensaje del cliente" stays available (core reopens it or opens a linked ticket).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contactAttemptSchema, ticketMessageSchema } from '../../../electron/shared/contract';
import { ArticlePicker } from '../kb/ArticleInsert';
import { appendToMessage, useArticleInsert } from '../kb/composerInsert';
import { QuickReplyPicker } from '../quick-replies/QuickReplyPicker';
import { tOpensPicker } from '../../../electron/shared/quick-replies';
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

/** Where a quick reply goes: at the caret, or after what is written (a blank line between) when the caret is at its end. */
export function insertQuickReply(current: string, caret: number, text: string): { value: string; caret: number } {
  if (current.trim() === '') return { value: text, caret: text.length };
  if (caret >= current.trimEnd().length) {
    const value = appendToMessage(current, text);
    return { value, caret: value.length };
  }
  return { value: current.slice(0, caret) + text + current.slice(caret), caret: caret + text.length };
}

export function Composer({ closed }: { closed: boolean }) {
  const { t } = useTranslation();
  const send = useTicket((s) => s.send);
  const ticketId = useTicket((s) => s.ticketId);
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

  // Respuestas rápidas: the button, or `t` in an empty message box (inside text the letter types).
  const bodyField = register('body');
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const [picker, setPicker] = useState<{ caret: number; byKey: boolean } | null>(null);
  const [inserted, setInserted] = useState<string | null>(null);
  const placeCaret = (caret: number) =>
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(caret, caret);
    });
  const openPicker = (byKey: boolean) => {
    const el = textarea.current;
    setInserted(null);
    setPicker({ caret: el ? el.selectionStart : form.getValues('body').length, byKey });
  };
  const onBodyKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 't' || e.ctrlKey || e.metaKey || e.altKey || e.nativeEvent.isComposing || closed) return;
    if (!tOpensPicker(e.currentTarget.value)) return;
    e.preventDefault();
    openPicker(true);
  };
  const onPicked = (text: string, title: string) => {
    const at = picker?.caret ?? form.getValues('body').length;
    const next = insertQuickReply(form.getValues('body'), at, text);
    setPicker(null);
    setValue('body', next.value, { shouldDirty: true });
    setInserted(title);
    placeCaret(next.caret);
  };
  const onPickerCancel = (query: string) => {
    const at = picker?.caret ?? 0;
    // Opened by the t key: what was typed is given back, so a word starting with t is never lost.
    if (picker?.byKey) {
      const current = form.getValues('body');
      const typed = `t${query}`;
      setValue('body', current.slice(0, at) + typed + current.slice(at), { shouldDirty: true });
      placeCaret(at + typed.length);
    } else placeCaret(at);
    setPicker(null);
  };

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
    setInserted(null);
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
      <div className="composer-tools">
        {closed ? null : (
          <>
            <ArticlePicker />
            <Button size="sm" onClick={() => openPicker(false)} title={t('quickReplies.picker.shortcut')} aria-keyshortcuts="t">
              {t('quickReplies.picker.open')}
            </Button>
          </>
        )}
      </div>
      <TextAreaField label={t('ticket.composer.message')} rows={5} maxChars={20000} error={formState.errors.body?.message}
        hint={closed ? undefined : t('quickReplies.picker.shortcut')}
        {...bodyField}
        ref={(el) => {
          bodyField.ref(el);
          textarea.current = el;
        }}
        onKeyDown={onBodyKeyDown}
      />
      {inserted ? <p className="small muted" role="status">{t('quickReplies.picker.inserted', { title: inserted })}</p> : null}
      {picker && ticketId ? <QuickReplyPicker ticketId={ticketId} onInsert={onPicked} onCancel={onPickerCancel} /> : null}
      {withFiles ? <EvidenceInput evidence={evidence} label={t('evidence.label')} /> : null}
      <div className="actions">
        <Button type="submit" variant="primary" pending={busy} disabled={evidence.reading}>
          {t('ticket.composer.send')}
        </Button>
      </div>
    </form>
  );
}
