/**
 * Shortcuts that work on every screen: Ctrl/Cmd+K opens the command palette (also from inside a
 * field, as in every app that has one), `?` the shortcut sheet (never while typing or under a dialog).
 */
import { useEffect } from 'react';
import { shortcutAllowed } from '../../app/keys';

export function useGlobalShortcuts(openPalette: () => void, openSheet: () => void): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        if (document.querySelector('dialog[open]')) return;
        e.preventDefault();
        openPalette();
      } else if (e.key === '?' && shortcutAllowed(e)) {
        e.preventDefault();
        openSheet();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openPalette, openSheet]);
}
