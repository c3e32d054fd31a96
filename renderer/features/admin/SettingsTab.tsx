import { useTranslation } from 'react-i18next';
import { CLOSED_TICKET_POLICIES, LOCALES } from '../../../electron/shared/domain';
import { Button, CheckboxField, ErrorBanner, Loading, SelectField, StatusMessage, TextField } from '../../components';
import { useSettingsAdmin } from './useSettingsAdmin';

export function SettingsTab() {
  const { t } = useTranslation();
  const s = useSettingsAdmin();
  const { register, formState: { errors } } = s.form;
  if (s.loadError) return <ErrorBanner error={s.loadError} />;
  if (!s.ready) return <Loading />;
  return (
    <form className="stack form-narrow" onSubmit={s.onSubmit} noValidate>
      {s.saved ? <StatusMessage>{t('admin.settings.saved')}</StatusMessage> : null}
      <ErrorBanner error={s.error} hideFields />
      <SelectField
        label={t('admin.settings.closedTicketPolicy')}
        hint={t('admin.settings.policyHint')}
        error={errors.closedTicketPolicy?.message}
        options={CLOSED_TICKET_POLICIES.map((p) => ({ value: p, label: t(`admin.settings.policy.${p}`) }))}
        {...register('closedTicketPolicy')}
      />
      <TextField
        label={t('admin.settings.reopenWithinDays')}
        hint={t('admin.settings.reopenHint')}
        type="number"
        min={1}
        max={365}
        step={1}
        inputMode="numeric"
        error={errors.reopenWithinDays?.message}
        {...register('reopenWithinDays', { valueAsNumber: true })}
      />
      <TextField
        label={t('admin.settings.maxAttachmentMb')}
        type="number"
        min={0.01}
        max={50}
        step="any"
        inputMode="decimal"
        error={errors.maxAttachmentMb?.message}
        {...register('maxAttachmentMb', { valueAsNumber: true })}
      />
      <TextField
        label={t('admin.settings.keepBackups')}
        hint={t('admin.settings.keepBackupsHint')}
        type="number"
        min={1}
        max={100}
        step={1}
        inputMode="numeric"
        error={errors.keepBackups?.message}
        {...register('keepBackups', { valueAsNumber: true })}
      />
      <CheckboxField label={t('admin.settings.dailyBackups')} hint={t('admin.settings.dailyBackupsHint')} {...register('dailyBackups')} />
      <TextField
        label={t('admin.settings.keepBackupDays')}
        hint={t('admin.settings.keepBackupDaysHint')}
        type="number"
        min={1}
        max={365}
        step={1}
        inputMode="numeric"
        error={errors.keepBackupDays?.message}
        {...register('keepBackupDays', { valueAsNumber: true })}
      />
      <SelectField
        label={t('admin.settings.defaultLocale')}
        error={errors.defaultLocale?.message}
        options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
        {...register('defaultLocale')}
      />
      <div>
        <Button type="submit" variant="primary" pending={s.pending}>{t('common.save')}</Button>
      </div>
    </form>
  );
}
