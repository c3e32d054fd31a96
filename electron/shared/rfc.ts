/**
 * Validation of the Mexican RFC (Registro Federal de Contribuyentes).
 *
 * Pure module: shared by the main process and the renderer, so it must not
 * import Node or DOM APIs.
 */

/** `moral` = company (12 chars), `fisica` = individual (13 chars), `generic` = SAT generic RFC. */
export type RfcKind = 'moral' | 'fisica' | 'generic';

/** Reasons an RFC is rejected. Codes double as i18n keys. */
export type RfcErrorCode = 'rfc.empty' | 'rfc.length' | 'rfc.format' | 'rfc.date' | 'rfc.inconvenientWord';

/** Problems that do not make an RFC invalid but deserve a second look. */
export type RfcWarningCode = 'rfc.checkDigit';

/** Result of {@link checkRfc}. `ok` is false exactly when `error` is set. */
export interface RfcCheck {
  ok: boolean;
  /** The input after {@link normalizeRfc}; use this value when storing the RFC. */
  normalized: string;
  /** Set once the RFC has a recognisable shape (also on date / word errors). */
  kind?: RfcKind;
  error?: RfcErrorCode;
  warnings: RfcWarningCode[];
  /** Only present when the RFC's check digit is wrong: the digit the SAT algorithm expects. */
  expectedCheckDigit?: string;
  /** Date encoded in the RFC as YYYY-MM-DD (birth for personas físicas, incorporation for morales). */
  birthOrIncorporationDate?: string;
}

/** SAT generic RFCs: público en general (national) and residentes en el extranjero (foreign). */
export const GENERIC_RFCS: readonly string[] = Object.freeze(['XAXX010101000', 'XEXX010101000']);

/**
 * A generic RFC never identifies a customer: many share it (migration 006 keeps them out of the
 * uniqueness rule), and who they are comes from name + e-mail or phone instead.
 */
export function isGenericRfc(rfc: string): boolean {
  return GENERIC_RFCS.includes(normalizeRfc(rfc));
}

// SAT's list of words that must not appear as the four initials of a persona
// física; SAT issues the RFC with the last letter changed to X instead.
const INCONVENIENT_WORDS: ReadonlySet<string> = new Set([
  'BUEI', 'BUEY', 'CACA', 'CACO', 'CAGA', 'CAGO', 'CAKA', 'CAKO', 'COGE', 'COJA', 'COJE',
  'COJI', 'COJO', 'CULO', 'FETO', 'GUEY', 'JOTO', 'KACA', 'KACO', 'KAGA', 'KAGO', 'KAKA',
  'KOGE', 'KOJO', 'KULO', 'MAME', 'MAMO', 'MEAR', 'MEAS', 'MEON', 'MION', 'MOCO', 'MULA',
  'PEDA', 'PEDO', 'PENE', 'PUTA', 'PUTO', 'QULO', 'RATA', 'RUIN',
]);

// A character's check-digit value is its index here. The space is only ever
// used as padding for 12-character (moral) RFCs.
const CHECK_DIGIT_ALPHABET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';

const MORAL_PATTERN = /^([A-ZÑ&]{3})(\d{2})(\d{2})(\d{2})([A-Z0-9]{2}[0-9A])$/;
const FISICA_PATTERN = /^([A-ZÑ&]{4})(\d{2})(\d{2})(\d{2})([A-Z0-9]{2}[0-9A])$/;

/**
 * Canonical form of an RFC as typed or pasted by a user: trimmed, uppercase,
 * without spaces or hyphens (e.g. `"abc-850101 ab1"` → `"ABC850101AB1"`).
 */
export function normalizeRfc(input: string): string {
  // NFC so that an Ñ pasted as N + combining tilde (common from PDFs) is one character.
  return input.normalize('NFC').toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * SAT check digit (mod 11) for an RFC given without its final character:
 * 11 characters for a persona moral, 12 for a persona física.
 * Expects normalized input; throws RangeError on any other length or character.
 */
export function rfcCheckDigit(rfcWithoutDigit: string): string {
  if (rfcWithoutDigit.length !== 11 && rfcWithoutDigit.length !== 12) {
    throw new RangeError(`RFC without check digit must have 11 or 12 characters, got ${rfcWithoutDigit.length}`);
  }
  // Morales get a leading space so both kinds are weighted 13..2 the same way.
  const padded = rfcWithoutDigit.padStart(12, ' ');
  let sum = 0;
  for (let i = 0; i < padded.length; i++) {
    const value = CHECK_DIGIT_ALPHABET.indexOf(padded.charAt(i));
    if (value < 0) {
      throw new RangeError(`Character not allowed in an RFC: "${padded.charAt(i)}"`);
    }
    sum += value * (13 - i);
  }
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  if (remainder === 1) return 'A';
  return String(11 - remainder);
}

/**
 * Validates an RFC. Structural problems are errors (`ok: false`); a wrong
 * check digit is only a warning because SAT has issued real RFCs with one.
 */
export function checkRfc(input: string): RfcCheck {
  const normalized = normalizeRfc(input);
  const fail = (error: RfcErrorCode, kind?: RfcKind): RfcCheck =>
    ({ ok: false, normalized, ...(kind ? { kind } : {}), error, warnings: [] });

  if (normalized === '') return fail('rfc.empty');
  if (GENERIC_RFCS.includes(normalized)) {
    return { ok: true, normalized, kind: 'generic', warnings: [] };
  }
  if (normalized.length !== 12 && normalized.length !== 13) return fail('rfc.length');

  const kind: RfcKind = normalized.length === 12 ? 'moral' : 'fisica';
  const match = (kind === 'moral' ? MORAL_PATTERN : FISICA_PATTERN).exec(normalized);
  if (!match) return fail('rfc.format');

  const [, letters, yy, mm, dd] = match as unknown as [string, string, string, string, string];
  const date = resolveDate(Number(yy), Number(mm), Number(dd));
  if (!date) return fail('rfc.date', kind);
  if (kind === 'fisica' && INCONVENIENT_WORDS.has(letters)) return fail('rfc.inconvenientWord', kind);

  const result: RfcCheck = { ok: true, normalized, kind, warnings: [], birthOrIncorporationDate: date };
  const expected = rfcCheckDigit(normalized.slice(0, -1));
  if (normalized.slice(-1) !== expected) {
    result.warnings.push('rfc.checkDigit');
    result.expectedCheckDigit = expected;
  }
  return result;
}

/**
 * Builds a valid RFC with its check digit, for demo and test data.
 * `prefix` is 3 letters (moral) or 4 (física); `date.y` is the full year (1900–2099).
 * A física prefix that is an inconvenient word gets its last letter replaced
 * by X, as SAT does. Throws RangeError on malformed input.
 */
export function makeRfc(prefix: string, date: { y: number; m: number; d: number }, homoclave2: string): string {
  let letters = normalizeRfc(prefix);
  const homoclave = normalizeRfc(homoclave2);
  if (!/^[A-ZÑ&]{3,4}$/.test(letters)) throw new RangeError(`Invalid RFC prefix: "${prefix}"`);
  if (!/^[A-Z0-9]{2}$/.test(homoclave)) throw new RangeError(`Invalid homoclave: "${homoclave2}"`);
  if (!Number.isInteger(date.y) || date.y < 1900 || date.y > 2099 || !isRealDate(date.y, date.m, date.d)) {
    throw new RangeError(`Invalid RFC date: ${date.y}-${date.m}-${date.d}`);
  }
  if (INCONVENIENT_WORDS.has(letters)) letters = letters.slice(0, 3) + 'X';

  const withoutDigit = letters + pad2(date.y % 100) + pad2(date.m) + pad2(date.d) + homoclave;
  return withoutDigit + rfcCheckDigit(withoutDigit);
}

// The RFC only stores YY, so accept the date if it exists in either the 1900s
// or the 2000s (this matters for 29 Feb of YY=00: 2000 was leap, 1900 was not).
// When both exist, prefer the most recent year that is not in the future.
function resolveDate(yy: number, month: number, day: number): string | undefined {
  const candidates = [2000 + yy, 1900 + yy].filter((year) => isRealDate(year, month, day));
  if (candidates.length === 0) return undefined;
  const thisYear = new Date().getFullYear();
  const year = candidates.find((y) => y <= thisYear) ?? candidates[0];
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this month.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
