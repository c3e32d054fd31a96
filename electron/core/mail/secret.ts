/**
 * The mailbox password at rest (issue 12): sealed with AES-256-GCM under a key kept in a file
 * outside the database — `<dataDir>/private/mail.key`, 0600 in a 0700 folder, created on first
 * use. A copy of the database (backup, export, sync) therefore carries only ciphertext.
 * In the desktop app the key file itself can be wrapped by the operating system (Electron's
 * safeStorage, electron/main/mail-key.ts) through the small `KeyWrapper` interface; this module is
 * plain Node.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE } from '../db/connection';

export interface KeyWrapper {
  /** 'keyFile': the file holds the key itself; 'os': the file holds the key wrapped by the operating system. */
  readonly kind: 'keyFile' | 'os';
  wrap(key: Buffer): Buffer;
  unwrap(stored: Buffer): Buffer;
}

export const KEY_FILE_ONLY: KeyWrapper = { kind: 'keyFile', wrap: (k) => k, unwrap: (s) => s };

const KEY_BYTES = 32;
const HEADER = 'mesa-de-ayuda mail key v1 ';

export function mailKeyPath(dataDir: string): string {
  return join(dataDir, 'private', 'mail.key');
}

/** Reads the key, creating it (and its private folder) the first time. */
export function loadOrCreateKey(dataDir: string, wrapper: KeyWrapper = KEY_FILE_ONLY): Buffer {
  const file = mailKeyPath(dataDir);
  mkdirSync(join(dataDir, 'private'), { recursive: true, mode: PRIVATE_DIR });
  try {
    return readKey(file, wrapper);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(KEY_BYTES);
  const content = `${HEADER}${wrapper.kind}\n${wrapper.wrap(key).toString('base64')}\n`;
  try {
    writeFileSync(file, content, { mode: PRIVATE_FILE, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(file, wrapper);
    throw err;
  }
  return key;
}

function readKey(file: string, wrapper: KeyWrapper): Buffer {
  const [header, body] = readFileSync(file, 'utf8').split('\n');
  if (!header?.startsWith(HEADER) || !body) throw new Error('mail key file is not readable');
  const kind = header.slice(HEADER.length);
  if (kind !== wrapper.kind) throw new Error(`mail key file is protected by '${kind}', expected '${wrapper.kind}'`);
  const key = wrapper.unwrap(Buffer.from(body, 'base64'));
  if (key.length !== KEY_BYTES) throw new Error('mail key file is damaged');
  return key;
}

/** Seals and opens short secrets: 'v1:' + base64(iv ‖ tag ‖ ciphertext). The key is read only when needed. */
export class SecretBox {
  private key: Buffer | null = null;

  constructor(private readonly loadKey: () => Buffer) {}

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.getKey(), iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.getKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  private getKey(): Buffer {
    this.key ??= this.loadKey();
    return this.key;
  }
}
