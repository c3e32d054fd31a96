/**
 * Loads the SLA configuration into the form and saves the whole of it with `sla.saveConfig`.
 * Core's per-field errors (config paths) land on the form's fields; success reports how many
 * open tickets were recomputed.
 */
import { useCallback, useEffect, useState } from 'react';
import { useForm, type Path } from 'react-hook-form';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { SlaConfig } from '../../../electron/shared/sla';
import { call } from '../../app/api';
import { useApiAction } from '../../app/useApiAction';
import { toErrorInfo } from '../../app/errors';
import { formPathOf, slaFormResolver, toConfig, toForm, type SlaForm } from './form';

export function useSlaAdmin() {
  const form = useForm<SlaForm>({ resolver: slaFormResolver, mode: 'onSubmit', reValidateMode: 'onSubmit' });
  const [config, setConfig] = useState<SlaConfig | null>(null);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);
  const [recomputed, setRecomputed] = useState<number | null>(null);
  const { reset, setError } = form;

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const loaded = await call('sla.config', {});
      setConfig(loaded);
      reset(toForm(loaded));
    } catch (e) {
      setLoadError(toErrorInfo(e));
    }
  }, [reset]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = useApiAction((next: SlaConfig) => call('sla.saveConfig', next), {
    onError: (info) => {
      for (const [path, key] of Object.entries(info.fields ?? {})) {
        setError(formPathOf(path) as Path<SlaForm>, { type: 'server', message: key });
      }
    },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setRecomputed(null);
    const result = await save.run(toConfig(values));
    if (!result) return;
    setConfig(result.config);
    reset(toForm(result.config));
    setRecomputed(result.recomputed);
  });

  return { form, config, loadError, ready: config !== null, onSubmit, pending: save.pending, error: save.error, recomputed, reload: load };
}
