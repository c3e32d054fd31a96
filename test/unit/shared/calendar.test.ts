import { describe, expect, it } from 'vitest';
import {
  type BusinessCalendar,
  DEFAULT_CALENDARS,
  businessCalendarSchema,
  businessMinutesBetween,
  calendarClosesEveryDay,
  compileCalendar,
  dueAt,
  elapsedWithPauses,
  isBusinessTime,
  nextBusinessStart,
  wallTimeToInstant,
} from '../../../electron/shared/calendar';

/** Mexico City wall time → UTC ms. Mexico City is UTC−6 all year since late 2022. */
const mx = (y: number, m: number, d: number, h: number, min = 0): number => Date.UTC(y, m - 1, d, h + 6, min);
/** Wall time → UTC ms for an explicit UTC offset in hours (e.g. −5 for EST). */
const at = (offset: number, y: number, m: number, d: number, h: number, min = 0): number =>
  Date.UTC(y, m - 1, d, h - offset, min);

const byId = (id: string): BusinessCalendar => DEFAULT_CALENDARS.find((c) => c.id === id)!;
const support = compileCalendar(byId('support'));
const support919 = compileCalendar(byId('support_9_19'));
const sales = compileCalendar(byId('sales'));

const everyWeekday = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const calendar = (overrides: Partial<BusinessCalendar>): BusinessCalendar => ({
  id: 'test',
  name: 'Test',
  timeZone: 'America/Mexico_City',
  week: everyWeekday('09:00', '20:00'),
  holidays: { lft: true, extra: [] },
  ...overrides,
});
const issueKeys = (cal: unknown): string[] => {
  const result = businessCalendarSchema.safeParse(cal);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('businessCalendarSchema', () => {
  it('accepts the shipped defaults', () => {
    expect(DEFAULT_CALENDARS.map((c) => c.id)).toEqual(['support', 'support_9_19', 'sales']);
    for (const cal of DEFAULT_CALENDARS) expect(issueKeys(cal)).toEqual([]);
  });

  it('rejects malformed times', () => {
    expect(issueKeys(calendar({ week: [{ day: 1, start: '9:00', end: '18:00' }] }))).toContain('calendar.invalidTime');
    expect(issueKeys(calendar({ week: [{ day: 1, start: '09:00', end: '24:30' }] }))).toContain('calendar.invalidTime');
    expect(issueKeys(calendar({ week: [{ day: 1, start: '09:60', end: '18:00' }] }))).toContain('calendar.invalidTime');
  });

  it('allows 24:00 as the end of a shift', () => {
    expect(issueKeys(calendar({ week: [{ day: 1, start: '00:00', end: '24:00' }] }))).toEqual([]);
  });

  it('rejects empty shifts (end <= start)', () => {
    expect(issueKeys(calendar({ week: [{ day: 1, start: '10:00', end: '10:00' }] }))).toEqual(['calendar.emptyShift']);
    expect(issueKeys(calendar({ week: [{ day: 1, start: '18:00', end: '09:00' }] }))).toEqual(['calendar.emptyShift']);
  });

  it('rejects overlapping shifts on the same day but allows touching ones and other days', () => {
    const overlapping = [
      { day: 1, start: '09:00', end: '14:30' },
      { day: 1, start: '14:00', end: '19:00' },
    ];
    expect(issueKeys(calendar({ week: overlapping }))).toEqual(['calendar.overlappingShifts']);
    const touching = [
      { day: 1, start: '09:00', end: '14:00' },
      { day: 1, start: '14:00', end: '19:00' },
      { day: 2, start: '10:00', end: '12:00' },
    ];
    expect(issueKeys(calendar({ week: touching }))).toEqual([]);
  });

  it('rejects unknown time zones', () => {
    expect(issueKeys(calendar({ timeZone: 'America/Guadalajara' }))).toEqual(['calendar.unknownTimeZone']);
  });

  it('rejects a calendar without any shift', () => {
    expect(issueKeys(calendar({ week: [] }))).toEqual(['calendar.noBusinessTime']);
  });

  it('rejects invalid organization dates', () => {
    expect(issueKeys(calendar({ holidays: { lft: true, extra: ['2026-02-30'] } }))).toEqual(['calendar.invalidDate']);
    expect(issueKeys(calendar({ holidays: { lft: true, extra: ['24/12/2026'] } }))).toEqual(['calendar.invalidDate']);
  });

  it('rejects organization days that close a whole year', () => {
    // Saturday-only calendar with every Saturday of 2027 declared closed.
    const saturdays: string[] = [];
    for (let t = Date.UTC(2027, 0, 2); t < Date.UTC(2028, 0, 1); t += 7 * 86_400_000) {
      saturdays.push(new Date(t).toISOString().slice(0, 10));
    }
    const closed = calendar({ week: [{ day: 6, start: '10:00', end: '14:00' }], holidays: { lft: false, extra: saturdays } });
    expect(issueKeys(closed)).toEqual(['calendar.allDaysClosed']);
    expect(calendarClosesEveryDay(closed, 2026, 2028)).toBe(true);
    expect(calendarClosesEveryDay(closed, 2028, 2030)).toBe(false);
    const oneLeft = { ...closed, holidays: { lft: false, extra: saturdays.slice(1) } };
    expect(issueKeys(oneLeft)).toEqual([]);
  });

  it('compileCalendar throws the validation key', () => {
    expect(() => compileCalendar(calendar({ week: [] }))).toThrow('calendar.noBusinessTime');
    expect(() => compileCalendar(calendar({ timeZone: 'Mars/Olympus' }))).toThrow('calendar.unknownTimeZone');
  });
});

describe('support calendar (Mon–Fri 09:00–20:00, Mexico City)', () => {
  it('adds minutes within the same day', () => {
    expect(dueAt(support, mx(2026, 3, 2, 10), 60)).toBe(mx(2026, 3, 2, 11));
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 10), mx(2026, 3, 2, 11))).toBe(60);
  });

  it('carries across the night', () => {
    expect(dueAt(support, mx(2026, 3, 2, 19), 120)).toBe(mx(2026, 3, 3, 10));
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 19), mx(2026, 3, 3, 10))).toBe(120);
  });

  it('skips the weekend', () => {
    // Friday 6 Mar 2026 19:30 + 60 → Monday 9 Mar 09:30.
    expect(dueAt(support, mx(2026, 3, 6, 19, 30), 60)).toBe(mx(2026, 3, 9, 9, 30));
    expect(businessMinutesBetween(support, mx(2026, 3, 6, 9), mx(2026, 3, 9, 20))).toBe(2 * 660);
  });

  it('starts counting at the next opening when started outside hours', () => {
    expect(dueAt(support, mx(2026, 3, 7, 12), 30)).toBe(mx(2026, 3, 9, 9, 30)); // Saturday
    expect(dueAt(support, mx(2026, 3, 2, 7), 30)).toBe(mx(2026, 3, 2, 9, 30)); // before opening
    expect(dueAt(support, mx(2026, 3, 2, 21), 30)).toBe(mx(2026, 3, 3, 9, 30)); // after closing
    expect(businessMinutesBetween(support, mx(2026, 3, 7, 12), mx(2026, 3, 9, 9, 30))).toBe(30);
  });

  it('0 minutes is due immediately, even outside hours', () => {
    expect(dueAt(support, mx(2026, 3, 7, 12), 0)).toBe(mx(2026, 3, 7, 12));
  });

  it('a due time landing on closing is the closing instant', () => {
    expect(dueAt(support, mx(2026, 3, 2, 19), 60)).toBe(mx(2026, 3, 2, 20));
    expect(dueAt(support, mx(2026, 3, 2, 20), 0)).toBe(mx(2026, 3, 2, 20)); // so adding 0 more changes nothing
    expect(dueAt(support, mx(2026, 3, 2, 19), 61)).toBe(mx(2026, 3, 3, 9, 1));
  });

  it('counts a full week', () => {
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 0), mx(2026, 3, 9, 0))).toBe(5 * 660);
    expect(dueAt(support, mx(2026, 3, 2, 0), 5 * 660)).toBe(mx(2026, 3, 6, 20));
  });

  it('returns 0 for empty or reversed ranges', () => {
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 12), mx(2026, 3, 2, 12))).toBe(0);
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 12), mx(2026, 3, 2, 10))).toBe(0);
  });

  it('supports fractional minutes and unaligned instants', () => {
    expect(dueAt(support, mx(2026, 3, 2, 10), 0.5)).toBe(mx(2026, 3, 2, 10) + 30_000);
    expect(businessMinutesBetween(support, mx(2026, 3, 2, 19, 59) + 30_000, mx(2026, 3, 3, 9, 1))).toBe(1.5);
  });

  it('isBusinessTime / nextBusinessStart', () => {
    expect(isBusinessTime(support, mx(2026, 3, 2, 9))).toBe(true); // opening is inclusive
    expect(isBusinessTime(support, mx(2026, 3, 2, 20) - 1)).toBe(true);
    expect(isBusinessTime(support, mx(2026, 3, 2, 20))).toBe(false); // closing is exclusive
    expect(isBusinessTime(support, mx(2026, 3, 7, 12))).toBe(false);
    expect(nextBusinessStart(support, mx(2026, 3, 2, 12))).toBe(mx(2026, 3, 2, 12));
    expect(nextBusinessStart(support, mx(2026, 3, 2, 20))).toBe(mx(2026, 3, 3, 9));
    expect(nextBusinessStart(support, mx(2026, 3, 7, 12))).toBe(mx(2026, 3, 9, 9));
  });

  it('skips LFT holidays (16 Sep 2026 is a Wednesday)', () => {
    expect(isBusinessTime(support, mx(2026, 9, 16, 12))).toBe(false);
    expect(dueAt(support, mx(2026, 9, 15, 19), 120)).toBe(mx(2026, 9, 17, 10));
    expect(businessMinutesBetween(support, mx(2026, 9, 15, 9), mx(2026, 9, 17, 9))).toBe(660);
    // Juárez day: Monday 16 Mar 2026.
    expect(nextBusinessStart(support, mx(2026, 3, 13, 21))).toBe(mx(2026, 3, 17, 9));
  });

  it('crosses the year end (31 Dec 2025 → 2 Jan 2026, 1 Jan closed)', () => {
    expect(dueAt(support, mx(2025, 12, 31, 19), 120)).toBe(mx(2026, 1, 2, 10));
    expect(businessMinutesBetween(support, mx(2025, 12, 31, 19), mx(2026, 1, 2, 10))).toBe(120);
  });

  it('closes on the 2030 presidential transition day (Tue 1 Oct 2030) only', () => {
    expect(isBusinessTime(support, mx(2030, 10, 1, 12))).toBe(false);
    expect(dueAt(support, mx(2030, 9, 30, 19), 120)).toBe(mx(2030, 10, 2, 10));
    expect(isBusinessTime(support, mx(2029, 10, 1, 12))).toBe(true); // Monday, ordinary year
  });

  it('can be computed far from the compile year', () => {
    expect(dueAt(support, mx(2026, 3, 2, 9), 660 * 250)).toBe(dueAt(support, dueAt(support, mx(2026, 3, 2, 9), 660 * 100), 660 * 150));
    expect(isBusinessTime(support, mx(2040, 3, 1, 12))).toBe(true); // Thursday
    expect(isBusinessTime(support, mx(2010, 3, 1, 12))).toBe(true); // Monday (winter: no DST yet)
  });
});

describe('other calendars', () => {
  it('sales: split shift with a 14:00–15:00 lunch gap', () => {
    expect(dueAt(sales, mx(2026, 3, 2, 13, 30), 60)).toBe(mx(2026, 3, 2, 15, 30));
    expect(dueAt(sales, mx(2026, 3, 2, 13), 60)).toBe(mx(2026, 3, 2, 14));
    expect(dueAt(sales, mx(2026, 3, 2, 14), 1)).toBe(mx(2026, 3, 2, 15, 1));
    expect(businessMinutesBetween(sales, mx(2026, 3, 2, 0), mx(2026, 3, 3, 0))).toBe(540);
    expect(isBusinessTime(sales, mx(2026, 3, 2, 14, 30))).toBe(false);
    expect(nextBusinessStart(sales, mx(2026, 3, 2, 14, 30))).toBe(mx(2026, 3, 2, 15));
    expect(dueAt(sales, mx(2026, 3, 2, 18), 120)).toBe(mx(2026, 3, 3, 10));
  });

  it('support_9_19: closes at 19:00', () => {
    expect(dueAt(support919, mx(2026, 3, 6, 18, 30), 60)).toBe(mx(2026, 3, 9, 9, 30));
    expect(isBusinessTime(support919, mx(2026, 3, 2, 19, 30))).toBe(false);
  });

  it('organization extra days close the office (24 Dec 2026, then 25 Dec LFT and weekend)', () => {
    const cal = calendar({ holidays: { lft: true, extra: ['2026-12-24'] } });
    expect(isBusinessTime(cal, mx(2026, 12, 24, 12))).toBe(false);
    expect(isBusinessTime(support, mx(2026, 12, 24, 12))).toBe(true);
    expect(dueAt(cal, mx(2026, 12, 23, 19), 120)).toBe(mx(2026, 12, 28, 10));
  });

  it('lft: false keeps official holidays open', () => {
    const cal = calendar({ holidays: { lft: false, extra: [] } });
    expect(isBusinessTime(cal, mx(2026, 9, 16, 12))).toBe(true);
    expect(dueAt(cal, mx(2026, 9, 15, 19), 120)).toBe(mx(2026, 9, 16, 10));
  });

  it('accepts plain calendar objects (compiled once, cached) with identical results', () => {
    const plain = byId('support');
    expect(dueAt(plain, mx(2026, 3, 6, 19, 30), 60)).toBe(dueAt(support, mx(2026, 3, 6, 19, 30), 60));
  });

  it('rejects negative or non-finite input', () => {
    expect(() => dueAt(support, mx(2026, 3, 2, 9), -1)).toThrow(RangeError);
    expect(() => dueAt(support, Number.NaN, 10)).toThrow(RangeError);
    expect(() => isBusinessTime(support, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    // Microseconds mistaken for milliseconds: refuse instead of building tables for millennia.
    expect(() => isBusinessTime(support, mx(2026, 3, 2, 12) * 1000)).toThrow(RangeError);
  });
});

describe('time zones with DST', () => {
  it('Mexico City before 2023 observed DST (UTC−5 in summer)', () => {
    // Wed 1 Jun 2022 09:00 CDT = 14:00Z; Wed 12 Jan 2022 09:00 CST = 15:00Z.
    expect(isBusinessTime(support, at(-5, 2022, 6, 1, 9))).toBe(true);
    expect(isBusinessTime(support, at(-5, 2022, 6, 1, 9) - 1)).toBe(false);
    expect(nextBusinessStart(support, at(-6, 2022, 1, 12, 7))).toBe(at(-6, 2022, 1, 12, 9));
    // Fri 28 Oct 2022 19:00 CDT + 120: one hour Friday, DST ends Sunday 30 Oct, Mon 31 Oct 10:00 CST.
    expect(dueAt(support, at(-5, 2022, 10, 28, 19), 120)).toBe(at(-6, 2022, 10, 31, 10));
  });

  const newYork = calendar({ timeZone: 'America/New_York', week: everyWeekday('09:00', '17:00'), holidays: { lft: false, extra: [] } });

  it('America/New_York across spring forward (Sun 8 Mar 2026)', () => {
    expect(dueAt(newYork, at(-5, 2026, 3, 6, 16), 120)).toBe(at(-4, 2026, 3, 9, 10));
    expect(businessMinutesBetween(newYork, at(-5, 2026, 3, 6, 9), at(-4, 2026, 3, 9, 17))).toBe(960);
  });

  it('America/New_York across fall back (Sun 1 Nov 2026)', () => {
    expect(dueAt(newYork, at(-4, 2026, 10, 30, 16), 120)).toBe(at(-5, 2026, 11, 2, 10));
  });

  it('America/Tijuana follows US DST', () => {
    const tijuana = calendar({ timeZone: 'America/Tijuana', week: everyWeekday('09:00', '18:00') });
    expect(nextBusinessStart(tijuana, at(-8, 2026, 3, 6, 20))).toBe(at(-7, 2026, 3, 9, 9));
  });

  it('a 24/7 calendar counts the real length of DST-change days', () => {
    const allDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '24:00' }));
    const cal = calendar({ timeZone: 'America/New_York', week: allDay, holidays: { lft: false, extra: [] } });
    // Sat 7 Mar 00:00 EST → Mon 9 Mar 00:00 EDT is 47 real hours; the fall-back weekend is 49.
    expect(businessMinutesBetween(cal, at(-5, 2026, 3, 7, 0), at(-4, 2026, 3, 9, 0))).toBe(47 * 60);
    expect(businessMinutesBetween(cal, at(-4, 2026, 10, 31, 0), at(-5, 2026, 11, 2, 0))).toBe(49 * 60);
    expect(dueAt(cal, at(-5, 2026, 3, 7, 0), 47 * 60)).toBe(at(-4, 2026, 3, 9, 0));
  });

  it('a shift spanning the skipped hour is an hour shorter', () => {
    const sunday = [{ day: 0, start: '01:30', end: '03:30' }];
    const cal = calendar({ timeZone: 'America/New_York', week: sunday, holidays: { lft: false, extra: [] } });
    // 01:30 EST → 03:30 EDT on 8 Mar 2026 is one real hour; a week later it is two.
    expect(businessMinutesBetween(cal, at(-5, 2026, 3, 8, 0), at(-4, 2026, 3, 9, 0))).toBe(60);
    expect(businessMinutesBetween(cal, at(-4, 2026, 3, 15, 0), at(-4, 2026, 3, 16, 0))).toBe(120);
  });
});

describe('elapsedWithPauses', () => {
  const start = mx(2026, 3, 2, 9);
  const now = mx(2026, 3, 2, 15);

  it('without pauses equals businessMinutesBetween', () => {
    expect(elapsedWithPauses(support, start, now, [])).toBe(360);
  });

  it('does not double-subtract overlapping or duplicate pauses', () => {
    const pauses = [
      { from: mx(2026, 3, 2, 10), to: mx(2026, 3, 2, 11) },
      { from: mx(2026, 3, 2, 10, 30), to: mx(2026, 3, 2, 12) },
      { from: mx(2026, 3, 2, 10), to: mx(2026, 3, 2, 11) },
    ];
    expect(elapsedWithPauses(support, start, now, pauses)).toBe(240);
  });

  it('treats an open pause as running until now and clips pauses to the window', () => {
    expect(elapsedWithPauses(support, start, now, [{ from: mx(2026, 3, 2, 14), to: null }])).toBe(300);
    expect(elapsedWithPauses(support, start, now, [{ from: mx(2026, 3, 1, 12), to: mx(2026, 3, 2, 10) }])).toBe(300);
    expect(elapsedWithPauses(support, start, now, [{ from: mx(2026, 3, 2, 16), to: mx(2026, 3, 2, 17) }])).toBe(360);
  });

  it('only subtracts the business part of a pause', () => {
    // Mon 19:00 → Tue 10:00 is 120 business minutes; the pause covers 30 of them each side of the night.
    const pause = [{ from: mx(2026, 3, 2, 19, 30), to: mx(2026, 3, 3, 9, 30) }];
    expect(elapsedWithPauses(support, mx(2026, 3, 2, 19), mx(2026, 3, 3, 10), pause)).toBe(60);
  });

  it('ignores reversed pauses and returns 0 for now <= start', () => {
    expect(elapsedWithPauses(support, start, now, [{ from: mx(2026, 3, 2, 12), to: mx(2026, 3, 2, 11) }])).toBe(360);
    expect(elapsedWithPauses(support, now, start, [])).toBe(0);
  });
});

describe('wallTimeToInstant', () => {
  it('reads a date and a time on a zone clock, across daylight-saving changes, and refuses what the clock never shows', () => {
    expect(wallTimeToInstant('America/Mexico_City', '2026-03-02', '11:30')).toBe(Date.UTC(2026, 2, 2, 17, 30));
    // New York: EST before 8 March 2026, EDT after; 02:30 that morning does not exist.
    expect(wallTimeToInstant('America/New_York', '2026-03-07', '09:00')).toBe(Date.UTC(2026, 2, 7, 14, 0));
    expect(wallTimeToInstant('America/New_York', '2026-03-09', '09:00')).toBe(Date.UTC(2026, 2, 9, 13, 0));
    expect(wallTimeToInstant('America/New_York', '2026-03-08', '02:30')).toBeNull();
    expect(wallTimeToInstant('America/Mexico_City', '2026-02-30', '10:00')).toBeNull();
    expect(wallTimeToInstant('America/Mexico_City', '2026-03-02', '24:00')).toBeNull();
  });
});
