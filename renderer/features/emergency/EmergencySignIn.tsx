/** "Acceso de emergencia": signs the designated implementer in with an emergency account. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { signInSchema } from '../../../electron/shared/contract';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction } from '../../app/useApiAction';
import { Button, ErrorBanner, TextField } from '../../components';
import { useSession } from '../../stores/session';
import { localizeError } from '../requests/labels';
import { useEmergency } from './emergencyStore';
import './strings';

export function useEmergencySignInForm() {
  const form = useForm<z.input<typeof signInSchema>, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { username: '', password: '' },
  });
  const action = useApiAction((values: z.output<typeof signInSchema>) => call('emergency.signIn', values), {
    onError: (info) => {
      applyFieldErrors(info, form.setError);
      form.setValue('password', '');
    },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const session = await action.run(values);
    if (session) {
      useEmergency.getState().clearNotice();
      useEmergency.getState().reset();
      useSession.getState().signedIn(session);
    }
  });
  return { form, onSubmit, pending: action.pending || form.formState.isSubmitting, error: localizeError(action.error) };
}

export function EmergencySignInForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { form, onSubmit, pending, error } = useEmergencySignInForm();
  const { register, formState: { errors } } = form;
  return (
    <form className="card card--narrow emergency-signin" onSubmit={onSubmit} noValidate aria-labelledby="emergency-signin-title">
      <div className="card__brand">{t('app.name')}</div>
      <h1 id="emergency-signin-title" className="card__title">{t('emergencyUi.signInTitle')}</h1>
      <p className="banner banner--warn">{t('emergencyUi.signInIntro')}</p>
      <ErrorBanner error={error} hideFields />
      <TextField label={t('emergencyUi.username')} autoComplete="off" autoFocus spellCheck={false} error={errors.username?.message} {...register('username')} />
      <TextField label={t('emergencyUi.password')} type="password" autoComplete="off" error={errors.password?.message} {...register('password')} />
      <div className="card__footer stack">
        <Button type="submit" variant="danger" pending={pending} className="btn--block">{t('emergencyUi.submit')}</Button>
        <Button variant="ghost" onClick={onBack} className="btn--block">{t('emergencyUi.back')}</Button>
      </div>
    </form>
  );
}

/** After an emergency session ended by itself (expired), the sign-in screen says why. */
export function EmergencyEndedNotice() {
  const { t } = useTranslation();
  const notice = useEmergency((s) => s.endedNotice);
  const clear = useEmergency((s) => s.clearNotice);
  if (!notice) return null;
  return (
    <div className="banner banner--error" role="alert">
      <div className="banner__body">
        <p className="banner__title">{t('emergencyUi.ended', { message: t(notice.code, notice.params ?? {}) })}</p>
      </div>
      <button type="button" className="btn btn--ghost btn--sm" onClick={clear}>{t('common.close')}</button>
    </div>
  );
}
