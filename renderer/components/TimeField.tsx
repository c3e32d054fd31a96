/**
 * A time of day typed as hh:mm (24 h), the companion of DateField: the browser's <input type="time"> shows
 * a.m./p.m. or not according to the browser's locale, not the app's language. A plain text field; the colon
 * comes by itself. The value it takes and gives is 'hh:mm' ('' when empty).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, type FieldChrome } from './Field';
import './strings';

/** 'hh:mm' from 00:00 to 23:59, or '' when empty; null for anything else. */
export function parseTime(shown: string): string | null {
  const text = shown.trim();
  if (!text) return '';
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text) ? text : null;
}

/** Digits typed become hh:mm (the colon is added; anything else is dropped). */
export function maskTime(typed: string): string {
  const digits = typed.replace(/\D/g, '').slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}:${digits.slice(2)}` : digits;
}

export type TimeFieldProps = Omit<FieldChrome, 'maxChars'> & {
  id?: string;
  /** 'hh:mm' or ''. */
  value: string;
  /** Called with 'hh:mm' once the text is a whole, real time, or '' when emptied. */
  onChange: (time: string) => void;
  disabled?: boolean;
};

export function TimeField({ label, hint, error, required, className, id, value, onChange, disabled }: TimeFieldProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    if (parseTime(text) !== value) {
      setText(value);
      setInvalid(false);
    }
    // Only when the value from outside changes.
  }, [value]);

  const commit = (next: string, final: boolean) => {
    const time = parseTime(next);
    if (time !== null) {
      setInvalid(false);
      if (time !== value) onChange(time);
    } else if (final || next.length === 5) {
      setInvalid(true);
    }
  };

  return (
    <Field label={label} hint={hint} error={error ?? (invalid ? t('ui.timeInvalid') : undefined)} required={required} className={className} id={id}>
      {(control) => (
        <input
          className="input input--time"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder={t('ui.timePlaceholder')}
          maxLength={5}
          size={6}
          disabled={disabled}
          value={text}
          onChange={(e) => {
            const next = maskTime(e.currentTarget.value);
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
