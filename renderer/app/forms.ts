/** Glue between core's structured errors and react-hook-form. */
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ErrorInfo } from '../../electron/shared/errors';

/**
 * Puts core's per-field errors (ErrorInfo.fields: path → i18n key) on the form's fields, so they
 * show next to the control. Returns true when at least one field got an error.
 */
export function applyFieldErrors<T extends FieldValues>(info: ErrorInfo | null | undefined, setError: UseFormSetError<T>, known?: readonly string[]): boolean {
  let applied = false;
  for (const [path, key] of Object.entries(info?.fields ?? {})) {
    if (known && !known.includes(path)) continue;
    setError(path as Path<T>, { type: 'server', message: key });
    applied = true;
  }
  return applied;
}
