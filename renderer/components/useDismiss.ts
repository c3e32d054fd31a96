/**
 * A header popover (the notification panel, the sync explanation) closes on a click outside it
 * and on Escape, which gives the focus back to the button that opened it.
 */
import { useEffect, type RefObject } from 'react';

export function useDismiss(open: boolean, close: () => void, wrapRef: RefObject<HTMLElement | null>, triggerSelector: string): void {
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        close();
        wrapRef.current?.querySelector<HTMLElement>(triggerSelector)?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close, wrapRef, triggerSelector]);
}
