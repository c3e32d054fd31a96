/**
 * The Electron security checklist in one place: hardened web preferences, a session that grants no
 * permission, web contents that cannot navigate away, open windows or attach webviews.
 * Nothing here imports 'electron' at runtime — callers pass the objects in — so every rule is
 * unit-tested with fakes (test/unit/electron/security.test.ts).
 */
/** The only `webPreferences` a window of this app is created with. */
export function secureWebPreferences(preload: string) {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    preload,
  } as const;
}

/** The part of Electron's `Session` that `hardenSession` touches. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, origin: string, details: unknown) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
}

/** Denies every permission request and check (camera, notifications, clipboard, HID, …): the app needs none. */
export function hardenSession(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}

/**
 * True when `url` is the app's own renderer document (`rendererUrl`, `app://mesa/index.html`); the
 * query and hash are ignored so in-page routing keeps working. Everything else — other paths,
 * other hosts, `file:` and web URLs, unparsable strings — is foreign.
 */
export function isAppUrl(url: string, rendererUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (candidate.protocol !== app.protocol || candidate.host !== app.host) return false;
  if (candidate.username || candidate.password) return false;
  try {
    // Compare decoded paths so different escapings of the same name are the same document.
    return decodeURIComponent(candidate.pathname) === decodeURIComponent(app.pathname);
  } catch {
    return false;
  }
}

/** Only https links leave the app, and only to the system browser. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `WebContents` that `hardenWebContents` touches. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface HardenOptions {
  /** The renderer document's URL (`app://mesa/index.html`). */
  rendererUrl: string;
  /** `shell.openExternal`; called only with https URLs. */
  openExternal: (url: string) => Promise<void> | void;
  log?: (message: string) => void;
}

/**
 * Keeps a web contents on the app's own document: navigation and redirects elsewhere are
 * cancelled, new windows are refused (https links go to the system browser instead), and
 * `<webview>` can never attach. Renderer links meant for the browser use `target="_blank"`.
 */
export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  const log = options.log ?? ((message: string) => console.warn(message));
  const guard = (kind: string) => (event: PreventableEvent, url: string) => {
    if (isAppUrl(url, options.rendererUrl)) return;
    event.preventDefault();
    log(`[security] blocked ${kind} to ${url}`);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[security] blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) {
      void Promise.resolve(options.openExternal(url)).catch((error: unknown) => log(`[security] could not open ${url}: ${String(error)}`));
    } else {
      log(`[security] blocked window.open(${url})`);
    }
    return { action: 'deny' };
  });
}

/** The part of Electron's `app` that `hardenAllWebContents` touches. */
export interface WebContentsSource<C extends HardenableContents> {
  on(event: 'web-contents-created', listener: (event: unknown, contents: C) => void): unknown;
}

/** Applies `hardenWebContents` to every web contents the app ever creates, including ones we did not ask for. */
export function hardenAllWebContents<C extends HardenableContents>(app: WebContentsSource<C>, options: HardenOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}
