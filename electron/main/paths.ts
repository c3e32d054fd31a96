/**
 * Where the bundled app finds its pieces. `mainDir` is the directory of dist/electron/main.cjs
 * (`__dirname` in the bundle); inside a packaged app that is `…/app.asar/dist/electron`.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { APP_INDEX_URL } from './app-protocol';

export interface AppPaths {
  preload: string;
  /** dist/renderer: what the `app://` scheme serves, and nothing outside it. */
  rendererRoot: string;
  /** `app://mesa/index.html`: the renderer document, the only page allowed to navigate to and call IPC. */
  rendererUrl: string;
}

export function appPaths(mainDir: string): AppPaths {
  const rendererRoot = join(mainDir, '..', 'renderer');
  return {
    preload: join(mainDir, 'preload.cjs'),
    rendererRoot,
    rendererUrl: APP_INDEX_URL,
  };
}

/** `HELPDESK_DATA_DIR` when set (tests, portable installs), else `<userData>/data`. */
export function resolveDataDir(env: NodeJS.ProcessEnv, userDataDir: string): string {
  const fromEnv = env.HELPDESK_DATA_DIR?.trim();
  return fromEnv ? fromEnv : join(userDataDir, 'data');
}

/**
 * The better-sqlite3 addon built for Electron's ABI by build/electron-native.mjs, or undefined
 * when it was not built (core then falls back to node_modules' copy, which only loads under Node).
 * Native code cannot load from inside app.asar, so the packaged path points into app.asar.unpacked.
 */
export function nativeBindingPath(mainDir: string, exists: (path: string) => boolean = existsSync): string | undefined {
  const inBundle = join(mainDir, '..', 'native', 'electron', 'better_sqlite3.node');
  const asar = `${sep}app.asar${sep}`;
  const candidate = inBundle.includes(asar) ? inBundle.replace(asar, `${sep}app.asar.unpacked${sep}`) : inBundle;
  return exists(candidate) ? candidate : undefined;
}
