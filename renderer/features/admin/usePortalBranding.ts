/**
 * The Portal tab's state: the organization's branding (name, colours, logo) as a form checked with the
 * shared schema (the contrast rule included), a chosen logo file read in the browser, and the save.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { brandingUpdateSchema, MAX_LOGO_BYTES, type BrandingInfo } from '../../../electron/shared/branding';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { call } from '../../app/api';
import { readAsBase64 } from '../../app/files';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';

export interface BrandingFormValues {
  name: string;
  primary: string;
  accent: string;
}

/** The logo in the form: the one saved, a file just chosen (with a preview), or none. */
export type LogoChoice =
  | { kind: 'saved'; previewUrl: string | null }
  | { kind: 'new'; fileName: string; data: string; previewUrl: string; size: number }
  | { kind: 'removed' };

const formSchema = brandingUpdateSchema;

const savedPreview = (b: BrandingInfo) => (b.logo ? `data:${b.logo.type};base64,${b.logo.data}` : null);

export function usePortalBranding() {
  const query = useApiQuery('branding.get', {});
  const [saved, setSaved] = useState(false);
  const [logo, setLogo] = useState<LogoChoice>({ kind: 'saved', previewUrl: null });
  const [logoError, setLogoError] = useState<string | null>(null);
  const form = useForm<BrandingFormValues>({ resolver: zodResolver(formSchema) as never, mode: 'onChange' });
  const { reset } = form;
  useEffect(() => {
    if (!query.data) return;
    reset({ name: query.data.name, primary: query.data.primary, accent: query.data.accent });
    setLogo({ kind: 'saved', previewUrl: savedPreview(query.data) });
  }, [query.data, reset]);

  const chooseLogo = async (file: File | null) => {
    setSaved(false);
    setLogoError(null);
    if (!file) return;
    const ext = file.name.toLowerCase().split('.').pop();
    if (ext !== 'png' && ext !== 'svg') return setLogoError('branding.logoType');
    if (file.size > MAX_LOGO_BYTES) return setLogoError('branding.logoTooLarge');
    const data = await readAsBase64(file);
    // The preview of an SVG is an <img>: no script in it runs (the saved one is rebuilt in core anyway).
    setLogo({ kind: 'new', fileName: file.name, data, size: file.size, previewUrl: `data:${ext === 'png' ? 'image/png' : 'image/svg+xml'};base64,${data}` });
  };

  const action = useApiAction(
    (v: BrandingFormValues) =>
      call('branding.update', {
        ...v,
        ...(logo.kind === 'new' ? { logo: { fileName: logo.fileName, data: logo.data } } : logo.kind === 'removed' ? { logo: null } : {}),
      }),
    {
      onError: (info: ErrorInfo) => {
        if (info.fields?.logo) setLogoError(info.fields.logo);
        applyFieldErrors(info, form.setError, ['name', 'primary', 'accent']);
      },
    },
  );
  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(false);
    setLogoError(null);
    const next = await action.run(values);
    if (next) {
      query.setData(next);
      setSaved(true);
    }
  });
  return {
    form, onSubmit, logo, logoError, chooseLogo, removeLogo: () => { setSaved(false); setLogoError(null); setLogo({ kind: 'removed' }); },
    info: query.data, loadError: query.error, ready: Boolean(query.data), pending: action.pending, error: action.error, saved,
  };
}
