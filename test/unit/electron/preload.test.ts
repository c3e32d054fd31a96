import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX } from '../../../electron/main/ipc';
import { METHOD_NAMES } from '../../../electron/shared/methods';

// The real 'electron' module would try to download the binary; the preload only needs these two.
const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async (...args: unknown[]): Promise<unknown> => ({ ok: true, value: args })),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: { invoke: electron.invoke },
}));

let exposed: { methods: Record<string, (input: unknown, session: string | null) => Promise<unknown>>; platform: string };

beforeAll(async () => {
  await import('../../../electron/preload/preload');
  expect(electron.exposeInMainWorld).toHaveBeenCalledOnce();
  const [key, api] = electron.exposeInMainWorld.mock.calls[0] as [string, typeof exposed];
  expect(key).toBe('helpdesk');
  exposed = api;
});

describe('preload', () => {
  it('exposes only the methods object and the platform', () => {
    expect(Object.keys(exposed).sort()).toStrictEqual(['methods', 'platform']);
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
});
