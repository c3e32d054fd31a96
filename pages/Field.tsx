/**
 * The server's pages' form field (the customer portal and the administration pages): a label, the
 * hint and the error tied to the control for screen readers (aria-describedby), and the required
 * mark beside the label, not in it — the control's name stays its label; aria-required says it.
 * Each page makes its own with `fieldWith(errorText)`, so `error` is the page's error key.
 */
import { useId, type ReactNode } from 'react';

export interface FieldIds {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
}

export interface FieldProps<S extends { required: string }> {
  label: string;
  hint?: string;
  /** An error key of the page's strings. */
  error?: string;
  required?: boolean;
  t: S;
  children: (ids: FieldIds) => ReactNode;
}

/** The field component of a page whose strings turn an error key into text with `errorText`. */
export function fieldWith<S extends { required: string }>(errorText: (t: S, code: string) => string) {
  return function Field(props: FieldProps<S>) {
    const id = useId();
    const hintId = props.hint ? `${id}-hint` : '';
    const errorId = props.error ? `${id}-error` : '';
    const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${props.error ? ' has-error' : ''}`}>
        <div className="label-row">
          <label htmlFor={id}>{props.label}</label>
          {props.required && <span className="req" aria-hidden="true">({props.t.required})</span>}
        </div>
        {props.hint && <p className="hint" id={hintId}>{props.hint}</p>}
        {props.children({ id, describedBy, invalid: Boolean(props.error), required: Boolean(props.required) })}
        {props.error && <p className="error" id={errorId}>{errorText(props.t, props.error)}</p>}
      </div>
    );
  };
}
