/**
 * Ctrl/Cmd+K (issue 15, item 5): one box to jump to any screen, ticket or customer. Arrow keys move
 * through the results, Enter opens, Esc closes; the input is a combobox over one listbox
 * (WAI-ARIA), so a screen reader hears the highlighted result.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, StatusBadge } from '../../components';
import { navItemsFor } from '../../app/navItems';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { MIN_RECORD_QUERY, matchScreens, step, type PaletteItem } from './search';
import { usePaletteResults } from './usePaletteResults';
import './strings';
import './palette.css';

export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={t('palette.title')} onClose={onClose} size="md">
      {open ? <PaletteBody onClose={onClose} /> : null}
    </Dialog>
  );
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const roles = useSession((s) => s.user?.roles);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const records = usePaletteResults(query);
  const inputRef = useRef<HTMLInputElement>(null);
  // The dialog opens (showModal) after this body mounts and focuses its first button; the box takes it back.
  useEffect(() => {
    const frame = requestAnimationFrame(() => inputRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);

  const items = useMemo<PaletteItem[]>(() => {
    const screens = [
      ...navItemsFor(roles).map((item) => ({ route: item.route, label: t(item.label) })),
      { route: 'newRequest' as const, label: t('palette.newRequest') },
    ];
    return [
      ...matchScreens(screens, query).map((s): PaletteItem => ({ kind: 'screen', id: `screen:${s.route}`, route: s.route, label: s.label })),
      ...records.tickets.map((ticket): PaletteItem => ({ kind: 'ticket', id: `ticket:${ticket.id}`, ticket })),
      ...records.customers.map((customer): PaletteItem => ({ kind: 'customer', id: `customer:${customer.id}`, customer })),
    ];
  }, [roles, t, query, records.tickets, records.customers]);

  const current = Math.min(active, Math.max(items.length - 1, 0));
  const open = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    if (item.kind === 'screen') go({ name: item.route });
    else if (item.kind === 'ticket') go({ name: 'ticket', ticketId: item.ticket.id });
    else go({ name: 'customer', customerId: item.customer.id });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(step(current, e.key === 'ArrowDown' ? 1 : -1, items.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(items[current]);
    }
  };

  const status = records.failed
    ? t('palette.failed')
    : records.loading
      ? t('palette.searching')
      : items.length === 0
        ? t('palette.none')
        : query.trim().length > 0 && query.trim().length < MIN_RECORD_QUERY
          ? t('palette.typeMore')
          : null;

  return (
    <div className="palette">
      <input
        className="input palette__input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-results"
        aria-activedescendant={items[current] ? `palette-${items[current].id}` : undefined}
        aria-autocomplete="list"
        aria-label={t('palette.label')}
        placeholder={t('palette.placeholder')}
        ref={inputRef}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="palette-results" className="palette__results" role="listbox" aria-label={t('palette.results')}>
        {items.map((item, index) => (
          <li
            key={item.id}
            id={`palette-${item.id}`}
            role="option"
            aria-selected={index === current}
            className={`palette__item${index === current ? ' palette__item--active' : ''}`}
            onMouseEnter={() => setActive(index)}
            onClick={() => open(item)}
          >
            <PaletteRow item={item} />
          </li>
        ))}
      </ul>
      <p className="palette__status" role="status">{status}</p>
      <p className="palette__hint">{t('palette.hint')}</p>
    </div>
  );
}

function PaletteRow({ item }: { item: PaletteItem }) {
  const { t } = useTranslation();
  if (item.kind === 'screen') {
    return (
      <>
        <span className="palette__kind">{t('palette.kind.screen')}</span>
        <span className="palette__main">{item.label}</span>
      </>
    );
  }
  if (item.kind === 'ticket') {
    const { ticket } = item;
    return (
      <>
        <span className="palette__kind">{t('palette.kind.ticket')}</span>
        <span className="palette__main">
          <span className="palette__folio">{ticket.trackingNumber}</span> {ticket.subject}
          <span className="palette__sub">{ticket.customerName}</span>
        </span>
        <StatusBadge status={ticket.status} waitingOn={ticket.waitingOn} />
      </>
    );
  }
  const { customer } = item;
  return (
    <>
      <span className="palette__kind">{t('palette.kind.customer')}</span>
      <span className="palette__main">
        {customer.name}
        <span className="palette__sub">{customer.rfc}</span>
      </span>
    </>
  );
}
