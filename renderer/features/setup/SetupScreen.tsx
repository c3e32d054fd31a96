/** First-run screen: branch + administrator. Labels are the accessible names tests use. */
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../../../electron/shared/domain';
import { Button, ErrorBanner, SelectField, TextField } from '../../components';
import { MEXICAN_TIME_ZONES, useSetupForm } from './useSetupForm';
import './strings';

export function SetupScreen() {
  const { t } = useTranslation();
  const { form, onSubmit, pending, error } = useSetupForm();
  const { register, formState: { errors } } = form;
  return (
    <main className="center-screen">
      <form className="card card--form" onSubmit={onSubmit} noValidate aria-labelledby="setup-title">
        <div className="card__brand">{t('app.name')}</div>
        <h1 id="setup-title" className="card__title">{t('setup.title')}</h1>
        <p className="muted">{t('setup.intro')}</p>
        <ErrorBanner error={error} />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t('setup.branch')}</legend>
          <div className="grid2">
            <TextField label={t('setup.branchCode')} hint={t('setup.branchCodeHint')} autoComplete="off" className="upper"
              error={errors.branchCode?.message} {...register('branchCode')} />
            <TextField label={t('setup.branchName')} error={errors.branchName?.message} {...register('branchName')} />
          </div>
          <SelectField label={t('setup.timeZone')} error={errors.timeZone?.message} {...register('timeZone')}
            options={MEXICAN_TIME_ZONES.map((z) => ({ value: z, label: `${z} — ${t(`setup.tz.${z}`)}` }))} />
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t('setup.admin')}</legend>
          <div className="grid2">
            <TextField label={t('setup.username')} autoComplete="username" error={errors.username?.message} {...register('username')} />
            <TextField label={t('setup.fullName')} autoComplete="name" error={errors.fullName?.message} {...register('fullName')} />
            <TextField label={t('setup.password')} type="password" autoComplete="new-password" hint={t('setup.passwordHint')}
              error={errors.password?.message} {...register('password')} />
            <TextField label={t('setup.confirmPassword')} type="password" autoComplete="new-password"
              error={errors.confirmPassword?.message} {...register('confirmPassword')} />
          </div>
          <SelectField label={t('setup.locale')} error={errors.locale?.message} {...register('locale')}
            options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))} />
        </fieldset>
        <div className="card__footer">
          <Button type="submit" variant="primary" pending={pending}>{t('setup.submit')}</Button>
        </div>
      </form>
    </main>
  );
}
