/**
 * i18next set up with one resource bundle per language, merged from per-area string modules so
 * each feature owns its texts. Spanish (es-MX) is the default; English the second language.
 * Keys used by core errors live in ./errors.ts.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../electron/shared/domain';
import type { ErrorInfo } from '../../electron/shared/errors';
import { errorStrings } from './errors';
import { commonStrings } from './common';

export type Strings = { 'es-MX': Record<string, unknown>; en: Record<string, unknown> };

/** Feature string modules register here (import order does not matter). */
const modules: Strings[] = [commonStrings, errorStrings];

export function registerStrings(...more: Strings[]): void {
  modules.push(...more);
  if (i18next.isInitialized) {
    for (const m of more) {
      i18next.addResourceBundle('es-MX', 'translation', m['es-MX'], true, true);
      i18next.addResourceBundle('en', 'translation', m.en, true, true);
    }
  }
}

/** Every registered string module (for the test that both languages have the same keys). */
export function registeredStrings(): readonly Strings[] {
  return modules;
}

function merge(locale: Locale): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of modules) deepMerge(out, m[locale]);
  return out;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const t = (target[k] ??= {}) as Record<string, unknown>;
      deepMerge(t, v as Record<string, unknown>);
    } else target[k] = v;
  }
}

export async function initI18n(locale: Locale = 'es-MX'): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'es-MX',
    resources: { 'es-MX': { translation: merge('es-MX') }, en: { translation: merge('en') } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = locale;
}

export async function setLocale(locale: Locale): Promise<void> {
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

/** Translates a structured error from core; unknown codes fall back to a generic message. */
export function errorMessage(error: ErrorInfo): string {
  return i18next.exists(error.code) ? i18next.t(error.code, error.params ?? {}) : i18next.t('errors.unexpected', { code: error.code });
}

/**
 * A field's error key as text; a too-long text says its limit ("máximo 20 000 caracteres") when
 * the limit is known (core's `params.max`, or the form control's `maxChars`).
 */
export function fieldErrorText(key: string, max?: number | string): string {
  if (key === 'validation.tooLong' && max !== undefined) return i18next.t('validation.tooLongMax', { max: formatCount(Number(max)) });
  return i18next.t(key);
}

/** 20000 → "20 000" in Spanish (thousands split by a no-break space), "20,000" in English. */
export function formatCount(n: number): string {
  const text = new Intl.NumberFormat(i18next.language).format(n);
  return i18next.language.startsWith('es') ? text.replace(/[,.\u202f]/g, '\u00a0') : text;
}

export { i18next };
