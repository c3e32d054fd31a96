import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../../electron/shared/methods';

type Listener = (...args: unknown[]) => unknown;

// Fakes for the Electron objects main.ts drives, and for core's host and the window factory.
const fakes = vi.hoisted(() => {
  const state = {
    listeners: new Map<string, Listener[]>(),
    gotLock: true,
    handlers: new Map<string, Listener>(),
    windows: [] as unknown[],
    openHostError: null as Error | null,
  };
  const on = (event: string, listener: Listener) => {
    state.listeners.set(event, [...(state.listeners.get(event) ?? []), listener]);
  };
  const app = {
    on: vi.fn(on),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    setPath: vi.fn(),
    isReady: vi.fn(() => true),
    getPath: vi.fn(() => '/home/ana/.config/Mesa de Ayuda'),
    requestSingleInstanceLock: vi.fn(() => state.gotLock),
    whenReady: vi.fn(() => Promise.resolve()),
  };
  const host = { call: vi.fn(async () => ({ ok: true, value: null })), close: vi.fn(async () => undefined) };
  const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
  const session = { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() } };
  return {
    state,
    app,
    host,
    protocol,
    session,
    startCore: vi.fn(async () => {
      if (state.openHostError) throw state.openHostError;
      return host;
    }),
    fork: vi.fn(),
    createMainWindow: vi.fn(() => {
      const window = { webContents: { id: 1 }, once: vi.fn(), isDestroyed: () => false, isMinimized: () => false, restore: vi.fn(), focus: vi.fn() };
      state.windows.push(window);
      return window;
    }),
    showErrorBox: vi.fn(),
    emit(event: string, ...args: unknown[]) {
      for (const listener of state.listeners.get(event) ?? []) listener(...args);
    },
  };
});

vi.mock('electron', () => ({
  app: fakes.app,
  BrowserWindow: { getAllWindows: () => fakes.state.windows },
  dialog: { showErrorBox: fakes.showErrorBox },
  ipcMain: {
    handle: (channel: string, listener: Listener) => fakes.state.handlers.set(channel, listener),
    removeHandler: (channel: string) => fakes.state.handlers.delete(channel),
    on: (channel: string, listener: Listener) => fakes.state.handlers.set(`on:${channel}`, listener),
    removeListener: (channel: string) => fakes.state.handlers.delete(`on:${channel}`),
  },
  Notification: class {
    static isSupported() {
      return false;
    }
  },
  protocol: fakes.protocol,
  // No OS secret store in the test: core keeps its own mail key file.
  safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
  session: fakes.session,
  shell: { openExternal: vi.fn() },
  utilityProcess: { fork: fakes.fork },
}));
vi.mock('../../../electron/main/core-process', () => ({ startCore: fakes.startCore }));
vi.mock('../../../electron/main/windows', () => ({ createMainWindow: fakes.createMainWindow }));

/** Loads main.ts afresh (it acts on import, like the real entry point) and lets `whenReady` settle. */
async function startMain() {
  vi.resetModules();
  await import('../../../electron/main/main');
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const originalPlatform = process.platform;
function setPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

describe('main process lifecycle', () => {
  beforeEach(() => {
    fakes.state.listeners.clear();
    fakes.state.handlers.clear();
    fakes.state.windows.length = 0;
    fakes.state.gotLock = true;
    fakes.state.openHostError = null;
    vi.clearAllMocks();
    vi.stubEnv('HELPDESK_DATA_DIR', '/tmp/helpdesk-main-test');
    vi.stubEnv('HELPDESK_USER_DATA_DIR', '');
    // main warns that the Electron build of the SQLite addon is missing, which is true here.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    setPlatform(originalPlatform);
  });

  it('hardens, starts core in its own process on the data dir, registers every IPC method and shows one window', async () => {
    await startMain();
    expect(fakes.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fakes.state.listeners.has('web-contents-created')).toBe(true);
    expect(fakes.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(fakes.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledOnce();
    expect(fakes.startCore).toHaveBeenCalledExactlyOnceWith(
      fakes.fork, expect.stringMatching(/core\.cjs$/), expect.objectContaining({ dataDir: '/tmp/helpdesk-main-test' }), expect.any(Function),
    );
    expect([...fakes.state.handlers.keys()].sort()).toStrictEqual(
      [...METHOD_NAMES.map((name) => `helpdesk:${name}`), 'on:helpdesk-os:notify'].sort(),
    );
    expect(fakes.createMainWindow).toHaveBeenCalledOnce();
  });

  it('serves the renderer from its own privileged app:// scheme, registered before the app is ready', async () => {
    await startMain();
    expect(fakes.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(fakes.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(fakes.app.whenReady.mock.invocationCallOrder[0] ?? 0);
    expect(fakes.protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
    // A request the handler refuses gets no file content.
    const handler = fakes.protocol.handle.mock.calls[0]?.[1] as (request: { method: string; url: string }) => Promise<Response>;
    const refused = await handler({ method: 'GET', url: 'app://mesa/../../etc/passwd' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
  });

  it('quits at once when another instance holds the lock', async () => {
    fakes.state.gotLock = false;
    await startMain();
    expect(fakes.app.quit).toHaveBeenCalledOnce();
    expect(fakes.startCore).not.toHaveBeenCalled();
    expect(fakes.state.handlers.size).toBe(0);
  });

  it('brings the existing window forward on a second launch instead of opening another', async () => {
    await startMain();
    fakes.emit('second-instance');
    expect(fakes.createMainWindow).toHaveBeenCalledOnce();
  });

  it('closes core (its process closes the workspace) before the app quits', async () => {
    await startMain();
    const first = { preventDefault: vi.fn() };
    fakes.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    expect(fakes.host.close).toHaveBeenCalledOnce();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fakes.app.quit).toHaveBeenCalledOnce();
    // The quit that follows goes through.
    const second = { preventDefault: vi.fn() };
    fakes.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(fakes.host.close).toHaveBeenCalledOnce();
  });

  it('quits when the last window closes, except on macOS', async () => {
    setPlatform('linux');
    await startMain();
    fakes.emit('window-all-closed');
    expect(fakes.app.quit).toHaveBeenCalledOnce();

    setPlatform('darwin');
    fakes.app.quit.mockClear();
    fakes.state.listeners.clear();
    await startMain();
    fakes.emit('window-all-closed');
    expect(fakes.app.quit).not.toHaveBeenCalled();
  });

  it('recreates the window on activate when none is open', async () => {
    await startMain();
    fakes.emit('activate');
    expect(fakes.createMainWindow).toHaveBeenCalledOnce();

    // The user closes the window (macOS keeps the app running), then clicks the dock icon.
    const [window] = fakes.state.windows as Array<{ once: ReturnType<typeof vi.fn> }>;
    const closed = window?.once.mock.calls.find(([event]) => event === 'closed')?.[1] as () => void;
    closed();
    fakes.state.windows.length = 0;
    fakes.emit('activate');
    expect(fakes.createMainWindow).toHaveBeenCalledTimes(2);
  });

  it('explains and exits when core cannot be opened, without a window', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    fakes.state.openHostError = new Error('better_sqlite3.node was compiled against a different Node.js version');
    await startMain();
    expect(fakes.showErrorBox).toHaveBeenCalledWith('Mesa de Ayuda', expect.stringContaining('different Node.js version'));
    expect(fakes.app.exit).toHaveBeenCalledWith(1);
    expect(fakes.createMainWindow).not.toHaveBeenCalled();
    error.mockRestore();
  });

  it('moves userData when HELPDESK_USER_DATA_DIR is set, before taking the instance lock', async () => {
    vi.stubEnv('HELPDESK_USER_DATA_DIR', '/tmp/isolated-profile');
    await startMain();
    expect(fakes.app.setPath).toHaveBeenCalledWith('userData', '/tmp/isolated-profile');
    expect(fakes.app.setPath.mock.invocationCallOrder[0]).toBeLessThan(fakes.app.requestSingleInstanceLock.mock.invocationCallOrder[0] ?? 0);
  });
});
