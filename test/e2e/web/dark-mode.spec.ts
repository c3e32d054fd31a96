/** Issue 15, item 5: the app follows the operating system's dark mode, on every screen a user works in. */
import type { Locator } from '@playwright/test';
import { DEMO_PASSWORD, expect, removeDataDir, seededDataDir, signIn, startOwnedHost, test } from '../fixtures';

/** Relative luminance (WCAG) of a computed CSS colour. */
async function luminance(locator: Locator, property: 'background-color' | 'color'): Promise<number> {
  const value = await locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
  const [r, g, b] = (value.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

test('dark mode: pages, the ticket timeline and dialogs turn dark with light text, and back', async ({ page }) => {
  const dataDir = seededDataDir(8);
  const host = await startOwnedHost(dataDir);
  try {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(host.url);
    await signIn(page, 'supervisora', DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    const row = page.locator('[role="row"][data-ticket-id]').first();
    await expect(row).toBeVisible();
    expect(await luminance(page.locator('body'), 'background-color')).toBeLessThan(0.05);
    expect(await luminance(page.locator('body'), 'color')).toBeGreaterThan(0.6);
    await page.screenshot({ path: 'test-results/dark-list.png' });

    await row.click();
    await expect(page.getByTestId('tracking-number')).toBeVisible();
    const event = page.locator('.event').first();
    await expect(event).toBeVisible();
    expect(await luminance(event, 'background-color')).toBeLessThan(0.05);
    await page.screenshot({ path: 'test-results/dark-ticket.png' });

    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Ir a una pantalla, ticket o cliente' });
    await expect(dialog).toBeVisible();
    expect(await luminance(dialog, 'background-color')).toBeLessThan(0.05);
    await page.keyboard.press('Escape');

    await page.emulateMedia({ colorScheme: 'light' });
    expect(await luminance(page.locator('body'), 'background-color')).toBeGreaterThan(0.8);
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
