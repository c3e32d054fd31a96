/**
 * The packaged shape of the app: the built main/preload/renderer in a real Electron, with a fresh
 * data directory. Skipped where the Electron binary is not installed (it cannot be downloaded on
 * every machine); there `npm run web` and the web e2e tests cover the UI.
 */
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METHOD_NAMES } from '../../../electron/shared/methods';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The Electron executable when it is already on disk, else null. Reads node_modules/electron/path.txt
 * itself, because `require('electron')` would start a download when the binary is missing.
 */
function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(root, 'node_modules', 'electron', 'dist');
  const executable = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

function electronBinaryAvailable(): boolean {
  return electronBinary() !== null;
}

/** Builds what the app needs and the test runner does not: the bundles and the Electron-ABI SQLite addon. */
function buildApp(): void {
  const node = (script: string, ...args: string[]) => execFileSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) node('node_modules/vite/bin/vite.js', 'build');
  node('build/build-electron.mjs');
  // Fails (and so fails the test) with an explanation when the addon cannot be built.
  node('build/electron-native.mjs');
}

const SKIP_REASON = 'Electron binary not installed on this machine (cannot be downloaded here)';
const available = electronBinaryAvailable();

test.describe(available ? 'Electron desktop app' : `Electron desktop app (skipped: ${SKIP_REASON})`, () => {
  test.skip(!available, SKIP_REASON);
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  let app: ElectronApplication;
  let scratch: string;

  test.beforeAll(async () => {
    test.setTimeout(15 * 60_000); // a first native build compiles SQLite
    buildApp();
    scratch = mkdtempSync(join(tmpdir(), 'helpdesk-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    app = await electron.launch({
      executablePath: electronBinary() ?? undefined,
      args: [root],
      cwd: root,
      env: { ...env, HELPDESK_DATA_DIR: join(scratch, 'data'), HELPDESK_USER_DATA_DIR: join(scratch, 'user-data') },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('opens on the first-run setup screen', async () => {
    const page = await app.firstWindow();
    const setup = page.getByLabel('Código de sucursal').or(page.getByText('Código de sucursal'));
    await expect(setup.first()).toBeVisible({ timeout: 30_000 });
  });

  test('exposes only the narrow helpdesk API to the page', async () => {
    const page = await app.firstWindow();
    const shape = await page.evaluate(() => {
      const scope = window as unknown as Record<string, unknown>;
      const api = window.helpdesk;
      return {
        apiKeys: api ? Object.keys(api).sort() : null,
        methods: api ? Object.keys(api.methods).sort() : [],
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        ipcRenderer: typeof scope.ipcRenderer,
      };
    });
    expect(shape.apiKeys).toStrictEqual(['methods', 'onNotificationClick', 'platform', 'showNotification']);
    expect(shape.methods).toStrictEqual([...METHOD_NAMES].sort());
    expect(shape).toMatchObject({ require: 'undefined', process: 'undefined', module: 'undefined', ipcRenderer: 'undefined' });
  });

  test('hands a notice from the page to Electron’s Notification, and nothing malformed (issue 14)', async () => {
    // Record what main shows instead of showing it (a test machine may have no notification daemon).
    await app.evaluate(({ Notification }) => {
      const scope = globalThis as unknown as { shownNotices: Array<{ title: string; body: string }> };
      scope.shownNotices = [];
      Notification.prototype.show = function show(this: { title: string; body: string }) {
        scope.shownNotices.push({ title: this.title, body: this.body });
      };
    });
    const page = await app.firstWindow();
    await page.evaluate(() => {
      window.helpdesk?.showNotification?.({ notificationId: null, title: 'Mesa de Ayuda', body: '2 avisos nuevos' });
      window.helpdesk?.showNotification?.({ notificationId: null, title: 'x'.repeat(500), body: '' });
    });
    await page.waitForTimeout(300);
    const shown = await app.evaluate(() => (globalThis as unknown as { shownNotices: unknown[] }).shownNotices);
    const supported = await app.evaluate(({ Notification }) => Notification.isSupported());
    expect(shown).toStrictEqual(supported ? [{ title: 'Mesa de Ayuda', body: '2 avisos nuevos' }] : []);
  });

  test('answers API calls through IPC from the fresh data directory', async () => {
    const page = await app.firstWindow();
    const status = await page.evaluate(() => window.helpdesk?.methods['app.status'](undefined, null));
    expect(status).toMatchObject({ ok: true, value: { initialized: false } });
  });

  test('runs core in a utility process of its own, not in the main process (issue 16)', async () => {
    const processes = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, name: m.serviceName ?? m.name ?? '' })));
    expect(processes).toContainEqual({ type: 'Utility', name: 'Mesa de Ayuda core' });
  });

  test('stays on its own document: no navigation away, no new windows', async () => {
    const page = await app.firstWindow();
    const appUrl = page.url();
    expect(appUrl).toMatch(/^app:\/\/mesa\/index\.html/);
    // http (not https) so nothing is handed to the system browser; either way no window opens.
    expect(await page.evaluate(() => window.open('http://example.com/') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'http://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(appUrl);
    expect(app.windows()).toHaveLength(1);
  });

  test('serves the renderer from app:// and reads no file outside it (issue 15)', async () => {
    const page = await app.firstWindow();
    const status = await page.evaluate(async () => (await fetch('app://mesa/index.html')).status);
    expect(status).toBe(200);
    const traversal = await page.evaluate(async () => {
      const answer = await fetch('app://mesa/%2e%2e/%2e%2e/package.json');
      return { status: answer.status, body: await answer.text() };
    });
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(traversal.body).not.toContain('mesa-de-ayuda');
  });
});
