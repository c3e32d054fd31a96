/**
 * The thin bridge to Electron's `Notification` (issue 14). What to show is decided in the renderer
 * (renderer/features/notifications/desktop.ts, unit-tested); here a message from the app's own
 * top frame is checked (sender, then the notice's shape: short plain text and an id) and shown,
 * and a click brings the window forward and tells it which notification to open.
 * No 'electron' import at runtime: main passes `ipcMain` and `Notification` in, tests pass fakes.
 */
import { osNoticeSchema, type OsNotice } from '../shared/notifications';
import { OS_NOTIFY_CHANNEL } from '../shared/os-notify';
import { isTrustedSender, type InvokeEventLike, type SenderPolicy } from './ipc';

/** The part of an Electron `Notification` the bridge uses. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): void;
  show(): void;
}

/** Electron's `Notification` class, as far as the bridge needs it. */
export interface NotificationClass {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported(): boolean;
}

/** The part of Electron's `ipcMain` the bridge touches (one-way messages). */
export interface IpcMainOnLike<E extends InvokeEventLike = InvokeEventLike> {
  on(channel: string, listener: (event: E, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: E, payload: unknown) => void): void;
}

export interface OsNotificationOptions extends SenderPolicy {
  Notification: NotificationClass;
  /** A notification was clicked: bring the window forward and tell it (null: a summary). */
  onClick: (notificationId: string | null) => void;
  log?: (message: string) => void;
}

/** Listens for the renderer's notices; returns the function that stops listening. */
export function registerOsNotifications<E extends InvokeEventLike>(ipcMain: IpcMainOnLike<E>, options: OsNotificationOptions): () => void {
  const log = options.log ?? ((message: string) => console.warn(message));
  // Electron may collect a Notification that nothing references, and its click with it.
  const shown = new Set<NotificationLike>();
  const listener = (event: E, payload: unknown) => {
    if (!isTrustedSender(event, options)) {
      log('[os-notify] refused a notice from an untrusted sender');
      return;
    }
    const notice = osNoticeSchema.safeParse(payload);
    if (!notice.success) {
      log('[os-notify] refused a malformed notice');
      return;
    }
    if (!options.Notification.isSupported()) return;
    show(options, notice.data, shown);
  };
  ipcMain.on(OS_NOTIFY_CHANNEL, listener);
  return () => ipcMain.removeListener(OS_NOTIFY_CHANNEL, listener);
}

function show(options: OsNotificationOptions, notice: OsNotice, shown: Set<NotificationLike>): void {
  const n = new options.Notification({ title: notice.title, body: notice.body });
  shown.add(n);
  n.on('click', () => {
    shown.delete(n);
    options.onClick(notice.notificationId);
  });
  n.on('close', () => shown.delete(n));
  n.show();
}
