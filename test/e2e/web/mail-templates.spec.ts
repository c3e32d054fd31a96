/**
 * Issue 12, item 3 in Chromium: an administrator edits the closing notice in Administración →
 * Correo → Textos de los avisos with its live preview (an unknown placeholder is named and blocks
 * the save), then closing a ticket sends that text — cause, solution and the satisfaction survey —
 * to the real local SMTP server.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createTicket, expect, openNewDesk, saveTestMailbox, TECNOCERRO, test } from '../fixtures';
import { startSmtp, type TestSmtp } from '../../fixtures/smtp';

const USER = 'mesa@ayuda.example.mx';
const PASSWORD = 'Clave-SMTP-e2e-9x';
test.use({ hostEnv: { NODE_EXTRA_CA_CERTS: join(import.meta.dirname, '../../fixtures/smtp/cert.pem') } });

let smtp: TestSmtp;
test.beforeEach(async () => {
  smtp = await startSmtp({ user: USER, password: PASSWORD });
});
test.afterEach(async () => {
  await smtp.close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/mail-templates-${name}.png` });
}

test('edit the closing notice with its preview; closing a ticket sends it with the survey', async ({ page, desk }) => {
  test.setTimeout(120_000);
  await openNewDesk(page, desk);
  await saveTestMailbox(page, smtp.port, USER, PASSWORD);

  await test.step('Textos de los avisos: the preview follows the text; an unknown placeholder is named and cannot be saved', async () => {
    const section = page.getByRole('region', { name: 'Textos de los avisos' });
    await section.getByLabel('Aviso', { exact: true }).selectOption({ label: 'Cierre y encuesta' });
    const preview = page.getByTestId('mail-tpl-preview');
    await expect(preview).toContainText('responda a este correo con un número del 1 al 5');
    await expect(preview).toContainText('Causa: El certificado de sello digital estaba vencido.');
    const body = section.getByLabel('Texto', { exact: true });
    await body.fill('Estimado cliente {{cliente}}:\nSu ticket {{folio}} fue cerrado.\nCausa: {{causa}}\nSolución: {{solucion}}\nFecha: {{fecha}}');
    await expect(page.getByTestId('mail-tpl-unknown')).toContainText('{{fecha}}');
    await expect(section.getByRole('button', { name: 'Guardar texto' })).toBeDisabled();
    await body.fill('Estimado cliente {{cliente}}:\nSu ticket {{folio}} fue cerrado.\nCausa: {{causa}}\nSolución: {{solucion}}\n\n'
      + 'Responda a este correo con un número del 1 al 5 para calificar la atención.');
    await expect(page.getByTestId('mail-tpl-unknown')).toHaveCount(0);
    await expect(preview).toContainText('Estimado cliente Papelería La Pluma Fina, S.A. de C.V.:');
    await section.getByRole('button', { name: 'Guardar texto' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó el texto del aviso.' })).toBeVisible();
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'editor');
  });

  await test.step('close a ticket: the closing e-mail with cause, solution and the survey arrives at the local server', async () => {
    const folio = await createTicket(page, {
      ...TECNOCERRO, channel: 'Correo', severity: 1, subject: 'No puede timbrar facturas', description: 'Al timbrar aparece el error 301.',
    });
    await page.getByRole('button', { name: 'Cerrar ticket' }).click();
    await page.getByLabel('Causa').fill('Certificado de sello vencido');
    await page.getByLabel('Solución').fill('Se cargó el certificado vigente; el cliente ya timbra.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar ticket' }).click();
    const panel = page.getByTestId('ticket-notices');
    await expect(panel.locator('li[data-kind="closed"] .badge')).toHaveText('Enviado', { timeout: 30_000 });
    const closing = smtp.received.find((m) => String(m.headers.subject).includes('cerrado'));
    expect(closing?.to).toEqual([TECNOCERRO.email]);
    expect(closing?.headers.subject).toContain(folio);
    expect(closing?.decoded).toContain(`Estimado cliente ${TECNOCERRO.name}:`);
    expect(closing?.decoded).toContain('Causa: Certificado de sello vencido');
    expect(closing?.decoded).toContain('Solución: Se cargó el certificado vigente; el cliente ya timbra.');
    expect(closing?.decoded).toContain('Responda a este correo con un número del 1 al 5');
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'ticket');
  });
});
