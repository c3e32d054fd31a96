/**
 * Administración → Portal de clientes: the organization's name, logo and colours on the customer
 * portal. Each colour shows its contrast with what the portal puts it against, live; the shared
 * schema refuses (in core too) a colour under WCAG AA. A preview shows the portal's heading and a button.
 */
import { useId, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { AA_TEXT, accentContrast, formatRatio, MAX_LOGO_BYTES, MAX_LOGO_SIDE, normalizeColour, primaryContrast } from '../../../electron/shared/branding';
import { Button, ErrorBanner, FileButton, StatusMessage, TextField } from '../../components';
import { errorMessage } from '../../i18n';
import { Loading } from '../../components/Misc';
import { usePortalBranding } from './usePortalBranding';

const HEX = /^#[0-9a-f]{6}$/;

function ColourField({ name, label, hint, value, error, ratio, register }: {
  name: 'primary' | 'accent'; label: string; hint: string; value: string; error?: string; ratio: (c: string) => number;
  register: ReturnType<ReturnType<typeof usePortalBranding>['form']['register']>;
}) {
  const { t, i18n } = useTranslation();
  const colour = normalizeColour(value ?? '');
  const valid = HEX.test(colour);
  const r = valid ? ratio(colour) : null;
  return (
    <div className="branding-colour">
      <TextField label={label} hint={hint} error={error} autoComplete="off" spellCheck={false} maxLength={7} {...register} />
      <input type="color" className="branding-colour__picker" aria-label={t('admin.portal.pick', { name: label })} value={valid ? colour : '#000000'}
        onChange={(e) => register.onChange({ target: { name, value: e.target.value }, type: 'change' })} />
      {r !== null ? (
        <p className={`branding-colour__ratio ${r >= AA_TEXT ? 'is-ok' : 'is-bad'}`} data-testid={`${name}-ratio`}>
          {t(r >= AA_TEXT ? 'admin.portal.ratioOk' : 'admin.portal.ratioBad', { ratio: formatRatio(r, i18n.language), needed: formatRatio(AA_TEXT, i18n.language) })}
        </p>
      ) : null}
    </div>
  );
}

export function PortalBrandingTab() {
  const { t } = useTranslation();
  const b = usePortalBranding();
  const logoId = useId();
  const { register, watch, formState: { errors } } = b.form;
  if (b.loadError) return <ErrorBanner error={b.loadError} />;
  if (!b.ready) return <Loading />;
  const [name, primary, accent] = watch(['name', 'primary', 'accent']);
  const p = normalizeColour(primary ?? '');
  const a = normalizeColour(accent ?? '');
  // The preview's colours are data the administrator typed, shown as custom properties (never a stylesheet colour).
  const previewStyle = { '--brand-primary': HEX.test(p) ? p : undefined, '--brand-accent': HEX.test(a) ? a : undefined } as CSSProperties;
  const logoUrl = b.logo.kind === 'removed' ? null : b.logo.previewUrl;
  return (
    <div className="branding">
      <form className="stack form-narrow" onSubmit={b.onSubmit} noValidate>
        <p className="muted">{t('admin.portal.intro')}</p>
        {b.saved ? <StatusMessage>{t('admin.portal.saved')}</StatusMessage> : null}
        <ErrorBanner error={b.error} hideFields />
        <TextField label={t('admin.portal.name')} hint={t('admin.portal.nameHint')} required maxChars={80} error={errors.name?.message} {...register('name')} />
        <ColourField name="primary" label={t('admin.portal.primary')} hint={t('admin.portal.primaryHint')} value={primary} error={errors.primary?.message}
          ratio={primaryContrast} register={register('primary')} />
        <ColourField name="accent" label={t('admin.portal.accent')} hint={t('admin.portal.accentHint')} value={accent} error={errors.accent?.message}
          ratio={accentContrast} register={register('accent')} />
        <div className={`field${b.logoError ? ' field--invalid' : ''}`}>
          <label id={`${logoId}-label`} htmlFor={logoId} className="field__label">{t('admin.portal.logo')}</label>
          <FileButton id={logoId} labelId={`${logoId}-label`} accept=".png,.svg,image/png,image/svg+xml" invalid={Boolean(b.logoError)}
            describedBy={[`${logoId}-hint`, b.logoError ? `${logoId}-error` : ''].filter(Boolean).join(' ')}
            chosen={b.logo.kind === 'new' ? b.logo.fileName : b.logo.kind === 'saved' && b.logo.previewUrl ? t('admin.portal.logoSaved') : ''}
            onChange={(e) => {
              const input = e.currentTarget;
              void b.chooseLogo(input.files?.[0] ?? null).then(() => { input.value = ''; });
            }} />
          <div id={`${logoId}-hint`} className="field__hint">{t('admin.portal.logoHint')}</div>
          {b.logoError ? <div id={`${logoId}-error`} className="field__error" role="alert">{errorMessage({ code: b.logoError, params: { max: MAX_LOGO_BYTES / 1024, side: MAX_LOGO_SIDE } })}</div> : null}
          {logoUrl ? <div><Button variant="ghost" size="sm" onClick={b.removeLogo}>{t('admin.portal.removeLogo')}</Button></div> : null}
        </div>
        <div>
          <Button type="submit" variant="primary" pending={b.pending}>{t('admin.portal.save')}</Button>
        </div>
      </form>
      <section className="branding-preview" aria-label={t('admin.portal.preview')} style={previewStyle}>
        <h3 className="branding-preview__title">{t('admin.portal.preview')}</h3>
        <div className="branding-preview__band">
          {logoUrl ? <img className="branding-preview__logo" src={logoUrl} alt={t('admin.portal.logoAlt', { name })} /> : null}
          <div>
            <p className="branding-preview__org">{name}</p>
            <p className="branding-preview__heading">{t('admin.portal.previewHeading')}</p>
          </div>
        </div>
        <div className="branding-preview__body">
          <span className="branding-preview__link">{t('admin.portal.previewLink')}</span>
          <span className="branding-preview__button">{t('admin.portal.previewButton')}</span>
        </div>
        <p className="muted small">{t('admin.portal.previewNote')}</p>
      </section>
    </div>
  );
}
