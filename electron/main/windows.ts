/**
 * Creates the main window: hardened web preferences, remembered bounds, shown once painted.
 * Navigation, window.open and webview rules are applied app-wide in main.ts
 * (`hardenAllWebContents`), so they also cover contents this file never sees.
 */
import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import type { AppPaths } from './paths';
import { secureWebPreferences } from './security';
import { MIN_SIZE, readWindowState, trackWindowState, writeWindowState } from './window-state';

export interface MainWindowOptions {
  paths: AppPaths;
  /** Where window-state.json lives (app.getPath('userData')). */
  stateDir: string;
}

export function createMainWindow({ paths, stateDir }: MainWindowOptions): BrowserWindow {
  const stateFile = join(stateDir, 'window-state.json');
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = readWindowState(stateFile, workAreas);

  const window = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Mesa de Ayuda',
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(paths.preload),
  });
  if (state.isMaximized) window.maximize();
  trackWindowState(window, (next) => writeWindowState(stateFile, next));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(paths.rendererUrl).catch((error: unknown) => {
    console.error(`[window] could not load ${paths.rendererUrl}: ${String(error)}`);
  });
  return window;
}
