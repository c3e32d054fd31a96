/** Calendar dates ('YYYY-MM-DD') in the branch's time zone, for the report's period pickers. */

/** The local calendar date of `epochMs` in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochMs);
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
