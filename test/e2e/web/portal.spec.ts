/**
 * The customer portal in Chromium (issue 13): the central server (`npm run server`'s code, PGlite)
 * serves the portal; a branch web host (SQLite) is enrolled on it. On a phone-sized screen the
 * customer opens a ticket with evidence → the branch sees it after sync → the agent replies in
 * public and writes an internal note → the customer reads the reply by folio (never the note; HTML
 * shown as text) and adds information → it arrives at the branch as a customer message.
 * Screenshots at 390×844 and 1366×800 when HELPDESK_SHOTS_DIR is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { completeSetup, expect, newDataDir, removeDataDir, startOwnedHost, test, type OwnedHost } from '../fixtures';
import { api, enrolmentCode, startSyncServer } from '../sync-server';

const SHOTS = process.env.HELPDESK_SHOTS_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `portal-${name}.png`), fullPage: true });
}

test('a customer opens a ticket on the portal, the branch answers after sync, the customer reads it by folio and adds information', async ({ browser }) => {
  // Starting the sync server and the web host may take up to two minutes each on a busy machine (fixtures).
  test.setTimeout(600_000);
  const server = await startSyncServer();
  const dir = newDataDir();
  let host: OwnedHost | null = null;
  try {
    host = await startOwnedHost(dir);
    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    await desk.goto(host.url);
    await completeSetup(desk, 'MTY');
    await expect(desk.getByTestId('sync-indicator')).toHaveText('Solo este equipo');
    await api(desk, 'sync.enrol', { url: server.url, code: await enrolmentCode(server, 'MTY') });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX', isMobile: true, hasTouch: true });
    const customer = await phone.newPage();
    const folio = await test.step('the customer opens a ticket from a phone; mistakes are explained field by field', async () => {
      await customer.goto(`${server.url}/portal/`);
      await expect(customer.getByRole('heading', { name: 'Portal de clientes' })).toBeVisible();
      await shot(customer, 'form-phone');
      await customer.getByRole('button', { name: 'Enviar ticket' }).click();
      await expect(customer.getByRole('alert').first()).toHaveText('Revise los datos marcados.');
      await expect(customer.getByText('Escriba un correo válido, por ejemplo nombre@empresa.mx.')).toBeVisible();
      await expect(customer.getByLabel(/^RFC/)).toHaveAttribute('aria-invalid', 'true');
      await customer.getByLabel(/^Correo electrónico/).fill('compras@refaccionaria-lupe.mx');
      await customer.getByLabel(/^RFC/).fill('RLU0513143A3');
      await customer.getByLabel(/^Nombre o razón social/).fill('Refaccionaria Lupe SA de CV');
      await customer.getByLabel(/^Asunto/).fill('<b>Error 301</b> al timbrar');
      await customer.getByLabel(/^Mensaje/).fill('Desde ayer el timbrado marca error 301 en todas las facturas.');
      await customer.getByLabel('Técnica').check();
      await customer.getByLabel('Prioridad').selectOption({ label: 'Alta' });
      await customer.getByLabel('Evidencia (opcional)').setInputFiles({ name: 'error-301.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      await customer.getByRole('button', { name: 'Enviar ticket' }).click();
      await expect(customer.getByText('La fecha dentro del RFC no existe.')).toBeVisible();
      await shot(customer, 'errors-phone');
      await customer.getByLabel(/^RFC/).fill('RLU0502143A3');
      await customer.getByRole('button', { name: 'Enviar ticket' }).click();
      await expect(customer.getByRole('heading', { name: 'Recibimos su ticket' })).toBeVisible({ timeout: 20_000 });
      await expect(customer.getByText('Tiempo de respuesta esperado')).toBeVisible();
      await shot(customer, 'created-phone');
      return (await customer.getByTestId('folio').textContent())!;
    });
    expect(folio).toMatch(/^WEB-\d{6}$/);

    await test.step('the branch pulls it; the agent answers in public and writes an internal note', async () => {
      // The live stream may have pulled it already; either way it is there after one more sync.
      expect(await api(desk, 'sync.now', {})).toMatchObject({ pull: { failed: [] } });
      const list = await api<{ rows: Array<{ trackingNumber: string }> }>(desk, 'tickets.list', { view: 'all' });
      expect(list.rows.map((r) => r.trackingNumber)).toContain(folio);
      await desk.reload(); // the screens load what the pull brought
      await desk.getByRole('button', { name: 'Tickets', exact: true }).click();
      await desk.getByText(folio).first().click();
      await expect(desk.getByText('<b>Error 301</b> al timbrar').first()).toBeVisible();
      await desk.getByLabel('Respuesta pública').check();
      await desk.getByLabel('Mensaje', { exact: true }).fill('Su certificado venció. ¿Nos envía el XML que falla?');
      await desk.getByRole('button', { name: 'Enviar' }).click();
      await expect(desk.getByText('Su certificado venció. ¿Nos envía el XML que falla?')).toBeVisible();
      await desk.getByLabel('Nota interna').check();
      await desk.getByLabel('Mensaje', { exact: true }).fill('Nota interna: revisar su crédito antes de contestar.');
      await desk.getByRole('button', { name: 'Enviar' }).click();
      await expect(desk.getByText('Nota interna: revisar su crédito antes de contestar.')).toBeVisible();
      await api(desk, 'sync.now', {});
    });

    await test.step('the customer reads the reply by folio — never the note — and adds information with a file', async () => {
      await customer.getByRole('button', { name: 'Consultar este ticket' }).click();
      const card = customer.getByTestId('ticket');
      await expect(card.getByText('Su certificado venció. ¿Nos envía el XML que falla?')).toBeVisible();
      await expect(card.getByRole('heading', { name: '<b>Error 301</b> al timbrar' })).toBeVisible();
      await expect(card).not.toContainText('revisar su crédito');
      await expect(card.locator('b')).toHaveCount(0);
      await shot(customer, 'status-phone');
      await card.getByLabel(/^Mensaje/).fill('Adjunto el XML que falla.');
      await card.getByLabel('Evidencia (opcional)').setInputFiles({ name: 'factura.xml', mimeType: 'text/xml', buffer: Buffer.from('<?xml version="1.0"?><cfdi:Comprobante/>') });
      await card.getByRole('button', { name: 'Enviar información' }).click();
      await expect(card.getByText('Recibimos su información.')).toBeVisible();
      await expect(card.getByText('Adjunto el XML que falla.')).toBeVisible();

      // The same page at a desk size, looked up from scratch; a wrong e-mail gets the one uniform answer.
      const wide = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
      await wide.goto(`${server.url}/portal/#consultar`);
      await wide.getByLabel(/^Número de seguimiento/).fill(folio.toLowerCase());
      await wide.getByLabel(/^Correo electrónico/).fill('otra@persona.mx');
      await wide.getByRole('button', { name: 'Consultar', exact: true }).click();
      await expect(wide.getByText('No encontramos un ticket con ese folio y ese correo. Revise ambos datos.')).toBeVisible();
      await wide.getByLabel(/^Correo electrónico/).fill('Compras@Refaccionaria-Lupe.mx');
      await wide.getByRole('button', { name: 'Consultar', exact: true }).click();
      await expect(wide.getByTestId('ticket').getByText('Adjunto el XML que falla.')).toBeVisible();
      await shot(wide, 'status-1366');
    });

    await test.step('the information arrives at the branch as a customer message', async () => {
      await api(desk, 'sync.now', {});
      await desk.reload();
      await desk.getByRole('button', { name: 'Tickets', exact: true }).click();
      await desk.getByText(folio).first().click();
      await expect(desk.getByText('Adjunto el XML que falla.')).toBeVisible();
    });
  } finally {
    await host?.stop();
    await server.stop();
    removeDataDir(dir);
  }
});
