/** The type of `window.helpdesk`, shared by the preload (which builds it) and the renderer. */
import type { MethodName, MethodResult } from '../shared/contract';
import type { Result } from '../shared/errors';
import type { OsNotice } from '../shared/notifications';

export type HelpdeskMethods = {
  [M in MethodName]: (input: unknown, session: string | null) => Promise<Result<MethodResult<M>>>;
};

export interface HelpdeskApi {
  /** One named function per API method; each goes to its own validated IPC channel. */
  methods: HelpdeskMethods;
  platform: string;
  /** Desktop only: shows an OS notification (main checks it and calls Electron's Notification). */
  showNotification?: (notice: OsNotice) => void;
  /** Desktop only: `listener` gets the notification id (null for a summary) when one is clicked; returns the unsubscribe. */
  onNotificationClick?: (listener: (notificationId: string | null) => void) => () => void;
}
