/**
 * The ticket list's columns: which exist, their default order and widths, and the CSS grid
 * template for the columns a user chose (remembered per user, see prefs in the store).
 */
import { LIST_COLUMNS, type ListColumn, type ListColumnPref } from '../../../electron/shared/list-prefs';

export { LIST_COLUMNS, type ListColumn, type ListColumnPref };

/** Width of the selection checkbox column (always first, not configurable). */
export const SELECT_WIDTH = 34;

export const COLUMN_WIDTH: Record<ListColumn, { default: number; min: number }> = {
  trackingNumber: { default: 96, min: 80 },
  subject: { default: 190, min: 120 },
  customer: { default: 140, min: 90 },
  status: { default: 104, min: 70 },
  sla: { default: 156, min: 100 },
  severity: { default: 48, min: 40 },
  tier: { default: 96, min: 60 },
  priority: { default: 70, min: 56 },
  assignee: { default: 116, min: 70 },
  updatedAt: { default: 90, min: 64 },
  createdAt: { default: 90, min: 64 },
  channel: { default: 104, min: 64 },
  category: { default: 140, min: 80 },
};

/** What a user sees before choosing: every column but the extra ones (creation, channel, classification). */
export const DEFAULT_COLUMNS: ListColumnPref[] = (
  ['trackingNumber', 'subject', 'customer', 'status', 'sla', 'severity', 'tier', 'priority', 'assignee', 'updatedAt'] as const
).map((id) => ({ id, width: COLUMN_WIDTH[id].default }));

/** The subject column takes what is left (its width is its minimum); every other column has its remembered width. */
export function gridTemplate(columns: readonly ListColumnPref[]): string {
  const tracks = columns.map((c) => {
    const w = Math.max(COLUMN_WIDTH[c.id].min, Math.round(c.width));
    return c.id === 'subject' ? `minmax(${w}px, 1fr)` : `${w}px`;
  });
  return [`${SELECT_WIDTH}px`, ...tracks].join(' ');
}

/** The grid's minimum width (it scrolls sideways below it). */
export function gridMinWidth(columns: readonly ListColumnPref[]): number {
  return SELECT_WIDTH + columns.reduce((sum, c) => sum + Math.max(COLUMN_WIDTH[c.id].min, Math.round(c.width)), 0);
}

/** The columns with `id` moved to `to` (an index in the shown columns, clamped); widths travel with their column. */
export function moveColumn(columns: readonly ListColumnPref[], id: ListColumn, to: number): ListColumnPref[] {
  const from = columns.findIndex((c) => c.id === id);
  if (from < 0) return [...columns];
  const next = columns.filter((c) => c.id !== id);
  next.splice(Math.max(0, Math.min(next.length, to)), 0, columns[from]!);
  return next;
}
