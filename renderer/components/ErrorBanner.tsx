/**
 * Shows a failed call: the translated error (errorMessage) and, when core rejected fields, each
 * field with its own message. role="alert" so screen readers announce it.
 */
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../electron/shared/errors';
import { errorMessage, fieldErrorText } from '../i18n';
import { toErrorInfo } from '../app/errors';
import './strings';

export interface ErrorBannerProps {
  /** An ErrorInfo, an ApiError or anything thrown; nothing renders when empty. */
  error: ErrorInfo | unknown | null | undefined;
  /** Labels for field paths in `error.fields`; defaults to ui.field.<path> or the path itself. */
  fieldLabels?: Record<string, string>;
  /** Hide the per-field list (when the form already shows errors next to each field). */
  hideFields?: boolean;
  onDismiss?: () => void;
  className?: string;
}

export function ErrorBanner({ error, fieldLabels, hideFields, onDismiss, className }: ErrorBannerProps) {
  const { t, i18n } = useTranslation();
  if (error === null || error === undefined) return null;
  const info = toErrorInfo(error);
  const fields = hideFields ? [] : Object.entries(info.fields ?? {});
  const labelFor = (path: string) =>
    fieldLabels?.[path] ?? (i18n.exists(`ui.field.${path}`) ? t(`ui.field.${path}`) : path);
  return (
    <div className={`banner banner--error${className ? ` ${className}` : ''}`} role="alert">
      <div className="banner__body">
        <p className="banner__title">{errorMessage(info)}</p>
        {fields.length > 0 ? (
          <ul className="banner__list" aria-label={t('ui.fieldErrors')}>
            {fields.map(([path, key]) => (
              <li key={path}>
                <strong>{labelFor(path)}:</strong> {fieldErrorText(key, info.params?.[`${path}.max`] ?? info.params?.max)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {onDismiss ? (
        <button type="button" className="btn btn--ghost btn--sm" onClick={onDismiss}>
          {t('common.close')}
        </button>
      ) : null}
    </div>
  );
}

/** Same as ErrorBanner; the name forms tend to look for. */
export const FormError = ErrorBanner;

/** A polite confirmation line ("Guardado"), announced without stealing focus. */
export function StatusMessage({ children, className }: { children: React.ReactNode; className?: string }) {
  if (!children) return null;
  return (
    <div className={`banner banner--ok${className ? ` ${className}` : ''}`} role="status">
      {children}
    </div>
  );
}
