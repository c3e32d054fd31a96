/**
 * The sandboxed preload (bundled to dist/electron/preload.cjs). It exposes exactly one object,
 * `window.helpdesk`: one named function per API method, each bound to its own IPC channel, plus
 * the platform. No generic invoke, no ipcRenderer, no zod (only the method-name list is imported).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../shared/methods';
import { OS_NOTIFICATION_CLICK_CHANNEL, OS_NOTIFY_CHANNEL } from '../shared/os-notify';
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

const api = {
  methods,
  platform: process.platform,
  // OS notifications (issue 14): main checks the notice; only the notice object crosses.
  showNotification: (notice) => ipcRenderer.send(OS_NOTIFY_CHANNEL, notice),
  onNotificationClick: (listener) => {
    const handler = (_event: unknown, id: unknown) => listener(typeof id === 'string' ? id : null);
    ipcRenderer.on(OS_NOTIFICATION_CLICK_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(OS_NOTIFICATION_CLICK_CHANNEL, handler);
    };
  },
} satisfies HelpdeskApi;

contextBridge.exposeInMainWorld('helpdesk', api);
