/** Tabs (role=tablist) with arrow-key movement; the caller renders the panel for `value`. */
import { useRef, type KeyboardEvent } from 'react';

export interface TabItem<V extends string> {
  value: V;
  label: string;
  /** Optional count badge. */
  count?: number;
}

export interface TabsProps<V extends string> {
  items: readonly TabItem<V>[];
  value: V;
  onChange: (value: V) => void;
  label: string;
  /** id prefix; tab ids are `${idBase}-tab-${value}`, panel ids `${idBase}-panel`. */
  idBase: string;
  className?: string;
}

export function Tabs<V extends string>({ items, value, onChange, label, idBase, className }: TabsProps<V>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (index + delta + items.length) % items.length;
    const item = items[next];
    if (!item) return;
    onChange(item.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className={`tabs${className ? ` ${className}` : ''}`}>
      {items.map((item, i) => {
        const selected = item.value === value;
        return (
          <button
            key={item.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${idBase}-tab-${item.value}`}
            aria-selected={selected}
            aria-controls={`${idBase}-panel`}
            tabIndex={selected ? 0 : -1}
            className={`tab${selected ? ' tab--active' : ''}`}
            onClick={() => onChange(item.value)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {item.label}
            {item.count !== undefined ? <span className="tab__count">{item.count}</span> : null}
          </button>
        );
      })}
    </div>
  );
}

/** The panel that belongs to <Tabs idBase=…>. */
export function TabPanel({ idBase, value, children, className }: { idBase: string; value: string; children: React.ReactNode; className?: string }) {
  return (
    <div role="tabpanel" id={`${idBase}-panel`} aria-labelledby={`${idBase}-tab-${value}`} className={className}>
      {children}
    </div>
  );
}
