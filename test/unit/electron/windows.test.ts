import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Electron's BrowserWindow and screen; the real module needs the Electron binary.
const electron = vi.hoisted(() => {
  const created: Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn>; maximize: ReturnType<typeof vi.fn> }> = [];
  class BrowserWindow {
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly maximize = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      created.push(this);
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    show() {}
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isFullScreen() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
  }
  const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] };
  return { BrowserWindow, screen, created };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, screen: electron.screen }));

const { createMainWindow } = await import('../../../electron/main/windows');
const { appPaths } = await import('../../../electron/main/paths');

describe('createMainWindow', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'windows-'));
    electron.created.length = 0;
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('creates the window with exactly the hardened web preferences and loads the renderer file', () => {
    const paths = appPaths('/app/dist/electron');
    createMainWindow({ paths, stateDir });
    const [window] = electron.created;
    expect(window?.options.webPreferences).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: paths.preload,
    });
    expect(window?.options.show).toBe(false);
    expect(window?.loadURL).toHaveBeenCalledExactlyOnceWith('app://mesa/index.html');
  });

  it('restores the remembered bounds and maximized state', () => {
    writeFileSync(join(stateDir, 'window-state.json'), JSON.stringify({ x: 40, y: 30, width: 1100, height: 720, isMaximized: true }));
    createMainWindow({ paths: appPaths('/app/dist/electron'), stateDir });
    const [window] = electron.created;
    expect(window?.options).toMatchObject({ x: 40, y: 30, width: 1100, height: 720 });
    expect(window?.maximize).toHaveBeenCalledOnce();
  });
});
