/**
 * The list's tools beside the views: bulk actions (assign, status, tier, close) over the checked rows with the summary of what
 * went through and what did not (and why), saved views (name the question on screen, pin it,
 * delete it) and the choice of columns. State and calls live in useTicketList.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ticketCloseSchema } from '../../../electron/shared/contract';
import { TIERS, WAITING_ON, type Tier } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { Button, CheckboxField, Dialog, ErrorBanner, TextAreaField, TextField } from '../../components';
import { useDismiss } from '../../components/useDismiss';
import { errorMessage } from '../../i18n';
import { COLUMN_WIDTH, DEFAULT_COLUMNS, LIST_COLUMNS, moveColumn, type ListColumn } from './columns';
import { useTicketList, type BulkAction } from './store';

/** A small menu under a button; closes on Escape or a click outside. */
function Popover({ label, children, className }: { label: string; children: (close: () => void) => ReactNode; className?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, root, '.popover__button');
  return (
    <div className={`popover${className ? ` ${className}` : ''}`} ref={root}>
      <Button size="sm" className="popover__button" aria-expanded={open} onClick={() => setOpen(!open)}>{label} ▾</Button>
      {open ? <div className="popover__menu" role="group" aria-label={label}>{children(close)}</div> : null}
    </div>
  );
}

// ---- Bulk actions ------------------------------------------------------------------------------

const STATUS_CHOICES = ['open', ...WAITING_ON.map((w) => `waiting:${w}`)] as const;

export function BulkBar() {
  const { t } = useTranslation();
  const checked = useTicketList((s) => s.checked.size);
  const running = useTicketList((s) => s.bulkRunning);
  const assignees = useTicketList((s) => s.assignees);
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState<string>('');
  const [tier, setTier] = useState<Tier | ''>('');
  const [reason, setReason] = useState('');
  const [closing, setClosing] = useState(false);
  if (checked === 0) return null;
  const run = (action: BulkAction) => void useTicketList.getState().runBulk(action);
  return (
    <div className="bulkbar" role="region" aria-label={t('ticketList.bulk.region')}>
      <strong className="bulkbar__count" aria-live="polite">{t('ticketList.bulk.checked', { count: checked })}</strong>
      <span className="bulkbar__group">
        <select className="input" aria-label={t('ticketList.bulk.assignTo')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">{t('ticketList.bulk.assignTo')}</option>
          <option value="none">{t('ticketList.unassigned')}</option>
          {assignees.map((u) => <option key={u.id} value={u.id}>{u.fullName}</option>)}
        </select>
        <Button size="sm" disabled={!assignee || running} onClick={() => run({ kind: 'assign', assigneeId: assignee === 'none' ? null : assignee })}>
          {t('ticketList.bulk.assign')}
        </Button>
      </span>
      <span className="bulkbar__group">
        <select className="input" aria-label={t('ticketList.bulk.statusTo')} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('ticketList.bulk.statusTo')}</option>
          {STATUS_CHOICES.map((c) => <option key={c} value={c}>{t(`ticketList.bulk.status.${c.replace(':', '_')}`)}</option>)}
        </select>
        <Button size="sm" disabled={!status || running}
          onClick={() => run(status === 'open' ? { kind: 'open' } : { kind: 'waiting', waitingOn: status.split(':')[1] as (typeof WAITING_ON)[number] })}>
          {t('ticketList.bulk.changeStatus')}
        </Button>
      </span>
      <span className="bulkbar__group">
        <select className="input" aria-label={t('ticketList.bulk.tierTo')} value={tier} onChange={(e) => setTier(e.target.value as Tier | '')}>
          <option value="">{t('ticketList.bulk.tierTo')}</option>
          {TIERS.map((x) => <option key={x} value={x}>{t(`tier.${x}`)}</option>)}
        </select>
        <input className="input bulkbar__reason" aria-label={t('ticketList.bulk.reason')} placeholder={t('ticketList.bulk.reason')}
          value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
        <Button size="sm" disabled={!tier || !reason.trim() || running} onClick={() => tier && run({ kind: 'moveTier', toTier: tier, reason: reason.trim() })}>
          {t('ticketList.bulk.move')}
        </Button>
      </span>
      <Button size="sm" variant="danger" disabled={running} onClick={() => setClosing(true)}>{t('ticketList.bulk.close')}</Button>
      <Button size="sm" variant="ghost" onClick={() => useTicketList.getState().checkAll(false)}>{t('ticketList.bulk.clear')}</Button>
      {running ? <span className="muted small" role="status">{t('ticketList.bulk.running')}</span> : null}
      {closing ? <BulkCloseDialog count={checked} onClose={() => setClosing(false)} onConfirm={(cause, solution) => {
        setClosing(false);
        run({ kind: 'close', cause, solution });
      }} /> : null}
    </div>
  );
}

const closeFormSchema = ticketCloseSchema.pick({ cause: true, solution: true });
type CloseValues = z.input<typeof closeFormSchema>;

/**
 * "Cerrar" over the checked tickets: the ticket's close dialog (cause and solution, seed 003), the same
 * for every ticket; each closes in its own audited transaction and the summary names the refused ones.
 */
function BulkCloseDialog({ count, onClose, onConfirm }: { count: number; onClose: () => void; onConfirm: (cause: string, solution: string) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const { register, handleSubmit, formState } = useForm<CloseValues, unknown, z.output<typeof closeFormSchema>>({
    resolver: zodResolver(closeFormSchema),
    defaultValues: { cause: '', solution: '' },
  });
  return (
    <Dialog open title={t('ticketList.bulk.closeTitle', { count })} onClose={onClose} footer={
      <>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="submit" form={formId} variant="danger">{t('ticketList.bulk.closeConfirm', { count })}</Button>
      </>
    }>
      <form id={formId} onSubmit={handleSubmit(({ cause, solution }) => onConfirm(cause, solution))} noValidate className="stack">
        <p>{t('ticketList.bulk.closeIntro')}</p>
        <TextAreaField label={t('ticketList.bulk.cause')} rows={3} required error={formState.errors.cause?.message} {...register('cause')} />
        <TextAreaField label={t('ticketList.bulk.solution')} rows={4} required error={formState.errors.solution?.message} {...register('solution')} />
      </form>
    </Dialog>
  );
}

/** What the last bulk action did: how many went through, and each refused ticket with the reason. */
export function BulkSummary() {
  const { t } = useTranslation();
  const result = useTicketList((s) => s.bulkResult);
  const error = useTicketList((s) => s.bulkError);
  const dismiss = useTicketList((s) => s.dismissBulk);
  if (error) return <ErrorBanner error={error} onDismiss={dismiss} />;
  if (!result) return null;
  const total = result.succeeded.length + result.failed.length;
  return (
    <div className={`banner ${result.failed.length ? 'banner--warn' : 'banner--ok'} bulk-summary`} role="status" data-testid="bulk-summary">
      <div className="banner__body">
        <p className="banner__title">
          {t(`ticketList.bulk.done.${result.action}`)}: {t('ticketList.bulk.summary', { ok: result.succeeded.length, count: total })}
        </p>
        {result.failed.length > 0 ? (
          <>
            <p>{t('ticketList.bulk.failedTitle', { count: result.failed.length })}</p>
            <ul className="banner__list">
              {result.failed.map((f) => (
                <li key={f.ticketId}><strong className="mono">{f.trackingNumber ?? f.ticketId}</strong>: {errorMessage(f.error)}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <Button size="sm" variant="ghost" onClick={dismiss}>{t('ticketList.bulk.dismiss')}</Button>
    </div>
  );
}

// ---- Saved views -------------------------------------------------------------------------------

export function SavedViewsMenu() {
  const { t } = useTranslation();
  const views = useTicketList((s) => s.savedViews);
  const activeViewId = useTicketList((s) => s.activeViewId);
  const [naming, setNaming] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setNaming(true)}>{t('ticketList.saved.save')}</Button>
      <Popover label={t('ticketList.saved.mine', { count: views.length })}>
        {(close) =>
          views.length === 0 ? (
            <p className="muted small">{t('ticketList.saved.none')}</p>
          ) : (
            <ul className="saved-views">
              {views.map((v) => (
                <li key={v.id} className={v.id === activeViewId ? 'saved-views__item--active' : undefined}>
                  <Button size="sm" variant="ghost" className="saved-views__name" onClick={() => {
                    useTicketList.getState().applyView(v);
                    close();
                  }}>
                    {v.name}
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={t(v.pinned ? 'ticketList.saved.unpinOf' : 'ticketList.saved.pinOf', { name: v.name })}
                    onClick={() => void useTicketList.getState().pinView(v.id, !v.pinned)}>
                    {t(v.pinned ? 'ticketList.saved.unpin' : 'ticketList.saved.pin')}
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={t('ticketList.saved.deleteOf', { name: v.name })}
                    onClick={() => void useTicketList.getState().deleteView(v.id)}>
                    {t('ticketList.saved.delete')}
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </Popover>
      {naming ? <SaveViewDialog onClose={() => setNaming(false)} /> : null}
    </>
  );
}

function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const err = await useTicketList.getState().saveView(name);
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };
  return (
    <Dialog open title={t('ticketList.saved.dialogTitle')} onClose={onClose} size="sm" footer={
      <>
        <Button onClick={onClose}>{t('ticketList.saved.cancel')}</Button>
        <Button variant="primary" pending={busy} disabled={!name.trim()} onClick={() => void submit()}>{t('ticketList.saved.confirm')}</Button>
      </>
    }>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void submit();
      }}>
        <TextField label={t('ticketList.saved.name')} hint={t('ticketList.saved.hint')} value={name} maxLength={60} autoFocus
          onChange={(e) => setName(e.target.value)} error={error?.fields?.name ? t(error.fields.name) : undefined} />
        {error && !error.fields?.name ? <ErrorBanner error={error} /> : null}
      </form>
    </Dialog>
  );
}

// ---- Columns -----------------------------------------------------------------------------------

export function ColumnsMenu() {
  const { t } = useTranslation();
  const columns = useTicketList((s) => s.columns);
  const shown = new Set(columns.map((c) => c.id));
  const toggle = (id: ListColumn, on: boolean) => {
    const list = useTicketList.getState();
    // A column added goes last; the others keep the user's order.
    const next = on ? [...list.columns, { id, width: COLUMN_WIDTH[id].default }] : list.columns.filter((c) => c.id !== id);
    // The folio or the subject stays: a row must say which ticket it is.
    if (!next.some((c) => c.id === 'trackingNumber' || c.id === 'subject')) return;
    list.setColumns(next);
  };
  const move = (id: ListColumn, by: number) => {
    const list = useTicketList.getState();
    list.setColumns(moveColumn(list.columns, id, list.columns.findIndex((c) => c.id === id) + by));
  };
  const hidden = LIST_COLUMNS.filter((c) => !shown.has(c));
  return (
    <Popover label={t('ticketList.columns.title')}>
      {() => (
        <div className="columns-menu">
          <p className="muted small">{t('ticketList.columns.orderHint')}</p>
          <ol className="columns-menu__order">
            {columns.map((c, i) => {
              const name = t(`ticketList.col.${c.id}`);
              return (
                <li key={c.id} className="columns-menu__item">
                  <CheckboxField label={name} checked onChange={(e) => toggle(c.id, e.target.checked)} />
                  <span className="columns-menu__move">
                    <Button size="sm" variant="ghost" disabled={i === 0} aria-label={t('ticketList.columns.earlier', { name })} onClick={() => move(c.id, -1)}>↑</Button>
                    <Button size="sm" variant="ghost" disabled={i === columns.length - 1} aria-label={t('ticketList.columns.later', { name })} onClick={() => move(c.id, 1)}>↓</Button>
                  </span>
                </li>
              );
            })}
          </ol>
          {hidden.map((c) => (
            <CheckboxField key={c} label={t(`ticketList.col.${c}`)} checked={false} onChange={(e) => toggle(c, e.target.checked)} />
          ))}
          <Button size="sm" variant="ghost" onClick={() => useTicketList.getState().setColumns(DEFAULT_COLUMNS)}>{t('ticketList.columns.reset')}</Button>
        </div>
      )}
    </Popover>
  );
}
