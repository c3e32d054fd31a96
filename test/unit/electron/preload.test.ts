import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX } from '../../../electron/main/ipc';
import { METHOD_NAMES } from '../../../electron/shared/methods';

// The real 'electron' module would try to download the binary; the preload only needs these.
const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (...args: unknown[]): Promise<unknown> => ({ ok: true, value: args })),
  send: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: { invoke: electron.invoke, send: electron.send, on: electron.on, removeListener: electron.removeListener },
}));

let exposed: {
  methods: Record<string, (input: unknown, session: string | null) => Promise<unknown>>;
  platform: string;
  showNotification: (...args: unknown[]) => void;
  onNotificationClick: (listener: (id: string | null) => void) => () => void;
};

beforeAll(async () => {
  await import('../../../electron/preload/preload');
  expect(electron.exposeInMainWorld).toHaveBeenCalledOnce();
  const [key, api] = electron.exposeInMainWorld.mock.calls[0] as [string, typeof exposed];
  expect(key).toBe('helpdesk');
  exposed = api;
});

describe('preload', () => {
  it('exposes only the methods object, the platform and the two OS-notification functions', () => {
    expect(Object.keys(exposed).sort()).toStrictEqual(['methods', 'onNotificationClick', 'platform', 'showNotification']);
    expect(exposed.platform).toBe(process.platform);
  });

  it('has one function per API method and nothing else', () => {
    expect(Object.keys(exposed.methods).sort()).toStrictEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) expect(typeof exposed.methods[name]).toBe('function');
  });

  it('sends each method to its own channel with only the input and session', async () => {
    for (const name of METHOD_NAMES) {
      electron.invoke.mockClear();
      // A third argument from a compromised page must not reach the main process.
      const method = exposed.methods[name] as (...args: unknown[]) => Promise<unknown>;
      await method({ any: 'input' }, 'session-token', 'extra');
      expect(electron.invoke).toHaveBeenCalledExactlyOnceWith(`${CHANNEL_PREFIX}${name}`, {
        input: { any: 'input' },
        session: 'session-token',
      });
    }
  });

  it('returns what the main process answers', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'auth.required' } });
    await expect(exposed.methods['auth.me']?.(undefined, null)).resolves.toStrictEqual({ ok: false, error: { code: 'auth.required' } });
  });

  it('sends an OS notice on its one channel with nothing else; a click listener gets only an id or null, and can stop', () => {
    const notice = { notificationId: null, title: 'Mesa de Ayuda', body: '2 avisos nuevos' };
    exposed.showNotification(notice, 'extra');
    expect(electron.send).toHaveBeenCalledExactlyOnceWith('helpdesk-os:notify', notice);
    const seen: Array<string | null> = [];
    const stop = exposed.onNotificationClick((id) => seen.push(id));
    const [channel, handler] = electron.on.mock.calls[0] as [string, (event: unknown, id: unknown) => void];
    expect(channel).toBe('helpdesk-os:notification-click');
    handler({ sender: 'event object stays here' }, '0190c2a4-0000-7000-8000-000000000001');
    handler({}, { not: 'an id' });
    expect(seen).toEqual(['0190c2a4-0000-7000-8000-000000000001', null]);
    stop();
    expect(electron.removeListener).toHaveBeenCalledExactlyOnceWith('helpdesk-os:notification-click', handler);
  });
});
