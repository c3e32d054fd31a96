/**
 * Derechos ARCO of one customer (customer page, for who handles them): the register with its
 * deadlines, registering a request, moving it on, blocking and unblocking, the export (a data
 * file and a printable document) and, for a rectification, the change request that carries it.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  IDENTITY_METHODS, PENDING_STATUSES, PERSONAL_DATA_CHANNELS, PERSONAL_DATA_KINDS, personalDataCreateSchema, REQUESTER_ROLES,
  type PersonalDataRequest,
} from '../../../electron/shared/personal-data';
import type { Customer } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction } from '../../app/useApiAction';
import { Button, Dialog, EmptyState, ErrorBanner, SelectField, TextAreaField, TextField } from '../../components';
import { useNav } from '../../stores/nav';
import { formatDateTime } from '../ticket/format';
import { downloadExport, usePersonalDataRegister } from './usePersonalData';
import './personal-data.css';

export function formatDay(ms: number): string {
  return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-US' : 'es-MX', { dateStyle: 'long' }).format(new Date(ms));
}

/** The last moment of the deadline is the midnight that ends its day: show that day. */
export function dueDay(dueAt: number): string {
  return formatDay(dueAt - 1);
}

type RowAction = 'in_progress' | 'answered' | 'rejected' | 'withdrawn' | 'block' | 'unblock';

/** What can be done with a request now (core checks the same rules). */
export function rowActions(r: PersonalDataRequest, customerBlocked: boolean): RowAction[] {
  const pending = PENDING_STATUSES.includes(r.status);
  const out: RowAction[] = [];
  if (r.status === 'received') out.push('in_progress');
  if (pending) out.push('answered', 'rejected', 'withdrawn');
  const blocks = r.kind === 'cancellation' || r.kind === 'opposition';
  if (blocks && !customerBlocked && r.status !== 'rejected' && r.status !== 'withdrawn') out.push('block');
  if (r.blocking && (r.status === 'rejected' || r.status === 'withdrawn')) out.push('unblock');
  return out;
}

const ACTION_LABEL: Record<RowAction, string> = {
  in_progress: 'personalData.actions.start', answered: 'personalData.actions.answer', rejected: 'personalData.actions.reject',
  withdrawn: 'personalData.actions.withdraw', block: 'personalData.actions.block', unblock: 'personalData.actions.unblock',
};

export function RequestsTable({ rows, showCustomer, blocked, onAction, onLink }: {
  rows: PersonalDataRequest[];
  showCustomer?: boolean;
  blocked?: boolean;
  onAction?: (r: PersonalDataRequest, action: RowAction) => void;
  onLink?: (r: PersonalDataRequest) => void;
}) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  return (
    <div className="table-wrap">
      <table className="table arco-table">
        <thead>
          <tr>
            {showCustomer ? <th scope="col">{t('customers.name')}</th> : null}
            <th scope="col">{t('personalData.col.kind')}</th>
            <th scope="col">{t('personalData.col.receivedAt')}</th>
            <th scope="col">{t('personalData.col.requester')}</th>
            <th scope="col">{t('personalData.col.identity')}</th>
            <th scope="col">{t('personalData.col.dueAt')}</th>
            <th scope="col">{t('personalData.col.status')}</th>
            {onAction ? <th scope="col">{t('personalData.col.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.overdue ? 'arco-row--overdue' : undefined}>
              {showCustomer ? (
                <td>
                  <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'customer', customerId: r.customerId }); }}>{r.customerName}</a>
                </td>
              ) : null}
              <td>
                <strong>{t(`personalData.kind.${r.kind}`)}</strong>
                {r.details ? <div className="arco-muted">{r.details}</div> : null}
              </td>
              <td>
                {formatDateTime(r.receivedAt)}
                <div className="arco-muted">{t(`personalData.channel.${r.channel}`)}</div>
              </td>
              <td>
                {r.requesterName}
                <div className="arco-muted">{t(`personalData.requesterRole.${r.requesterRole}`)}</div>
              </td>
              <td>
                {t(`personalData.identityMethod.${r.identityMethod}`)}
                {r.identityNotes ? <div className="arco-muted">{r.identityNotes}</div> : null}
              </td>
              <td>
                {dueDay(r.dueAt)}
                {r.overdue ? <div><span className="badge arco-badge--overdue">{t('personalData.overdue')}</span></div> : null}
              </td>
              <td>
                <span className={`badge arco-badge--${r.status}`}>{t(`personalData.status.${r.status}`)}</span>
                {r.respondedAt ? <div className="arco-muted">{t('personalData.respondedAt', { date: formatDay(r.respondedAt) })}</div> : null}
                {r.statusReason ? <div className="arco-muted">{t('personalData.reason')}: {r.statusReason}</div> : null}
                {r.changeRequestId ? (
                  <div>
                    <a href="#" onClick={(e) => { e.preventDefault(); go({ name: 'request', requestId: r.changeRequestId! }); }}>{t('personalData.linkedChange')}</a>
                  </div>
                ) : null}
              </td>
              {onAction ? (
                <td>
                  <div className="arco-actions">
                    {rowActions(r, blocked ?? false).map((a) => (
                      <Button key={a} size="sm" variant={a === 'block' ? 'danger' : 'secondary'} onClick={() => onAction(r, a)}>{t(ACTION_LABEL[a])}</Button>
                    ))}
                    {r.kind === 'rectification' && PENDING_STATUSES.includes(r.status) && onLink ? (
                      <Button size="sm" onClick={() => onLink(r)}>{t('personalData.actions.link')}</Button>
                    ) : null}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const formSchema = personalDataCreateSchema.omit({ customerId: true, receivedAt: true }).extend({
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.required'),
});
type FormValues = z.input<typeof formSchema>;
type FormOutput = z.output<typeof formSchema>;

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function NewRequestDialog({ customer, onClose, onSaved }: { customer: Customer; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useForm<FormValues, unknown, FormOutput>({
    resolver: zodResolver(formSchema),
    defaultValues: { kind: 'access', channel: 'email', requesterRole: 'holder', identityMethod: 'official_id', receivedOn: today(), requesterName: '', identityNotes: '', details: '' },
  });
  const { register, handleSubmit, setError, formState } = form;
  const save = useApiAction((input: Parameters<typeof call<'personalData.create'>>[1]) => call('personalData.create', input));
  const submit = handleSubmit(async ({ receivedOn, ...values }) => {
    const [y, m, d] = receivedOn.split('-').map(Number) as [number, number, number];
    const picked = new Date(y, m - 1, d, new Date().getHours(), new Date().getMinutes()).getTime();
    const receivedAt = receivedOn === today() ? undefined : Math.min(picked, Date.now());
    const saved = await save.run({ ...values, customerId: customer.id, ...(receivedAt !== undefined ? { receivedAt } : {}) });
    if (saved) onSaved();
    else applyFieldErrors(save.error, setError);
  });
  const options = <T extends string>(values: readonly T[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  const err = (k: keyof FormValues) => formState.errors[k]?.message;
  return (
    <Dialog
      open
      size="lg"
      title={t('personalData.newRequest')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('personalData.form.cancel')}</Button>
          <Button variant="primary" pending={save.pending} onClick={() => void submit()}>{t('personalData.form.save')}</Button>
        </>
      }
    >
      <form className="arco-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate>
        <ErrorBanner error={save.error} hideFields />
        <div className="row">
          <SelectField label={t('personalData.form.kind')} options={options(PERSONAL_DATA_KINDS, 'personalData.kind')} error={err('kind')} {...register('kind')} />
          <SelectField label={t('personalData.form.channel')} options={options(PERSONAL_DATA_CHANNELS, 'personalData.channel')} error={err('channel')} {...register('channel')} />
          <TextField label={t('personalData.form.receivedAt')} type="date" max={today()} error={err('receivedOn')} {...register('receivedOn')} />
        </div>
        <div className="row">
          <TextField label={t('personalData.form.requesterName')} required error={err('requesterName')} {...register('requesterName')} />
          <SelectField label={t('personalData.form.requesterRole')} options={options(REQUESTER_ROLES, 'personalData.requesterRole')} error={err('requesterRole')} {...register('requesterRole')} />
        </div>
        <div className="row">
          <SelectField label={t('personalData.form.identityMethod')} options={options(IDENTITY_METHODS, 'personalData.identityMethod')} error={err('identityMethod')} {...register('identityMethod')} />
          <TextField label={t('personalData.form.identityNotes')} hint={t('personalData.form.identityHint')} error={err('identityNotes')} {...register('identityNotes')} />
        </div>
        <TextAreaField label={t('personalData.form.details')} rows={3} error={err('details')} {...register('details')} />
      </form>
    </Dialog>
  );
}

function ActionDialog({ request, action, onClose, onDone }: { request: PersonalDataRequest; action: RowAction; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const run = useApiAction(async () => {
    if (action === 'block') return call('personalData.block', { requestId: request.id, comment: text });
    if (action === 'unblock') return call('personalData.unblock', { requestId: request.id, comment: text });
    return call('personalData.setStatus', { requestId: request.id, status: action, reason: text });
  });
  const needsText = action === 'block' || action === 'unblock' || action === 'rejected';
  const label = action === 'rejected' ? t('personalData.reason') : t('personalData.comment');
  return (
    <Dialog
      open
      size="sm"
      title={`${t(ACTION_LABEL[action])} · ${t(`personalData.kind.${request.kind}`)}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('personalData.form.cancel')}</Button>
          <Button variant={action === 'block' ? 'danger' : 'primary'} pending={run.pending} onClick={() => void run.run().then((r) => r && onDone())}>
            {t('personalData.confirm')}
          </Button>
        </>
      }
    >
      <ErrorBanner error={run.error} hideFields />
      {action === 'block' ? <p>{t('personalData.blockExplain')}</p> : null}
      {needsText || action === 'answered' || action === 'withdrawn' ? (
        <TextAreaField label={label} rows={3} required={needsText} value={text} onChange={(e) => setText(e.target.value)}
          error={run.error?.fields?.reason ?? run.error?.fields?.comment} />
      ) : null}
    </Dialog>
  );
}

function LinkDialog({ request, onClose, onDone }: { request: PersonalDataRequest; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const [choice, setChoice] = useState('');
  const [options, setOptions] = useState<Array<{ value: string; label: string }> | null>(null);
  useEffect(() => {
    void call('requests.list', { customerId: request.customerId, limit: 100 }).then(
      (page) => setOptions(page.rows.map((r) => ({ value: r.id, label: `${r.trackingNumber} · ${t(`requestKind.${r.kind}`)} · ${formatDateTime(r.createdAt)}` }))),
      () => setOptions([]),
    );
  }, [request.customerId, t]);
  const link = useApiAction(() => call('personalData.linkChangeRequest', { requestId: request.id, changeRequestId: choice }));
  return (
    <Dialog
      open
      size="md"
      title={t('personalData.actions.link')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={() => go({ name: 'newRequest', customerId: request.customerId })}>{t('personalData.actions.newChange')}</Button>
          <Button onClick={onClose}>{t('personalData.form.cancel')}</Button>
          <Button variant="primary" disabled={!choice} pending={link.pending} onClick={() => void link.run().then((r) => r && onDone())}>{t('personalData.confirm')}</Button>
        </>
      }
    >
      <ErrorBanner error={link.error} hideFields />
      {options && options.length === 0 ? <EmptyState>{t('personalData.noChanges')}</EmptyState> : (
        <SelectField label={t('personalData.chooseChange')} placeholder="—" options={options ?? []} value={choice} onChange={(e) => setChoice(e.target.value)} />
      )}
    </Dialog>
  );
}

export function PersonalDataPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const { register, error, reload } = usePersonalDataRegister({ customerId: customer.id, pendingOnly: false, limit: 200 });
  const [adding, setAdding] = useState(false);
  const [acting, setActing] = useState<{ request: PersonalDataRequest; action: RowAction } | null>(null);
  const [linking, setLinking] = useState<PersonalDataRequest | null>(null);
  const exporting = useApiAction(() => downloadExport(customer.id, customer.rfc));
  const done = () => {
    setAdding(false);
    setActing(null);
    setLinking(null);
    void reload();
  };
  return (
    <section className="card arco" aria-labelledby="arco-title">
      <div className="arco-head">
        <h2 id="arco-title">{t('personalData.register')}</h2>
        <div className="arco-actions">
          <Button variant="primary" size="sm" onClick={() => setAdding(true)}>{t('personalData.newRequest')}</Button>
          <Button size="sm" pending={exporting.pending} onClick={() => void exporting.run()}>{t('personalData.downloadJson')}</Button>
          <Button size="sm" onClick={() => go({ name: 'personalDataPrint', customerId: customer.id })}>{t('personalData.actions.print')}</Button>
        </div>
      </div>
      <p className="arco-muted">{t('personalData.intro')}</p>
      {register?.blockedAt ? <p className="banner banner--error" role="status">{t('personalData.blockedBanner', { date: formatDateTime(register.blockedAt) })}</p> : null}
      <ErrorBanner error={error ?? exporting.error} />
      {register && register.rows.length === 0 ? <EmptyState>{t('personalData.empty')}</EmptyState> : null}
      {register && register.rows.length > 0 ? (
        <RequestsTable rows={register.rows} blocked={register.blockedAt !== null}
          onAction={(request, action) => setActing({ request, action })} onLink={setLinking} />
      ) : null}
      {adding ? <NewRequestDialog customer={customer} onClose={() => setAdding(false)} onSaved={done} /> : null}
      {acting ? <ActionDialog {...acting} onClose={() => setActing(null)} onDone={done} /> : null}
      {linking ? <LinkDialog request={linking} onClose={() => setLinking(null)} onDone={done} /> : null}
    </section>
  );
}
