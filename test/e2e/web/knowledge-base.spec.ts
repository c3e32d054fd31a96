/**
 * Issue 12, item 5, in Chromium against the web host: the Base de conocimiento opens from the
 * palette, finds a starter article without accents typed, a new article's preview shows no
 * script, and on a ticket the suggested article's text and a picked article go into the reply.
 */
import type { Page } from '@playwright/test';
import { api } from '../page-api';
import { expect, openNewDesk, TECNOCERRO, test } from '../fixtures';

async function kbShot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/kb-${name}.png` });
}

const CANCEL_TITLE = 'Cancelar una factura: motivos 01, 02, 03 y 04 y cuándo se sustituye';

test('search an article, write one with a safe preview, and insert articles into a reply on a ticket', async ({ page, desk }) => {
  test.setTimeout(600_000); // a loaded machine: the web host alone may take two minutes to start
  await openNewDesk(page, desk);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await test.step('the palette opens the knowledge base; a search without accents finds the article', async () => {
    // In the sidebar, and in the palette (Ctrl+K).
    await expect(page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('button', { name: 'Base de conocimiento' })).toBeVisible();
    await page.locator('body').click({ position: { x: 700, y: 700 } });
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Ir a una pantalla, ticket o cliente' });
    await palette.getByRole('combobox').fill('base de con');
    await palette.getByRole('option', { name: /Base de conocimiento/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Base de conocimiento' })).toBeVisible();
    await page.getByLabel('Buscar artículos').fill('cancelacion motivo');
    const result = page.getByRole('button', { name: new RegExp(CANCEL_TITLE.slice(0, 30)) });
    await expect(result).toBeVisible();
    await expect(page.locator('.kb-result').first()).toContainText(CANCEL_TITLE);
    await expect(result.locator('mark').first()).toBeVisible();
    await result.click();
    const view = page.getByRole('article');
    await expect(view.getByRole('heading', { name: CANCEL_TITLE })).toBeVisible();
    await expect(view.locator('table')).toContainText('Comprobante emitido con errores con relación');
    await kbShot(page, 'search');
  });

  await test.step('a new article: the preview renders the Markdown and drops what could run', async () => {
    await page.getByRole('button', { name: 'Nuevo artículo' }).click();
    const editor = page.getByRole('form', { name: 'Nuevo artículo' });
    await editor.getByLabel('Título').fill('Reenviar el XML a un cliente');
    await editor.getByLabel('Clasificación').selectOption({ label: 'Descarga de PDF / XML' });
    await editor.getByRole('textbox', { name: 'Contenido' }).fill(
      '## Pasos\n\n1. Busque la factura.\n2. Use **Reenviar**.\n\n<script>alert("x")</script> <img src=x onerror=alert(1)> [clic](javascript:alert(1))',
    );
    await page.getByRole('tab', { name: 'Vista previa' }).click();
    const preview = page.locator('.kb-preview');
    await expect(preview.locator('h2')).toHaveText('Pasos');
    await expect(preview.locator('strong')).toHaveText('Reenviar');
    await expect(preview.locator('script, img, [onerror], a[href^="javascript"]')).toHaveCount(0);
    await kbShot(page, 'editor-preview');
    await page.getByRole('button', { name: 'Crear borrador' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se creó el borrador' })).toBeVisible();
    await expect(page.getByRole('article').locator('.kb-badge--draft')).toHaveText('Borrador');
    await page.getByRole('button', { name: 'Publicar' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'El artículo quedó publicado.' })).toBeVisible();
    expect(dialogs).toEqual([]);
  });

  await test.step('¿Le sirvió?, then the history: what a save changed, and an old version back as a draft', async () => {
    const view = page.getByRole('article');
    await view.getByRole('button', { name: 'Sí', exact: true }).click();
    await expect(view.getByTestId('kb-feedback-counts')).toHaveText('A 1 les sirvió · a 0 no');
    await view.getByRole('button', { name: 'Editar' }).click();
    const editor = page.getByRole('form', { name: 'Editar artículo' });
    await editor.getByRole('textbox', { name: 'Contenido' }).fill('## Pasos\n\n1. Busque la factura por folio o RFC.\n2. Use **Reenviar**.\n3. Confirme el correo del cliente.');
    await editor.getByRole('button', { name: 'Guardar' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardaron los cambios.' })).toBeVisible();
    await page.getByRole('button', { name: 'Historial' }).click();
    const history = page.getByRole('region', { name: /Historial de «Reenviar el XML a un cliente»/ });
    await expect(history.getByRole('button', { name: /Versión 3 \(actual\)/ })).toBeVisible();
    const diff = history.getByTestId('kb-diff');
    await expect(diff.locator('.kb-diff__line--added')).toContainText(['1. Busque la factura por folio o RFC.', '3. Confirme el correo del cliente.']);
    await expect(diff.locator('.kb-diff__line--removed').first()).toHaveText(/1\. Busque la factura\.$/);
    await expect(history.getByText('2 líneas agregadas, 3 quitadas')).toBeVisible();
    await kbShot(page, 'history');
    await history.getByRole('button', { name: /^Versión 1/ }).click();
    await expect(history.getByRole('heading', { name: 'Primera versión' })).toBeVisible();
    await history.getByRole('button', { name: 'Recuperar como borrador' }).click();
    await page.getByRole('dialog', { name: '¿Recuperar la versión 1?' }).getByRole('button', { name: 'Recuperar como borrador' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se recuperó la versión como borrador nuevo.' })).toBeVisible();
    await expect(view.locator('.kb-badge--draft')).toHaveText('Borrador');
    await expect(view).toContainText('Versión 4');
    await expect(view.locator('.kb-body')).not.toContainText('folio o RFC');
    await page.getByRole('button', { name: 'Publicar' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'El artículo quedó publicado.' })).toBeVisible();
  });

  await test.step('on a ticket: a suggested article\'s text and a picked article go into the reply, which is sent', async () => {
    const ticket = await api<{ id: string; trackingNumber: string }>(page, 'tickets.create', {
      customer: { kind: 'new', ...TECNOCERRO, phone: '81 1234 5678' },
      channel: 'email', requestType: 'general', supportType: 'web', category: 'query_cancel_cfdi', priority: 'normal', severity: 1,
      subject: 'No puede cancelar una factura', description: 'Emitió una factura con el RFC equivocado y quiere cancelarla. ¿Qué motivo usa?',
    });
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(ticket.trackingNumber) }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText(ticket.trackingNumber);

    const suggested = page.getByRole('region', { name: 'Artículos sugeridos' });
    const first = suggested.getByRole('listitem').first();
    await expect(first).toContainText(CANCEL_TITLE);
    await first.getByRole('button', { name: 'Leer' }).click();
    await expect(first.locator('.kb-body table')).toBeVisible();
    await first.getByRole('button', { name: 'Insertar texto en la respuesta' }).click();
    const message = page.getByRole('textbox', { name: 'Mensaje' });
    await expect(message).toHaveValue(/Comprobante emitido con errores con relación/);
    await expect(message).not.toHaveValue(/\*\*/);
    await suggested.scrollIntoViewIfNeeded();
    await kbShot(page, 'ticket-suggested');

    await page.getByRole('button', { name: 'Insertar artículo' }).click();
    const picker = page.getByRole('dialog', { name: 'Insertar un artículo en la respuesta' });
    await picker.getByLabel('Buscar artículos publicados').fill('nomina');
    await picker.getByRole('button', { name: /Recibos de nómina/ }).click();
    await expect(picker.getByRole('heading', { name: /Recibos de nómina/ })).toBeVisible();
    await kbShot(page, 'picker');
    await picker.getByRole('button', { name: 'Insertar texto en la respuesta' }).click();
    await expect(picker).toBeHidden();
    await expect(message).toHaveValue(/Comprobante emitido[\s\S]*CN01 Nómina/);

    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.locator('li.event-reply').last()).toContainText('CN01 Nómina');
    await expect(message).toHaveValue('');
  });
});
