/**
 * Issue 14, defect 2, in Chromium: a generic RFC (público en general) never identifies a customer.
 * A second walk-in with XAXX010101000 sees nobody's data and no one's open ticket; the same person
 * typed again (name + e-mail) is offered her own open ticket only.
 */
import { createTicket, expect, openNewDesk, test } from '../fixtures';

const GENERIC = 'XAXX010101000';

test('a second walk-in with the generic RFC sees no one else’s data or tickets; the same person is recognised by name and e-mail', async ({ page, desk }) => {
  await openNewDesk(page, desk);
  const anaFolio = await createTicket(page, {
    rfc: GENERIC, name: 'Ana Pérez Luna', email: 'ana.perez@correo.mx', channel: 'Teléfono', severity: 1,
    subject: 'No le llega la factura', description: 'Compró en mostrador y no recibió su factura por correo.',
  });

  await test.step('another person with the same generic RFC: nothing of Ana’s is shown', async () => {
    await page.getByRole('button', { name: 'Nuevo ticket' }).click();
    await page.getByLabel('RFC', { exact: true }).fill(GENERIC);
    await page.getByLabel('RFC', { exact: true }).blur();
    await expect(page.getByText('RFC genérico (público en general o extranjero)')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Cliente dado de alta' })).toHaveCount(0);
    await expect(page.getByText('ana.perez@correo.mx')).toHaveCount(0);
    await page.getByLabel('Nombre o razón social').fill('Juan López');
    await page.getByLabel('Correo electrónico').fill('juan.lopez@correo.mx');
    await page.getByLabel('Teléfono').fill('55 8765 4321');
    await page.getByLabel('Teléfono').blur();
    await expect(page.getByRole('heading', { name: 'Este cliente tiene tickets abiertos' })).toHaveCount(0);
    await page.screenshot({ path: '/tmp/dc/intake-generic.png' });
  });

  await test.step('Ana again, by name and e-mail: her own open ticket is offered', async () => {
    await page.getByLabel('Nombre o razón social').fill('Ana Pérez Luna');
    await page.getByLabel('Correo electrónico').fill('ana.perez@correo.mx');
    await page.getByLabel('Correo electrónico').blur();
    await expect(page.getByText('Es Ana Pérez Luna, ya registrado con este RFC genérico')).toBeVisible();
    const offer = page.getByRole('list', { name: 'Tickets abiertos del cliente' });
    await expect(offer.getByRole('listitem')).toHaveCount(1);
    await expect(offer).toContainText(anaFolio);
  });
});
