/**
 * The desktop app's OS notifications (issue 14): main shows a notice only when it comes from the
 * app's own top frame and is short plain text with an id; a click tells the window which one.
 * Electron's `Notification` and `ipcMain` are fakes: the Electron binary is not on this machine
 * (the packaged app's e2e in test/e2e/electron is skipped there for that reason).
 */
import { describe, expect, it, vi } from 'vitest';
import { registerOsNotifications, type NotificationLike } from '../../../electron/main/os-notifications';
import type { FrameLike, InvokeEventLike } from '../../../electron/main/ipc';

const RENDERER_URL = 'file:///opt/mesa/resources/app.asar/dist/renderer/index.html';

function frame(url: string, parent: FrameLike | null = null): FrameLike {
  return { url, parent, processId: 7, routingId: 1 };
}
function event(url = RENDERER_URL, contentsId = 1, sub = false): InvokeEventLike {
  const top = frame(url);
  return { sender: { id: contentsId, mainFrame: top }, senderFrame: sub ? { ...frame(url, top), routingId: 2 } : top };
}

function setup(supported = true) {
  const shown: Array<{ options: { title: string; body: string }; listeners: Map<string, () => void> }> = [];
  class FakeNotification implements NotificationLike {
    private readonly listeners = new Map<string, () => void>();
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported() {
      return supported;
    }
    on(name: 'click' | 'close', listener: () => void) {
      this.listeners.set(name, listener);
    }
    show() {
      shown.push({ options: this.options, listeners: this.listeners });
    }
  }
  let listener: ((e: InvokeEventLike, payload: unknown) => void) | null = null;
  const ipcMain = {
    on: vi.fn((_channel: string, l: (e: InvokeEventLike, payload: unknown) => void) => (listener = l)),
    removeListener: vi.fn(),
  };
  const clicks: Array<string | null> = [];
  const log = vi.fn();
  const stop = registerOsNotifications(ipcMain, {
    Notification: FakeNotification, rendererUrl: RENDERER_URL, isAppContents: (id) => id === 1, onClick: (id) => clicks.push(id), log,
  });
  return { shown, clicks, log, stop, ipcMain, send: (e: InvokeEventLike, payload: unknown) => listener!(e, payload) };
}

const NOTICE = { notificationId: '0190c2a4-0000-7000-8000-000000000001', title: 'Mesa de Ayuda', body: 'Se le asignó el ticket MTY-000123' };

describe('OS notifications bridge', () => {
  it('shows a notice from the app window, and its click opens that notification', () => {
    const b = setup();
    expect(b.ipcMain.on).toHaveBeenCalledWith('helpdesk-os:notify', expect.any(Function));
    b.send(event(), NOTICE);
    expect(b.shown.map((s) => s.options)).toEqual([{ title: 'Mesa de Ayuda', body: 'Se le asignó el ticket MTY-000123' }]);
    b.shown[0]!.listeners.get('click')!();
    expect(b.clicks).toEqual([NOTICE.notificationId]);
    b.send(event(), { notificationId: null, title: 'Mesa de Ayuda', body: '5 avisos nuevos' });
    b.shown[1]!.listeners.get('click')!();
    expect(b.clicks).toEqual([NOTICE.notificationId, null]);
    b.stop();
    expect(b.ipcMain.removeListener).toHaveBeenCalledWith('helpdesk-os:notify', expect.any(Function));
  });

  it('ignores other senders: another document, a subframe, a window that is not the app’s', () => {
    const b = setup();
    b.send(event('https://evil.example/'), NOTICE);
    b.send(event(RENDERER_URL, 1, true), NOTICE);
    b.send(event(RENDERER_URL, 2), NOTICE);
    expect(b.shown).toEqual([]);
    expect(b.log).toHaveBeenCalledTimes(3);
  });

  it('ignores malformed notices: long text, extra fields, an id that is not one', () => {
    const b = setup();
    b.send(event(), { ...NOTICE, body: 'x'.repeat(301) });
    b.send(event(), { ...NOTICE, icon: 'file:///etc/passwd' });
    b.send(event(), { ...NOTICE, notificationId: '../../x' });
    b.send(event(), 'texto');
    expect(b.shown).toEqual([]);
  });

  it('shows nothing where the system has no notifications', () => {
    const b = setup(false);
    b.send(event(), NOTICE);
    expect(b.shown).toEqual([]);
  });
});
