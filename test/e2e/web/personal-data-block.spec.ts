/**
 * Derechos ARCO in Chromium (issue 15, item 4): the administrator registers a cancellation for a
 * customer on its page (deadline 20 business days), looks at the printable export, blocks the
 * customer — then it is gone from the customer search and the ticket search, for the
 * administrator and for an agent, while the Bitácora still shows the block. The other customer
 * stays where it was.
 */
import { createTicket, createUser, expect, openNewDesk, signIn, signOut, test } from '../fixtures';

const RFC = 'TEC0503155C6';
const NAME = 'Tecnologías del Cerro SA de CV';
const AGENT = { username: 'agente', fullName: 'Beto Agente', password: 'girasol-cobalto-5520', roles: ['Mesa de Servicio'] };

test('a blocked customer is gone from customer and ticket search, still in the Bitácora', async ({ page, desk }) => {
  test.setTimeout(180_000);
  await openNewDesk(page, desk);
  const blockedFolio = await createTicket(page, {
    rfc: RFC, name: NAME, email: 'facturas@tecnocerro.example.mx', channel: 'Teléfono', severity: 1,
    subject: 'No puede timbrar', description: 'Error 301 de sello al timbrar.',
  });
  const otherFolio = await createTicket(page, {
    rfc: 'SUR080320B25', name: 'Servicios del Sur SA de CV', email: 'contacto@sur.example.mx', channel: 'Teléfono', severity: 1,
    subject: 'Consulta de sello', description: 'Pregunta por el sello digital.',
  });
  await page.getByRole('button', { name: 'Administración', exact: true }).click();
  await createUser(page, AGENT);

  await test.step('register a cancellation on the customer page', async () => {
    await page.getByRole('button', { name: 'Clientes', exact: true }).click();
    await page.getByLabel('Buscar clientes').fill(RFC);
    await page.getByRole('cell', { name: RFC }).click();
    await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
    const register = page.getByRole('region', { name: 'Solicitudes de derechos ARCO' });
    await register.getByRole('button', { name: 'Registrar solicitud' }).click();
    const dialog = page.getByRole('dialog', { name: 'Registrar solicitud' });
    await dialog.getByLabel('Derecho que ejerce', { exact: true }).selectOption({ label: 'Cancelación' });
    await dialog.getByLabel('Nombre de quien la presenta').fill('Laura Méndez Ríos');
    await dialog.getByLabel('Quien la presenta', { exact: true }).selectOption({ label: 'Representante legal' });
    await dialog.getByLabel('Cómo se comprobó la identidad').selectOption({ label: 'Poder notarial' });
    await dialog.getByLabel('Notas de la comprobación').fill('Poder notarial 4512, notaría 17 de Monterrey');
    await dialog.getByLabel('Qué pide').fill('Cancelar sus datos de contacto');
    await dialog.getByRole('button', { name: 'Registrar' }).click();
    await expect(dialog).toBeHidden();
    await expect(register.getByRole('cell', { name: /Cancelación/ })).toBeVisible();
    await expect(register.locator('.arco-badge--received')).toHaveText('Recibida');
    await register.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/work/notes/shots/arco-register.png' });
  });

  await test.step('the printable export', async () => {
    await page.getByRole('button', { name: 'Versión imprimible' }).click();
    await expect(page.getByRole('heading', { name: `Datos personales de ${NAME}` })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Historial de los tickets/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Bitácora de auditoría/ })).toBeVisible();
    await expect(page.getByText('Servicios del Sur SA de CV')).toHaveCount(0);
    await page.screenshot({ path: '/work/notes/shots/arco-print.png' });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: '/work/notes/shots/arco-print-media.png' });
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Volver al cliente' }).click();
  });

  await test.step('block the customer', async () => {
    const register = page.getByRole('region', { name: 'Solicitudes de derechos ARCO' });
    await register.getByRole('button', { name: 'Bloquear datos' }).click();
    const dialog = page.getByRole('dialog', { name: /Bloquear datos/ });
    await dialog.getByLabel('Comentario').fill('Cancelación procedente; se conserva por obligación fiscal');
    await dialog.getByRole('button', { name: 'Confirmar' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/Datos bloqueados desde/)).toBeVisible();
  });

  await test.step('gone from customer search and ticket search; the other customer is still there', async () => {
    await page.getByRole('button', { name: 'Clientes', exact: true }).click();
    await page.getByLabel('Buscar clientes').fill('SUR080320B25');
    await expect(page.getByRole('cell', { name: 'SUR080320B25' })).toBeVisible();
    await page.getByLabel('Buscar clientes').fill(RFC);
    await expect(page.getByRole('cell', { name: 'SUR080320B25' })).toHaveCount(0);
    await expect(page.getByRole('cell', { name: RFC })).toHaveCount(0);
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    const search = page.getByLabel('Buscar tickets');
    await search.fill('sello');
    await expect(page.getByText(otherFolio).first()).toBeVisible();
    await expect(page.getByText(blockedFolio)).toHaveCount(0);
    await search.fill(RFC);
    await expect(page.getByText(otherFolio)).toHaveCount(0);
    await expect(page.getByText(blockedFolio)).toHaveCount(0);
  });

  await test.step('still in the Bitácora', async () => {
    await page.getByRole('button', { name: 'Bitácora', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Bitácora de auditoría' })).toBeVisible();
    await page.getByLabel('Tipo de evento').selectOption({ label: 'Datos de clientes' });
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect(page.locator('tr[data-action="customer.blocked"]')).toContainText('Datos del cliente bloqueados');
  });

  await test.step('an agent finds neither the customer nor its ticket', async () => {
    await signOut(page);
    await signIn(page, AGENT.username, AGENT.password);
    await page.getByRole('button', { name: 'Clientes', exact: true }).click();
    await page.getByLabel('Buscar clientes').fill(RFC);
    await expect(page.getByRole('cell', { name: RFC })).toHaveCount(0);
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.getByLabel('Buscar tickets').fill('sello');
    await expect(page.getByText(otherFolio).first()).toBeVisible();
    await expect(page.getByText(blockedFolio)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Derechos ARCO', exact: true })).toHaveCount(0);
  });
});
