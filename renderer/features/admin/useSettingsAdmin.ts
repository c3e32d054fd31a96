/** Settings tab: organization settings as a form (size in MB on screen, bytes in the contract). */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { CLOSED_TICKET_POLICIES, LOCALES } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { OrgSettings } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';

const MB = 1024 * 1024;

const number = z.number({ error: 'validation.required' });
export const settingsFormSchema = z.object({
  closedTicketPolicy: z.enum(CLOSED_TICKET_POLICIES),
  reopenWithinDays: number.int('validation.invalid').min(1, 'validation.min').max(365, 'validation.max'),
  maxAttachmentMb: number.min(0.01, 'validation.min').max(50, 'validation.max'),
  defaultLocale: z.enum(LOCALES),
  keepBackups: number.int('validation.invalid').min(1, 'validation.min').max(100, 'validation.max'),
  dailyBackups: z.boolean(),
  keepBackupDays: number.int('validation.invalid').min(1, 'validation.min').max(365, 'validation.max'),
});
export type SettingsFormValues = z.infer<typeof settingsFormSchema>;

export function toFormValues(s: OrgSettings): SettingsFormValues {
  return {
    closedTicketPolicy: s.closedTicketPolicy,
    reopenWithinDays: s.reopenWithinDays,
    maxAttachmentMb: Math.round((s.maxAttachmentBytes / MB) * 100) / 100,
    defaultLocale: s.defaultLocale,
    keepBackups: s.keepBackups,
    dailyBackups: s.dailyBackups,
    keepBackupDays: s.keepBackupDays,
  };
}

export function useSettingsAdmin() {
  const query = useApiQuery('settings.get', {});
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsFormValues>({ resolver: zodResolver(settingsFormSchema) });
  const { reset } = form;
  useEffect(() => {
    if (query.data) reset(toFormValues(query.data));
  }, [query.data, reset]);

  const action = useApiAction(
    (v: SettingsFormValues) =>
      call('settings.update', {
        closedTicketPolicy: v.closedTicketPolicy,
        reopenWithinDays: v.reopenWithinDays,
        maxAttachmentBytes: Math.round(v.maxAttachmentMb * MB),
        defaultLocale: v.defaultLocale,
        keepBackups: v.keepBackups,
        dailyBackups: v.dailyBackups,
        keepBackupDays: v.keepBackupDays,
      }),
    {
      onError: (info: ErrorInfo) => {
        const fields = { ...info.fields };
        if (fields.maxAttachmentBytes) {
          fields.maxAttachmentMb = fields.maxAttachmentBytes;
          delete fields.maxAttachmentBytes;
        }
        applyFieldErrors({ ...info, fields }, form.setError);
      },
    },
  );
  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(false);
    const next = await action.run(values);
    if (next) {
      query.setData(next);
      setSaved(true);
    }
  });
  return { form, onSubmit, loading: query.loading, loadError: query.error, ready: Boolean(query.data), pending: action.pending, error: action.error, saved };
}
