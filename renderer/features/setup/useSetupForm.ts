/** First run: create the branch and its administrator with the contract's own schema, then sign in. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { setupSchema } from '../../../electron/shared/contract';
import { DEFAULT_TIME_ZONE } from '../../../electron/shared/domain';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

export type SetupValues = z.input<typeof setupSchema>;

/** Mexican zones (IANA); America/Mexico_City first, the default. */
export const MEXICAN_TIME_ZONES = [
  'America/Mexico_City',
  'America/Cancun',
  'America/Mazatlan',
  'America/Hermosillo',
  'America/Tijuana',
  'America/Chihuahua',
  'America/Ciudad_Juarez',
  'America/Matamoros',
] as const;

export function useSetupForm() {
  const form = useForm<SetupValues, unknown, z.output<typeof setupSchema>>({
    resolver: zodResolver(setupSchema),
    defaultValues: {
      branchCode: '', branchName: '', timeZone: DEFAULT_TIME_ZONE, username: '', fullName: '',
      password: '', confirmPassword: '', locale: 'es-MX',
    },
  });
  const action = useApiAction((values: z.output<typeof setupSchema>) => call('auth.setup', values), {
    // Core's field errors go next to their fields.
    onError: (info) => applyFieldErrors(info, form.setError),
  });
  const onSubmit = form.handleSubmit(async (values) => {
    const session = await action.run(values);
    if (!session) return;
    useSession.getState().signedIn(session);
    void useBoot.getState().load();
  });
  return { form, onSubmit, pending: action.pending || form.formState.isSubmitting, error: action.error };
}
