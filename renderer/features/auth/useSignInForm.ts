/** Sign-in with the contract's schema; wrong credentials and locked users come back as ErrorInfo. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { signInSchema } from '../../../electron/shared/contract';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

export function useSignInForm() {
  const form = useForm<z.input<typeof signInSchema>, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { username: '', password: '' },
  });
  const action = useApiAction((values: z.output<typeof signInSchema>) => call('auth.signIn', values), {
    onError: (info) => {
      applyFieldErrors(info, form.setError);
      // A failed attempt should not leave the password behind.
      form.setValue('password', '');
      form.setFocus('password');
    },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const session = await action.run(values);
    if (session) useSession.getState().signedIn(session);
  });
  return { form, onSubmit, pending: action.pending || form.formState.isSubmitting, error: action.error };
}
