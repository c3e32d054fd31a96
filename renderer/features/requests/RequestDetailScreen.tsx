/**
 * One change request: its data and before/after, the approvals and decisions timeline, and the
 * decisions open to the current user — approve / reject with a comment (and the IT head's
 * checklist), cancel, designate the implementer, the emergency account (password shown once),
 * the second review under control adicional, and "Marcar como revisada".
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Button, ErrorBanner, Loading, PageHeader, SelectField, StatusMessage, TextAreaField, formatDateTime,
} from '../../components';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { downloadAttachment } from '../ticket/evidence';
import { toErrorInfo } from '../../app/errors';
import { availableActions, COORDINATOR_ROLES, ineligibleImplementers } from './availableActions';
import { ChecklistApproveDialog, CommentDialog, EmergencyDialog } from './DecisionDialogs';
import { RequestStateBadge } from './parts';
import { EmergencyAccounts, RequestApprovals, RequestDiff, RequestFacts, RequestTimeline, accountStatus } from './RequestSections';
import { useRequestDetail } from './requestsStore';
import type { ChangeRequest, EmergencyAccountCreated } from '../../../electron/shared/request-types';
import type { ErrorInfo } from '../../../electron/shared/errors';
import './requests.css';
import './strings';

export function RequestDetailScreen({ requestId }: { requestId: string }) {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const coordinator = useSession((s) => s.hasRole(...COORDINATOR_ROLES));
  const officer = useSession((s) => s.hasRole('security_officer'));
  const d = useRequestDetail();
  const go = useNav((s) => s.go);
  const [downloadError, setDownloadError] = useState<ErrorInfo | null>(null);
  const request = d.request?.id === requestId ? d.request : null;

  useEffect(() => {
    void useRequestDetail.getState().load(requestId, { coordinator, officer });
  }, [requestId, coordinator, officer]);

  if (!request || !user) {
    return <section className="page">{d.loadError ? <ErrorBanner error={d.loadError} /> : <Loading label={t('requests.detail.loading')} />}</section>;
  }
  const actions = availableActions(request, user);
  const signedFormAction = request.signedForm ? (
    <Button size="sm" variant="ghost" onClick={() => {
      setDownloadError(null);
      downloadAttachment(request.signedForm!.id).catch((e: unknown) => setDownloadError(toErrorInfo(e)));
    }}>
      {t('requests.detail.download')}
    </Button>
  ) : null;

  return (
    <section className="page request-detail" data-state={request.state}>
      <PageHeader
        title={t('requests.detail.title', { kind: t(`requestKind.${request.kind}`), customer: request.customerName })}
        actions={<Button onClick={() => go({ name: 'auditLog', requestId: request.id })}>{t('auditLog.forRequest')}</Button>}
      >
        <p><RequestStateBadge state={request.state} /></p>
      </PageHeader>
      {d.done ? <StatusMessage>{t(`requests.detail.done.${d.done}`)}</StatusMessage> : null}
      {d.created ? <CreatedAccount created={d.created} onDone={d.forgetCreated} /> : null}
      {d.dialog === null ? <ErrorBanner error={d.actionError} onDismiss={d.clearError} /> : null}
      <ErrorBanner error={downloadError} />
      <div className="request-grid">
        <div className="stack">
          <RequestDiff request={request} />
          <RequestFacts request={request} signedFormAction={signedFormAction} />
          <RequestTimeline request={request} />
        </div>
        <div className="stack">
          <ActionsPanel actions={actions} />
          {actions.designate ? <DesignatePanel request={request} /> : null}
          <RequestApprovals request={request} />
          <EmergencyAccounts request={request} actions={(a) => actions.revoke && accountStatus(a) === 'live' ? (
            <Button size="sm" variant="danger" onClick={() => d.openDialog({ kind: 'revoke', accountId: a.id, username: a.username ?? '' })}>
              {t('requests.detail.revoke', { username: a.username ?? '' })}
            </Button>
          ) : null} />
        </div>
      </div>
      <Dialogs />
    </section>
  );
}

function ActionsPanel({ actions }: { actions: ReturnType<typeof availableActions> }) {
  const { t } = useTranslation();
  const d = useRequestDetail();
  const any = actions.submit || actions.approveAs.length > 0 || actions.cancel || actions.createEmergency || actions.secondReview || actions.markReviewed;
  return (
    <section className="card" aria-labelledby="request-actions">
      <h2 id="request-actions">{t('requests.detail.actions')}</h2>
      {!any ? <p className="muted">{t('requests.detail.noActions')}</p> : null}
      <div className="actions actions--wrap">
        {actions.submit ? <Button variant="primary" pending={d.pending} onClick={() => void d.submit()}>{t('requests.detail.submit')}</Button> : null}
        {actions.approveAs.map((role) => (
          <span key={role} className="actions">
            <Button variant="primary" onClick={() => d.openDialog({ kind: 'approve', role })}>
              {t('requests.detail.approveAs', { role: t(`role.${role}`) })}
            </Button>
            <Button variant="danger" onClick={() => d.openDialog({ kind: 'reject', role })}>
              {t('requests.detail.rejectAs', { role: t(`role.${role}`) })}
            </Button>
          </span>
        ))}
        {actions.createEmergency ? (
          <Button variant="primary" onClick={() => d.openDialog({ kind: 'emergency' })}>{t('requests.detail.createEmergency')}</Button>
        ) : null}
        {actions.secondReview ? <Button variant="primary" onClick={() => d.openDialog({ kind: 'secondReview' })}>{t('requests.detail.secondReviewAction')}</Button> : null}
        {actions.markReviewed ? <Button variant="primary" onClick={() => d.openDialog({ kind: 'markReviewed' })}>{t('requests.detail.markReviewed')}</Button> : null}
        {actions.cancel ? <Button variant="danger" onClick={() => d.openDialog({ kind: 'cancel' })}>{t('requests.detail.cancel')}</Button> : null}
      </div>
    </section>
  );
}

/** Designate the implementer: who may, who may not and why, and when control adicional applies. */
function DesignatePanel({ request }: { request: ChangeRequest }) {
  const { t } = useTranslation();
  const d = useRequestDetail();
  const [implementerId, setImplementerId] = useState(request.implementerId ?? '');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState<{ implementer?: boolean; comment?: boolean }>({});
  const options = d.implementerOptions;
  const pickable = options ? (options.controlAdicional ? options.fallback : options.eligible) : [];
  const ineligible = ineligibleImplementers(request, d.directory, options);
  const designate = () => {
    const problems = { implementer: implementerId === '', comment: comment.trim() === '' };
    setMissing(problems);
    if (problems.implementer || problems.comment) return;
    void d.designate(implementerId, comment.trim()).then((ok) => ok && setComment(''));
  };
  return (
    <section className="card stack" aria-labelledby="designate-title">
      <h2 id="designate-title">{t('requests.detail.designateSection')}</h2>
      {options?.controlAdicional ? <p className="banner banner--warn" role="status">{t('requests.detail.controlAdicionalWarning')}</p> : null}
      <SelectField label={t('requests.detail.implementerSelect')} placeholder={t('requests.detail.implementerPlaceholder')} value={implementerId}
        onChange={(e) => setImplementerId(e.target.value)} error={missing.implementer ? 'validation.required' : null}
        options={pickable.map((u) => ({ value: u.id, label: `${u.fullName} (${u.roles.map((r) => t(`role.${r}`)).join(', ')})` }))} />
      <TextAreaField label={t('requests.detail.comment')} rows={2} value={comment} onChange={(e) => setComment(e.target.value)}
        error={missing.comment ? 'validation.required' : null} />
      <div>
        <Button variant="primary" pending={d.pending} onClick={designate}>{t('requests.detail.designate')}</Button>
      </div>
      {ineligible.length > 0 ? (
        <details>
          <summary>{t('requests.detail.ineligible')} ({ineligible.length})</summary>
          <ul className="ineligible">
            {ineligible.map(({ user, problem }) => (
              <li key={user.id}>{t(problem, { name: user.fullName })}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** The generated credentials, once: the password is never stored in the UI beyond this panel. */
function CreatedAccount({ created, onDone }: { created: EmergencyAccountCreated; onDone: () => void }) {
  const { t } = useTranslation();
  const a = created.account;
  return (
    <section className="card emergency-created" role="alert" aria-labelledby="emergency-created-title" data-testid="emergency-created">
      <h2 id="emergency-created-title">{t('requests.detail.createdTitle')}</h2>
      <p className="emergency-created__warning"><strong>{t('requests.detail.copyNow')}</strong></p>
      <dl className="details">
        <dt>{t('requests.detail.username')}</dt>
        <dd className="mono" data-testid="emergency-username">{a.username}</dd>
        <dt>{t('requests.detail.password')}</dt>
        <dd className="mono" data-testid="emergency-password">{created.password}</dd>
      </dl>
      <p>{t('requests.detail.validUntil', { from: formatDateTime(a.startsAt), to: formatDateTime(a.endsAt), name: a.implementerName ?? '—' })}</p>
      <Button variant="primary" onClick={onDone}>{t('requests.detail.copied')}</Button>
    </section>
  );
}

function Dialogs() {
  const { t } = useTranslation();
  const d = useRequestDetail();
  const dialog = d.dialog;
  if (!dialog) return null;
  const close = () => d.openDialog(null);
  const common = { pending: d.pending, error: d.actionError, onClose: close };
  switch (dialog.kind) {
    case 'approve': {
      const title = t('requests.detail.approveTitle', { role: t(`role.${dialog.role}`) });
      if (dialog.role === 'it_head') {
        return <ChecklistApproveDialog {...common} title={title} confirmLabel={t('requests.detail.approve')}
          onConfirm={(v) => void d.approve({ role: dialog.role, comment: v.comment, checklist: v.checklist })} />;
      }
      return <CommentDialog {...common} title={title} confirmLabel={t('requests.detail.approve')}
        onConfirm={(comment) => void d.approve({ role: dialog.role, comment })} />;
    }
    case 'reject':
      return <CommentDialog {...common} danger title={t('requests.detail.rejectTitle', { role: t(`role.${dialog.role}`) })} confirmLabel={t('requests.detail.reject')}
        onConfirm={(comment) => void d.reject({ role: dialog.role, comment })} />;
    case 'cancel':
      return <CommentDialog {...common} danger title={t('requests.detail.cancelTitle')} confirmLabel={t('requests.detail.cancel')}
        onConfirm={(comment) => void d.cancel(comment)} />;
    case 'revoke':
      return <CommentDialog {...common} danger title={t('requests.detail.revokeTitle', { username: dialog.username })}
        confirmLabel={t('requests.detail.revoke', { username: dialog.username })} onConfirm={(comment) => void d.revoke(dialog.accountId, comment)} />;
    case 'secondReview':
      return <CommentDialog {...common} title={t('requests.detail.secondReviewTitle')} confirmLabel={t('requests.detail.secondReviewAction')}
        onConfirm={(comment) => void d.secondReview(comment)} />;
    case 'markReviewed':
      return <CommentDialog {...common} title={t('requests.detail.markReviewedTitle')} confirmLabel={t('requests.detail.markReviewed')}
        hint={t('requests.detail.markReviewedHint')} onConfirm={(comment) => void d.markReviewed(comment)} />;
    case 'emergency':
      return <EmergencyDialog {...common} maxHours={d.maxHours} onConfirm={(v) => void d.createEmergency(v)} />;
  }
}
