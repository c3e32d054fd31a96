/**
 * Issue 12, outgoing mail, in Chromium against the web host: Administración → Correo configured
 * against a real local SMTP server started by the test (TLS with the self-signed test certificate,
 * which the host trusts through NODE_EXTRA_CA_CERTS), "Probar conexión" with a wrong password
 * says why in words, "Enviar correo de prueba" arrives, and a new ticket's acknowledgement is sent
 * by the background sender and shows "Enviado" on the ticket.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createTicket, expect, openNewDesk, TECNOCERRO, test } from '../fixtures';
import { startSmtp, type TestSmtp } from '../../fixtures/smtp';

const PASSWORD = 'Clave-SMTP-e2e-9x';
test.use({ hostEnv: { NODE_EXTRA_CA_CERTS: join(import.meta.dirname, '../../fixtures/smtp/cert.pem') } });

let smtp: TestSmtp;
let folioSent = '';
test.beforeEach(async () => {
  smtp = await startSmtp({ user: 'mesa@ayuda.example.mx', password: PASSWORD });
});
test.afterEach(async () => {
  await smtp.close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/mail-${name}.png` });
}

test('configure the mailbox, send a test e-mail, and see a new ticket\'s acknowledgement sent', async ({ page, desk }) => {
  test.setTimeout(120_000);
  await openNewDesk(page, desk);

  await test.step('Administración → Correo: save the mailbox; a wrong password is named as such', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    await page.getByRole('tab', { name: 'Correo' }).click();
    await page.getByLabel('Servidor').fill('127.0.0.1');
    await page.getByLabel('Puerto').fill(String(smtp.port));
    await expect(page.getByLabel('Seguridad')).toHaveValue('tls');
    await page.getByLabel('Usuario', { exact: true }).fill('mesa@ayuda.example.mx');
    await page.getByLabel('Contraseña', { exact: true }).fill('equivocada');
    await page.getByLabel('Nombre del remitente').fill('Mesa de Ayuda Monterrey');
    await page.getByLabel('Correo del remitente').fill('soporte@ayuda.example.mx');
    await page.getByRole('button', { name: 'Guardar', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó el buzón de salida.' })).toBeVisible();
    await page.getByRole('button', { name: 'Probar conexión' }).click();
    await expect(page.getByTestId('mail-check-error')).toContainText('El servidor rechazó el usuario o la contraseña.');

    await page.getByLabel('Contraseña', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Guardar', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó el buzón de salida.' })).toBeVisible();
    await expect(page.getByText('Hay una contraseña guardada.')).toBeVisible();
    await page.getByRole('button', { name: 'Probar conexión' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'La conexión funciona' })).toBeVisible();
  });

  await test.step('"Enviar correo de prueba" arrives at the local server', async () => {
    await page.getByLabel('Enviar un correo de prueba a').fill('ana@ayuda.example.mx');
    await page.getByRole('button', { name: 'Enviar correo de prueba' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se envió el correo de prueba' })).toBeVisible();
    expect(smtp.received.map((m) => m.to)).toEqual([['ana@ayuda.example.mx']]);
    await shot(page, 'admin');
  });

  await test.step('a new ticket\'s acknowledgement goes out on its own and shows "Enviado"', async () => {
    const folio = await createTicket(page, {
      ...TECNOCERRO,
      channel: 'Correo', severity: 1, subject: 'No puede timbrar facturas', description: 'Al timbrar aparece el error 301.',
    });
    const panel = page.getByTestId('ticket-notices');
    await expect(panel.locator('li[data-kind="acknowledged"]')).toContainText('Acuse de recibo');
    await expect(panel.locator('li[data-kind="acknowledged"] .badge')).toHaveText('Enviado', { timeout: 30_000 });
    const ack = smtp.received.find((m) => m.to.includes('facturas@tecnocerro.example.mx'));
    expect(ack?.headers.subject).toContain(folio);
    expect(ack?.headers['auto-submitted']).toBe('auto-generated');
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'ticket');
    folioSent = folio;
  });

  await test.step('the queue lists the acknowledgement as sent (the test e-mail is not a customer notice)', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    await page.getByRole('tab', { name: 'Correo' }).click();
    const rows = page.getByTestId('mail-queue').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Acuse de recibo');
    await expect(rows.first()).toContainText(folioSent);
    await expect(rows.first()).toContainText('Enviado');
    await rows.first().scrollIntoViewIfNeeded();
    await shot(page, 'queue');
  });
});
