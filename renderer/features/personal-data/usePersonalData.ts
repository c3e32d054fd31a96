/** Loading and acting on the personal-data requests (derechos ARCO); screens only render. */
import { useCallback, useEffect, useState } from 'react';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { PersonalDataExport, PersonalDataRegister } from '../../../electron/shared/personal-data';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

function fail(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  handleSessionLoss(info);
  return info;
}

/** The register (one customer's requests, or every pending one), reloaded after each action. */
export function usePersonalDataRegister(input: MethodInput<'personalData.list'>) {
  const [register, setRegister] = useState<PersonalDataRegister | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    try {
      setRegister(await call('personalData.list', JSON.parse(key) as MethodInput<'personalData.list'>));
      setError(null);
    } catch (err) {
      setError(fail(err));
    }
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { register, error, reload };
}

/** Everything kept about a customer, for the printable view. */
export function usePersonalDataExport(customerId: string) {
  const [data, setData] = useState<PersonalDataExport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    let live = true;
    call('personalData.export', { customerId }).then((d) => live && setData(d), (err: unknown) => live && setError(fail(err)));
    return () => {
      live = false;
    };
  }, [customerId]);
  return { data, error };
}

/** Saves the export as a JSON file through the browser's download. */
export async function downloadExport(customerId: string, rfc: string): Promise<void> {
  const data = await call('personalData.export', { customerId });
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `datos-personales-${rfc}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
