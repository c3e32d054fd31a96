/**
 * Issue 15, item 2: a supervisor starts on Inicio; every count there opens the ticket list on
 * exactly those tickets (the list's own count agrees), and an agent is offered no Inicio.
 */
import { DEMO_PASSWORD, expect, removeDataDir, seededDataDir, signIn, startOwnedHost, test } from '../fixtures';

test('Inicio: the supervisor lands on the numbers, and each opens the list with the same count', async ({ page }) => {
  const dataDir = seededDataDir(40);
  const host = await startOwnedHost(dataDir);
  try {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(host.url);
    await signIn(page, 'supervisora', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Inicio', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Pendientes por nivel y grado de severidad' })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Cumplimiento por semana: .*W\d\d/ })).toBeVisible();
    await page.screenshot({ path: 'test-results/supervisor-home.png', fullPage: true });

    for (const label of ['Abiertos', 'Sin asignar']) {
      const tile = page.locator('.home-tile').filter({ hasText: label }).first();
      const shown = (await tile.locator('.home-count').textContent())!.trim();
      await tile.locator('.home-count').click();
      await expect(page.getByRole('heading', { name: 'Tickets', level: 1 })).toBeVisible();
      await expect(page.getByText(new RegExp(`^${shown.replace(/\s/g, '\\s')} tickets?$`))).toBeVisible();
      await page.getByRole('button', { name: 'Inicio', exact: true }).click();
    }
    // A backlog cell: Mesa de Servicio × severity 1.
    const cell = page.locator('.home-backlog tbody tr').first().locator('.home-count').first();
    const shown = (await cell.textContent())!.trim();
    await cell.click();
    await expect(page.getByText(new RegExp(`^${shown} tickets?$`))).toBeVisible();

    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await signIn(page, 'agente1', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Tickets', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Inicio', exact: true })).toHaveCount(0);
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
