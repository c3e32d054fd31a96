/**
 * Issue 15, item 5: Ctrl+K jumps to any screen, ticket or customer from anywhere (also from inside
 * the search box); `?` shows the shortcut sheet; a screen the user's role cannot open is never offered.
 */
import { DEMO_PASSWORD, expect, removeDataDir, seededDataDir, signIn, startOwnedHost, test } from '../fixtures';

test('Ctrl+K opens a ticket by its tracking number and a customer by name; ? lists the shortcuts', async ({ page }) => {
  const dataDir = seededDataDir(12);
  const host = await startOwnedHost(dataDir);
  try {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(host.url);
    await signIn(page, 'supervisora', DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    const row = page.locator('[role="row"][data-ticket-id]').nth(3);
    await expect(row).toBeVisible();
    const folio = (await row.locator('.tgrid__cell--trackingNumber').textContent())!.trim();
    const customer = (await row.locator('.tgrid__cell--customer').textContent())!.trim();

    // From inside the list's search box: Ctrl+K still opens the palette.
    await page.keyboard.press('/');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Ir a una pantalla, ticket o cliente' });
    await expect(palette).toBeVisible();
    const box = palette.getByRole('combobox');
    await expect(box).toBeFocused();

    // Screens are matched without accents; a supervisor is offered no Administración.
    await box.fill('administra');
    await expect(palette.getByRole('option')).toHaveCount(0);
    await expect(palette.getByRole('status')).toHaveText('Nada coincide con lo escrito.');
    await box.fill('bitacora');
    await expect(palette.getByRole('option', { name: /Bitácora/ })).toBeVisible();

    await box.fill(folio);
    const ticketOption = palette.getByRole('option', { name: new RegExp(folio) });
    await expect(ticketOption).toBeVisible();
    await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: 'test-results/palette-folio.png' });
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(page.getByTestId('tracking-number')).toHaveText(folio);

    await page.keyboard.press('Control+k');
    await box.fill(customer.slice(0, 12));
    const customerOption = palette.getByRole('option', { name: new RegExp(`Cliente.*${customer.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first();
    await expect(customerOption).toBeVisible();
    await customerOption.click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(customer.slice(0, 12));

    // Esc on the ticket/customer page must not be mistaken: ? opens the sheet outside fields only.
    await page.locator('body').click({ position: { x: 700, y: 760 } });
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Atajos de teclado' });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByText('Ir a una pantalla, ticket o cliente')).toBeVisible();
    await page.screenshot({ path: 'test-results/shortcut-sheet.png' });
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
