/** Users: table, create, edit roles / active / language, unlock, reset password. */
import { useId } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { LOCALES, ROLES } from '../../../electron/shared/domain';
import type { UserSummary } from '../../../electron/shared/types';
import {
  Button, CheckboxField, CheckboxGroup, Dialog, ErrorBanner, Loading, SelectField, StatusMessage, TextField,
} from '../../components';
import { useSession } from '../../stores/session';
import { useCreateUserForm, useEditUserForm, useResetPasswordForm, useUsersAdmin } from './useUsersAdmin';

export function UsersTab() {
  const { t } = useTranslation();
  const admin = useUsersAdmin();
  const me = useSession((s) => s.user?.id);
  return (
    <div className="stack">
      <div className="toolbar">
        <Button variant="primary" onClick={admin.startCreate}>{t('admin.users.newUser')}</Button>
      </div>
      {admin.notice ? <StatusMessage>{t(admin.notice.key, admin.notice.params ?? {})}</StatusMessage> : null}
      <ErrorBanner error={admin.listError} />
      <ErrorBanner error={admin.unlockError} />
      {admin.loading && admin.users.length === 0 ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{t('admin.users.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.users.username')}</th>
                <th scope="col">{t('admin.users.fullName')}</th>
                <th scope="col">{t('admin.users.roles')}</th>
                <th scope="col">{t('admin.users.locale')}</th>
                <th scope="col">{t('admin.users.state')}</th>
                <th scope="col">{t('admin.users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {admin.users.map((u) => (
                <tr key={u.id} data-username={u.username}>
                  <th scope="row" className="mono">
                    {u.username} {u.id === me ? <span className="muted small">{t('admin.users.you')}</span> : null}
                  </th>
                  <td>{u.fullName}</td>
                  <td className="small">{u.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                  <td className="small">{t(`locale.${u.locale}`)}</td>
                  <td>
                    <span className={`badge ${u.active ? 'badge--ok' : 'badge--muted'}`}>
                      {t(u.active ? 'admin.users.active' : 'admin.users.inactive')}
                    </span>{' '}
                    {u.locked ? <span className="badge badge--danger">{t('admin.users.locked')}</span> : null}
                  </td>
                  <td>
                    <div className="actions">
                    <Button size="sm" onClick={() => admin.startEdit(u)} aria-label={t('admin.users.editOf', { username: u.username })}>
                      {t('admin.users.edit')}
                    </Button>
                    {u.locked ? (
                      <Button size="sm" variant="primary" disabled={admin.unlockPending} onClick={() => admin.unlock(u)}
                        aria-label={t('admin.users.unlockOf', { username: u.username })}>
                        {t('admin.users.unlock')}
                      </Button>
                    ) : null}
                    <Button size="sm" onClick={() => admin.startReset(u)} aria-label={t('admin.users.resetPasswordOf', { username: u.username })}>
                      {t('admin.users.resetPassword')}
                    </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin.creating ? <CreateUserDialog onDone={admin.endCreate} /> : null}
      {admin.editing ? <EditUserDialog user={admin.editing} onDone={admin.endEdit} /> : null}
      {admin.resetting ? <ResetPasswordDialog user={admin.resetting} onDone={admin.endReset} /> : null}
    </div>
  );
}

function useRoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
}

function useLocaleOptions() {
  const { t } = useTranslation();
  return LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }));
}

/** The frame every user dialog shares: title, Cancel / submit footer, the form and its error banner. */
function UserFormDialog(props: {
  title: string; submitLabel: string; size: 'sm' | 'lg'; formId: string; pending: boolean; error: Parameters<typeof ErrorBanner>[0]['error'];
  onSubmit: (e?: React.BaseSyntheticEvent) => Promise<void>; onClose: () => void; children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open
      title={props.title}
      onClose={props.onClose}
      size={props.size}
      footer={
        <>
          <Button onClick={props.onClose} disabled={props.pending}>{t('common.cancel')}</Button>
          <Button type="submit" form={props.formId} variant="primary" pending={props.pending}>{props.submitLabel}</Button>
        </>
      }
    >
      <form id={props.formId} onSubmit={props.onSubmit} noValidate className="stack">
        <ErrorBanner error={props.error} hideFields />
        {props.children}
      </form>
    </Dialog>
  );
}

function CreateUserDialog({ onDone }: { onDone: (user?: UserSummary) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const { form, onSubmit, pending, error } = useCreateUserForm(onDone);
  const { register, control, formState: { errors } } = form;
  const roleOptions = useRoleOptions();
  const localeOptions = useLocaleOptions();
  return (
    <UserFormDialog title={t('admin.users.createTitle')} submitLabel={t('admin.users.create')} size="lg" formId={formId} pending={pending}
      error={error} onSubmit={onSubmit} onClose={() => onDone()}>
        <div className="grid2">
          <TextField label={t('admin.users.username')} autoComplete="off" error={errors.username?.message} {...register('username')} />
          <TextField label={t('admin.users.fullName')} autoComplete="off" error={errors.fullName?.message} {...register('fullName')} />
          <TextField label={t('admin.users.password')} type="password" autoComplete="new-password" hint={t('admin.users.passwordHint')}
            error={errors.password?.message} {...register('password')} />
          <TextField label={t('admin.users.confirmPassword')} type="password" autoComplete="new-password"
            error={errors.confirmPassword?.message} {...register('confirmPassword')} />
        </div>
        <Controller
          control={control}
          name="roles"
          render={({ field, fieldState }) => (
            <CheckboxGroup legend={t('admin.users.roles')} options={roleOptions} value={field.value} onChange={field.onChange}
              error={fieldState.error?.message} />
          )}
        />
        <SelectField label={t('admin.users.locale')} options={localeOptions} error={errors.locale?.message} {...register('locale')} />
    </UserFormDialog>
  );
}

function EditUserDialog({ user, onDone }: { user: UserSummary; onDone: (user?: UserSummary) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const { form, onSubmit, pending, error } = useEditUserForm(user, onDone);
  const { register, control, formState: { errors } } = form;
  const roleOptions = useRoleOptions();
  const localeOptions = useLocaleOptions();
  return (
    <UserFormDialog title={t('admin.users.editTitle', { username: user.username })} submitLabel={t('common.save')} size="lg" formId={formId} pending={pending}
      error={error} onSubmit={onSubmit} onClose={() => onDone()}>
        <TextField label={t('admin.users.fullName')} error={errors.fullName?.message} {...register('fullName')} />
        <Controller
          control={control}
          name="roles"
          render={({ field, fieldState }) => (
            <CheckboxGroup legend={t('admin.users.roles')} options={roleOptions} value={field.value ?? []} onChange={field.onChange}
              error={fieldState.error?.message} />
          )}
        />
        <CheckboxField label={t('admin.users.activeField')} hint={t('admin.users.activeHint')} {...register('active')} />
        <SelectField label={t('admin.users.locale')} options={localeOptions} error={errors.locale?.message} {...register('locale')} />
    </UserFormDialog>
  );
}

function ResetPasswordDialog({ user, onDone }: { user: UserSummary; onDone: (user?: UserSummary) => void }) {
  const { t } = useTranslation();
  const formId = useId();
  const { form, onSubmit, pending, error } = useResetPasswordForm(user, onDone);
  const { register, formState: { errors } } = form;
  return (
    <UserFormDialog title={t('admin.users.resetTitle', { username: user.username })} submitLabel={t('admin.users.resetPassword')} size="sm" formId={formId} pending={pending}
      error={error} onSubmit={onSubmit} onClose={() => onDone()}>
        <TextField label={t('admin.users.newPassword')} type="password" autoComplete="new-password" hint={t('admin.users.passwordHint')}
          error={errors.password?.message} {...register('password')} />
        <TextField label={t('admin.users.confirmPassword')} type="password" autoComplete="new-password"
          error={errors.confirmPassword?.message} {...register('confirmPassword')} />
    </UserFormDialog>
  );
}
