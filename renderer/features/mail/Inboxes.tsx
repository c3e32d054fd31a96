/**
 * Administración → Correo, incoming side (issue 12): the IMAP mailboxes with their status in words
 * (conectado, sin conexión, error de autenticación) and last fetch, a form to add or change one
 * (TLS by default; the password kept encrypted on this machine), "Revisar ahora", and the mail
 * received with what it became — unknown senders first. Core checks the role on every call.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { MAIL_SECURITY } from '../../../electron/shared/mail';
import { INBOX_PURPOSES, inboxSaveSchema, type InboxInfo, type ReceivedMail } from '../../../electron/shared/mail-intake';
import { call } from '../../app/api';
import { formatDateTime } from '../../app/format';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { useNav } from '../../stores/nav';
import { Button, CheckboxField, ErrorBanner, SelectField, StatusMessage, TextField } from '../../components';
import { reasonText } from './NoticeBadge';
import { InsecureConsent } from './InsecureConsent';
import './strings';
import './mail.css';

type FormValues = z.input<typeof inboxSaveSchema>;
const EMPTY: FormValues = {
  name: 'Soporte', host: '', port: 993, security: 'tls', acceptInsecure: false, username: '', password: '', folder: 'INBOX', purpose: 'support', enabled: true,
};
const FIELDS = ['name', 'host', 'port', 'security', 'acceptInsecure', 'username', 'password', 'folder', 'purpose'];

export function Inboxes() {
  const { t } = useTranslation();
  const inboxes = useApiQuery('mail.inboxes', {});
  const { reload } = inboxes;
  const [editing, setEditing] = useState<InboxInfo | 'new' | null>(null);
  const [saved, setSaved] = useState(false);
  // The status changes in the background: look again every few seconds.
  useEffect(() => {
    const timer = setInterval(() => void reload(), 5_000);
    return () => clearInterval(timer);
  }, [reload]);
  const fetchNow = useApiAction(async (inboxId: string) => call('mail.fetchNow', { inboxId }));
  const remove = useApiAction(async (inboxId: string) => call('mail.removeInbox', { inboxId }));
  return (
    <section className="stack" aria-labelledby="mail-inboxes-title">
      <h2 id="mail-inboxes-title" className="section-title">{t('mailIn.title')}</h2>
      <p className="muted">{t('mailIn.intro')}</p>
      <ErrorBanner error={inboxes.error ?? fetchNow.error ?? remove.error} />
      {saved ? <StatusMessage>{t('mailIn.saved')}</StatusMessage> : null}
      {inboxes.data && inboxes.data.length > 0 ? (
        <table className="table" data-testid="mail-inboxes">
          <thead>
            <tr>
              <th>{t('mailIn.col.name')}</th><th>{t('mailIn.col.account')}</th><th>{t('mailIn.col.receives')}</th><th>{t('mailIn.col.status')}</th>
              <th>{t('mailIn.col.lastFetch')}</th><th>{t('mailIn.col.imported')}</th><th>{t('mailIn.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {inboxes.data.map((i) => (
              <tr key={i.id} data-inbox={i.name}>
                <td>{i.name}</td>
                <td>{i.username} · {i.host}:{i.port}</td>
                <td>{t(`mailIn.purpose.${i.purpose}`)}</td>
                <td>
                  <span className={`badge badge--inbox-${i.status.state}`} data-testid="inbox-state">{t(`mailIn.state.${i.status.state}`)}</span>
                  {i.status.error && i.status.state !== 'connected' ? <div className="small mail-notices__reason">{reasonText(t, i.status.error)}</div> : null}
                  {i.status.state === 'connected' && i.status.idle ? <div className="small muted">{t('mailIn.idle')}</div> : null}
                  {i.status.nextAttemptAt && i.status.state !== 'connected' ? (
                    <div className="small muted">{t('mailIn.nextAttempt', { at: formatDateTime(i.status.nextAttemptAt) })}</div>
                  ) : null}
                </td>
                <td>{i.status.lastFetchAt ? formatDateTime(i.status.lastFetchAt) : t('mailIn.never')}</td>
                <td>{i.imported}</td>
                <td className="mail-actions">
                  <Button onClick={() => { setSaved(false); setEditing(i); }}>{t('mailIn.edit')}</Button>
                  {i.enabled ? <Button onClick={() => void fetchNow.run(i.id).then(() => setTimeout(() => void reload(), 1_000))}>{t('mailIn.fetchNow')}</Button> : null}
                  {i.enabled ? <Button onClick={() => void remove.run(i.id).then((list) => list && inboxes.setData(list))}>{t('mailIn.disable')}</Button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('mailIn.none')}</p>
      )}
      {editing ? (
        <InboxForm
          key={editing === 'new' ? 'new' : editing.id}
          inbox={editing === 'new' ? null : editing}
          onDone={(list) => { if (list) { inboxes.setData(list); setSaved(true); } setEditing(null); }}
        />
      ) : (
        <div><Button onClick={() => { setSaved(false); setEditing('new'); }}>{t('mailIn.add')}</Button></div>
      )}
      <Received />
    </section>
  );
}

function InboxForm({ inbox, onDone }: { inbox: InboxInfo | null; onDone: (list: InboxInfo[] | null) => void }) {
  const { t } = useTranslation();
  const form = useForm<FormValues>({
    resolver: zodResolver(inboxSaveSchema),
    defaultValues: inbox
      ? { inboxId: inbox.id, name: inbox.name, host: inbox.host, port: inbox.port, security: inbox.security, acceptInsecure: inbox.security === 'none',
          username: inbox.username, password: '', folder: inbox.folder, purpose: inbox.purpose, enabled: inbox.enabled }
      : EMPTY,
  });
  const { register, watch, formState: { errors } } = form;
  const save = useApiAction(async (values: FormValues) => {
    const password = values.password === '' && inbox?.hasPassword ? undefined : values.password;
    return call('mail.saveInbox', { ...values, password } as z.output<typeof inboxSaveSchema>);
  }, { onError: (info) => applyFieldErrors(info, form.setError, FIELDS) });
  const onSubmit = form.handleSubmit(async (values) => {
    const list = await save.run(values);
    if (list) onDone(list);
  });
  return (
    <form onSubmit={onSubmit} noValidate className="stack card" aria-label={t('mailIn.formTitle')} data-testid="inbox-form">
      <h3>{inbox ? t('mailIn.editTitle', { name: inbox.name }) : t('mailIn.formTitle')}</h3>
      <ErrorBanner error={save.error} hideFields />
      <div className="mail-form">
        <TextField label={t('mailIn.name')} required error={errors.name?.message} {...register('name')} />
        <SelectField label={t('mailIn.receives')} options={INBOX_PURPOSES.map((p) => ({ value: p, label: t(`mailIn.purpose.${p}`) }))} {...register('purpose')} />
        <TextField label={t('mailUi.host')} hint={t('mailIn.hostHint')} required spellCheck={false} autoComplete="off" error={errors.host?.message} {...register('host')} />
        <TextField label={t('mailUi.port')} hint={t('mailIn.portHint')} required type="number" inputMode="numeric" error={errors.port?.message}
          {...register('port', { valueAsNumber: true })} />
        <SelectField label={t('mailUi.security')} options={MAIL_SECURITY.map((s) => ({ value: s, label: t(`mailUi.securityOptions.${s}`) }))} {...register('security')} />
        <TextField label={t('mailIn.folder')} error={errors.folder?.message} spellCheck={false} {...register('folder')} />
        {watch('security') === 'none' ? <InsecureConsent field={register('acceptInsecure')} error={errors.acceptInsecure?.message} /> : null}
        <TextField label={t('mailUi.username')} required autoComplete="off" spellCheck={false} error={errors.username?.message} {...register('username')} />
        <TextField label={t('mailUi.password')} type="password" autoComplete="new-password"
          hint={inbox?.hasPassword ? t('mailUi.passwordKeep') : t('mailUi.passwordHint')} error={errors.password?.message} {...register('password')} />
        <div className="mail-form__wide"><CheckboxField label={t('mailIn.enabled')} {...register('enabled')} /></div>
      </div>
      <div className="mail-actions">
        <Button type="submit" variant="primary" pending={save.pending}>{t('mailUi.save')}</Button>
        <Button onClick={() => onDone(null)}>{t('mailIn.cancel')}</Button>
      </div>
    </form>
  );
}

function Received() {
  const { t } = useTranslation();
  const [unknownOnly, setUnknownOnly] = useState(false);
  const received = useApiQuery('mail.received', { unknownSenders: unknownOnly, limit: 50 });
  const go = useNav((s) => s.go);
  const { reload } = received;
  useEffect(() => {
    const timer = setInterval(() => void reload(), 10_000);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <section className="stack" aria-labelledby="mail-received-title">
      <h3 id="mail-received-title">{t('mailIn.receivedTitle')}</h3>
      <CheckboxField label={t('mailIn.unknownOnly')} checked={unknownOnly} onChange={(e) => setUnknownOnly(e.target.checked)} />
      <ErrorBanner error={received.error} />
      {received.data && received.data.length === 0 ? <p className="muted">{t('mailIn.receivedNone')}</p> : null}
      {received.data && received.data.length > 0 ? (
        <table className="table" data-testid="mail-received">
          <thead>
            <tr><th>{t('mailIn.col.date')}</th><th>{t('mailIn.col.from')}</th><th>{t('mailIn.col.subject')}</th><th>{t('mailIn.col.outcome')}</th><th>{t('mailUi.col.folio')}</th></tr>
          </thead>
          <tbody>
            {received.data.map((m: ReceivedMail) => (
              <tr key={m.id}>
                <td>{formatDateTime(m.createdAt)}</td>
                <td>{m.fromName ? `${m.fromName} <${m.fromAddress}>` : m.fromAddress}{m.senderUnknown ? <span className="badge badge--inbox-authFailed mail-unknown">{t('mailIn.unknownSender')}</span> : null}</td>
                <td>{m.subject}</td>
                <td>{t(`mailIn.outcome.${m.outcome}`)}{m.reason ? <div className="small muted">{t(`mailIn.reason.${m.reason}`, { defaultValue: '' })}</div> : null}</td>
                <td>{m.ticketId && m.trackingNumber ? (
                  <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'ticket', ticketId: m.ticketId! }); }}>{m.trackingNumber}</a>
                ) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
