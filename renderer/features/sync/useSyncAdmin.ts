/** Administración → Sincronización: the enrolment form (the contract's schema), un-enrolment and the rejected list. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { syncEnrolSchema } from '../../../electron/shared/contract';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { useSession } from '../../stores/session';
import { useSync } from './store';

export type EnrolFormValues = z.input<typeof syncEnrolSchema>;

export function useSyncAdmin() {
  const form = useForm<EnrolFormValues>({ resolver: zodResolver(syncEnrolSchema), defaultValues: { url: '', code: '', allowLanHttp: false } });
  const [outcome, setOutcome] = useState<{ key: string; params?: Record<string, string | number> } | null>(null);
  const canSeeRejected = useSession((s) => s.hasRole('administrator', 'supervisor'));
  const rejected = useApiQuery('sync.rejected', {}, { enabled: canSeeRejected });

  const enrol = useApiAction(async (values: EnrolFormValues) => call('sync.enrol', { url: values.url, code: values.code, allowLanHttp: values.allowLanHttp ?? false }), {
    onError: (info) => applyFieldErrors(info, form.setError, ['url', 'code']),
  });
  const onEnrol = form.handleSubmit(async (values) => {
    setOutcome(null);
    const status = await enrol.run(values);
    if (status) {
      useSync.getState().setStatus(status);
      form.reset({ url: '', code: '', allowLanHttp: false });
      setOutcome({ key: 'syncUi.enrolled', params: { branch: status.branch ?? '' } });
      void rejected.reload();
    }
  });

  const [confirmUnenrol, setConfirmUnenrol] = useState(false);
  const unenrol = useApiAction(async () => call('sync.unenrol', {}));
  const onUnenrol = async () => {
    const status = await unenrol.run();
    if (status) {
      useSync.getState().setStatus(status);
      setConfirmUnenrol(false);
      setOutcome({ key: 'syncUi.unenrolled' });
    }
  };

  const syncNow = async () => {
    setOutcome(null);
    await useSync.getState().syncNow();
    const run = useSync.getState().lastRun;
    if (run) setOutcome({ key: 'syncUi.synced', params: { sent: run.push.applied + run.push.rejected, received: run.pull.applied } });
    if (canSeeRejected) void rejected.reload();
  };

  return {
    form, onEnrol, enrolPending: enrol.pending, enrolError: enrol.error, outcome,
    confirmUnenrol, setConfirmUnenrol, onUnenrol, unenrolPending: unenrol.pending, unenrolError: unenrol.error,
    syncNow, rejected: rejected.data ?? [], rejectedLoading: rejected.loading, rejectedError: rejected.error,
  };
}
