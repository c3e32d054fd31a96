/**
 * The desktop app's mail key (issue 12): the key that seals the mailbox password is kept in
 * `<dataDir>/private/mail.key` wrapped by the operating system's secret store through Electron's
 * safeStorage (Keychain, DPAPI, libsecret). Main unwraps it and hands it to core, which runs in a
 * utilityProcess where safeStorage is not available. No 'electron' import here: main passes
 * `safeStorage` in, tests pass a fake. Where the OS offers no secret store, core keeps the key
 * file itself (0600), as the web host does.
 */
import { loadOrCreateKey, type KeyWrapper } from '../core/mail/secret';

/** The parts of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function safeStorageWrapper(safeStorage: SafeStorageLike): KeyWrapper {
  return {
    kind: 'os',
    wrap: (key) => safeStorage.encryptString(key.toString('base64')),
    unwrap: (stored) => Buffer.from(safeStorage.decryptString(stored), 'base64'),
  };
}

/** The unwrapped key as base64 for core's open options, or undefined when the OS has no secret store (or it failed). */
export function desktopMailKey(dataDir: string, safeStorage: SafeStorageLike): string | undefined {
  try {
    if (!safeStorage.isEncryptionAvailable()) return undefined;
    return loadOrCreateKey(dataDir, safeStorageWrapper(safeStorage)).toString('base64');
  } catch (err) {
    console.warn('[main] the mail key could not be read with the OS secret store; core keeps its own key file', err);
    return undefined;
  }
}
