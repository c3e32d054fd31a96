/** What every screen's single-key shortcuts check first: never while typing, never under a dialog. */

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** A single-key shortcut may fire: no modifier, not in a field, no modal dialog open. */
export function shortcutAllowed(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return false;
  return !isTypingTarget(e.target) && !document.querySelector('dialog[open]');
}
