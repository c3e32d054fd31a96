/**
 * The keyboard shortcuts the sheet (`?`) lists, by where they work. Each entry names the handler
 * that implements it, so a change there is a change here.
 */
export interface ShortcutGroup {
  /** i18n key of the group's title. */
  title: string;
  items: ReadonlyArray<{ keys: readonly string[]; label: string }>;
}

/** `Mod` is shown as Ctrl, or ⌘ on macOS. */
export const SHORTCUTS: readonly ShortcutGroup[] = [
  {
    // useGlobalShortcuts
    title: 'shortcuts.group.everywhere',
    items: [
      { keys: ['Mod', 'K'], label: 'shortcuts.palette' },
      { keys: ['?'], label: 'shortcuts.sheet' },
    ],
  },
  {
    // tickets-list/useListKeys, tickets-list/FilterBar
    title: 'shortcuts.group.list',
    items: [
      { keys: ['/'], label: 'shortcuts.search' },
      { keys: ['Esc'], label: 'shortcuts.leaveSearch' },
      { keys: ['j'], label: 'shortcuts.next' },
      { keys: ['k'], label: 'shortcuts.previous' },
      { keys: ['Enter'], label: 'shortcuts.open' },
      { keys: ['n'], label: 'shortcuts.newTicket' },
    ],
  },
  {
    // ticket/useTicketKeys
    title: 'shortcuts.group.ticket',
    items: [{ keys: ['Esc'], label: 'shortcuts.backToList' }],
  },
  {
    // board/BoardScreen (BoardCard's onKeyDown)
    title: 'shortcuts.group.board',
    items: [
      { keys: ['←', '→'], label: 'shortcuts.moveCard' },
      { keys: ['Enter'], label: 'shortcuts.openCard' },
    ],
  },
];

export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}
