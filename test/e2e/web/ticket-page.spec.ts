/**
 * Issue 14, ticket page: a long message is folded ("Ver más") and the actions stay in view
 * however far the timeline is scrolled (sticky side column).
 */
import { spawnSync } from 'node:child_process';
import { createTicket, expect, newDataDir, removeDataDir, signIn, startOwnedHost, test } from '../fixtures';

const PASSWORD = 'clave-de-prueba-segura-1';

test('a long note is folded with "Ver más"; "Cerrar ticket" stays in view at the bottom of a long timeline', async ({ page }) => {
  const dataDir = newDataDir();
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/seed.ts', '--tickets', '3', '--data', dataDir, '--password', PASSWORD], { encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  const host = await startOwnedHost(dataDir);
  try {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(host.url);
    await signIn(page, 'admin', PASSWORD);
    await createTicket(page, {
      rfc: 'GOMA800101AB1', name: 'Alma Gómez Ruiz', email: 'alma@example.mx', channel: 'Correo', severity: 1,
      subject: 'Error al timbrar', description: 'El timbrado falla con el error 301.',
    });

    const long = Array.from({ length: 40 }, (_, i) => `Línea ${i + 1}: el cliente describe el error al timbrar la factura.`).join('\n');
    for (let i = 0; i < 2; i++) {
      await page.getByLabel('Nota interna').check();
      await page.getByRole('textbox', { name: 'Mensaje' }).fill(long);
      await page.getByRole('button', { name: 'Enviar' }).click();
      await expect(page.getByRole('textbox', { name: 'Mensaje' })).toHaveValue('');
    }
    const note = page.locator('.event-body').filter({ hasText: 'Línea 1:' }).last();
    await expect(note).toHaveClass(/long-text--folded/);
    const more = page.getByRole('button', { name: 'Ver más' }).last();
    await more.click();
    await expect(note).not.toHaveClass(/long-text--folded/);
    await expect(page.getByRole('button', { name: 'Ver menos' }).last()).toBeVisible();

    await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
    await expect(page.getByRole('button', { name: 'Enviar' })).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Cerrar ticket' })).toBeInViewport();
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
