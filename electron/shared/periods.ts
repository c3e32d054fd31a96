/**
 * Report periods. A week is the ISO 8601 week (Monday to Sunday; week 1 holds the year's first
 * Thursday), taken from date-fns rather than SQLite's `%W`, which counts from the first Monday and
 * was one week behind for most of 2026 (6 Dec 2026 read 2026-W48; it is W49).
 */
import { addDays, endOfISOWeek, endOfMonth, getISOWeek, getISOWeekYear, startOfISOWeek, startOfMonth, subMonths, subWeeks } from 'date-fns';

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

/** The report screen's periods (issue 15): ISO weeks (Monday to Sunday) and calendar months, or a custom range. */
export const REPORT_PRESETS = ['thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'custom'] as const;
export type ReportPreset = (typeof REPORT_PRESETS)[number];

/** A calendar date `'YYYY-MM-DD'` as a Date at local noon (no offset or DST change moves it to another day). */
function calendarDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12);
}

function dateKey(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/**
 * The first and last calendar days (inclusive, `'YYYY-MM-DD'`) of a preset period around `today`
 * (the branch's local date). Weeks are ISO weeks from date-fns: "esta semana" on Sunday 6 Dec 2026
 * is Monday 30 Nov to Sunday 6 Dec (ISO week 49).
 */
export function presetDays(preset: Exclude<ReportPreset, 'custom'>, today: string): { fromDate: string; toDate: string } {
  const day = calendarDay(today);
  const span = (from: Date, to: Date) => ({ fromDate: dateKey(from), toDate: dateKey(to) });
  switch (preset) {
    case 'thisWeek':
      return span(startOfISOWeek(day), endOfISOWeek(day));
    case 'lastWeek': {
      const last = subWeeks(day, 1);
      return span(startOfISOWeek(last), endOfISOWeek(last));
    }
    case 'thisMonth':
      return span(startOfMonth(day), endOfMonth(day));
    case 'lastMonth': {
      const last = subMonths(day, 1);
      return span(startOfMonth(last), endOfMonth(last));
    }
  }
}

/** The calendar day after `date`. */
export function nextDay(date: string): string {
  return dateKey(addDays(calendarDay(date), 1));
}
