/**
 * The key that seals the mailbox password (issue 12): created once in the data folder's private
 * folder, 0600; in the desktop app wrapped by the OS secret store (safeStorage, faked here: the
 * Electron binary is not available to unit tests), so the file alone does not give the key away.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateKey, mailKeyPath, SecretBox } from '../../../electron/core/mail/secret';
import { desktopMailKey, type SafeStorageLike } from '../../../electron/main/mail-key';
import { tempDir } from '../../fixtures/workspace';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A stand-in for the OS store: XOR with a secret the file never holds. */
function fakeSafeStorage(available = true): SafeStorageLike {
  const mask = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ (0x5a + i) % 256));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => mask(Buffer.from(`os:${plain}`)),
    decryptString: (encrypted) => mask(encrypted).toString().replace(/^os:/, ''),
  };
}

describe('mail key', () => {
  it('is created on first use, private, and the same afterwards; sealed secrets open only with it', () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = loadOrCreateKey(dir);
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect(statSync(mailKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(dir).equals(key)).toBe(true);
    const box = new SecretBox(() => key);
    const sealed = box.seal('contraseña');
    expect(sealed).not.toContain('contraseña');
    expect(box.seal('contraseña')).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe('contraseña');
    const other = new SecretBox(() => Buffer.alloc(32, 1));
    expect(() => other.open(sealed)).toThrow();
  });

  it('in the desktop app the key file holds only the OS-wrapped key', () => {
    const dir = tempDir();
    dirs.push(dir);
    const storage = fakeSafeStorage();
    const base64 = desktopMailKey(dir, storage)!;
    const key = Buffer.from(base64, 'base64');
    expect(key).toHaveLength(32);
    const file = readFileSync(mailKeyPath(dir), 'utf8');
    expect(file).toContain(' os\n');
    expect(file).not.toContain(base64);
    expect(desktopMailKey(dir, storage)).toBe(base64);
    // A key file wrapped by the OS is never read as a plain one.
    expect(() => loadOrCreateKey(dir)).toThrow(/protected by 'os'/);
    // No secret store: core keeps its own key file.
    expect(desktopMailKey(tempDir(), fakeSafeStorage(false))).toBeUndefined();
  });
});
