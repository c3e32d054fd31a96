import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  parseWindowState,
  readWindowState,
  trackWindowState,
  writeWindowState,
  type Rect,
  type TrackableWindow,
} from '../../../electron/main/window-state';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };
const centered = { ...DEFAULT_SIZE, isMaximized: false };

describe('parseWindowState', () => {
  it('keeps a saved state that fits a connected display', () => {
    const saved = JSON.stringify({ x: 100, y: 50, width: 1200, height: 760, isMaximized: false });
    expect(parseWindowState(saved, [laptop])).toStrictEqual({ x: 100, y: 50, width: 1200, height: 760, isMaximized: false });
  });

  it('keeps a position on a second monitor while it is connected', () => {
    const saved = JSON.stringify({ x: 2000, y: 100, width: 1600, height: 1000, isMaximized: true });
    expect(parseWindowState(saved, [laptop, rightMonitor])).toStrictEqual({ x: 2000, y: 100, width: 1600, height: 1000, isMaximized: true });
  });

  it('drops the position when the window was on a monitor that is gone, and shrinks it to fit', () => {
    const saved = JSON.stringify({ x: 2000, y: 100, width: 1600, height: 1000, isMaximized: false });
    expect(parseWindowState(saved, [laptop])).toStrictEqual({ width: 1440, height: 875, isMaximized: false });
  });

  it('pulls a window that overhangs the display edge back inside', () => {
    const saved = JSON.stringify({ x: 1000, y: -20, width: 1000, height: 700, isMaximized: false });
    expect(parseWindowState(saved, [laptop])).toStrictEqual({ x: 440, y: 0, width: 1000, height: 700, isMaximized: false });
  });

  it('never goes below the minimum size', () => {
    const saved = JSON.stringify({ x: 10, y: 10, width: 200, height: 100 });
    expect(parseWindowState(saved, [laptop])).toStrictEqual({ x: 10, y: 10, ...MIN_SIZE, isMaximized: false });
  });

  it('ignores a position with only one coordinate', () => {
    expect(parseWindowState(JSON.stringify({ x: 10, width: 1000, height: 700 }), [laptop])).toStrictEqual({
      width: 1000,
      height: 700,
      isMaximized: false,
    });
  });

  it('falls back to the centered default for a missing or corrupt file', () => {
    for (const text of [
      null,
      '',
      '{"x": 10, "y":',
      'null',
      '[]',
      '"window"',
      JSON.stringify({ width: 'wide', height: 700 }),
      JSON.stringify({ x: 0, y: 0, width: -5, height: 700 }),
      JSON.stringify({ x: 0, y: 0, width: 1.5, height: 700 }),
      JSON.stringify({ x: 1e12, y: 0, width: 1000, height: 700 }),
      JSON.stringify({ x: 0, y: 0, width: 1000, height: 700, isMaximized: 'yes' }),
      '{"width": 1e400, "height": 700}',
    ]) {
      expect(parseWindowState(text, [laptop]), String(text)).toStrictEqual(centered);
    }
  });

  it('still answers when no display is reported', () => {
    expect(parseWindowState(JSON.stringify({ x: 5, y: 5, width: 1000, height: 700 }), [])).toStrictEqual({
      width: 1000,
      height: 700,
      isMaximized: false,
    });
  });
});

describe('window-state file', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('round-trips through writeWindowState and readWindowState, creating the folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'window-state-'));
    const file = join(dir, 'nested', 'window-state.json');
    expect(readWindowState(file, [laptop])).toStrictEqual(centered);
    writeWindowState(file, { x: 20, y: 30, width: 1000, height: 700, isMaximized: true });
    expect(readWindowState(file, [laptop])).toStrictEqual({ x: 20, y: 30, width: 1000, height: 700, isMaximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ x: 20, isMaximized: true });
  });

  it('reads a corrupt file as the default instead of throwing', () => {
    dir = mkdtempSync(join(tmpdir(), 'window-state-'));
    const file = join(dir, 'window-state.json');
    writeFileSync(file, '\u0000\u0000garbage');
    expect(readWindowState(file, [laptop])).toStrictEqual(centered);
  });
});

describe('trackWindowState', () => {
  function fakeWindow(bounds: Rect) {
    const listeners = new Map<string, Array<() => void>>();
    const window = {
      bounds,
      minimized: false,
      maximized: false,
      on(event: string, listener: () => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return window;
      },
      once(event: string, listener: () => void) {
        return window.on(event, listener);
      },
      isMaximized: () => window.maximized,
      isMinimized: () => window.minimized,
      isFullScreen: () => false,
      getNormalBounds: () => window.bounds,
      emit(event: string) {
        for (const listener of listeners.get(event) ?? []) listener();
      },
    };
    return window satisfies TrackableWindow;
  }

  it('debounces saves on resize and move, and saves at once on close', () => {
    vi.useFakeTimers();
    try {
      const window = fakeWindow({ x: 0, y: 0, width: 1000, height: 700 });
      const save = vi.fn();
      trackWindowState(window, save, 500);

      window.emit('resize');
      window.bounds = { x: 10, y: 0, width: 1000, height: 700 };
      window.emit('move');
      vi.advanceTimersByTime(499);
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(save).toHaveBeenCalledExactlyOnceWith({ x: 10, y: 0, width: 1000, height: 700, isMaximized: false });

      window.maximized = true;
      window.emit('resize');
      window.emit('close');
      expect(save).toHaveBeenCalledTimes(2);
      expect(save).toHaveBeenLastCalledWith({ x: 10, y: 0, width: 1000, height: 700, isMaximized: true });
      vi.advanceTimersByTime(1000);
      expect(save).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not save the bounds of a minimized window', () => {
    const window = fakeWindow({ x: -32000, y: -32000, width: 160, height: 28 });
    window.minimized = true;
    const save = vi.fn();
    trackWindowState(window, save);
    window.emit('close');
    expect(save).not.toHaveBeenCalled();
  });

  it('keeps the app running when saving fails', () => {
    const window = fakeWindow({ x: 0, y: 0, width: 1000, height: 700 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    trackWindowState(window, () => {
      throw new Error('disk full');
    });
    expect(() => window.emit('close')).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('disk full'));
    warn.mockRestore();
  });
});
