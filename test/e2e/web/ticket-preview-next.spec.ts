/**
 * Issue 14, ticket page, in Chromium against the web host: image attachments previewed inline (only images whose
 * bytes were validated at upload; a disguised file and an SVG with a script get no preview and run nothing), and
 * "siguiente ticket" after closing (the next open row of the list the agent came from, else back to the list).
 */
import { createTicket, expect, openNewDesk, TECNOCERRO, test } from '../fixtures';
import { api, shot } from '../page-api';

test('an image attachment shows as a thumbnail that enlarges; a disguised file and an SVG are not previewed', async ({ page, desk }) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openNewDesk(page, desk);
  await createTicket(page, {
    ...TECNOCERRO,
    channel: 'Correo', severity: 1, subject: 'Error 301 al timbrar', description: 'El cliente manda capturas.',
  });
  // A real PNG, drawn by the browser (a red error box on white).
  const png = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 200;
    const g = c.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#c0392b';
    g.fillRect(20, 60, 280, 80);
    return c.toDataURL('image/png').split(',')[1]!;
  });

  await page.getByLabel('Nota interna').check();
  await page.getByRole('textbox', { name: 'Mensaje' }).fill('Capturas del error que envió el cliente.');
  await page.getByLabel('Evidencia').setInputFiles([
    { name: 'captura-error.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') },
    { name: 'no-es-imagen.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert("png")</script></html>') },
    { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>') },
  ]);
  await page.getByRole('button', { name: 'Enviar' }).click();
  await expect(page.getByRole('textbox', { name: 'Mensaje' })).toHaveValue('');

  const note = page.locator('li.event-note');
  const thumb = note.getByRole('button', { name: 'Ampliar captura-error.png' });
  await expect(thumb).toBeVisible();
  const img = thumb.getByRole('img', { name: 'Vista previa de captura-error.png' });
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(320);
  // Only the validated image is previewed; the other two stay downloads.
  await expect(note.locator('.image-thumb')).toHaveCount(1);
  await expect(note.getByRole('button', { name: /Descargar no-es-imagen\.png/ })).toBeVisible();
  await expect(note.getByRole('button', { name: /Descargar logo\.svg/ })).toBeVisible();
  await expect(note).toContainText('application/octet-stream');
  await shot(page, 'preview-thumbnail');

  await thumb.click();
  const large = page.getByRole('dialog', { name: 'captura-error.png' });
  await expect(large.getByRole('img', { name: 'Vista previa de captura-error.png' })).toBeVisible();
  await shot(page, 'preview-enlarged');
  await page.keyboard.press('Escape');
  await expect(large).toBeHidden();
  await expect(thumb).toBeFocused();
  expect(dialogs).toEqual([]);
});

test('after closing, "Siguiente ticket" opens the next open ticket of the list; after the last one, back to the list', async ({ page, desk }) => {
  test.setTimeout(120_000);
  await openNewDesk(page, desk);
  await createTicket(page, {
    ...TECNOCERRO,
    channel: 'Correo', severity: 1, subject: 'Primer caso', description: 'Uno.',
  });
  const customerId = (await api<{ rows: { customerId: string }[] }>(page, 'tickets.list', {})).rows[0]!.customerId;
  for (const subject of ['Segundo caso', 'Tercer caso']) {
    await api(page, 'tickets.create', {
      channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
      customer: { kind: 'existing', customerId }, subject, description: subject,
    });
  }
  await page.getByRole('button', { name: 'Tickets', exact: true }).click();
  const rows = page.locator('[role="row"][data-ticket-id]');
  await expect(rows).toHaveCount(3);
  const order = await rows.locator('.tgrid__cell--trackingNumber').allTextContents();

  const close = async () => {
    await page.getByRole('button', { name: 'Cerrar ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cerrar ticket' });
    await dialog.getByLabel('Causa').fill('Duda de uso del portal');
    await dialog.getByLabel('Solución').fill('Se explicó el procedimiento; el cliente confirmó.');
    await dialog.getByRole('button', { name: 'Cerrar ticket' }).click();
    await expect(dialog).toBeHidden();
  };

  await rows.nth(0).click();
  await expect(page.getByTestId('tracking-number')).toHaveText(order[0]!);
  await close();
  const next = page.getByRole('button', { name: `Siguiente ticket: ${order[1]}` });
  await expect(next).toBeFocused();
  await shot(page, 'next-ticket');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tracking-number')).toHaveText(order[1]!);

  await close();
  await page.getByRole('button', { name: `Siguiente ticket: ${order[2]}` }).click();
  await expect(page.getByTestId('tracking-number')).toHaveText(order[2]!);

  // The last one: nothing left after it in the list, so the offer is to go back to it.
  await close();
  await page.getByRole('button', { name: 'Volver a la lista' }).click();
  // The list opens on the agent's open work: the three are closed now, so it says none is left.
  await expect(page.getByRole('heading', { name: 'Tickets', level: 1 })).toBeVisible();
  await expect(page.getByText('No hay tickets que coincidan.')).toBeVisible();
});
