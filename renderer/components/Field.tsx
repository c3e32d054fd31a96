/**
 * Form controls with a visible <label> (its text is the control's accessible name), an optional
 * hint, and an error shown next to the control. `error` is an i18n key (zod / core field errors
 * are keys) or an already translated text; either way it is passed through t().
 */
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorText } from '../i18n';
import './strings';

export interface FieldChrome {
  label: string;
  /** i18n key or text; shown below the control with role="alert". */
  error?: string | null;
  hint?: ReactNode;
  /** Adds a "required" marker to the label (validation itself stays in the schema). */
  required?: boolean;
  className?: string;
  /** The schema's length limit, so "too long" can say it. */
  maxChars?: number;
}

interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** The label + hint + error frame; `children` receives the props to spread on the control. */
export function Field({ label, error, hint, required, className, maxChars, id: givenId, children }: FieldChrome & {
  id?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  useTranslation(); // re-render on a language change
  const autoId = useId();
  const id = givenId ?? autoId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {required ? <span className="field__required" aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? <div id={hintId} className="field__hint">{hint}</div> : null}
      {error ? (
        <div id={errorId} className="field__error" role="alert">
          {fieldErrorText(error, maxChars)}
        </div>
      ) : null}
    </div>
  );
}

export type TextFieldProps = FieldChrome & Omit<ComponentPropsWithRef<'input'>, 'className'>;

/** <input> with a label. Works with react-hook-form: `<TextField label=… {...register('x')} />`. */
export function TextField({ label, error, hint, required, className, id, maxChars, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className} id={id} maxChars={maxChars}>
      {(control) => <input className="input" {...input} {...control} />}
    </Field>
  );
}

export type TextAreaFieldProps = FieldChrome & Omit<ComponentPropsWithRef<'textarea'>, 'className'>;

export function TextAreaField({ label, error, hint, required, className, id, maxChars, ...textarea }: TextAreaFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className} id={id} maxChars={maxChars}>
      {(control) => <textarea className="input textarea" {...textarea} {...control} />}
    </Field>
  );
}

export interface Option<V extends string = string> {
  value: V;
  label: string;
  disabled?: boolean;
}

export type SelectFieldProps = FieldChrome &
  Omit<ComponentPropsWithRef<'select'>, 'className' | 'children'> & {
    options: readonly Option[];
    /** Adds a first option with value "" (e.g. "— Elija —" or "Todos"). */
    placeholder?: string;
  };

/** <select> with a label; options are {value, label}. */
export function SelectField({ label, error, hint, required, className, id, options, placeholder, ...select }: SelectFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} required={required} className={className} id={id}>
      {(control) => (
        <select className="input select" {...select} {...control}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export type CheckboxFieldProps = Omit<ComponentPropsWithRef<'input'>, 'type' | 'className'> & {
  label: string;
  hint?: ReactNode;
  className?: string;
};

/** A checkbox followed by its label. */
export function CheckboxField({ label, hint, className, id: givenId, ...input }: CheckboxFieldProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <div className={`check${className ? ` ${className}` : ''}`}>
      <input type="checkbox" id={id} {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? <div id={`${id}-hint`} className="field__hint">{hint}</div> : null}
    </div>
  );
}

export interface CheckboxGroupProps<V extends string> {
  legend: string;
  options: readonly Option<V>[];
  value: readonly V[];
  onChange: (next: V[]) => void;
  error?: string | null;
  disabled?: boolean;
  className?: string;
  /** Lay the boxes out in columns. */
  columns?: 1 | 2 | 3;
}

/** A <fieldset> of checkboxes bound to an array (e.g. roles). Use with react-hook-form's Controller. */
export function CheckboxGroup<V extends string>({ legend, options, value, onChange, error, disabled, className, columns = 2 }: CheckboxGroupProps<V>) {
  const { t } = useTranslation();
  const errorId = useId();
  const toggle = (v: V, checked: boolean) => onChange(checked ? [...value, v] : value.filter((x) => x !== v));
  return (
    <fieldset
      className={`fieldset checkgroup checkgroup--cols${columns}${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-invalid={Boolean(error)}
      aria-describedby={error ? errorId : undefined}
      disabled={disabled}
    >
      <legend className="field__label">{legend}</legend>
      <div className="checkgroup__items">
        {options.map((o) => (
          <CheckboxField key={o.value} label={o.label} checked={value.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
        ))}
      </div>
      {error ? (
        <div id={errorId} className="field__error" role="alert">
          {t(error)}
        </div>
      ) : null}
    </fieldset>
  );
}
