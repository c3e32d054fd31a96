import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../shared/errors';
import { isCommonPassword, passwordRuleProblem } from '../shared/common-passwords';
import { PASSWORD_MAX_BYTES, PASSWORD_RULE_PARAMS, passwordBytes, passwordText } from '../shared/password-policy';

export { isCommonPassword };

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

/** A well-formed hash no password matches: verified for unknown users, so timing does not tell which names exist. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

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
 * Enforces the whole password rule in core (setup, user creation, an administrator's reset, a
 * self-change): throws a validation error on `field` whose message says the rule broken.
 */
export async function assertPasswordPolicy(password: string, username: string, field = 'password'): Promise<void> {
  const problem = await passwordRuleProblem(password, username);
  if (problem) throw new AppError('validation.failed', { ...PASSWORD_RULE_PARAMS }, { [field]: problem });
}
