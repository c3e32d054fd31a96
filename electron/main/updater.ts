/**
 * Automatic updates (issue 15): electron-updater is wired in but stays off — no request leaves
 * the machine — unless an update feed is configured, because branch laptops often work offline
 * and an organization publishes its own builds. The feed is an https URL of a generic
 * electron-builder feed (latest.yml and the installers), given by `HELPDESK_UPDATE_URL` or by
 * `update-feed.json` (`{ "url": "https://…" }`) in the app's user-data folder, where an IT
 * department can place it at install time. Only packaged apps check (a development build has
 * nothing to update).
 *
 * `updateFeed` is pure and unit-tested; `startUpdates` takes the updater object as a parameter
 * so main.ts stays the only place that imports Electron.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const feedUrl = z.url({ protocol: /^https$/ }).max(2048);

const feedFile = z.object({ url: feedUrl }).strict();

export const UPDATE_FEED_FILE = 'update-feed.json';

export type UpdateFeed = { url: string } | { url: null; reason: 'not-configured' | 'invalid' };

/** The configured feed: the environment first, then the file; anything malformed turns updates off. */
export function updateFeed(env: NodeJS.ProcessEnv, userDataDir: string, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): UpdateFeed {
  const fromEnv = env.HELPDESK_UPDATE_URL?.trim();
  if (fromEnv) {
    const parsed = feedUrl.safeParse(fromEnv);
    return parsed.success ? { url: parsed.data } : { url: null, reason: 'invalid' };
  }
  let text: string;
  try {
    text = read(join(userDataDir, UPDATE_FEED_FILE));
  } catch {
    return { url: null, reason: 'not-configured' };
  }
  try {
    const parsed = feedFile.safeParse(JSON.parse(text));
    return parsed.success ? { url: parsed.data.url } : { url: null, reason: 'invalid' };
  } catch {
    return { url: null, reason: 'invalid' };
  }
}

/** The part of electron-updater's `autoUpdater` this file drives. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

export interface StartUpdatesOptions {
  isPackaged: boolean;
  feed: UpdateFeed;
  /** Loaded only when a feed is configured. */
  loadUpdater: () => Promise<Updater>;
  log: (message: string) => void;
}

/** Checks the feed once when configured and packaged; otherwise does nothing and says why. Returns whether it checked. */
export async function startUpdates({ isPackaged, feed, loadUpdater, log }: StartUpdatesOptions): Promise<boolean> {
  if (feed.url === null) {
    if (feed.reason === 'invalid') log('[updates] the update feed is not a valid https URL; updates stay off');
    return false;
  }
  if (!isPackaged) {
    log('[updates] a feed is configured, but a development build is not updated');
    return false;
  }
  const updater = await loadUpdater();
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.setFeedURL({ provider: 'generic', url: feed.url });
  // Offline is the normal case at a branch: a failed check is logged, never shown as an error.
  await updater.checkForUpdatesAndNotify().catch((error: unknown) => log(`[updates] check failed: ${String(error)}`));
  return true;
}
