/** Changing one's own password with the contract's schema (the rule shows before the call; core enforces it all). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { changePasswordSchema } from '../../../electron/shared/contract';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

export function useChangePasswordForm() {
  const [done, setDone] = useState(false);
  const form = useForm<z.input<typeof changePasswordSchema>, unknown, z.output<typeof changePasswordSchema>>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const action = useApiAction((values: z.output<typeof changePasswordSchema>) => call('auth.changePassword', values), {
    onError: (info) => applyFieldErrors(info, form.setError),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setDone(false);
    const session = await action.run(values);
    if (!session) return;
    form.reset();
    setDone(true);
    useSession.getState().signedIn(session);
  });
  return { form, onSubmit, pending: action.pending || form.formState.isSubmitting, error: action.error, done };
}
