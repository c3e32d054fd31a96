import { pathToFileURL } from 'node:url';
import { APP_INDEX_URL } from '../../../electron/main/app-protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  hardenAllWebContents,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  isExternalLink,
  secureWebPreferences,
  type HardenableContents,
} from '../../../electron/main/security';

const rendererUrl = APP_INDEX_URL;
const rendererIndex = '/opt/Mesa de Ayuda/resources/app.asar/dist/renderer/index.html';

type Listener = (...args: unknown[]) => void;

/** A web contents that records its listeners so a test can fire the events Electron would. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      openHandler = handler;
    },
  };
  const emit = (event: string, ...args: unknown[]) => {
    for (const listener of listeners.get(event) ?? []) listener(...args);
  };
  /** Fires a preventable event and reports whether a listener cancelled it. */
  const attempt = (event: string, url?: string) => {
    const preventDefault = vi.fn();
    emit(event, { preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as HardenableContents,
    attempt,
    open: (url: string) => openHandler?.({ url }),
    hasOpenHandler: () => openHandler !== undefined,
  };
}

function hardened() {
  const fake = fakeContents();
  const openExternal = vi.fn(async (_url: string) => {});
  const log = vi.fn();
  hardenWebContents(fake.contents, { rendererUrl, openExternal, log });
  return { ...fake, openExternal, log };
}

describe('secureWebPreferences', () => {
  it('is exactly the hardened set, with the preload path', () => {
    expect(secureWebPreferences('/app/dist/electron/preload.cjs')).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/dist/electron/preload.cjs',
    });
  });
});

describe('hardenSession', () => {
  it('denies every permission request and every permission check', () => {
    let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | undefined;
    let checkHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | undefined;
    let deviceHandler: ((details: unknown) => boolean) | undefined;
    hardenSession({
      setPermissionRequestHandler: (handler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler) => (checkHandler = handler),
      setDevicePermissionHandler: (handler) => (deviceHandler = handler),
    });

    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      requestHandler?.({}, permission, callback, { requestingUrl: rendererUrl });
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(checkHandler?.({}, permission, rendererUrl, {})).toBe(false);
    }
    expect(deviceHandler?.({ deviceType: 'hid' })).toBe(false);
  });

  it('works on sessions without a device permission handler', () => {
    const setPermissionRequestHandler = vi.fn();
    const setPermissionCheckHandler = vi.fn();
    hardenSession({ setPermissionRequestHandler, setPermissionCheckHandler });
    expect(setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(setPermissionCheckHandler).toHaveBeenCalledOnce();
  });
});

describe('isAppUrl', () => {
  it('accepts the renderer document, with or without a hash or query', () => {
    expect(isAppUrl(rendererUrl, rendererUrl)).toBe(true);
    expect(isAppUrl(`${rendererUrl}#/tickets/42`, rendererUrl)).toBe(true);
    expect(isAppUrl(`${rendererUrl}?lang=en`, rendererUrl)).toBe(true);
  });

  it('refuses other files, other schemes and garbage', () => {
    expect(isAppUrl('app://mesa/other.html', rendererUrl)).toBe(false);
    expect(isAppUrl('app://evil/index.html', rendererUrl)).toBe(false);
    expect(isAppUrl('app://user@mesa/index.html', rendererUrl)).toBe(false);
    // The file the app used to load is foreign now that the renderer has its own scheme.
    expect(isAppUrl(pathToFileURL(rendererIndex).href, rendererUrl)).toBe(false);
    expect(isAppUrl(pathToFileURL('/etc/passwd').href, rendererUrl)).toBe(false);
    expect(isAppUrl('file://evil.example/opt/Mesa%20de%20Ayuda/resources/app.asar/dist/renderer/index.html', rendererUrl)).toBe(false);
    expect(isAppUrl('https://example.com/', rendererUrl)).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html', rendererUrl)).toBe(false);
    expect(isAppUrl('devtools://devtools/bundled/inspector.html', rendererUrl)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', rendererUrl)).toBe(false);
    expect(isAppUrl('about:blank', rendererUrl)).toBe(false);
    expect(isAppUrl('not a url', rendererUrl)).toBe(false);
    expect(isAppUrl('', rendererUrl)).toBe(false);
  });

  it('does not let a path that merely starts with the app path through', () => {
    expect(isAppUrl(`${rendererUrl}.evil.html`, rendererUrl)).toBe(false);
    expect(isAppUrl(rendererUrl.replace('/index.html', '/index.html/../../../../secret.html'), rendererUrl)).toBe(false);
  });
});

describe('isExternalLink', () => {
  it('lets only https out', () => {
    expect(isExternalLink('https://www.sat.gob.mx/')).toBe(true);
    expect(isExternalLink('http://www.sat.gob.mx/')).toBe(false);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('smb://server/share')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('nonsense')).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it('prevents navigation and redirects to any other origin', () => {
    const fake = hardened();
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', pathToFileURL('/tmp/x.html').href, 'data:text/html,hi']) {
      expect(fake.attempt('will-navigate', url)).toBe(true);
      expect(fake.attempt('will-redirect', url)).toBe(true);
    }
    expect(fake.log).toHaveBeenCalled();
    expect(fake.openExternal).not.toHaveBeenCalled();
  });

  it('allows navigation within the app document', () => {
    const fake = hardened();
    expect(fake.attempt('will-navigate', `${rendererUrl}#/customers`)).toBe(false);
    expect(fake.attempt('will-redirect', rendererUrl)).toBe(false);
  });

  it('denies window.open and sends only https links to the system browser', () => {
    const fake = hardened();
    expect(fake.hasOpenHandler()).toBe(true);
    expect(fake.open('https://www.sat.gob.mx/consultas')).toStrictEqual({ action: 'deny' });
    expect(fake.openExternal).toHaveBeenCalledExactlyOnceWith('https://www.sat.gob.mx/consultas');

    for (const url of ['http://example.com/', 'file:///etc/passwd', rendererUrl, 'about:blank', 'javascript:alert(1)']) {
      expect(fake.open(url)).toStrictEqual({ action: 'deny' });
    }
    expect(fake.openExternal).toHaveBeenCalledOnce();
  });

  it('logs instead of throwing when the system browser cannot open a link', async () => {
    const fake = fakeContents();
    const log = vi.fn();
    hardenWebContents(fake.contents, { rendererUrl, openExternal: () => Promise.reject(new Error('no browser')), log });
    expect(fake.open('https://example.com/')).toStrictEqual({ action: 'deny' });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('no browser')));
  });

  it('refuses to attach a webview', () => {
    const fake = hardened();
    expect(fake.attempt('will-attach-webview')).toBe(true);
  });
});

describe('hardenAllWebContents', () => {
  it('hardens every web contents the app creates', () => {
    let created: ((event: unknown, contents: HardenableContents) => void) | undefined;
    const app = {
      on: (event: 'web-contents-created', listener: (event: unknown, contents: HardenableContents) => void) => {
        expect(event).toBe('web-contents-created');
        created = listener;
      },
    };
    hardenAllWebContents(app, { rendererUrl, openExternal: vi.fn(), log: vi.fn() });

    const fake = fakeContents();
    created?.({}, fake.contents);
    expect(fake.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(fake.attempt('will-attach-webview')).toBe(true);
    expect(fake.open('http://example.com/')).toStrictEqual({ action: 'deny' });
  });
});
