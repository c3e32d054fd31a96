/**
 * Business calendars and business-time arithmetic for SLA clocks.
 *
 * Units: the public API takes and returns epoch milliseconds (UTC instants)
 * and business *minutes* (which may be fractional). Internally everything is
 * integer milliseconds, so for whole minutes the laws
 *   businessMinutesBetween(c, s, dueAt(c, s, d)) === d
 *   dueAt(c, dueAt(c, s, a), b) === dueAt(c, s, a + b)
 * hold exactly.
 *
 * Implementation: a calendar is compiled into a sorted list of UTC business
 * intervals (one local year at a time, loaded lazily) plus a running total of
 * business time at the start of each interval. Every query is then a binary
 * search, independent of how many minutes or days are involved.
 */
import { z } from 'zod';
import { str } from './text';
import { isoDate, lftHolidays } from './holidays';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A year with working days can still yield no time (a shift inside a DST gap); give up after this many. */
const MAX_EMPTY_YEARS = 10;
/**
 * Supported local years. A corrupted timestamp (e.g. microseconds stored as
 * milliseconds) would otherwise make us build tables for thousands of years.
 */
const MIN_YEAR = 1900;
const MAX_YEAR = 2299;

// ---------------------------------------------------------------------------
// Definition and validation
// ---------------------------------------------------------------------------

const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 'HH:MM' → minutes after local midnight. '24:00' is allowed so a shift can run until midnight. */
function parseTime(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isRealDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const shiftSchema = z
  .object({
    day: z.number().int().min(0, 'calendar.invalidDay').max(6, 'calendar.invalidDay'),
    start: str().regex(TIME_RE, 'calendar.invalidTime'),
    end: str().regex(TIME_RE, 'calendar.invalidTime'),
  })
  .refine((s) => !TIME_RE.test(s.start) || !TIME_RE.test(s.end) || parseTime(s.end) > parseTime(s.start), {
    message: 'calendar.emptyShift',
    path: ['end'],
  });

/** A weekly shift: `day` 0 = Sunday … 6 = Saturday, local wall-clock 'HH:MM' times, end exclusive. */
export type Shift = z.infer<typeof shiftSchema>;

const calendarObjectSchema = z.object({
  id: str().min(1),
  name: str().min(1),
  timeZone: str().refine(isKnownTimeZone, 'calendar.unknownTimeZone'),
  week: z.array(shiftSchema).min(1, 'calendar.noBusinessTime'),
  holidays: z.object({
    lft: z.boolean(),
    extra: z.array(str().refine(isRealDate, 'calendar.invalidDate')),
  }),
});

/**
 * Zod schema of a business calendar. Error messages are i18n keys:
 * calendar.invalidDay, calendar.invalidTime, calendar.emptyShift, calendar.overlappingShifts,
 * calendar.unknownTimeZone, calendar.noBusinessTime, calendar.invalidDate,
 * calendar.allDaysClosed.
 */
export const businessCalendarSchema = calendarObjectSchema.superRefine((cal, ctx) => {
  // Overlap check per weekday; touching shifts (14:00–15:00 then 15:00–19:00) are fine.
  for (let day = 0; day <= 6; day++) {
    const shifts = cal.week
      .flatMap((shift, index) =>
        shift.day === day ? [{ index, start: parseTime(shift.start), end: parseTime(shift.end) }] : [],
      )
      .sort((a, b) => a.start - b.start);
    for (let i = 1; i < shifts.length; i++) {
      const prev = shifts[i - 1]!;
      const cur = shifts[i]!;
      if (cur.start < prev.end) {
        ctx.addIssue({ code: 'custom', message: 'calendar.overlappingShifts', path: ['week', cur.index] });
      }
    }
  }
  // Only years named in `extra` can lose all their working days (LFT alone never closes a whole year).
  const years = new Set(cal.holidays.extra.map((d) => Number(d.slice(0, 4))));
  for (const year of years) {
    if (calendarClosesEveryDay(cal, year, year)) {
      ctx.addIssue({ code: 'custom', message: 'calendar.allDaysClosed', path: ['holidays', 'extra'] });
      break;
    }
  }
});

/** A business calendar: weekly (possibly split) shifts in an IANA zone, minus holidays. */
export type BusinessCalendar = z.infer<typeof calendarObjectSchema>;

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function closedDates(cal: BusinessCalendar, year: number): Set<string> {
  const prefix = `${year}-`;
  const dates = cal.holidays.extra.filter((d) => d.startsWith(prefix));
  return new Set(cal.holidays.lft ? [...lftHolidays(year), ...dates] : dates);
}

/**
 * True when some year in [fromYear, toYear] has no working day at all
 * (every weekday with shifts is a holiday), i.e. SLA clocks would stall there.
 */
export function calendarClosesEveryDay(cal: BusinessCalendar, fromYear: number, toYear: number): boolean {
  const openWeekdays = new Set(cal.week.map((s) => s.day));
  for (let year = fromYear; year <= toYear; year++) {
    const closed = closedDates(cal, year);
    let open = false;
    for (let t = Date.UTC(year, 0, 1); !open && new Date(t).getUTCFullYear() === year; t += DAY_MS) {
      const d = new Date(t);
      const date = isoDate(year, d.getUTCMonth() + 1, d.getUTCDate());
      open = openWeekdays.has(d.getUTCDay()) && !closed.has(date);
    }
    if (!open) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Shipped defaults
// ---------------------------------------------------------------------------

const weekdays = (start: string, end: string): Shift[] =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));

/** Calendars shipped with the app (Mexico City time, LFT holidays). */
export const DEFAULT_CALENDARS: readonly BusinessCalendar[] = [
  {
    id: 'support',
    name: 'Soporte L–V 09:00–20:00',
    timeZone: 'America/Mexico_City',
    week: weekdays('09:00', '20:00'),
    holidays: { lft: true, extra: [] },
  },
  {
    id: 'support_9_19',
    name: 'Soporte L–V 09:00–19:00',
    timeZone: 'America/Mexico_City',
    week: weekdays('09:00', '19:00'),
    holidays: { lft: true, extra: [] },
  },
  {
    id: 'sales',
    name: 'Ventas L–V 09:00–14:00 y 15:00–19:00',
    timeZone: 'America/Mexico_City',
    week: [...weekdays('09:00', '14:00'), ...weekdays('15:00', '19:00')],
    holidays: { lft: true, extra: [] },
  },
];

// ---------------------------------------------------------------------------
// Time-zone conversion (Intl only; correct across DST changes)
// ---------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Mexico City today: −6 h). */
export function zoneOffsetMs(timeZone: string, ms: number): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, fmt);
  }
  const f: Record<string, number> = {};
  for (const part of fmt.formatToParts(ms)) {
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour! % 24, f.minute!, f.second!);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock date and time (`2026-12-07`, `14:30`) names in `timeZone`, or null when that
 * date is not real or that time does not exist there (skipped by a daylight-saving change).
 */
export function wallTimeToInstant(timeZone: string, date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!d || !t) return null;
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(y, m - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) return null;
  // The offset at the guess, then at the instant it gives (they differ only next to a change).
  let at = wall - zoneOffsetMs(timeZone, wall);
  at = wall - zoneOffsetMs(timeZone, at);
  return at + zoneOffsetMs(timeZone, at) === wall ? at : null;
}

/** A stretch of time during which a zone keeps one UTC offset. */
export interface OffsetSpan {
  from: number;
  offsetMs: number;
}

/**
 * The UTC offsets of `timeZone` over [fromMs, toMs): one span per offset in force, starting at
 * the exact millisecond of each change (for reports that group instants by local date). Zones
 * change offset at most a few times a year, so daily probes plus a binary search per change are
 * enough.
 */
export function offsetSpans(timeZone: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ from: fromMs, offsetMs: zoneOffsetMs(timeZone, fromMs) }];
  for (let probe = fromMs + DAY_MS; probe < toMs + DAY_MS; probe += DAY_MS) {
    const at = Math.min(probe, toMs - 1);
    const offset = zoneOffsetMs(timeZone, at);
    const current = spans[spans.length - 1]!;
    if (offset === current.offsetMs) continue;
    // The change lies in (at − 1 day, at]: narrow it down to the millisecond.
    let lo = Math.max(current.from, at - DAY_MS);
    let hi = at;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zoneOffsetMs(timeZone, mid) === current.offsetMs) lo = mid;
      else hi = mid;
    }
    spans.push({ from: hi, offsetMs: offset });
  }
  return spans;
}

/**
 * Offsets probed at "local midnight read as UTC" instants, per zone. Intl lookups
 * (~8 µs each) dominate compile time, and neighbouring days, later years and other
 * calendars in the same zone all probe these same instants. Bounded by zones × days used.
 */
const midnightOffsets = new Map<string, Map<number, number>>();

function midnightOffset(timeZone: string, ms: number): number {
  let zone = midnightOffsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    midnightOffsets.set(timeZone, zone);
  }
  let offset = zone.get(ms);
  if (offset === undefined) {
    offset = zoneOffsetMs(timeZone, ms);
    zone.set(ms, offset);
  }
  return offset;
}

/**
 * UTC instant of a local wall-clock time. Like Temporal's 'compatible'
 * disambiguation: a time skipped by a spring-forward gap moves later by the
 * gap, a repeated fall-back time takes the earlier instant. Both keep the
 * mapping monotonic, so shifts never come out reversed.
 */
function localToUtc(timeZone: string, year: number, month: number, day: number, minutes: number): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const before = zoneOffsetMs(timeZone, wall - DAY_MS);
  const after = zoneOffsetMs(timeZone, wall + DAY_MS);
  if (before === after) return wall - before;
  const asBefore = wall - before;
  const asAfter = wall - after;
  const beforeValid = zoneOffsetMs(timeZone, asBefore) === before;
  const afterValid = zoneOffsetMs(timeZone, asAfter) === after;
  if (beforeValid && afterValid) return Math.min(asBefore, asAfter);
  if (afterValid) return asAfter;
  return asBefore; // valid, or inside the gap: the pre-transition offset shifts it forward
}

// ---------------------------------------------------------------------------
// Compiled form
// ---------------------------------------------------------------------------

/**
 * A calendar prepared for fast arithmetic. Holds lazily extended tables of
 * UTC business intervals; treat it as opaque and reuse it (it is also cached
 * per calendar object, so passing the plain calendar is fine too).
 */
export interface CompiledCalendar {
  readonly calendar: BusinessCalendar;
  /** Loaded local years, inclusive (empty while lastYear < firstYear). */
  firstYear: number;
  lastYear: number;
  /** Business intervals [starts[i], ends[i]) in UTC ms, sorted, disjoint, non-touching. */
  starts: number[];
  ends: number[];
  /** Business ms from the first loaded interval up to starts[i]. Only differences are meaningful. */
  before: number[];
  /**
   * Instants in [safeFrom, safeTo) are at least a year inside the loaded tables, so most
   * queries skip the year lookup (recomputing 100,000 tickets asks millions of them).
   */
  safeFrom: number;
  safeTo: number;
}

/** Shifts per weekday as minute ranges, sorted by start. */
function shiftsByWeekday(cal: BusinessCalendar): Array<Array<[number, number]>> {
  const byDay: Array<Array<[number, number]>> = [[], [], [], [], [], [], []];
  for (const s of cal.week) byDay[s.day]!.push([parseTime(s.start), parseTime(s.end)]);
  for (const shifts of byDay) shifts.sort((a, b) => a[0] - b[0]);
  return byDay;
}

/** Business intervals (UTC) of one local year, sorted and merged. */
function yearIntervals(cal: BusinessCalendar, year: number): Array<[number, number]> {
  const byDay = shiftsByWeekday(cal);
  const closed = closedDates(cal, year);
  const offsetAt = (ms: number): number => midnightOffset(cal.timeZone, ms);
  const out: Array<[number, number]> = [];
  for (let month = 1; month <= 12; month++) {
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let day = 1; day <= daysInMonth; day++) {
      const shifts = byDay[weekdayOf(year, month, day)]!;
      if (shifts.length === 0 || closed.has(isoDate(year, month, day))) continue;
      // Every wall time of this day maps to an instant within ±14 h of the day, so if the
      // offset is the same a day before and two days after, it is constant in between
      // (zones never change offset twice within three days) and no per-shift lookup is needed.
      const midnight = Date.UTC(year, month - 1, day);
      const offsetBefore = offsetAt(midnight - DAY_MS);
      const steady = offsetBefore === offsetAt(midnight + 2 * DAY_MS);
      const toUtc = (minutes: number): number =>
        steady ? midnight + minutes * MINUTE_MS - offsetBefore : localToUtc(cal.timeZone, year, month, day, minutes);
      for (const [startMin, endMin] of shifts) {
        const start = toUtc(startMin);
        const end = toUtc(endMin);
        if (end <= start) continue; // swallowed by a DST gap
        const last = out[out.length - 1];
        // Merge touching shifts (e.g. 00:00–24:00 on consecutive days) so intervals stay disjoint.
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else out.push([start, end]);
      }
    }
  }
  return out;
}

/** Appends intervals to the tables, merging with the current last interval when they touch. */
function appendIntervals(cc: CompiledCalendar, intervals: Array<[number, number]>): void {
  for (const [start, end] of intervals) {
    const n = cc.starts.length;
    if (n > 0 && start <= cc.ends[n - 1]!) {
      cc.ends[n - 1] = Math.max(cc.ends[n - 1]!, end);
    } else {
      cc.before.push(n === 0 ? 0 : cc.before[n - 1]! + cc.ends[n - 1]! - cc.starts[n - 1]!);
      cc.starts.push(start);
      cc.ends.push(end);
    }
  }
}

function loadYears(cc: CompiledCalendar, fromYear: number, toYear: number): void {
  if (fromYear < MIN_YEAR || toYear > MAX_YEAR) {
    throw new RangeError(`Business calendars support years ${MIN_YEAR}–${MAX_YEAR}, got ${fromYear}–${toYear}`);
  }
  if (fromYear < cc.firstYear) {
    // Prepending shifts the running totals' origin, so rebuild everything.
    const intervals: Array<[number, number]> = [];
    for (let y = fromYear; y < cc.firstYear; y++) intervals.push(...yearIntervals(cc.calendar, y));
    for (let i = 0; i < cc.starts.length; i++) intervals.push([cc.starts[i]!, cc.ends[i]!]);
    cc.starts = [];
    cc.ends = [];
    cc.before = [];
    appendIntervals(cc, intervals);
    cc.firstYear = fromYear;
  }
  // Appending keeps existing totals valid, which dueAt relies on while it extends forward.
  while (cc.lastYear < toYear) {
    cc.lastYear++;
    appendIntervals(cc, yearIntervals(cc.calendar, cc.lastYear));
  }
  // ensureCovers wants the instant's UTC year y with y - 1 >= firstYear and y + 1 <= lastYear.
  cc.safeFrom = Date.UTC(cc.firstYear + 1, 0, 1);
  cc.safeTo = Date.UTC(cc.lastYear, 0, 1);
}

/** Loads enough years that `ms` lies well inside the tables (local years differ from UTC years by < 1 day). */
function ensureCovers(cc: CompiledCalendar, ms: number): void {
  if (ms >= cc.safeFrom && ms < cc.safeTo) return;
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid instant: ${ms}`);
  const year = new Date(ms).getUTCFullYear();
  if (cc.lastYear < cc.firstYear) {
    // Nothing loaded yet: start around the first instant actually asked about.
    cc.firstYear = year - 1;
    cc.lastYear = year - 2;
    loadYears(cc, year - 1, year + 1);
  } else if (year - 1 < cc.firstYear || year + 1 > cc.lastYear) {
    loadYears(cc, Math.min(year - 1, cc.firstYear), Math.max(year + 1, cc.lastYear));
  }
}

/**
 * Validates and compiles a calendar. Throws an Error whose message is the
 * first validation key (e.g. 'calendar.noBusinessTime') for invalid input.
 */
export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  const parsed = businessCalendarSchema.safeParse(cal);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'calendar.invalid');
  // Years are loaded lazily on first use; lastYear < firstYear means "none yet".
  return { calendar: cal, firstYear: 0, lastYear: -1, starts: [], ends: [], before: [], safeFrom: 0, safeTo: 0 };
}

const compiledCache = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** Accepts either form; plain calendars are compiled once and cached by identity (so treat them as immutable). */
export type CalendarInput = BusinessCalendar | CompiledCalendar;

function compiled(cal: CalendarInput): CompiledCalendar {
  if ('starts' in cal) return cal;
  let cc = compiledCache.get(cal);
  if (!cc) {
    cc = compileCalendar(cal);
    compiledCache.set(cal, cc);
  }
  return cc;
}

/** Index of the last interval starting at or before `ms`, or −1. */
function intervalAtOrBefore(cc: CompiledCalendar, ms: number): number {
  let lo = 0;
  let hi = cc.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cc.starts[mid]! <= ms) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Business ms from the tables' origin to `ms` (caller ensures coverage). */
function cumulativeMs(cc: CompiledCalendar, ms: number): number {
  const i = intervalAtOrBefore(cc, ms);
  if (i < 0) return 0;
  return cc.before[i]! + Math.min(ms, cc.ends[i]!) - cc.starts[i]!;
}

function businessMsBetween(cc: CompiledCalendar, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return 0;
  ensureCovers(cc, fromMs);
  ensureCovers(cc, toMs);
  return cumulativeMs(cc, toMs) - cumulativeMs(cc, fromMs);
}

function minutesToMs(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`Invalid business minutes: ${minutes}`);
  return Math.round(minutes * MINUTE_MS);
}

// ---------------------------------------------------------------------------
// Public arithmetic
// ---------------------------------------------------------------------------

/** Whether instant `ms` falls inside a business interval (start inclusive, end exclusive). */
export function isBusinessTime(cal: CalendarInput, ms: number): boolean {
  const cc = compiled(cal);
  ensureCovers(cc, ms);
  const i = intervalAtOrBefore(cc, ms);
  return i >= 0 && ms < cc.ends[i]!;
}

/** The first business instant at or after `ms` (`ms` itself when it is business time). */
export function nextBusinessStart(cal: CalendarInput, ms: number): number {
  const cc = compiled(cal);
  ensureCovers(cc, ms);
  const i = intervalAtOrBefore(cc, ms);
  if (i >= 0 && ms < cc.ends[i]!) return ms;
  let emptyYears = 0;
  while (i + 1 >= cc.starts.length) {
    const count = cc.starts.length;
    loadYears(cc, cc.firstYear, cc.lastYear + 1);
    emptyYears = cc.starts.length === count ? emptyYears + 1 : 0;
    if (emptyYears > MAX_EMPTY_YEARS) throw new Error('calendar.noBusinessTime');
  }
  return cc.starts[i + 1]!;
}

/**
 * The earliest instant t >= startMs such that `businessMinutes` of business
 * time lie in [startMs, t). Consequences: 0 minutes returns startMs itself;
 * a start outside hours counts from the next opening; a due time that lands
 * exactly on closing is that closing instant (not the next opening).
 * This definition is what makes dueAt(dueAt(s, a), b) === dueAt(s, a + b).
 */
export function dueAt(cal: CalendarInput, startMs: number, businessMinutes: number): number {
  const cc = compiled(cal);
  const needMs = minutesToMs(businessMinutes);
  ensureCovers(cc, startMs);
  if (needMs === 0) return startMs;
  const target = cumulativeMs(cc, startMs) + needMs;
  // Extend forward until the tables contain the target amount of business time.
  let emptyYears = 0;
  for (;;) {
    const n = cc.starts.length;
    if (n > 0 && cc.before[n - 1]! + cc.ends[n - 1]! - cc.starts[n - 1]! >= target) break;
    loadYears(cc, cc.firstYear, cc.lastYear + 1);
    emptyYears = cc.starts.length === n ? emptyYears + 1 : 0;
    if (emptyYears > MAX_EMPTY_YEARS) throw new Error('calendar.noBusinessTime');
  }
  // First interval whose end total reaches the target (end totals strictly increase).
  let lo = 0;
  let hi = cc.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cc.before[mid]! + cc.ends[mid]! - cc.starts[mid]! >= target) hi = mid;
    else lo = mid + 1;
  }
  return cc.starts[lo]! + (target - cc.before[lo]!);
}

/** Business minutes in [fromMs, toMs); 0 when toMs <= fromMs. Fractional if the instants are not minute-aligned. */
export function businessMinutesBetween(cal: CalendarInput, fromMs: number, toMs: number): number {
  return businessMsBetween(compiled(cal), fromMs, toMs) / MINUTE_MS;
}

/** A paused stretch of an SLA clock; `to: null` means still paused. */
export interface Pause {
  from: number;
  to: number | null;
}

/**
 * Business minutes in [startMs, nowMs) not covered by any pause. Pauses are
 * clipped to the window and merged first, so overlapping pauses subtract once.
 */
export function elapsedWithPauses(cal: CalendarInput, startMs: number, nowMs: number, pauses: readonly Pause[]): number {
  const cc = compiled(cal);
  const total = businessMsBetween(cc, startMs, nowMs);
  const clipped = pauses
    .map((p): [number, number] => [Math.max(p.from, startMs), Math.min(p.to ?? nowMs, nowMs)])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let paused = 0;
  let runFrom = 0;
  let runTo = -Infinity;
  for (const [from, to] of clipped) {
    if (from > runTo) {
      paused += businessMsBetween(cc, runFrom, runTo);
      runFrom = from;
      runTo = to;
    } else {
      runTo = Math.max(runTo, to);
    }
  }
  paused += businessMsBetween(cc, runFrom, runTo);
  return (total - paused) / MINUTE_MS;
}
