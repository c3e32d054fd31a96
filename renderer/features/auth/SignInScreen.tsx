import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBoot } from '../../app/boot';
import { Button, ErrorBanner, TextField } from '../../components';
import { EmergencyEndedNotice, EmergencySignInForm } from '../emergency/EmergencySignIn';
import { useSession } from '../../stores/session';
import { useSignInForm } from './useSignInForm';
import './strings';

export function SignInScreen() {
  const [emergency, setEmergency] = useState(false);
  return (
    <main className="center-screen">
      <div className="stack">
        <EmergencyEndedNotice />
        {emergency ? <EmergencySignInForm onBack={() => setEmergency(false)} /> : <SignInForm onEmergency={() => setEmergency(true)} />}
      </div>
    </main>
  );
}

function SignInForm({ onEmergency }: { onEmergency: () => void }) {
  const { t } = useTranslation();
  const branch = useBoot((s) => s.status?.branch ?? null);
  const { form, onSubmit, pending, error } = useSignInForm();
  // Why the previous session ended (7 days, idle, too many sessions), until the next attempt.
  const notice = useSession((s) => s.notice);
  const { register, formState: { errors } } = form;
  return (
    <form className="card card--narrow" onSubmit={onSubmit} noValidate aria-labelledby="signin-title">
      <div className="card__brand">{t('app.name')}</div>
      <h1 id="signin-title" className="card__title">{t('signIn.title')}</h1>
      {branch ? <p className="muted">{t('signIn.branch', { code: branch.code, name: branch.name })}</p> : null}
      <ErrorBanner error={error ?? notice} hideFields />
      <TextField label={t('signIn.username')} autoComplete="username" autoFocus error={errors.username?.message} {...register('username')} />
      <TextField label={t('signIn.password')} type="password" autoComplete="current-password" error={errors.password?.message} {...register('password')} />
      <div className="card__footer stack">
        <Button type="submit" variant="primary" pending={pending} className="btn--block">{t('signIn.submit')}</Button>
        <Button variant="ghost" onClick={onEmergency} className="btn--block">{t('emergencyUi.signInLink')}</Button>
      </div>
    </form>
  );
}
