/**
 * A date typed as dd/mm/aaaa, whatever the browser's language (issue 14, defect 8): the browser's own
 * <input type="date"> shows the format of the browser's locale (mm/dd/yyyy in an English browser) even when the app
 * speaks Spanish. This is a plain text field, so the keyboard works as in any field; the slashes come by themselves,
 * and date-fns parses and checks the date. The value it takes and gives is ISO (AAAA-MM-DD, '' when empty), so
 * callers are unchanged. One component for every date field of the app.
 */
import { format, isValid, parse } from 'date-fns';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, type FieldChrome } from './Field';
import './strings';

const SHOWN = 'dd/MM/yyyy';
const ISO = 'yyyy-MM-dd';

/** ISO (2026-12-06) → shown (06/12/2026); '' for anything else. */
export function isoToShown(iso: string): string {
  const d = parse(iso, ISO, new Date(2000, 0, 1));
  return iso && isValid(d) ? format(d, SHOWN) : '';
}

/** Shown (06/12/2026) → ISO; null when it is not a real date (31/02/2026), '' when empty. */
export function shownToIso(shown: string): string | null {
  const text = shown.trim();
  if (!text) return '';
  if (!/^\d{2}\/\d{2}\/\d{4}$/.test(text)) return null;
  const d = parse(text, SHOWN, new Date(2000, 0, 1));
  return isValid(d) && format(d, SHOWN) === text ? format(d, ISO) : null;
}

/** Digits typed become dd/mm/aaaa (the slashes are added; anything else is dropped); a pasted ISO date is turned around. */
export function maskDate(typed: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed.trim())) return isoToShown(typed.trim()) || typed.replace(/\D/g, '').slice(0, 8);
  const digits = typed.replace(/\D/g, '').slice(0, 8);
  return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].filter(Boolean).join('/');
}

export type DateFieldProps = Omit<FieldChrome, 'maxChars'> & {
  id?: string;
  /** ISO date (AAAA-MM-DD) or ''. */
  value: string;
  /** Called with the ISO date once the text is a whole, real date, or '' when emptied. */
  onChange: (iso: string) => void;
  /** Earliest and latest ISO dates accepted. */
  min?: string;
  max?: string;
  disabled?: boolean;
};

export function DateField({ label, hint, error, required, className, id, value, onChange, min, max, disabled }: DateFieldProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => isoToShown(value));
  const [invalid, setInvalid] = useState(false);

  // A new value from outside (another control, a reset) replaces what is shown, unless it is what is typed.
  useEffect(() => {
    if (shownToIso(text) !== value) {
      setText(isoToShown(value));
      setInvalid(false);
    }
    // Only when the value from outside changes.
  }, [value]);

  const commit = (next: string, final: boolean) => {
    const iso = shownToIso(next);
    const outOfRange = iso !== null && iso !== '' && ((min !== undefined && min !== '' && iso < min) || (max !== undefined && max !== '' && iso > max));
    if (iso !== null && !outOfRange) {
      setInvalid(false);
      if (iso !== value) onChange(iso);
    } else if (final || next.length === 10) {
      setInvalid(true);
    }
  };

  return (
    <Field
      label={label}
      hint={hint}
      error={error ?? (invalid ? t('ui.dateInvalid') : undefined)}
      required={required}
      className={className}
      id={id}
    >
      {(control) => (
        <input
          className="input input--date"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder={t('ui.datePlaceholder')}
          maxLength={10}
          size={12}
          disabled={disabled}
          value={text}
          onChange={(e) => {
            const next = maskDate(e.currentTarget.value);
            setText(next);
            commit(next, false);
          }}
          onBlur={() => commit(text, true)}
          {...control}
        />
      )}
    </Field>
  );
}
