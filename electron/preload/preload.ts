/**
 * The sandboxed preload (bundled to dist/electron/preload.cjs). It exposes exactly one object,
 * `window.helpdesk`: one named function per API method, each bound to its own IPC channel, plus
 * the platform. No generic invoke, no ipcRenderer, no zod (only the method-name list is imported).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../shared/methods';
import type { HelpdeskApi, HelpdeskMethods } from './api-type';

/** Must match electron/main/ipc.ts CHANNEL_PREFIX; test/unit/electron checks both sides. */
const CHANNEL_PREFIX = 'helpdesk:';

const methods = Object.fromEntries(
  METHOD_NAMES.map((name) => {
    const channel = CHANNEL_PREFIX + name;
    // Only the two envelope fields cross; the renderer cannot choose the channel or add arguments.
    return [name, (input: unknown, session: string | null) => ipcRenderer.invoke(channel, { input, session })];
  }),
) as HelpdeskMethods;

const api = { methods, platform: process.platform } satisfies HelpdeskApi;

contextBridge.exposeInMainWorld('helpdesk', api);
