/**
 * Issue 12, item 6, in Chromium against the web host: the administrator writes a team quick reply
 * (the editor refuses an unknown placeholder and previews with sample data); on a ticket, `t` in
 * the empty reply box opens the picker, the keyboard finds and inserts it rendered with the
 * ticket's customer and folio, the agent edits it and sends it; inside text, t types.
 */
import type { Page } from '@playwright/test';
import { api } from '../page-api';
import { expect, openNewDesk, TECNOCERRO, test } from '../fixtures';

async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/quick-replies-${name}.png` });
}

test('a team quick reply is found with the keyboard from the reply box and inserted with the ticket\'s customer and folio', async ({ page, desk }) => {
  test.setTimeout(600_000); // a loaded machine: the web host alone may take two minutes to start
  await openNewDesk(page, desk);

  await test.step('Administración → Respuestas rápidas: a new team quick reply, unknown data refused, preview', async () => {
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('button', { name: 'Administración' }).click();
    await page.getByRole('tab', { name: 'Respuestas rápidas' }).click();
    await page.getByRole('button', { name: 'Nueva respuesta rápida' }).click();
    await page.getByRole('textbox', { name: 'Nombre', exact: true }).fill('Seguimiento de cancelación');
    await page.getByRole('textbox', { name: 'Texto en español' }).fill('Estimado {{cliente}}:\n\nSu solicitud {{folio}} está en revisión. Causa: {{causa}}');
    await expect(page.getByRole('alert').filter({ hasText: '{{causa}}' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Guardar respuesta' })).toBeDisabled();
    await page.getByRole('textbox', { name: 'Texto en español' }).fill('Estimado {{cliente}}:\n\nSu solicitud {{folio}} está en revisión.\n\nLe atiende {{agente}}.');
    await page.getByLabel('Texto en inglés (opcional)').fill('Dear {{cliente}},\n\nYour request {{folio}} is being reviewed.');
    await expect(page.getByTestId('qr-editor-preview')).toContainText('Estimado Papelería La Pluma Fina, S.A. de C.V.:');
    await page.getByRole('button', { name: 'Guardar respuesta' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó la respuesta rápida.' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Seguimiento de cancelación' })).toBeVisible();
  });
  await api(page, 'quickReplies.save', { scope: 'personal', title: 'Mi despedida', 'es-MX': 'Quedo atento.\n{{agente}}' });

  const ticket = await api<{ id: string; trackingNumber: string }>(page, 'tickets.create', {
    customer: { kind: 'new', ...TECNOCERRO, phone: '81 1234 5678' },
    channel: 'email', requestType: 'general', supportType: 'web', category: 'query_cancel_cfdi', priority: 'normal', severity: 1,
    subject: 'No puede cancelar una factura', description: 'Quiere cancelar una factura emitida con el RFC equivocado.',
  });
  await page.getByRole('button', { name: 'Tickets', exact: true }).click();
  await page.getByRole('row', { name: new RegExp(ticket.trackingNumber) }).click();
  await expect(page.getByTestId('tracking-number')).toHaveText(ticket.trackingNumber);
  const box = page.getByRole('textbox', { name: 'Mensaje' });

  await test.step('t in the empty box opens the picker; the keyboard finds the reply and inserts it rendered for this ticket', async () => {
    await box.click();
    await page.keyboard.press('t');
    const picker = page.getByRole('dialog', { name: 'Respuestas rápidas' });
    await expect(picker).toBeVisible();
    await expect(box).toHaveValue('');
    const search = picker.getByRole('combobox', { name: 'Buscar respuesta rápida' });
    await expect(search).toBeFocused();
    // Both are listed; typing without accents narrows to one.
    await expect(picker.getByRole('option')).toHaveCount(2);
    await page.keyboard.type('cancelacion');
    await expect(picker.getByRole('option')).toHaveCount(1);
    await expect(picker.getByRole('option', { name: /Seguimiento de cancelación/ })).toHaveAttribute('aria-selected', 'true');
    await expect(picker.getByTestId('qr-preview')).toContainText(`Su solicitud ${ticket.trackingNumber} está en revisión.`);
    await expect(picker.getByTestId('qr-preview')).toContainText(TECNOCERRO.name);
    await shot(page, 'picker');
    await page.keyboard.press('Enter');
    await expect(picker).toBeHidden();
    await expect(box).toBeFocused();
    await expect(box).toHaveValue(`Estimado ${TECNOCERRO.name}:\n\nSu solicitud ${ticket.trackingNumber} está en revisión.\n\nLe atiende Ana Administradora.`);
  });

  await test.step('inside text t types; the button opens the picker, ↓ chooses, English is one click away', async () => {
    // The caret is at the end: typing words with t keeps every letter.
    await page.keyboard.type('\n\nTe escribo también para confirmar.');
    await expect(box).toHaveValue(/Le atiende Ana Administradora\.\n\nTe escribo también para confirmar\.$/);
    await page.locator('form.composer').getByRole('button', { name: 'Respuestas rápidas', exact: true }).click();
    const picker = page.getByRole('dialog', { name: 'Respuestas rápidas' });
    await page.keyboard.press('ArrowDown');
    await expect(picker.getByRole('option', { name: /Seguimiento de cancelación/ })).toHaveAttribute('aria-selected', 'true');
    await picker.getByRole('button', { name: 'English' }).click();
    await expect(picker.getByTestId('qr-preview')).toContainText(`Your request ${ticket.trackingNumber} is being reviewed.`);
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
    await expect(box).toHaveValue(/confirmar\.$/);
  });

  await test.step('t in an empty box and Esc: the letter and what was typed come back; then the edited reply is sent', async () => {
    await box.fill('');
    await page.keyboard.press('t');
    const picker = page.getByRole('dialog', { name: 'Respuestas rápidas' });
    await expect(picker).toBeVisible();
    await page.keyboard.type('odo');
    await expect(picker.getByRole('combobox')).toHaveValue('odo');
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
    await expect(box).toHaveValue('todo');
    await box.fill('');
    await page.keyboard.press('t');
    await page.keyboard.type('despedida');
    await expect(picker.getByRole('option', { name: /Mi despedida/ })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await expect(box).toHaveValue('Quedo atento.\nAna Administradora');
    await box.press('Control+Home');
    await page.keyboard.type('Gracias. ');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.locator('li.event-reply').last()).toContainText('Gracias. Quedo atento.');
    await expect(box).toHaveValue('');
  });
});
