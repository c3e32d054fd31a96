/**
 * Mexican mandatory rest days ("días de descanso obligatorio"),
 * Ley Federal del Trabajo, artículo 74.
 *
 * Pure date arithmetic on civil dates: no time zones are involved because a
 * holiday is a local calendar date wherever the business happens to be.
 */

/** Formats a civil date as 'YYYY-MM-DD' (month is 1-based). */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Day of the month of the `nth` Monday (1-based) of `month` (1-based) in `year`. */
function nthMonday(year: number, month: number, nth: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay(); // 0 = Sunday
  const firstMonday = 1 + ((8 - firstWeekday) % 7);
  return firstMonday + (nth - 1) * 7;
}

/**
 * LFT art. 74 holidays of `year` as sorted 'YYYY-MM-DD' strings:
 * 1 Jan; first Monday of Feb (Constitution day); third Monday of Mar
 * (Juárez); 1 May; 16 Sep; third Monday of Nov (Revolution); 1 Oct of
 * every sixth year from 2024 (presidential transition); 25 Dec.
 *
 * Before the 2024 reform the transition happened on 1 Dec (…2012, 2018), so
 * those years get 1 Dec instead; that keeps historical tickets correct.
 * The "Monday" rules date from 2006 and are applied to every year.
 */
export function lftHolidays(year: number): string[] {
  if (!Number.isInteger(year)) throw new RangeError(`Invalid year: ${year}`);
  const days = [
    isoDate(year, 1, 1),
    isoDate(year, 2, nthMonday(year, 2, 1)),
    isoDate(year, 3, nthMonday(year, 3, 3)),
    isoDate(year, 5, 1),
    isoDate(year, 9, 16),
    isoDate(year, 11, nthMonday(year, 11, 3)),
    isoDate(year, 12, 25),
  ];
  const transitionYear = (year - 2024) % 6 === 0;
  if (transitionYear && year >= 2024) days.push(isoDate(year, 10, 1));
  if (transitionYear && year < 2024) days.push(isoDate(year, 12, 1));
  // Same zero-padded format everywhere, so lexicographic order is date order.
  return days.sort();
}
