/**
 * The user's own password (issue 10): from the header's "Cambiar contraseña", or — right after
 * signing in with a password an administrator reset — as the only screen until a new one is chosen
 * (core refuses every other call of that session meanwhile).
 */
import { useTranslation } from 'react-i18next';
import { Button, ErrorBanner, StatusMessage, TextField } from '../../components';
import { useApiAction } from '../../app/useApiAction';
import { useSession } from '../../stores/session';
import { useChangePasswordForm } from './useChangePasswordForm';
import './strings';

export function ChangePasswordScreen({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { form, onSubmit, pending, error, done } = useChangePasswordForm();
  const { register, formState: { errors } } = form;
  const signOut = useApiAction(useSession((s) => s.signOut));
  const card = (
    <form className="card card--narrow stack" onSubmit={onSubmit} noValidate aria-labelledby="change-password-title">
      <h1 id="change-password-title" className="card__title">{t(forced ? 'account.forcedTitle' : 'account.changeTitle')}</h1>
      <p>{t(forced ? 'account.forcedIntro' : 'account.intro')}</p>
      {done ? <StatusMessage>{t('account.done')}</StatusMessage> : null}
      <ErrorBanner error={error} hideFields />
      <TextField label={t(forced ? 'account.currentPasswordForced' : 'account.currentPassword')} type="password" autoComplete="current-password"
        autoFocus error={errors.currentPassword?.message} {...register('currentPassword')} />
      <TextField label={t('account.newPassword')} type="password" autoComplete="new-password" hint={t('account.rule')}
        error={errors.newPassword?.message} {...register('newPassword')} />
      <TextField label={t('account.confirmPassword')} type="password" autoComplete="new-password"
        error={errors.confirmPassword?.message} {...register('confirmPassword')} />
      <div className="card__footer actions">
        <Button type="submit" variant="primary" pending={pending}>{t('account.submit')}</Button>
        {forced ? <Button variant="ghost" disabled={signOut.pending} onClick={() => void signOut.run()}>{t('account.signOut')}</Button> : null}
      </div>
    </form>
  );
  return forced ? <main className="center-screen">{card}</main> : card;
}
