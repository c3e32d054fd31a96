/**
 * What the command palette finds for a query: screens by name (accents and case ignored, every
 * word must appear), tickets (tracking number or text, through the same search as the list) and
 * customers (name or RFC). Pure parts here, unit-tested; the API calls in usePaletteResults.
 */
import type { CustomerSummary, TicketSummary } from '../../../electron/shared/types';
import type { NavRoute } from '../../app/navItems';

export type PaletteItem =
  | { kind: 'screen'; id: string; route: NavRoute | 'newRequest'; label: string }
  | { kind: 'ticket'; id: string; ticket: TicketSummary }
  | { kind: 'customer'; id: string; customer: CustomerSummary };

/** Lower case without diacritics: "Administración" and "administracion" are the same word. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Screens whose name contains every word of the query (all of them for an empty query), in their menu order. */
export function matchScreens<T extends { label: string }>(screens: readonly T[], query: string): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return screens.filter((screen) => {
    const name = fold(screen.label);
    return words.every((word) => name.includes(word));
  });
}

/** Tickets and customers are looked up only for a query this long: one letter matches everything. */
export const MIN_RECORD_QUERY = 2;

/** The next index when moving by `delta` through `count` items, wrapping at both ends. */
export function step(index: number, delta: number, count: number): number {
  if (count === 0) return 0;
  return (((index + delta) % count) + count) % count;
}
