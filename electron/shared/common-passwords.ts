/**
 * The common-password list (issue 10, finding 7), shared by the app's core and the central
 * server's administration pages, so a password refused at a branch is refused on the server too.
 */
import { passwordProblem, passwordText, type PasswordProblem } from './password-policy';

/**
 * Spanish and product words people pick that the shipped English-centred list lacks; checked the
 * same way (alone or with digits and symbols around them).
 */
const LOCAL_COMMON = [
  'contraseña', 'contrasena', 'micontraseña', 'micontrasena', 'password', 'mesadeayuda', 'soporte', 'usuario',
  'administrador', 'bienvenido', 'bienvenida', 'facturacion', 'facturación', 'factura', 'mexico', 'méxico', 'teamo',
  'qwertyuiop', 'asdfghjkl', 'abcdefghijkl', 'cambiame', 'cambiar', 'temporal',
];

let common: Set<string> | null = null;

/**
 * The common-password list shipped with the app (works offline): the 49,233 passwords of
 * @zxcvbn-ts/language-common (zxcvbn's frequency list from leaked password sets), plus LOCAL_COMMON.
 * Loaded on first use: decompressing it costs a few tens of milliseconds.
 */
async function commonPasswords(): Promise<Set<string>> {
  if (!common) {
    const { dictionary } = await import('@zxcvbn-ts/language-common');
    common = new Set([...dictionary['passwords-common'], ...LOCAL_COMMON].map((p) => p.normalize('NFKC').toLowerCase()));
  }
  return common;
}

/**
 * True for a password on the list, ignoring case, spaces and separators, or one that is a listed
 * password with only digits and symbols around it ("Contraseña2024!", "iloveyou-1234").
 */
export async function isCommonPassword(password: string): Promise<boolean> {
  const list = await commonPasswords();
  const lower = passwordText(password).toLowerCase();
  const squeezed = lower.replace(/[\s._-]+/gu, '');
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [lower, squeezed, core, core.replace(/[\s._-]+/gu, '')].some((c) => c.length >= 4 && list.has(c));
}


/** The first rule of the whole password rule the password breaks (the common list included); null when none. */
export async function passwordRuleProblem(password: string, username: string): Promise<PasswordProblem | null> {
  return passwordProblem(password, username) ?? ((await isCommonPassword(password)) ? 'validation.passwordCommon' : null);
}
