import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  CHANNEL_PREFIX,
  channelFor,
  handleCall,
  isTrustedSender,
  registerIpc,
  type CallTarget,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
  type RegisterIpcOptions,
  type SenderPolicy,
} from '../../../electron/main/ipc';
import { APP_INDEX_URL } from '../../../electron/main/app-protocol';
import { METHOD_NAMES } from '../../../electron/shared/methods';

const rendererUrl = APP_INDEX_URL;
const WINDOW_ID = 7;
const policy: SenderPolicy = { rendererUrl, isAppContents: (id) => id === WINDOW_ID };

function frame(url: string, parent: FrameLike | null = null, ids = { processId: 3, routingId: 1 }): FrameLike {
  return { url, parent, ...ids };
}

/** An invoke event from our window's top frame unless a test overrides a part of it. */
function event(overrides: { senderFrame?: FrameLike | null; senderId?: number; mainFrame?: FrameLike } = {}): InvokeEventLike {
  const mainFrame = overrides.mainFrame ?? frame(rendererUrl);
  return {
    sender: { id: overrides.senderId ?? WINDOW_ID, mainFrame },
    senderFrame: 'senderFrame' in overrides ? (overrides.senderFrame ?? null) : mainFrame,
  };
}

describe('isTrustedSender', () => {
  it('accepts the top frame of our window showing our renderer', () => {
    expect(isTrustedSender(event(), policy)).toBe(true);
    const routed = frame(`${rendererUrl}#/tickets`);
    expect(isTrustedSender(event({ mainFrame: routed, senderFrame: routed }), policy)).toBe(true);
  });

  it('refuses a subframe, even one showing our own document', () => {
    const top = frame(rendererUrl);
    const child = frame(rendererUrl, top, { processId: 3, routingId: 2 });
    expect(isTrustedSender(event({ mainFrame: top, senderFrame: child }), policy)).toBe(false);
  });

  it('refuses a frame that claims to be top-level but is not the main frame', () => {
    const other = frame(rendererUrl, null, { processId: 9, routingId: 1 });
    expect(isTrustedSender(event({ senderFrame: other }), policy)).toBe(false);
  });

  it('refuses other documents and origins', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost:5173/',
      'app://mesa/other.html',
      'app://evil/index.html',
      pathToFileURL('/app/dist/renderer/index.html').href,
      pathToFileURL('/tmp/index.html').href,
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
    ]) {
      const top = frame(url);
      expect(isTrustedSender(event({ mainFrame: top, senderFrame: top }), policy), url).toBe(false);
    }
  });

  it('refuses a missing or destroyed frame', () => {
    expect(isTrustedSender(event({ senderFrame: null }), policy)).toBe(false);
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
      processId: 3,
      routingId: 1,
    };
    expect(isTrustedSender(event({ mainFrame: destroyed, senderFrame: destroyed }), policy)).toBe(false);
  });

  it('refuses web contents that are not one of our windows', () => {
    expect(isTrustedSender(event({ senderId: 99 }), policy)).toBe(false);
  });
});

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
  return { ipcMain, handlers };
}

function fakeHost(answer: CallTarget['call'] = async (method) => ({ ok: true, value: { method } })) {
  return { call: vi.fn(answer) };
}

function options(host: CallTarget | null, log = vi.fn()): RegisterIpcOptions {
  return { ...policy, host: () => host, log };
}

describe('registerIpc', () => {
  it('registers exactly one handler per API method, and removes them all', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerIpc(ipcMain, options(fakeHost()));
    expect([...handlers.keys()].sort()).toStrictEqual(METHOD_NAMES.map((name) => `helpdesk:${name}`).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('uses the channel prefix the preload uses', () => {
    expect(CHANNEL_PREFIX).toBe('helpdesk:');
    expect(channelFor('tickets.create')).toBe('helpdesk:tickets.create');
  });

  it('passes a trusted call to core with its input and session', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const host = fakeHost();
    registerIpc(ipcMain, options(host));
    const result = await handlers.get('helpdesk:tickets.get')?.(event(), { input: { ticketId: 't1' }, session: 'abc' });
    expect(result).toStrictEqual({ ok: true, value: { method: 'tickets.get' } });
    expect(host.call).toHaveBeenCalledExactlyOnceWith('tickets.get', { ticketId: 't1' }, 'abc');
  });

  it('refuses an untrusted sender with api.badToken, logs it, and never reaches core', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const host = fakeHost();
    const log = vi.fn();
    registerIpc(ipcMain, options(host, log));
    const child = frame(rendererUrl, frame(rendererUrl), { processId: 3, routingId: 5 });
    const result = await handlers.get('helpdesk:users.list')?.(event({ senderFrame: child }), { input: {}, session: 's' });
    expect(result).toStrictEqual({ ok: false, error: { code: 'api.badToken' } });
    expect(host.call).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('users.list'));
  });
});

describe('handleCall envelope validation', () => {
  it('rejects garbage envelopes with api.badEnvelope without calling core', async () => {
    const host = fakeHost();
    for (const payload of [
      undefined,
      null,
      'input',
      42,
      [],
      [{ input: {} }],
      { session: 5 },
      { session: { token: 'x' } },
      { session: 'x'.repeat(201) },
    ]) {
      const result = await handleCall('auth.me', event(), payload, options(host));
      expect(result, JSON.stringify(payload)).toStrictEqual({ ok: false, error: { code: 'api.badEnvelope' } });
    }
    expect(host.call).not.toHaveBeenCalled();
  });

  it('treats a missing input or session as absent', async () => {
    const host = fakeHost();
    await handleCall('app.status', event(), {}, options(host));
    expect(host.call).toHaveBeenCalledExactlyOnceWith('app.status', undefined, null);
  });

  it('answers api.unavailable while core is not open', async () => {
    const result = await handleCall('app.status', event(), { input: {} }, options(null));
    expect(result).toStrictEqual({ ok: false, error: { code: 'api.unavailable' } });
  });

  it('turns a core exception into errors.internal instead of a rejected promise', async () => {
    const log = vi.fn();
    const host = fakeHost(async () => {
      throw new Error('boom');
    });
    const result = await handleCall('tickets.list', event(), { input: {} }, options(host, log));
    expect(result).toStrictEqual({ ok: false, error: { code: 'errors.internal' } });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('boom'));
  });

  it('passes core’s own error results through unchanged', async () => {
    const error = { code: 'validation.failed', fields: { rfc: 'rfc.length' } };
    const host = fakeHost(async () => ({ ok: false, error }));
    expect(await handleCall('customers.create', event(), { input: {} }, options(host))).toStrictEqual({ ok: false, error });
  });
});
