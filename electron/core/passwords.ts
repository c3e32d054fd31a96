import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../shared/errors';
import { PASSWORD_MAX_BYTES, PASSWORD_RULE_PARAMS, passwordBytes, passwordProblem, passwordText } from '../shared/password-policy';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt with N=2^15, r=8, p=1 (OWASP's minimum for scrypt) — about 60 ms here, off the event loop.
const PARAMS = { N: 32768, r: 8, p: 1 };
const KEYLEN = 32;

/** Encodes algorithm, parameters, salt and key so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  if (passwordBytes(password) > PASSWORD_MAX_BYTES) throw new AppError('validation.failed', { ...PASSWORD_RULE_PARAMS }, { password: 'validation.passwordTooLong' });
  const salt = randomBytes(16);
  const key = await scrypt(passwordText(password), salt, KEYLEN, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, keyB64] = encoded.split('$');
  // The hard cap before hashing: nothing longer was ever stored, so it cannot match.
  if (alg !== 'scrypt' || !saltB64 || !keyB64 || passwordBytes(password) > PASSWORD_MAX_BYTES) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(passwordText(password), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

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

/**
 * Enforces the whole password rule in core (setup, user creation, an administrator's reset, a
 * self-change): throws a validation error on `field` whose message says the rule broken.
 */
export async function assertPasswordPolicy(password: string, username: string, field = 'password'): Promise<void> {
  const problem = passwordProblem(password, username) ?? ((await isCommonPassword(password)) ? 'validation.passwordCommon' : null);
  if (problem) throw new AppError('validation.failed', { ...PASSWORD_RULE_PARAMS }, { [field]: problem });
}
