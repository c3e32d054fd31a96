/**
 * Administración → Correo (issue 12): the outgoing mailbox (SMTP; TLS by default, STARTTLS, plain
 * only with the warning accepted), "Probar conexión" and "Enviar correo de prueba" with the reason
 * in words, and the queue of customer e-mails with "Enviar de nuevo" / "Cancelar". Core checks the
 * administrator role on every call.
 */
import { useTranslation } from 'react-i18next';
import { MAIL_SECURITY, NOTICE_STATUSES, type NoticeInfo } from '../../../electron/shared/mail';
import { formatDateTime } from '../../app/format';
import { Button, CheckboxField, EmptyState, ErrorBanner, Loading, SelectField, StatusMessage, TextField } from '../../components';
import { useMailAdmin } from './useMailAdmin';
import { NoticeBadge, reasonText } from './NoticeBadge';
import { Inboxes } from './Inboxes';
import { TemplatesSection } from './TemplatesSection';
import { InsecureConsent } from './InsecureConsent';
import './strings';
import './mail.css';

type Admin = ReturnType<typeof useMailAdmin>;

export function MailTab() {
  const { t } = useTranslation();
  const a = useMailAdmin();
  if (a.mailbox.loading && !a.mailbox.data) return <Loading />;
  return (
    <div className="stack">
      <p className="muted">{t('mailUi.intro')}</p>
      {a.outcome ? <StatusMessage>{t(a.outcome.key, a.outcome.params ?? {})}</StatusMessage> : null}
      <ErrorBanner error={a.mailbox.error} />
      <MailboxForm a={a} />
      <Checks a={a} />
      <TemplatesSection />
      <Queue a={a} />
      <Inboxes />
    </div>
  );
}

function MailboxForm({ a }: { a: Admin }) {
  const { t } = useTranslation();
  const { register, watch, formState: { errors } } = a.form;
  const security = watch('security');
  const stored = a.mailbox.data;
  return (
    <form onSubmit={a.onSave} noValidate aria-labelledby="mail-box-title" className="stack">
      <h2 id="mail-box-title" className="section-title">{t('mailUi.mailboxTitle')}</h2>
      <ErrorBanner error={a.saveError} hideFields />
      <div className="mail-form">
        <TextField label={t('mailUi.host')} hint={t('mailUi.hostHint')} required spellCheck={false} autoComplete="off" error={errors.host?.message} {...register('host')} />
        <TextField label={t('mailUi.port')} hint={t('mailUi.portHint')} required type="number" inputMode="numeric" error={errors.port?.message}
          {...register('port', { valueAsNumber: true })} />
        <SelectField label={t('mailUi.security')} options={MAIL_SECURITY.map((s) => ({ value: s, label: t(`mailUi.securityOptions.${s}`) }))} {...register('security')} />
        <TextField label={t('mailUi.username')} autoComplete="off" spellCheck={false} error={errors.username?.message} {...register('username')} />
        {security === 'none' ? <InsecureConsent field={register('acceptInsecure')} error={errors.acceptInsecure?.message} /> : null}
        <TextField label={t('mailUi.password')} type="password" autoComplete="new-password"
          hint={stored?.hasPassword ? t('mailUi.passwordKeep') : t('mailUi.passwordHint')} error={errors.password?.message} {...register('password')} />
        <TextField label={t('mailUi.fromName')} required error={errors.fromName?.message} {...register('fromName')} />
        <TextField label={t('mailUi.fromAddress')} required type="email" spellCheck={false} error={errors.fromAddress?.message} {...register('fromAddress')} />
        <TextField label={t('mailUi.replyTo')} hint={t('mailUi.replyToHint')} type="email" spellCheck={false} error={errors.replyTo?.message} {...register('replyTo')} />
        <div className="mail-form__wide">
          <CheckboxField label={t('mailUi.enabled')} {...register('enabled')} />
        </div>
      </div>
      {stored ? <p className="muted small">{t(`mailUi.protection.${stored.protection}`)}</p> : null}
      <div>
        <Button type="submit" variant="primary" pending={a.savePending}>{t('mailUi.save')}</Button>
      </div>
    </form>
  );
}

function Checks({ a }: { a: Admin }) {
  const { t } = useTranslation();
  const configured = Boolean(a.mailbox.data);
  return (
    <section className="stack" aria-label={t('mailUi.verify')}>
      <div className="mail-checks">
        <Button onClick={() => void a.onVerify()} pending={a.verifyPending} disabled={!configured}>{t('mailUi.verify')}</Button>
        <TextField label={t('mailUi.testTo')} type="email" value={a.testTo} onChange={(e) => a.setTestTo(e.target.value)} disabled={!configured} />
        <Button onClick={() => void a.onSendTest()} pending={a.testPending} disabled={!configured || a.testTo.trim() === ''}>{t('mailUi.sendTest')}</Button>
      </div>
      <ErrorBanner error={a.verifyError} />
      <ErrorBanner error={a.testError} />
      {a.check ? (
        a.check.result.ok ? (
          <StatusMessage>{t(a.check.okKey, a.check.params ?? {})}</StatusMessage>
        ) : (
          <div className="banner banner--error" role="alert" data-testid="mail-check-error">
            <p>{reasonText(t, a.check.result.error ?? 'unknown')}</p>
            {a.check.result.detail ? <p className="small mono">{t('mailUi.serverSaid', { detail: a.check.result.detail })}</p> : null}
          </div>
        )
      ) : null}
    </section>
  );
}

function Queue({ a }: { a: Admin }) {
  const { t } = useTranslation();
  const q = a.queue.data;
  const sender = q?.sender;
  return (
    <section className="stack" aria-labelledby="mail-queue-title">
      <h2 id="mail-queue-title" className="section-title">{t('mailUi.queueTitle')}</h2>
      <p className="muted">{t('mailUi.queueHelp')}</p>
      {sender ? (
        <p className="mail-sender" data-testid="mail-sender">
          {t(`mailUi.sender.${sender.state}`, { reason: sender.lastError ? reasonText(t, sender.lastError) : '' })}
          {sender.state === 'waiting' && sender.nextAttemptAt ? ` ${t('mailUi.nextAttempt', { at: formatDateTime(sender.nextAttemptAt) })}` : ''}
        </p>
      ) : null}
      <div className="toolbar">
        <SelectField label={t('mailUi.filter')} value={a.filter} onChange={(e) => a.setFilter(e.target.value as typeof a.filter)} placeholder={t('mailUi.all')}
          options={NOTICE_STATUSES.map((s) => ({ value: s, label: `${t(`mailUi.status.${s}`)} (${q?.counts[s] ?? 0})` }))} />
      </div>
      <ErrorBanner error={a.queue.error} />
      <ErrorBanner error={a.actError} />
      {a.queue.loading && !q ? <Loading /> : !q || q.items.length === 0 ? <EmptyState>{t('mailUi.none')}</EmptyState> : (
        <div className="table-wrap">
          <table className="table" data-testid="mail-queue">
            <thead>
              <tr>
                <th scope="col">{t('mailUi.col.date')}</th>
                <th scope="col">{t('mailUi.col.folio')}</th>
                <th scope="col">{t('mailUi.col.kind')}</th>
                <th scope="col">{t('mailUi.col.to')}</th>
                <th scope="col">{t('mailUi.col.status')}</th>
                <th scope="col" className="num">{t('mailUi.col.attempts')}</th>
                <th scope="col">{t('mailUi.col.reason')}</th>
                <th scope="col"><span className="sr-only">{t('mailUi.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>{q.items.map((n) => <QueueRow key={n.id} n={n} a={a} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function QueueRow({ n, a }: { n: NoticeInfo; a: Admin }) {
  const { t } = useTranslation();
  const open = n.status === 'failed' || n.status === 'unconfirmed' || n.status === 'queued';
  return (
    <tr>
      <th scope="row">{formatDateTime(n.sentAt ?? n.createdAt)}</th>
      <td className="mono">{n.trackingNumber ?? '—'}</td>
      <td>{t(`mailUi.kind.${n.kind}`, { defaultValue: n.kind })}</td>
      <td>{n.recipient}</td>
      <td><NoticeBadge status={n.status} /></td>
      <td className="num">{n.attempts}</td>
      <td>{n.status === 'unconfirmed' ? t('mailUi.unconfirmedReason') : n.lastError && n.status !== 'sent' ? reasonText(t, n.lastError) : ''}</td>
      <td>
        {open ? (
          <div className="toolbar">
            {n.status !== 'queued' || n.attempts > 0 ? (
              <Button size="sm" disabled={a.actPending} onClick={() => void a.onAct('retry', n.id)}
                aria-label={`${t('mailUi.retry')}: ${n.trackingNumber ?? n.recipient}`}>{t('mailUi.retry')}</Button>
            ) : null}
            <Button size="sm" variant="danger" disabled={a.actPending} onClick={() => void a.onAct('cancel', n.id)}
              aria-label={`${t('mailUi.cancel')}: ${n.trackingNumber ?? n.recipient}`}>{t('mailUi.cancel')}</Button>
          </div>
        ) : null}
      </td>
    </tr>
  );
}
