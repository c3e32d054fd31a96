/**
 * The bell's state: the unread count (polled: one index lookup per poll, like the board's
 * `board.version`), the panel's pages, marking read, and — in the desktop app — the OS
 * notifications for what arrived since the last poll (decided in desktop.ts).
 */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { NotificationItem } from '../../../electron/shared/notifications';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { i18next } from '../../i18n';
import type { Route } from '../../stores/nav';
import { notificationRoute, notificationText } from './describe';
import { nextSince, osNoticesToShow } from './desktop';

/** Polls while the window is in front; slower behind it (the desktop app still shows OS notices). */
export const POLL_MS = 10_000;
export const BACKGROUND_POLL_MS = 30_000;
const PAGE = 20;

interface NotificationsState {
  count: number;
  capped: boolean;
  newestId: string | null;
  open: boolean;
  unreadOnly: boolean;
  rows: NotificationItem[];
  nextCursor: string | null;
  loading: boolean;
  error: ErrorInfo | null;
  /** The workspace's clock when the page was read (relative times count from it, not from this machine's clock). */
  serverNow: number;
  /** Desktop: notifications created after this were not yet offered to the OS; null before the first poll. */
  osSince: number | null;
  refresh: () => Promise<void>;
  setOpen: (open: boolean) => void;
  setUnreadOnly: (unreadOnly: boolean) => void;
  loadPage: (reset: boolean) => Promise<void>;
  markRead: (id: string) => Promise<void>;
  markAll: () => Promise<void>;
  /** Starts polling; returns the function that stops it. */
  startLive: () => () => void;
  reset: () => void;
}

const INITIAL = {
  serverNow: 0, count: 0, capped: false, newestId: null, open: false, unreadOnly: false, rows: [], nextCursor: null, loading: false, error: null, osSince: null,
};

function fail(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  handleSessionLoss(info);
  return info;
}

function inFront(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export const useNotifications = create<NotificationsState>((set, get) => ({
  ...INITIAL,

  refresh: async () => {
    try {
      const before = get().newestId;
      const c = await call('notifications.unreadCount', {});
      set({ count: c.count, capped: c.capped, newestId: c.newestId });
      if (c.newestId !== before) {
        if (get().open) void get().loadPage(true);
        await offerToOs();
      }
    } catch (error) {
      fail(error);
    }
  },

  setOpen: (open) => {
    set({ open });
    if (open) void get().loadPage(true);
  },

  setUnreadOnly: (unreadOnly) => {
    set({ unreadOnly });
    void get().loadPage(true);
  },

  loadPage: async (reset) => {
    const cursor = reset ? undefined : get().nextCursor ?? undefined;
    if (!reset && !cursor) return;
    set({ loading: true, error: null });
    try {
      const page = await call('notifications.list', { unreadOnly: get().unreadOnly, limit: PAGE, ...(cursor ? { cursor } : {}) });
      set((s) => ({ rows: reset ? page.rows : [...s.rows, ...page.rows], nextCursor: page.nextCursor, loading: false, serverNow: page.now }));
    } catch (error) {
      set({ loading: false, error: fail(error) });
    }
  },

  markRead: async (id) => {
    const row = get().rows.find((r) => r.id === id);
    if (row && row.readAt !== null) return;
    try {
      const c = await call('notifications.markRead', { notificationId: id });
      const now = Date.now();
      set((s) => ({ count: c.count, capped: c.capped, newestId: c.newestId, rows: s.rows.map((r) => (r.id === id ? { ...r, readAt: now } : r)) }));
    } catch (error) {
      set({ error: fail(error) });
    }
  },

  markAll: async () => {
    try {
      const c = await call('notifications.markAllRead', {});
      const now = Date.now();
      set((s) => ({
        count: c.count, capped: c.capped, newestId: c.newestId,
        rows: s.unreadOnly ? [] : s.rows.map((r) => (r.readAt === null ? { ...r, readAt: now } : r)),
        nextCursor: s.unreadOnly ? null : s.nextCursor,
      }));
    } catch (error) {
      set({ error: fail(error) });
    }
  },

  startLive: () => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let inFlight = false;
    const tick = () => {
      if (stopped) return;
      if (!inFlight) {
        inFlight = true;
        void get().refresh().finally(() => {
          inFlight = false;
        });
      }
      timer = setTimeout(tick, document.visibilityState === 'visible' ? POLL_MS : BACKGROUND_POLL_MS);
    };
    // Coming back to the window refreshes at once.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void get().refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  },

  reset: () => set({ ...INITIAL }),
}));

/** Desktop: where each notification offered to the OS leads, for its click. */
export const osTargets = new Map<string, Route>();

/**
 * Desktop only (the preload offers `showNotification`): reads the newest unread page and hands the
 * new ones to the OS. The first poll only notes where "new" begins: the backlog is the bell's.
 */
async function offerToOs(): Promise<void> {
  const bridge = window.helpdesk?.showNotification;
  if (!bridge) return;
  const { rows } = await call('notifications.list', { unreadOnly: true, limit: 10 });
  const since = useNotifications.getState().osSince;
  useNotifications.setState({ osSince: nextSince(since ?? 0, rows) });
  if (since === null) return;
  const notices = osNoticesToShow({
    rows, since, inFront: inFront(),
    text: (r) => notificationText(r), summary: (count) => i18next.t('notif.summary', { count }), appName: i18next.t('app.name'),
  });
  for (const row of rows) osTargets.set(row.id, notificationRoute(row));
  for (const notice of notices) bridge(notice);
}
