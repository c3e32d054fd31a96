/**
 * The whole window while signed in with an emergency account: a persistent banner that says so,
 * and the one request the account covers with "Aplicar cambio". Nothing else is reachable — the
 * account may call only its own request (anything else would be audited as out of scope).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { requestCommentSchema } from '../../../electron/shared/contract';
import type { EmergencySessionInfo } from '../../../electron/shared/request-types';
import { useBoot } from '../../app/boot';
import { useApiAction } from '../../app/useApiAction';
import { Button, ErrorBanner, Loading, PageHeader, StatusMessage, TextAreaField } from '../../components';
import { i18next } from '../../i18n';
import { useSession } from '../../stores/session';
import { RequestStateBadge } from '../requests/parts';
import { RequestDiff, RequestFacts, RequestTimeline } from '../requests/RequestSections';
import { stateLabel } from '../requests/labels';
import { useEmergency } from './emergencyStore';
import '../requests/requests.css';
import './strings';

/** "14:05" in the branch's time zone. */
export function formatTime(epochMs: number): string {
  const timeZone = useBoot.getState().status?.branch?.timeZone || undefined;
  try {
    return new Intl.DateTimeFormat(i18next.language, { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(epochMs);
  } catch {
    return new Intl.DateTimeFormat(i18next.language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(epochMs);
  }
}

export function EmergencyBanner({ session, label }: { session: EmergencySessionInfo; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="emergency-banner" role="region" aria-label={t('emergencyUi.bannerLabel')} data-testid="emergency-banner">
      <strong>{t('emergencyUi.banner', { request: label, time: formatTime(session.endsAt) })}</strong>
      <span className="emergency-banner__scope">{t('emergencyUi.bannerScope')}</span>
      <span className="emergency-banner__scope" id="emergency-sign-out-hint">{t('emergencyUi.signOutHint')}</span>
    </div>
  );
}

export function EmergencyShell({ session }: { session: EmergencySessionInfo }) {
  const { t } = useTranslation();
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const leave = useApiAction(signOut);
  const e = useEmergency();
  const request = e.request?.id === session.requestId ? e.request : null;

  useEffect(() => {
    void useEmergency.getState().load(session.requestId);
  }, [session.requestId]);

  const label = request ? `${request.trackingNumber} · ${request.customerName}` : session.username;
  return (
    <div className="shell shell--emergency">
      <a className="skip-link" href="#main">{t('shell.skip')}</a>
      <header className="shell__header">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">MA</span>
          <span className="brand__name">{t('app.name')}</span>
        </div>
        <div className="shell__header-right">
          {user ? (
            <div className="whoami" aria-label={t('shell.user')}>
              <span className="whoami__name">{user.fullName}</span>
              <span className="whoami__roles mono">{session.username}</span>
            </div>
          ) : null}
          <button
            type="button"
            className="btn btn--secondary btn--sm"
            disabled={leave.pending}
            onClick={() => void leave.run()}
            title={t('emergencyUi.signOutHint')}
            aria-describedby="emergency-sign-out-hint"
          >
            {t('emergencyUi.signOut')}
          </button>
        </div>
      </header>
      <EmergencyBanner session={session} label={label} />
      <main id="main" className="shell__main shell__main--full" tabIndex={-1}>
        {!request ? (
          e.error ? <ErrorBanner error={e.error} /> : <Loading label={t('emergencyUi.loading')} />
        ) : (
          <section className="page request-detail">
            <PageHeader title={t('requests.detail.title', { kind: t(`requestKind.${request.kind}`), customer: request.customerName })}>
              <p><RequestStateBadge state={request.state} /></p>
            </PageHeader>
            <ApplyPanel />
            <div className="request-grid">
              <div className="stack">
                <RequestDiff request={request} />
                <RequestTimeline request={request} />
              </div>
              <div className="stack">
                <RequestFacts request={request} />
              </div>
            </div>
          </section>
        )}
      </main>
    </div>
  );
}

const applySchema = requestCommentSchema.pick({ comment: true });

function ApplyPanel() {
  const { t } = useTranslation();
  const e = useEmergency();
  const form = useForm<z.input<typeof applySchema>, unknown, z.output<typeof applySchema>>({ resolver: zodResolver(applySchema), defaultValues: { comment: '' } });
  const request = e.request!;
  const submit = form.handleSubmit(async (v) => {
    if (await e.apply(v.comment)) form.reset({ comment: '' });
  });
  if (e.applied || request.state === 'implemented') {
    return (
      <>
        <ErrorBanner error={e.error} />
        <StatusMessage>{t('emergencyUi.applied')}</StatusMessage>
      </>
    );
  }
  if (request.state !== 'in_implementation' && request.state !== 'approved') {
    return <p className="banner banner--warn">{t('emergencyUi.notApplicable', { state: stateLabel(request.state) })}</p>;
  }
  return (
    <form className="card stack apply-panel" onSubmit={submit} noValidate aria-labelledby="apply-title">
      <h2 id="apply-title">{t('emergencyUi.applyTitle')}</h2>
      <p className="muted">{t('emergencyUi.applyIntro')}</p>
      <ErrorBanner error={e.error} />
      <TextAreaField label={t('requests.detail.comment')} rows={2} required error={form.formState.errors.comment?.message} {...form.register('comment')} />
      <div>
        <Button type="submit" variant="danger" pending={e.applying}>{t('emergencyUi.apply')}</Button>
      </div>
    </form>
  );
}
