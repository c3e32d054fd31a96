/**
 * The one CSV writer (RFC 4180 through csv-stringify): every export and report goes through it.
 * A text field that a spreadsheet would run as a formula — one starting with = + - @, a tab or a
 * carriage return — is written with a leading apostrophe (OWASP's CSV injection advice), so
 * opening an export never runs what a caller typed. `null` is an empty unquoted field and the
 * empty string is `""`, so a reader can tell them apart.
 */
import { stringify, type Options } from 'csv-stringify/sync';

export type CsvValue = string | number | null;

/** Text that starts a formula, possibly behind apostrophes (so restoreFormula can undo exactly one). */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text field as written: a formula start gets a leading apostrophe. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of neutralizeFormula, for readers that must get back the exact text (audit re-verification). */
export function restoreFormula(field: string): string {
  return field.startsWith("'") && FORMULA_START.test(field.slice(1)) ? field.slice(1) : field;
}

const OPTIONS: Options = {
  record_delimiter: 'windows',
  cast: { string: neutralizeFormula },
  // csv-stringify quotes on comma, quote and the whole record delimiter (CRLF); an empty string,
  // a lone CR and a lone LF need quoting too, or a reader would split the row there.
  quoted_match: [/^$/, /[\r\n]/],
};

/** Rows to CSV text, each line ending in CRLF; an empty row is an empty line. */
export function csvRows(rows: Iterable<readonly CsvValue[]>): string {
  return stringify([...rows] as CsvValue[][], OPTIONS);
}
