/**
 * Keyboard shortcuts of the ticket list: `/` search, `j`/`k` move the selection, Enter opens the
 * selected ticket, `x` checks it for a bulk action, `n` opens a new ticket. Ignored while typing in a field, with modifier keys,
 * and while a modal dialog is open. `Esc` in the search box leaves it (SearchBox), so `j`/`k`
 * move through the results; the Shell moves focus into the page after a sidebar click, so Enter
 * opens the selected row instead of pressing the sidebar button again.
 */
import { useEffect, type RefObject } from 'react';
import { shortcutAllowed } from '../../app/keys';
import { useNav } from '../../stores/nav';
import { useTicketList } from './store';

function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary, [role="tab"]') !== null;
}

export function useListKeys(searchRef: RefObject<HTMLInputElement | null>, scrollToIndex: (index: number) => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!shortcutAllowed(e)) return;
      const list = useTicketList.getState();
      switch (e.key) {
        case '/':
          e.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          return;
        case 'j':
        case 'k': {
          e.preventDefault();
          list.moveSelection(e.key === 'j' ? 1 : -1);
          const index = useTicketList.getState().selectedIndex;
          if (index >= 0) scrollToIndex(index);
          return;
        }
        case 'Enter': {
          if (isActivatable(e.target)) return;
          const row = list.selectedIndex >= 0 ? list.rowAt(list.selectedIndex) : undefined;
          if (row) {
            e.preventDefault();
            useNav.getState().go({ name: 'ticket', ticketId: row.id });
          }
          return;
        }
        case 'x': {
          // Checks or unchecks the highlighted row for a bulk action (Shift+x: the range from the last one).
          if (list.selectedIndex < 0) return;
          e.preventDefault();
          list.toggleChecked(list.selectedIndex, e.shiftKey);
          return;
        }
        case 'X': {
          if (list.selectedIndex < 0) return;
          e.preventDefault();
          list.toggleChecked(list.selectedIndex, true);
          return;
        }
        case 'n':
          e.preventDefault();
          useNav.getState().go({ name: 'newTicket' });
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [searchRef, scrollToIndex]);
}
