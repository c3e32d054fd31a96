/**
 * Issue 14, defect 8: the controls follow the UI language (es-MX), not the browser's. Chromium runs here in
 * English (en-US): the browser's own file input would say "Choose Files" / "No file chosen".
 */
import { createTicket, expect, openNewDesk, TECNOCERRO, test } from '../fixtures';

test.use({ locale: 'en-US' });

test('the file field\'s button and its "nothing chosen" text are in Spanish in an English browser', async ({ page, desk }) => {
  test.setTimeout(90_000);
  await openNewDesk(page, desk);
  await createTicket(page, {
    ...TECNOCERRO,
    channel: 'Correo', severity: 1, subject: 'Error 301 al timbrar', description: 'El cliente manda capturas.',
  });
  const field = page.locator('.field.evidence');
  // No native file control is shown: a button in the UI's language opens it, and the state is said in Spanish.
  const box = await field.locator('input[type="file"]').boundingBox();
  expect((box?.width ?? 0) <= 1 && (box?.height ?? 0) <= 1).toBe(true);
  await expect(field.locator('input[type="file"]')).toHaveAttribute('tabindex', '-1');
  await expect(field.getByRole('button', { name: 'Elegir archivos…' })).toBeVisible();
  await expect(field).toContainText('Ningún archivo elegido');
  // The button opens the real file chooser; what is chosen is said in Spanish too.
  const chooser = page.waitForEvent('filechooser');
  await field.getByRole('button', { name: 'Elegir archivos…' }).click();
  await (await chooser).setFiles({ name: 'captura.txt', mimeType: 'text/plain', buffer: Buffer.from('error 301') });
  await expect(field).toContainText('1 archivo elegido');
  await expect(field.getByText('captura.txt')).toBeVisible();
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/ticket-file-button.png` });
});

test('report dates are typed and shown as dd/mm/aaaa in an English browser; an impossible date is refused', async ({ page, desk }) => {
  test.setTimeout(90_000);
  await openNewDesk(page, desk);
  await page.getByRole('button', { name: 'Reportes' }).click();
  const from = page.getByLabel('Desde');
  await expect(from).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
  await expect(from).toHaveAttribute('placeholder', 'dd/mm/aaaa');

  const loaded = page.waitForRequest((r) => r.url().endsWith('/api/reports.run'));
  await from.fill('');
  await from.pressSequentially('02112026');
  await expect(from).toHaveValue('02/11/2026');
  await loaded;

  await from.fill('');
  await from.pressSequentially('31022026');
  await from.blur();
  await expect(page.getByText('Escriba una fecha válida como dd/mm/aaaa.')).toBeVisible();
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/ticket-date-field.png` });
});
