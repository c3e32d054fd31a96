/**
 * Report periods. A week is the ISO 8601 week (Monday to Sunday; week 1 holds the year's first
 * Thursday), taken from date-fns rather than SQLite's `%W`, which counts from the first Monday and
 * was one week behind for most of 2026 (6 Dec 2026 read 2026-W48; it is W49).
 */
import { getISOWeek, getISOWeekYear } from 'date-fns';

/**
 * `'2026-W49'` for a local calendar date `'2026-12-06'`. The date is already in the branch's
 * time zone (the caller applies it first): it is read as a plain calendar day, whatever the
 * machine's zone.
 */
export function isoWeekKey(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  // Noon local time: no zone offset or DST change can move the instant to another calendar day.
  const day = new Date(y, m - 1, d, 12);
  return `${getISOWeekYear(day)}-W${String(getISOWeek(day)).padStart(2, '0')}`;
}
