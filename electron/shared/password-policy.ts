/**
 * The password rule (issue 10, finding 7), shared by the contract's schemas (so forms show the
 * same rule) and core (which enforces it, adding the check against the shipped list of common
 * passwords, core/passwords.ts):
 * - at least PASSWORD_MIN_LENGTH characters (counted as Unicode characters, not UTF-16 units);
 * - at most PASSWORD_MAX_BYTES bytes of UTF-8 after NFKC normalization, which is what is hashed:
 *   roughly 1,000 characters of Latin text, and a hard cap so a huge input cannot make scrypt work;
 * - it neither is nor contains the user name, ignoring case.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_BYTES = 1024;

export type PasswordProblem =
  | 'validation.passwordLength'
  | 'validation.passwordTooLong'
  | 'validation.passwordHasUsername'
  | 'validation.passwordCommon';

/** The text that is hashed: NFKC, so the same password typed on another keyboard or OS matches. */
export function passwordText(password: string): string {
  return password.normalize('NFKC');
}

export function passwordBytes(password: string): number {
  return new TextEncoder().encode(passwordText(password)).length;
}

/** The first rule the password breaks, apart from the common-password list (core checks that); null when none. */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  if (passwordBytes(password) > PASSWORD_MAX_BYTES) return 'validation.passwordTooLong';
  if ([...passwordText(password)].length < PASSWORD_MIN_LENGTH) return 'validation.passwordLength';
  const name = username?.trim().toLowerCase();
  if (name && passwordText(password).toLowerCase().includes(name)) return 'validation.passwordHasUsername';
  return null;
}

/** The parameters the translated messages show ("al menos {{min}} caracteres"). */
export const PASSWORD_RULE_PARAMS = { min: PASSWORD_MIN_LENGTH, maxBytes: PASSWORD_MAX_BYTES } as const;
