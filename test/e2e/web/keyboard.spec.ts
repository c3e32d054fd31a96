/**
 * Issue 14, defect 7: the ticket list by keyboard. After a click on "Tickets" in the sidebar,
 * `j j Enter` opens the second row (not the sidebar button again); `Esc` on the ticket comes back
 * with the same row highlighted; `Esc` leaves the search box so `j` moves instead of typing.
 */
import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, newDataDir, removeDataDir, signIn, startOwnedHost, test } from '../fixtures';

const PASSWORD = 'clave-de-prueba-segura-1';

const selectedRow = (page: Page) => page.locator('[role="row"][aria-selected="true"]');

test('open list → j j Enter → Esc → the same row is highlighted; a list shortcut never types into the search box', async ({ page }) => {
  const dataDir = newDataDir();
  // Invented tickets through the real commands (npm run seed): a few days of work, so the list's default
  // view (Mi trabajo: open, mine or unassigned) has rows.
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/seed.ts', '--tickets', '30', '--span-days', '4', '--data', dataDir, '--password', PASSWORD], { encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  const host = await startOwnedHost(dataDir);
  try {
    await page.goto(host.url);
    await signIn(page, 'agente1', PASSWORD);
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();

    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await expect(page.locator('[role="row"][data-ticket-id]').nth(2)).toBeVisible();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const row = selectedRow(page);
    await expect(row).toHaveAttribute('aria-rowindex', '3'); // the second ticket (the header is row 1)
    const ticketId = await row.getAttribute('data-ticket-id');
    const folio = (await row.locator('.tgrid__cell--trackingNumber').textContent())!.trim();

    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tracking-number')).toHaveText(folio);

    await page.keyboard.press('Escape');
    await expect(page.getByRole('heading', { name: 'Tickets', level: 1 })).toBeVisible();
    await expect(selectedRow(page)).toHaveAttribute('data-ticket-id', ticketId!);

    // `/` goes to the search box; Esc leaves it, and j moves the selection instead of typing.
    await page.keyboard.press('/');
    const search = page.getByRole('searchbox');
    await expect(search).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(search).not.toBeFocused();
    await page.keyboard.press('j');
    await expect(search).toHaveValue('');
    await expect(selectedRow(page)).toHaveAttribute('aria-rowindex', '4');
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
