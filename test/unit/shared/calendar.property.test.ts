import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BusinessCalendar,
  type Shift,
  DEFAULT_CALENDARS,
  businessCalendarSchema,
  businessMinutesBetween,
  dueAt,
  elapsedWithPauses,
  isBusinessTime,
  nextBusinessStart,
} from '../../../electron/shared/calendar';

const RUNS = { numRuns: 200 };

/** Zones chosen for awkward DST: US/MX rules, midnight transitions (Santiago), 30-minute DST (Lord Howe). */
const ZONES = [
  'America/Mexico_City',
  'America/Tijuana',
  'America/New_York',
  'America/Santiago',
  'Europe/Madrid',
  'Australia/Lord_Howe',
  'UTC',
];

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Per weekday, up to two non-overlapping shifts built from sorted distinct boundaries (0…1440). */
const dayShifts = (day: number): fc.Arbitrary<Shift[]> =>
  fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 4 }).map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const shifts: Shift[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) shifts.push({ day, start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
    return shifts;
  });

const toMinutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
const weeklyMinutes = (week: Shift[]): number => week.reduce((sum, s) => sum + toMinutes(s.end) - toMinutes(s.start), 0);

const dateIn2024to2031 = fc
  .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2031, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

const generatedCalendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.tuple(...[0, 1, 2, 3, 4, 5, 6].map(dayShifts)).map((days) => days.flat()),
    lft: fc.boolean(),
    extra: fc.uniqueArray(dateIn2024to2031, { maxLength: 15 }),
  })
  // At least 10 h a week keeps 20,000-minute durations within a couple of years.
  .filter(({ week }) => weeklyMinutes(week) >= 600)
  .map(({ timeZone, week, lft, extra }) => ({
    id: 'generated',
    name: 'Generated',
    timeZone,
    week,
    holidays: { lft, extra },
  }));

const anyCalendar = fc.oneof(fc.constantFrom(...DEFAULT_CALENDARS), generatedCalendar);
const anyMs = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2032, 0, 1) - 1 });
const alignTo = (step: number) => anyMs.map((ms) => ms - (ms % step));
/**
 * Instants in 2024–2031. Whole minutes and hours are over-represented so due
 * times often land exactly on openings and closings, where off-by-one
 * definitions (e.g. "0 minutes means next opening") break the laws.
 */
const instant = fc.oneof(anyMs, alignTo(60_000), alignTo(3_600_000));
/** 0–20,000 minutes, with 0 and whole hours over-represented for the same reason. */
const minutes = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }),
  fc.constant(0),
  fc.integer({ min: 0, max: 333 }).map((h) => h * 60),
);

describe('calendar laws (fast-check)', () => {
  it('generated calendars are valid', () => {
    fc.assert(
      fc.property(generatedCalendar, (cal) => businessCalendarSchema.safeParse(cal).success),
      RUNS,
    );
  });

  it('businessMinutesBetween(s, dueAt(s, d)) === d', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, (cal, start, d) => {
        const due = dueAt(cal, start, d);
        expect(due).toBeGreaterThanOrEqual(start);
        expect(businessMinutesBetween(cal, start, due)).toBe(d);
      }),
      RUNS,
    );
  });

  it('dueAt(dueAt(s, a), b) === dueAt(s, a + b)', () => {
    fc.assert(
      fc.property(anyCalendar, instant, minutes, minutes, (cal, start, a, b) => {
        expect(dueAt(cal, dueAt(cal, start, a), b)).toBe(dueAt(cal, start, a + b));
      }),
      RUNS,
    );
  });

  it('dueAt is the earliest such instant: one ms earlier is still short, and that ms is business time', () => {
    fc.assert(
      fc.property(anyCalendar, instant, fc.integer({ min: 1, max: 20_000 }), (cal, start, d) => {
        const due = dueAt(cal, start, d);
        expect(isBusinessTime(cal, due - 1)).toBe(true);
        expect(businessMinutesBetween(cal, start, due - 1)).toBeLessThan(d);
      }),
      RUNS,
    );
  });

  it('businessMinutesBetween is additive over adjacent ranges', () => {
    fc.assert(
      fc.property(anyCalendar, fc.array(instant, { minLength: 3, maxLength: 3 }), (cal, points) => {
        const [a, b, c] = [...points].sort((x, y) => x - y) as [number, number, number];
        const ms = (from: number, to: number) => Math.round(businessMinutesBetween(cal, from, to) * 60_000);
        expect(ms(a, b) + ms(b, c)).toBe(ms(a, c));
      }),
      RUNS,
    );
  });

  it('nextBusinessStart is business time with no business time before it', () => {
    fc.assert(
      fc.property(anyCalendar, instant, (cal, ms) => {
        const next = nextBusinessStart(cal, ms);
        expect(next).toBeGreaterThanOrEqual(ms);
        expect(isBusinessTime(cal, next)).toBe(true);
        expect(businessMinutesBetween(cal, ms, next)).toBe(0);
      }),
      RUNS,
    );
  });

  it('pauses only ever reduce elapsed time, by at most their own business time', () => {
    const pause = fc.record({ from: instant, to: fc.option(instant, { nil: null }) });
    fc.assert(
      fc.property(anyCalendar, instant, instant, fc.array(pause, { maxLength: 4 }), (cal, x, y, pauses) => {
        const [start, now] = x <= y ? [x, y] : [y, x];
        const total = businessMinutesBetween(cal, start, now);
        const elapsed = elapsedWithPauses(cal, start, now, pauses);
        const pausedUpperBound = pauses.reduce(
          (sum, p) => sum + businessMinutesBetween(cal, Math.max(p.from, start), Math.min(p.to ?? now, now)),
          0,
        );
        expect(elapsed).toBeGreaterThanOrEqual(0);
        expect(elapsed).toBeLessThanOrEqual(total);
        expect(total - elapsed).toBeLessThanOrEqual(pausedUpperBound + 1e-9);
        expect(elapsedWithPauses(cal, start, now, [...pauses, ...pauses])).toBe(elapsed);
      }),
      RUNS,
    );
  });
});
