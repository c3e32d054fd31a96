/** Users tab behaviour: the list, and the create / edit / unlock / reset-password actions. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { userCreateSchema, userUpdateSchema } from '../../../electron/shared/contract';
import type { UserSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

export type Notice = { key: string; params?: Record<string, string> } | null;

export function useUsersAdmin() {
  const list = useApiQuery('users.list', {});
  const [notice, setNotice] = useState<Notice>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserSummary | null>(null);
  const [resetting, setResetting] = useState<UserSummary | null>(null);

  const replace = (user: UserSummary) => {
    list.setData((prev) => (prev ?? []).map((u) => (u.id === user.id ? user : u)));
    // The signed-in administrator edited themself: keep the header in step.
    const session = useSession.getState();
    if (session.user?.id === user.id) useSession.setState({ user });
  };

  const unlock = useApiAction(async (user: UserSummary) => {
    const updated = await call('users.unlock', { userId: user.id });
    replace(updated);
    setNotice({ key: 'admin.users.unlocked', params: { username: updated.username } });
  });

  return {
    users: list.data ?? [],
    loading: list.loading,
    listError: list.error,
    reload: list.reload,
    notice,
    setNotice,
    creating,
    startCreate: () => {
      setNotice(null);
      setCreating(true);
    },
    endCreate: (created?: UserSummary) => {
      setCreating(false);
      if (created) {
        list.setData((prev) => [...(prev ?? []), created]);
        setNotice({ key: 'admin.users.created', params: { username: created.username } });
      }
    },
    editing,
    startEdit: (user: UserSummary) => {
      setNotice(null);
      setEditing(user);
    },
    endEdit: (saved?: UserSummary) => {
      setEditing(null);
      if (saved) {
        replace(saved);
        setNotice({ key: 'admin.users.saved', params: { username: saved.username } });
      }
    },
    resetting,
    startReset: (user: UserSummary) => {
      setNotice(null);
      setResetting(user);
    },
    endReset: (user?: UserSummary) => {
      setResetting(null);
      if (user) {
        replace(user);
        setNotice({ key: 'admin.users.passwordReset', params: { username: user.username } });
      }
    },
    unlock: (user: UserSummary) => void unlock.run(user),
    unlockError: unlock.error,
    unlockPending: unlock.pending,
  };
}

export type CreateUserValues = z.input<typeof userCreateSchema>;

export function useCreateUserForm(onDone: (user: UserSummary) => void) {
  const form = useForm<CreateUserValues, unknown, z.output<typeof userCreateSchema>>({
    resolver: zodResolver(userCreateSchema),
    // No role is pre-checked: each one grants access, so the administrator chooses them all.
    defaultValues: { username: '', fullName: '', password: '', confirmPassword: '', roles: [], locale: 'es-MX' },
  });
  const action = useApiAction((values: z.output<typeof userCreateSchema>) => call('users.create', values), {
    onError: (info) => applyFieldErrors(info, form.setError),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const user = await action.run(values);
    if (user) onDone(user);
  });
  return { form, onSubmit, pending: action.pending, error: action.error };
}

const editSchema = userUpdateSchema.omit({ userId: true }).required({ fullName: true, roles: true, active: true, locale: true });
export type EditUserValues = z.input<typeof editSchema>;

export function useEditUserForm(user: UserSummary, onDone: (user: UserSummary) => void) {
  const form = useForm<EditUserValues, unknown, z.output<typeof editSchema>>({
    resolver: zodResolver(editSchema),
    defaultValues: { fullName: user.fullName, roles: user.roles, active: user.active, locale: user.locale },
  });
  const action = useApiAction((values: z.output<typeof editSchema>) => call('users.update', { userId: user.id, ...values }), {
    onError: (info) => applyFieldErrors(info, form.setError),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const saved = await action.run(values);
    if (saved) onDone(saved);
  });
  return { form, onSubmit, pending: action.pending, error: action.error };
}

const resetSchema = z
  .object({ password: userCreateSchema.shape.password, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'validation.passwordMismatch' });

export function useResetPasswordForm(user: UserSummary, onDone: (user: UserSummary) => void) {
  const form = useForm<z.input<typeof resetSchema>, unknown, z.output<typeof resetSchema>>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: '', confirmPassword: '' },
  });
  const action = useApiAction((password: string) => call('users.resetPassword', { userId: user.id, password }), {
    onError: (info) => applyFieldErrors(info, form.setError),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const saved = await action.run(values.password);
    if (saved) onDone(saved);
  });
  return { form, onSubmit, pending: action.pending, error: action.error };
}
