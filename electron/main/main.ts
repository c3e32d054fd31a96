/**
 * Electron entry (bundled to dist/electron/main.cjs). Lifecycle only: one instance, harden every
 * web contents, start core in its own process (a utilityProcess running dist/electron/core.cjs,
 * so nothing core does can freeze the window), register IPC, create the window, close core on
 * quit. The renderer is served from dist/renderer by the app's own `app://` scheme
 * (app-protocol.ts); updates are checked only when a feed is configured (updater.ts). No business logic.
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, safeStorage, session, shell, utilityProcess, type Event } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostClient } from '../core/host-process';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appResponse } from './app-protocol';
import { startCore, type ForkUtility } from './core-process';
import { OS_NOTIFICATION_CLICK_CHANNEL } from '../shared/os-notify';
import { registerIpc } from './ipc';
import { desktopMailKey } from './mail-key';
import { registerOsNotifications } from './os-notifications';
import { appPaths, nativeBindingPath, resolveDataDir } from './paths';
import { hardenAllWebContents, hardenSession } from './security';
import { startUpdates, updateFeed, type Updater } from './updater';
import { createMainWindow } from './windows';

const paths = appPaths(__dirname);
let host: HostClient | null = null;
/** Restarts left after core's process ended on its own (a crash); the window then gets api.unavailable. */
let restartsLeft = 3;
let mainWindow: BrowserWindow | null = null;
const appContents = new Set<number>();

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const window = createMainWindow({ paths, stateDir: app.getPath('userData') });
  const contentsId = window.webContents.id;
  appContents.add(contentsId);
  window.once('closed', () => {
    appContents.delete(contentsId);
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
}

async function openCore(): Promise<HostClient> {
  const dataDir = resolveDataDir(process.env, app.getPath('userData'));
  mkdirSync(dataDir, { recursive: true });
  const nativeBinding = nativeBindingPath(__dirname);
  if (!nativeBinding) {
    console.warn('[main] dist/native/electron/better_sqlite3.node not found; run `node build/electron-native.mjs`.');
  }
  const mailKeyBase64 = desktopMailKey(dataDir, safeStorage);
  return startCore(utilityProcess.fork as unknown as ForkUtility, join(__dirname, 'core.cjs'), { dataDir, nativeBinding, mailKeyBase64 }, onCoreExit);
}

function onCoreExit(code: number | null): void {
  console.error(`[main] the core process ended unexpectedly (code ${String(code)})`);
  host = null;
  if (restartsLeft-- <= 0) return;
  openCore().then((client) => (host = client), (error: unknown) => console.error(`[main] restarting core failed: ${String(error)}`));
}

/** Closes the workspace in core's process before the app goes; quitting then continues. */
function closeCore(event: Event): void {
  const open = host;
  if (!open) return;
  host = null;
  event.preventDefault();
  open.close().catch((error: unknown) => console.error(`[main] closing core failed: ${String(error)}`)).finally(() => app.quit());
}

/** Serves dist/renderer as app://mesa/… (app-protocol.ts decides what may be read). */
function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await appResponse(request.method, request.url, paths.rendererRoot);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  serveRenderer();
  try {
    host = await openCore();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    console.error(`[main] could not open the workspace: ${error instanceof Error ? (error.stack ?? detail) : detail}`);
    dialog.showErrorBox('Mesa de Ayuda', `No se pudo abrir el espacio de trabajo.\n\n${detail}`);
    app.exit(1);
    return;
  }
  registerIpc(ipcMain, {
    host: () => host,
    rendererUrl: paths.rendererUrl,
    isAppContents: (id) => appContents.has(id),
  });
  registerOsNotifications(ipcMain, {
    Notification,
    rendererUrl: paths.rendererUrl,
    isAppContents: (id) => appContents.has(id),
    onClick: (notificationId) => {
      showMainWindow();
      mainWindow?.webContents.send(OS_NOTIFICATION_CLICK_CHANNEL, notificationId);
    },
  });
  showMainWindow();
  void startUpdates({
    isPackaged: app.isPackaged,
    feed: updateFeed(process.env, app.getPath('userData')),
    loadUpdater: async () => (await import('electron-updater')).autoUpdater as unknown as Updater,
    log: (message) => console.warn(message),
  });
}

// Before anything reads userData (the single-instance lock lives there): lets tests and portable
// installs run fully isolated from the per-user profile.
const userDataOverride = process.env.HELPDESK_USER_DATA_DIR?.trim();
if (userDataOverride) app.setPath('userData', userDataOverride);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Before the app is ready, as Electron requires: app:// behaves like https for the renderer.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  hardenAllWebContents(app, { rendererUrl: paths.rendererUrl, openExternal: (url) => shell.openExternal(url) });
  app.on('second-instance', () => {
    if (app.isReady() && host) showMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) showMainWindow();
  });
  app.on('will-quit', closeCore);
  app.whenReady().then(start, (error: unknown) => {
    console.error(`[main] startup failed: ${String(error)}`);
    app.exit(1);
  });
}
