/**
 * A compact checkbox menu for filters: a visible <label> naming a button that summarises the
 * choice ("Todos", one value, or "N seleccionados"); the button opens a group of checkboxes.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Option } from './Field';
import './strings';

export interface MultiSelectProps<V extends string> {
  label: string;
  options: readonly Option<V>[];
  value: readonly V[];
  onChange: (next: V[]) => void;
  className?: string;
}

export function MultiSelect<V extends string>({ label, options, value, onChange, className }: MultiSelectProps<V>) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const chosen = options.filter((o) => value.includes(o.value));
  const summary =
    chosen.length === 0 ? t('ui.all') : chosen.length === 1 ? chosen[0]!.label : t('ui.selected', { count: chosen.length });
  const toggle = (v: V, checked: boolean) => onChange(checked ? [...value, v] : value.filter((x) => x !== v));

  return (
    <div className={`field multiselect${chosen.length ? ' multiselect--active' : ''}${className ? ` ${className}` : ''}`} ref={root}>
      <label htmlFor={`${id}-button`} className="field__label">{label}</label>
      <button
        ref={button}
        id={`${id}-button`}
        type="button"
        className="input multiselect__button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="multiselect__summary">{summary}</span>
        <span aria-hidden="true" className="multiselect__caret">▾</span>
      </button>
      {open ? (
        <div id={`${id}-menu`} role="group" aria-label={label} className="multiselect__menu">
          {options.map((o) => {
            const optionId = `${id}-${o.value}`;
            return (
              <div key={o.value} className="check">
                <input type="checkbox" id={optionId} checked={value.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
                <label htmlFor={optionId}>{o.label}</label>
              </div>
            );
          })}
          {chosen.length > 0 ? (
            <button type="button" className="btn btn--ghost btn--sm multiselect__clear" onClick={() => onChange([])}>
              {t('ui.clear')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
