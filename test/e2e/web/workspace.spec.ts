/**
 * Issue 2 end to end, in Chromium against the web host and a real SQLite file:
 * first-run setup → sign in → new customer + ticket by phone → found by RFC and by a word of its
 * description → reply, internal note, En espera, close with cause and solution → closed-ticket policy.
 */
import { ADMIN, completeSetup, expect, signIn, test } from '../fixtures';

const RFC = 'TEC0503155C6';

test('an agent takes a phone call from a new customer through to a closed ticket and a linked follow-up', async ({ page, desk }) => {
  await page.goto(desk.url);

  await test.step('first-run setup, then sign out and sign in again', async () => {
    await completeSetup(page);
    await expect(page.getByRole('button', { name: 'Cerrar sesión' })).toBeVisible();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await signIn(page, ADMIN.username, 'contraseña-equivocada');
    await expect(page.getByRole('alert')).toContainText('Usuario o contraseña incorrectos');
    await signIn(page);
    await expect(page.getByRole('button', { name: 'Cerrar sesión' })).toBeVisible();
  });

  let trackingNumber = '';
  await test.step('new customer and ticket by phone', async () => {
    await page.getByRole('button', { name: 'Nuevo ticket' }).click();
    await page.getByLabel('RFC', { exact: true }).fill(RFC);
    await page.getByLabel('RFC', { exact: true }).blur();
    await page.getByLabel('Nombre o razón social').fill('Tecnologías del Cerro SA de CV');
    await page.getByLabel('Correo electrónico').fill('facturas@tecnocerro.example.mx');
    await page.getByLabel('Teléfono').fill('81 1234 5678');
    await page.getByLabel('Canal').selectOption({ label: 'Teléfono' });
    await page.getByLabel('Tipo de solicitud').selectOption({ label: 'Técnica' });
    await page.getByLabel('Tipo de soporte').selectOption({ label: 'Web' });
    await page.getByLabel('Clasificación').selectOption({ label: 'Emisión de facturas' });
    await page.getByLabel('Prioridad').selectOption({ label: 'Alta' });
    await page.getByLabel('Grado de severidad').selectOption({ label: 'Grado de severidad 1' });
    await page.getByLabel('Asunto').fill('No puede timbrar facturas');
    await page.getByLabel('Descripción').fill('Al timbrar aparece el error 301: sello digital inválido en el comprobante.');
    await page.getByLabel('Evidencia').setInputFiles({ name: 'error-301.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    await page.getByRole('button', { name: 'Crear ticket' }).click();
    const folio = page.getByText(/MTY-\d{6}/).first();
    await expect(folio).toBeVisible();
    trackingNumber = /MTY-\d{6}/.exec((await folio.textContent()) ?? '')![0];
    expect(trackingNumber).toBe('MTY-000001');
    await expect(page.getByText('error-301.png')).toBeVisible();
  });

  await test.step('found by RFC and by a word of its description', async () => {
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    const search = page.getByLabel('Buscar tickets');
    await search.fill(RFC);
    await expect(page.getByText(trackingNumber)).toBeVisible();
    await search.fill('zzzsinresultados');
    await expect(page.getByText(trackingNumber)).toHaveCount(0);
    await search.fill('sello');
    await expect(page.getByText(trackingNumber)).toBeVisible();
    await expect(page.locator('mark', { hasText: 'sello' }).first()).toBeVisible();
    await page.getByText(trackingNumber).first().click();
  });

  await test.step('reply, internal note, waiting on the customer, close with cause and solution', async () => {
    await expect(page.getByText('No puede timbrar facturas').first()).toBeVisible();
    await page.getByLabel('Respuesta pública').check();
    await page.getByLabel('Mensaje', { exact: true }).fill('Le pedimos cargar de nuevo su CSD vigente.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByText('Le pedimos cargar de nuevo su CSD vigente.')).toBeVisible();

    await page.getByLabel('Nota interna').check();
    await page.getByLabel('Mensaje', { exact: true }).fill('El certificado del cliente venció el mes pasado.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByText('El certificado del cliente venció el mes pasado.')).toBeVisible();

    await page.getByLabel('Estado').selectOption({ label: 'En espera del cliente' });
    await expect(page.getByText('En espera del cliente').first()).toBeVisible();

    await page.getByRole('button', { name: 'Cerrar ticket' }).click();
    await page.getByLabel('Causa').fill('CSD vencido');
    await page.getByLabel('Solución').fill('El cliente cargó su nuevo CSD y timbró correctamente.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar ticket' }).click();
    await expect(page.getByText('El cliente cargó su nuevo CSD y timbró correctamente.').first()).toBeVisible();
    await expect(page.getByText('Cerrado').first()).toBeVisible();
  });

  await test.step('closed-ticket policy: a new message opens a new ticket linked to the closed one', async () => {
    await page.getByLabel('Mensaje del cliente').check();
    await page.getByLabel('Mensaje', { exact: true }).fill('Volvió a fallar el timbrado hoy.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByText('MTY-000002').first()).toBeVisible();
    await expect(page.getByText('Volvió a fallar el timbrado hoy.').first()).toBeVisible();
    await expect(page.getByText(trackingNumber).first()).toBeVisible();
  });
});
