import { describe, expect, it } from 'vitest';
import { lftHolidays } from '../../../electron/shared/holidays';

const weekday = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();

describe('lftHolidays (LFT art. 74)', () => {
  it('2024: transition year, 1 Oct included', () => {
    expect(lftHolidays(2024)).toEqual([
      '2024-01-01',
      '2024-02-05',
      '2024-03-18',
      '2024-05-01',
      '2024-09-16',
      '2024-10-01',
      '2024-11-18',
      '2024-12-25',
    ]);
  });

  it('2025', () => {
    expect(lftHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-02-03',
      '2025-03-17',
      '2025-05-01',
      '2025-09-16',
      '2025-11-17',
      '2025-12-25',
    ]);
  });

  it('2026', () => {
    expect(lftHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-02-02',
      '2026-03-16',
      '2026-05-01',
      '2026-09-16',
      '2026-11-16',
      '2026-12-25',
    ]);
  });

  it('2030: next transition year, 1 Oct included', () => {
    expect(lftHolidays(2030)).toEqual([
      '2030-01-01',
      '2030-02-04',
      '2030-03-18',
      '2030-05-01',
      '2030-09-16',
      '2030-10-01',
      '2030-11-18',
      '2030-12-25',
    ]);
  });

  it('1 Oct only every sixth year from 2024', () => {
    const withTransition = [];
    for (let year = 2024; year <= 2050; year++) {
      if (lftHolidays(year).includes(`${year}-10-01`)) withTransition.push(year);
    }
    expect(withTransition).toEqual([2024, 2030, 2036, 2042, 2048]);
  });

  it('before the 2024 reform the transition day was 1 Dec', () => {
    expect(lftHolidays(2018)).toContain('2018-12-01');
    expect(lftHolidays(2018)).not.toContain('2018-10-01');
    expect(lftHolidays(2019)).not.toContain('2019-12-01');
    expect(lftHolidays(2024)).not.toContain('2024-12-01');
  });

  it('movable days are Mondays in the right week, output sorted and unique, for many years', () => {
    for (let year = 1990; year <= 2100; year++) {
      const days = lftHolidays(year);
      expect([...days].sort()).toEqual(days);
      expect(new Set(days).size).toBe(days.length);
      const feb = days.find((d) => d.startsWith(`${year}-02-`))!;
      const mar = days.find((d) => d.startsWith(`${year}-03-`))!;
      const nov = days.find((d) => d.startsWith(`${year}-11-`))!;
      for (const d of [feb, mar, nov]) expect(weekday(d)).toBe(1);
      expect(Number(feb.slice(8))).toBeLessThanOrEqual(7);
      expect(Number(mar.slice(8))).toBeGreaterThanOrEqual(15);
      expect(Number(mar.slice(8))).toBeLessThanOrEqual(21);
      expect(Number(nov.slice(8))).toBeGreaterThanOrEqual(15);
      expect(Number(nov.slice(8))).toBeLessThanOrEqual(21);
    }
  });

  it('rejects a non-integer year', () => {
    expect(() => lftHolidays(2025.5)).toThrow(RangeError);
  });
});
