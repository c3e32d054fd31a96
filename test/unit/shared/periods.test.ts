import { describe, expect, it } from 'vitest';
import { isoWeekKey } from '../../../electron/shared/periods';

describe('isoWeekKey (ISO 8601 weeks for the report periods)', () => {
  it('6 Dec 2026 is in 2026-W49 (SQLite %W said W48)', () => {
    expect(isoWeekKey('2026-12-06')).toBe('2026-W49');
    expect(isoWeekKey('2026-12-07')).toBe('2026-W50');
  });

  it('across year boundaries the week belongs to the year of its Thursday', () => {
    expect(isoWeekKey('2026-12-31')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-03')).toBe('2026-W53');
    expect(isoWeekKey('2027-01-04')).toBe('2027-W01');
    expect(isoWeekKey('2020-12-31')).toBe('2020-W53');
    expect(isoWeekKey('2021-01-03')).toBe('2020-W53');
    expect(isoWeekKey('2019-12-30')).toBe('2020-W01');
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01');
  });
});
