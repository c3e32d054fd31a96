/**
 * Issue 12, incoming mail, in Chromium against the web host with a real Dovecot (test/fixtures/imap.ts)
 * and a real local SMTP server: an incoming mailbox configured in Administración → Correo shows
 * "Conectado"; a customer's e-mail arrives → a ticket with the acknowledgement delivered to the
 * SMTP server; the sender is flagged as unknown; the agent answers from the app; the customer's
 * reply to the acknowledgement threads into the same ticket; the HTML is shown sanitized with the
 * remote image blocked until "Mostrar imágenes"; the original downloads as an .eml; closing sends
 * the survey, and the customer's reply "5" shows as the rating on the ticket.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openNewDesk, test } from '../fixtures';
import { api } from '../page-api';
import { startSmtp, type TestSmtp } from '../../fixtures/smtp';
import { HAS_DOVECOT, mail, startImap, type TestImap } from '../../fixtures/imap';

const SMTP_PASSWORD = 'Clave-SMTP-e2e-9x';
test.use({ hostEnv: { NODE_EXTRA_CA_CERTS: join(import.meta.dirname, '../../fixtures/smtp/cert.pem') } });

let smtp: TestSmtp;
let imap: TestImap;
test.beforeEach(async () => {
  test.skip(!HAS_DOVECOT, 'needs Debian\'s dovecot-imapd (installed by .ci/run)');
  smtp = await startSmtp({ user: 'mesa@ayuda.example.mx', password: SMTP_PASSWORD });
  imap = await startImap();
});
test.afterEach(async () => {
  await smtp?.close();
  imap?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/mail-in-${name}.png`, fullPage: false });
}

test('a mail becomes a ticket with its acknowledgement; the agent answers; the customer\'s reply threads into the ticket', async ({ page, desk }) => {
  test.setTimeout(600_000); // a loaded machine: the web host alone may take two minutes to start
  await openNewDesk(page, desk);
  await page.getByRole('button', { name: 'Administración' }).click();
  await page.getByRole('tab', { name: 'Correo' }).click();

  await test.step('the outgoing mailbox (SMTP)', async () => {
    await page.getByLabel('Servidor').first().fill('127.0.0.1');
    await page.getByLabel('Puerto').first().fill(String(smtp.port));
    await page.getByLabel('Usuario', { exact: true }).first().fill('mesa@ayuda.example.mx');
    await page.getByLabel('Contraseña', { exact: true }).first().fill(SMTP_PASSWORD);
    await page.getByLabel('Nombre del remitente').fill('Mesa de Ayuda Monterrey');
    await page.getByLabel('Correo del remitente').fill('soporte@ayuda.example.mx');
    await page.getByRole('button', { name: 'Guardar' }).first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó el buzón de salida.' })).toBeVisible();
  });

  await test.step('an incoming mailbox (IMAP, TLS by default) connects', async () => {
    await page.getByRole('button', { name: 'Agregar buzón de entrada' }).click();
    const form = page.getByTestId('inbox-form');
    await expect(form.getByLabel('Seguridad')).toHaveValue('tls');
    await expect(form.getByLabel('Puerto')).toHaveValue('993');
    await form.getByLabel('Servidor').fill('127.0.0.1');
    await form.getByLabel('Puerto').fill(String(imap.port));
    await form.getByLabel('Usuario').fill(imap.user);
    await form.getByLabel('Contraseña').fill(imap.password);
    await form.getByRole('button', { name: 'Guardar' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Se guardó el buzón de entrada.' })).toBeVisible();
    await expect(page.getByTestId('mail-inboxes').getByTestId('inbox-state')).toHaveText('Conectado', { timeout: 30_000 });
  });

  let folio = '';
  await test.step('a customer\'s e-mail arrives: a ticket, its acknowledgement delivered, the unknown sender flagged', async () => {
    await imap.append([
      'From: Marta Olivo <marta@olivo-papeleria.example.mx>', `To: ${imap.user}`, 'Subject: No puedo cancelar una factura',
      `Date: ${new Date().toUTCString()}`, '<m1.e2e@olivo-papeleria.example.mx>'.replace(/^/, 'Message-ID: '), 'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8', '',
      '<p>Buen día, el portal no me deja <b>cancelar</b> la factura F-88.</p><img src="https://rastreo.example.com/p.gif" alt="firma"><script>alert(1)</script>', '',
    ].join('\r\n'));
    const received = page.getByTestId('mail-received');
    await expect(received).toContainText('No puedo cancelar una factura', { timeout: 30_000 });
    await expect(received).toContainText('Ticket nuevo');
    await expect(received).toContainText('Sin identificar');
    await shot(page, 'admin');
    const link = received.locator('tbody tr').first().locator('a');
    folio = (await link.textContent()) ?? '';
    await link.click();
    await expect(page.getByText('No puedo cancelar una factura').first()).toBeVisible();
    await expect(page.getByTestId('ticket-notices').locator('li[data-kind="acknowledged"] .badge')).toHaveText('Enviado', { timeout: 30_000 });
    const ack = smtp.received.find((m) => m.to.includes('marta@olivo-papeleria.example.mx'));
    expect(ack?.headers.subject).toContain(folio);
    await expect(page.getByTestId('unknown-sender')).toContainText('marta@olivo-papeleria.example.mx no corresponde a ningún cliente registrado');
  });

  await test.step('the message is shown sanitized; the remote image only on "Mostrar imágenes"', async () => {
    const panel = page.getByTestId('ticket-mail');
    await panel.getByRole('button', { name: 'Ver correo' }).click();
    const frame = page.frameLocator('iframe.mail-frame');
    await expect(frame.locator('b')).toHaveText('cancelar');
    await expect(frame.locator('script')).toHaveCount(0);
    await expect(frame.locator('img')).toHaveAttribute('src', /^data:/);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'ticket');
    await panel.getByRole('button', { name: 'Mostrar imágenes' }).click();
    await expect(frame.locator('img')).toHaveAttribute('src', 'https://rastreo.example.com/p.gif');
  });

  await test.step('the agent answers from the app', async () => {
    await page.getByLabel('Respuesta pública').check();
    await page.getByLabel('Mensaje', { exact: true }).fill('Le ayudamos: el motivo de cancelación debe ser 02 si no hay sustitución.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByText('el motivo de cancelación debe ser 02').first()).toBeVisible();
  });

  await test.step('the customer answers the acknowledgement: the reply threads into the same ticket', async () => {
    const ack = smtp.received.find((m) => m.to.includes('marta@olivo-papeleria.example.mx'))!;
    await imap.append(mail({
      from: 'Marta Olivo <marta@olivo-papeleria.example.mx>', subject: `Re: ${ack.headers.subject}`, messageId: '<m2.e2e@olivo-papeleria.example.mx>',
      inReplyTo: ack.headers['message-id'], references: `${ack.headers.references} ${ack.headers['message-id']}`,
      body: 'Gracias, con el motivo 02 ya quedó cancelada.\n\n> Recibimos su solicitud',
    }));
    await page.getByRole('button', { name: 'Administración' }).click();
    await page.getByRole('tab', { name: 'Correo' }).click();
    const row = page.getByTestId('mail-received').locator('tbody tr').filter({ hasText: 'Agregado a su ticket' });
    await expect(row).toContainText(folio, { timeout: 30_000 });
    await row.locator('a').click();
    await expect(page.getByText('con el motivo 02 ya quedó cancelada').first()).toBeVisible();
    await expect(page.getByText(folio).first()).toBeVisible();
    await shot(page, 'threaded');
  });

  await test.step('the original message downloads as an .eml file', async () => {
    const panel = page.getByTestId('ticket-mail');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Descargar original (.eml)' }).first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${folio}-\\d{4}-\\d{2}-\\d{2}\\.eml$`));
    const { readFileSync } = await import('node:fs');
    const eml = readFileSync((await download.path())!, 'utf8');
    expect(eml).toContain('Subject: No puedo cancelar una factura');
    expect(eml).toContain('Message-ID: <m1.e2e@olivo-papeleria.example.mx>');
  });

  await test.step('close: the closing notice with the survey reaches the customer; their reply "5" shows as the rating on the ticket', async () => {
    await page.getByRole('button', { name: 'Cerrar ticket' }).click();
    await page.getByLabel('Causa').fill('El motivo de cancelación era incorrecto');
    await page.getByLabel('Solución').fill('Se canceló con el motivo 02.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar ticket' }).click();
    await expect(page.getByTestId('ticket-notices').locator('li[data-kind="closed"] .badge')).toHaveText('Enviado', { timeout: 30_000 });
    const closing = smtp.received.find((m) => String(m.headers.subject).includes('cerrado') && String(m.headers.subject).includes(folio))!;
    expect(closing.decoded).toContain('con un número del 1 al 5');
    await imap.append(mail({
      from: 'Marta Olivo <marta@olivo-papeleria.example.mx>', subject: `Re: ${closing.headers.subject}`, messageId: '<m3.e2e@olivo-papeleria.example.mx>',
      inReplyTo: closing.headers['message-id'], references: `${closing.headers.references ?? ''} ${closing.headers['message-id']}`.trim(),
      body: '5\n\nMuy buena atención, gracias.\n\nEl lun., Mesa de Ayuda escribió:\n> Su ticket fue cerrado.',
    }));
    // The fetcher reads it in the background; then the ticket (closed, so from the palette) shows the rating.
    await expect.poll(async () => (await api<Array<{ subject: string; trackingNumber: string | null }>>(page, 'mail.received', { limit: 20 }))
      .some((m) => m.subject.startsWith('Re:') && m.subject.includes('cerrado') && m.trackingNumber === folio), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.locator('body').click({ position: { x: 700, y: 700 } });
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Ir a una pantalla, ticket o cliente' });
    await palette.getByRole('combobox').fill(folio);
    await palette.getByRole('option', { name: new RegExp(folio) }).click();
    const answer = page.getByTestId('survey-answer');
    await expect(answer).toContainText('Calificación: 5 de 5');
    await expect(answer).toContainText('respondida por correo');
    await expect(page.locator('li.event-survey_answered')).toContainText('Muy buena atención, gracias.');
    // Answered: the ticket stays closed (no reopening, no linked ticket).
    await expect(page.getByText('Cerrado', { exact: true }).first()).toBeVisible();
    await shot(page, 'survey');
  });
});
