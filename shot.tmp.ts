// Temporary screenshot script (not committed).
import { chromium } from 'playwright-core';
import { startHost } from './test/e2e/fixtures';
(async () => {
  const { url, child } = await startHost('/tmp/perf-list/ws30k-before');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  try {
    await page.goto(url);
    await page.getByLabel('Usuario', { exact: true }).fill('admin');
    await page.getByLabel('Contraseña', { exact: true }).fill('bench-clave-segura');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.getByRole('tab', { name: 'Vencidos' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: '/tmp/perf-list/shots/overdue.png' });
    await page.getByRole('tab', { name: 'Cerrados' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: '/tmp/perf-list/shots/closed.png' });
    const t0 = Date.now();
    await page.getByLabel('Buscar tickets').fill('factura');
    await page.getByLabel('Buscar tickets').press('Enter');
    await page.locator('mark').first().waitFor();
    console.log('search painted after', Date.now() - t0, 'ms');
    await page.screenshot({ path: '/tmp/perf-list/shots/search.png' });
    // Scroll to the end of the loaded rows: the next page comes by cursor.
    await page.locator('.grid-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(1500);
    console.log('rows after scroll', await page.locator('.grid-scroll').evaluate((el) => el.querySelectorAll('[data-ticket-id]').length), await page.getByRole('grid').getAttribute('aria-rowcount'));
    await page.screenshot({ path: '/tmp/perf-list/shots/search-scrolled.png' });
    await page.getByRole('button', { name: 'Bitácora' }).click().catch(() => console.log('no bitácora button'));
    await page.waitForTimeout(2000);
    await page.screenshot({ path: '/tmp/perf-list/shots/audit.png' });
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
})();
