/**
 * The two IPC channels of the desktop app's OS notifications (issue 14): the renderer asks main to
 * show one; main tells the window which one was clicked. Constants only, so the sandboxed preload
 * can import them without bundling anything else.
 */
export const OS_NOTIFY_CHANNEL = 'helpdesk-os:notify';
export const OS_NOTIFICATION_CLICK_CHANNEL = 'helpdesk-os:notification-click';
