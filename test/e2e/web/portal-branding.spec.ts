/**
 * The portal's branding in Chromium (issue 13, item 6): the central server (`npm run server`, PGlite)
 * and a branch web host enrolled on it. An administrator opens Administración → Portal de clientes,
 * sees a light primary colour refused for contrast (live ratio and the Spanish message on saving),
 * chooses readable colours, the organization's name and an SVG logo carrying a script, saves, and
 * the branch syncs → the portal shows the name, the logo (rebuilt, no script) and the colours, applied
 * under its strict CSP with no violation. Screenshots at 1366×800 when HELPDESK_SHOTS_DIR is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { completeSetup, expect, newDataDir, removeDataDir, startOwnedHost, test, type OwnedHost } from '../fixtures';
import { api, enrolmentCode, startSyncServer, type SyncServer } from '../sync-server';

const SHOTS = process.env.HELPDESK_SHOTS_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `portal-branding-${name}.png`) });
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40" onload="document.title='pwned'">
  <script>document.title = 'pwned'</script>
  <rect width="120" height="40" rx="6" fill="#1a4d2e"/>
  <text x="60" y="26" font-size="16" font-family="sans-serif" fill="#f5e6b8" text-anchor="middle">NORTE</text>
</svg>`;

test('an administrator brands the portal: contrast refused in Spanish, then name, logo and colours reach the portal by sync', async ({ browser }) => {
  test.setTimeout(600_000); // a loaded machine: the server alone may take two minutes to start
  let server: SyncServer | null = null;
  const dir = newDataDir();
  let host: OwnedHost | null = null;
  try {
    server = await startSyncServer();
    host = await startOwnedHost(dir);
    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'es-MX' })).newPage();
    await desk.goto(host.url);
    await completeSetup(desk, 'MTY');
    await expect(desk.getByTestId('sync-indicator')).toHaveText('Solo este equipo', { timeout: 60_000 });
    await api(desk, 'sync.enrol', { url: server.url, code: await enrolmentCode(server, 'MTY') });

    await test.step('Administración → Portal de clientes: a light primary colour is refused for contrast', async () => {
      await desk.getByRole('button', { name: 'Administración' }).click();
      await desk.getByRole('tab', { name: 'Portal de clientes' }).click();
      await desk.getByLabel('Nombre de la organización').fill('Contadores del Norte');
      await desk.getByLabel('Color principal', { exact: true }).fill('#8ab4f8');
      await expect(desk.getByTestId('primary-ratio')).toHaveText('Contraste 1.9:1: no cumple WCAG AA (mínimo 4.5:1).');
      await desk.getByRole('button', { name: 'Guardar marca' }).click();
      await expect(desk.getByText('Este color no alcanza el contraste WCAG AA (4.5:1) con el texto blanco y el fondo claro del portal. Elija un tono más oscuro.')).toBeVisible();
      await shot(desk, 'refused');
    });

    await test.step('readable colours and an SVG logo are saved; the branch pushes them', async () => {
      await desk.getByLabel('Color principal', { exact: true }).fill('#1a4d2e');
      await expect(desk.getByTestId('primary-ratio')).toHaveText(/^Contraste 9\.\d:1: cumple WCAG AA/);
      await desk.getByLabel('Color de acento', { exact: true }).fill('#f5e6b8');
      await desk.getByLabel('Logotipo').setInputFiles({ name: 'norte.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO) });
      await expect(desk.getByRole('img', { name: 'Logotipo de Contadores del Norte' })).toBeVisible();
      await desk.getByRole('button', { name: 'Guardar marca' }).click();
      await expect(desk.getByRole('status').filter({ hasText: 'Se guardó la marca del portal.' })).toBeVisible();
      await shot(desk, 'admin');
      expect(await api(desk, 'sync.now', {})).toMatchObject({ push: { rejected: 0 } });
    });

    await test.step('the portal shows the name, the logo and the colours, with no CSP violation', async () => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'es-MX' });
      const customer = await context.newPage();
      const violations: string[] = [];
      customer.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
      await customer.goto(`${server!.url}/portal/`);
      const header = customer.locator('header.top');
      await expect(header.getByText('Contadores del Norte')).toBeVisible();
      await expect(customer).toHaveTitle('Portal de clientes · Contadores del Norte');
      const logo = customer.getByRole('img', { name: 'Logotipo de Contadores del Norte' });
      await expect(logo).toBeVisible();
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
      const svg = await (await customer.request.get(server!.url + (await logo.getAttribute('src'))!)).text();
      expect(svg).not.toMatch(/script|onload|pwned/);
      await expect(header).toHaveCSS('background-color', 'rgb(245, 230, 184)');
      await expect(customer.getByRole('button', { name: 'Abrir un ticket' })).toHaveCSS('background-color', 'rgb(26, 77, 46)');
      await expect(customer.getByRole('button', { name: 'Abrir un ticket' })).toHaveCSS('color', 'rgb(255, 255, 255)');
      expect(await customer.title()).not.toContain('pwned');
      expect(violations).toEqual([]);
      await shot(customer, 'portal');
      // Dark mode: the derived colours (lighter primary under dark text).
      await customer.emulateMedia({ colorScheme: 'dark' });
      const dark = await customer.getByRole('button', { name: 'Abrir un ticket' }).evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(dark).not.toBe('rgb(26, 77, 46)');
      await shot(customer, 'portal-dark');
      await context.close();
    });
  } finally {
    await host?.stop();
    await server?.stop();
    removeDataDir(dir);
  }
});
