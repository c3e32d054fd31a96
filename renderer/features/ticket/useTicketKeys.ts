/** `Esc` on a ticket goes back to the list, where the row it was opened from is still selected. */
import { useEffect } from 'react';
import { shortcutAllowed } from '../../app/keys';
import { useNav } from '../../stores/nav';

export function useTicketKeys(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !shortcutAllowed(e)) return;
      e.preventDefault();
      useNav.getState().go({ name: 'tickets' });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
