/**
 * Remembers the main window's size, position and maximized state in `<userData>/window-state.json`.
 * The file is untrusted input (hand-edited, half-written, from a machine with another monitor), so
 * it is parsed with zod and clamped to a display that is connected now; anything unusable falls
 * back to a centered default. No 'electron' import: displays and the window are passed in.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS center the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  isMaximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;
/** At least this much of the title bar must be on a display for a saved position to be kept. */
const MIN_VISIBLE = 100;

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);
const stateFileSchema = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: size,
  height: size,
  isMaximized: z.boolean().default(false),
});

export function defaultWindowState(): WindowState {
  return { ...DEFAULT_SIZE, isMaximized: false };
}

/**
 * Turns the saved file's text (or null when there is none) into a state that fits the given
 * display work areas. Corrupt JSON or a wrong shape yields the default.
 */
export function parseWindowState(text: string | null, workAreas: readonly Rect[]): WindowState {
  if (text === null) return clampToDisplays(defaultWindowState(), workAreas);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return clampToDisplays(defaultWindowState(), workAreas);
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success) return clampToDisplays(defaultWindowState(), workAreas);
  const { x, y, width, height, isMaximized } = parsed.data;
  const state: WindowState = { width, height, isMaximized };
  if (x !== undefined && y !== undefined) {
    state.x = x;
    state.y = y;
  }
  return clampToDisplays(state, workAreas);
}

/**
 * Shrinks the window to fit the display it is (mostly) on and keeps it reachable: a position
 * whose title bar is not on any display is dropped, so the OS centers the window instead.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const home = state.x !== undefined && state.y !== undefined ? displayFor(state as Rect, workAreas) : undefined;
  const area = home ?? workAreas[0];
  const width = Math.max(MIN_SIZE.width, area ? Math.min(state.width, area.width) : state.width);
  const height = Math.max(MIN_SIZE.height, area ? Math.min(state.height, area.height) : state.height);
  const clamped: WindowState = { width, height, isMaximized: state.isMaximized };
  if (home && state.x !== undefined && state.y !== undefined) {
    // Pull the window fully inside the display when it overhangs an edge.
    clamped.x = Math.min(Math.max(state.x, home.x), home.x + home.width - Math.min(width, home.width));
    clamped.y = Math.min(Math.max(state.y, home.y), home.y + home.height - Math.min(height, home.height));
  }
  return clamped;
}

/** The display whose work area shows the largest part of the window's title bar strip. */
function displayFor(bounds: Rect, workAreas: readonly Rect[]): Rect | undefined {
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, 40) };
  let best: Rect | undefined;
  let bestVisible = 0;
  for (const area of workAreas) {
    const visibleWidth = overlap(titleBar.x, titleBar.width, area.x, area.width);
    const visibleHeight = overlap(titleBar.y, titleBar.height, area.y, area.height);
    if (visibleWidth >= Math.min(MIN_VISIBLE, titleBar.width) && visibleHeight > 0 && visibleWidth > bestVisible) {
      best = area;
      bestVisible = visibleWidth;
    }
  }
  return best;
}

function overlap(start: number, length: number, otherStart: number, otherLength: number): number {
  return Math.max(0, Math.min(start + length, otherStart + otherLength) - Math.max(start, otherStart));
}

export function readWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No file yet (first run) or unreadable: use the default.
  }
  return parseWindowState(text, workAreas);
}

/** Writes via a temp file and rename so a crash mid-write never leaves half a JSON file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, file);
}

/** The part of Electron's `BrowserWindow` that tracking touches. */
export interface TrackableWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  once(event: 'closed', listener: () => void): unknown;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
  getNormalBounds(): Rect;
}

/** Snapshot of what to save: the normal (un-maximized) bounds plus the maximized flag. */
export function captureWindowState(window: TrackableWindow): WindowState {
  const { x, y, width, height } = window.getNormalBounds();
  return { x, y, width, height, isMaximized: window.isMaximized() || window.isFullScreen() };
}

/**
 * Saves the window's state on resize/move (debounced) and once more on close. Minimized windows
 * are not saved, since their bounds are meaningless. Returns a function that flushes pending saves.
 */
export function trackWindowState(
  window: TrackableWindow,
  save: (state: WindowState) => void,
  debounceMs = 500,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveNow = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (window.isMinimized()) return;
    try {
      save(captureWindowState(window));
    } catch (error) {
      console.warn(`[window-state] could not save: ${String(error)}`);
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, debounceMs);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('close', saveNow);
  window.once('closed', () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  });
  return saveNow;
}
