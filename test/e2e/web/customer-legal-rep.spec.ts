/**
 * Issue 14, defects 3 and 8 (customer row), in Chromium: a customer registered from the intake form
 * gets its first legal representative by an ordinary save; once registered it is read-only; a
 * refused save keeps the user's other edits; the whole row of the customer list opens the customer.
 */
import { createTicket, expect, openNewDesk, TECNOCERRO, test } from '../fixtures';

test('the first legal representative is an ordinary edit; a refused save keeps the form', async ({ page, desk }) => {
  await openNewDesk(page, desk);
  await createTicket(page, {
    ...TECNOCERRO, channel: 'Teléfono', severity: 1,
    subject: 'No puede timbrar', description: 'Error 301 al timbrar.',
  });

  await test.step('the whole row of the customer list opens the customer', async () => {
    await page.getByRole('button', { name: 'Clientes', exact: true }).click();
    await page.getByLabel('Buscar clientes').fill('TEC0503155C6');
    await page.getByRole('cell', { name: 'TEC0503155C6' }).click();
    await expect(page.getByRole('heading', { name: 'Tecnologías del Cerro SA de CV' })).toBeVisible();
  });

  await test.step('no legal representative yet: mark the contact and save', async () => {
    await expect(page.getByTestId('first-legal-representative-hint')).toBeVisible();
    await page.getByLabel('Representante legal').first().check();
    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await expect(page.getByText('Cambios guardados.')).toBeVisible();
    await expect(page.locator('.contact--protected')).toContainText('Tecnologías del Cerro SA de CV');
    await expect(page.getByTestId('first-legal-representative-hint')).toHaveCount(0);
  });

  await test.step('a second legal representative is refused, and the other edits stay in the form', async () => {
    await page.getByLabel('Plan').selectOption({ label: 'Avanzado (con costo)' });
    await page.getByRole('button', { name: 'Agregar contacto' }).click();
    const added = page.locator('fieldset.contact').last();
    await added.getByLabel('Nombre').fill('Mostrador');
    await added.getByLabel('Correo electrónico').fill('mostrador@tecnocerro.example.mx');
    await added.getByLabel('Teléfono').fill('8187654321');
    await added.getByLabel('Representante legal').check();
    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await expect(page.getByRole('alert')).toContainText('Un representante legal ya registrado solo cambia mediante una solicitud');
    await expect(page.getByLabel('Plan')).toHaveValue('advanced');
    await expect(added.getByLabel('Nombre')).toHaveValue('Mostrador');
    await page.screenshot({ path: '/tmp/dc/customer-refused.png', fullPage: true });
    // Untick it: the rest saves.
    await added.getByLabel('Representante legal').uncheck();
    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await expect(page.getByText('Cambios guardados.')).toBeVisible();
    await expect(page.getByLabel('Plan')).toHaveValue('advanced');
  });
});
