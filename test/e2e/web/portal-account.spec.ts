/**
 * The customer portal's sign-in link and survey in Chromium (issue 13): the central server
 * (`npm run server`'s code, PGlite, SMTP settings in its environment) and a branch web host
 * (SQLite) enrolled on it, both sending mail to one local SMTP server. The branch registers a
 * customer and three tickets and closes one → the customer asks the portal for a link with the
 * registered e-mail → opens it → sees all the tickets and filters them by status and type → the
 * closing e-mail's survey link records a one-click rating with a comment → the branch pulls it.
 * Screenshots at 390×844 and 1366×800 when HELPDESK_SHOTS_DIR is set.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startSmtp, type TestSmtp } from '../../fixtures/smtp';
import { completeSetup, expect, newDataDir, removeDataDir, startOwnedHost, test, type OwnedHost } from '../fixtures';
import { api, enrolmentCode, startSyncServer, type SyncServer } from '../sync-server';

const SHOTS = process.env.HELPDESK_SHOTS_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `portal-${name}.png`), fullPage: true });
}

async function mailTo(smtp: TestSmtp, to: string, subject: RegExp): Promise<string> {
  await expect.poll(() => smtp.received.some((m) => m.to.includes(to) && subject.test(m.headers.subject ?? '')), { timeout: 30_000 }).toBe(true);
  return smtp.received.filter((m) => m.to.includes(to) && subject.test(m.headers.subject ?? '')).at(-1)!.decoded;
}

test('a customer signs in with a link sent to the registered e-mail, filters all the tickets, and answers the survey with one click', async ({ browser }) => {
  test.setTimeout(600_000); // a loaded machine: the server alone may take two minutes to start
  const smtp = await startSmtp({ mode: 'plain' });
  let server: SyncServer | null = null;
  const dir = newDataDir();
  let host: OwnedHost | null = null;
  try {
    server = await startSyncServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_SECURITY: 'none', SMTP_FROM: 'Portal Mesa de Ayuda <portal@ayuda.example.mx>' });
    host = await startOwnedHost(dir);
    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    await desk.goto(host.url);
    await completeSetup(desk, 'MTY');
    await expect(desk.getByTestId('sync-indicator')).toHaveText('Solo este equipo', { timeout: 60_000 });
    await api(desk, 'sync.enrol', { url: server.url, code: await enrolmentCode(server, 'MTY') });
    await api(desk, 'mail.saveMailbox', {
      host: '127.0.0.1', port: smtp.port, security: 'none', acceptInsecure: true, fromName: 'Mesa de Ayuda Monterrey', fromAddress: 'soporte@ayuda.example.mx',
    });

    const surveyLink = await test.step('the branch registers the customer, three tickets, and closes one (its e-mail carries the survey link)', async () => {
      const customer = await api<{ id: string }>(desk, 'customers.create', {
        rfc: 'RLU0502143A3', name: 'Refaccionaria Lupe SA de CV', registeredEmail: 'compras@refaccionaria-lupe.mx',
        contacts: [{ name: 'Guadalupe Ríos', email: 'lupe@refaccionaria-lupe.mx', phone: '8112345678', isLegalRepresentative: true }],
      });
      const open = (subject: string, requestType: 'general' | 'technical') => api<{ id: string }>(desk, 'tickets.create', {
        customer: { kind: 'existing', customerId: customer.id }, channel: 'phone', requestType, supportType: 'web', category: 'other',
        priority: 'normal', severity: 1, subject, description: `${subject}: lo que nos contó por teléfono.`,
      });
      await open('No puedo timbrar facturas', 'technical');
      await open('Duda sobre la renovación', 'general');
      const closed = await open('No descarga el XML', 'technical');
      await api(desk, 'tickets.close', { ticketId: closed.id, cause: 'Caché del navegador', solution: 'Se limpió la caché y descargó el XML.' });
      expect(await api(desk, 'sync.now', {})).toMatchObject({ push: { rejected: 0 } });
      const closing = await mailTo(smtp, 'compras@refaccionaria-lupe.mx', /cerrado/);
      return /Califique la atención con un clic: (\S+#encuesta=[\w-]{43})/.exec(closing)![1]!;
    });
    expect(surveyLink.startsWith(`${server.url}/portal/#encuesta=`)).toBe(true);

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX', isMobile: true, hasTouch: true });
    const customer = await phone.newPage();
    const signInLink = await test.step('the customer asks for a link with the registered e-mail; the answer says nothing about whether it is known', async () => {
      await customer.goto(`${server!.url}/portal/`);
      await customer.getByRole('button', { name: 'Mis tickets' }).click();
      await customer.getByLabel(/^Correo electrónico/).fill('nadie@otra-empresa.mx');
      await customer.getByRole('button', { name: 'Enviarme el enlace' }).click();
      const sent = 'Si el correo está registrado, le enviamos un enlace. Funciona una sola vez y durante 30 minutos; revise también el correo no deseado.';
      await expect(customer.getByText(sent)).toBeVisible();
      await customer.getByLabel(/^Correo electrónico/).fill('Compras@Refaccionaria-Lupe.mx');
      await customer.getByRole('button', { name: 'Enviarme el enlace' }).click();
      await expect(customer.getByText(sent)).toBeVisible();
      await shot(customer, 'sign-in-link-phone');
      const mail = await mailTo(smtp, 'compras@refaccionaria-lupe.mx', /enlace para entrar/);
      expect(smtp.received.some((m) => m.to.includes('nadie@otra-empresa.mx'))).toBe(false);
      return /(\S+#acceso=[\w-]{43})/.exec(mail)![1]!;
    });

    await test.step('the link opens the list of all the customer\'s tickets, filtered by status and type; a second use is refused', async () => {
      await customer.goto(signInLink);
      await expect(customer.getByRole('heading', { name: 'Sus tickets' })).toBeVisible();
      await expect(customer).toHaveURL(/#mis-tickets$/); // the token left the address
      const list = customer.getByRole('list', { name: 'Sus tickets' });
      await expect(list.getByRole('listitem')).toHaveCount(3);
      await shot(customer, 'account-phone');
      await customer.getByLabel('Estado').selectOption({ label: 'Cerrado' });
      await expect(list.getByRole('listitem')).toHaveCount(1);
      await expect(list).toContainText('No descarga el XML');
      await customer.getByLabel('Estado').selectOption({ label: 'Todos' });
      await customer.getByLabel('Tipo').selectOption({ label: 'Técnica' });
      await expect(list.getByRole('listitem')).toHaveCount(2);
      await list.getByRole('button', { name: /No puedo timbrar facturas/ }).click();
      await expect(customer.getByTestId('ticket').getByRole('heading', { name: 'No puedo timbrar facturas' })).toBeVisible();
      await shot(customer, 'account-ticket-phone');

      const wide = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
      await wide.goto(signInLink);
      await expect(wide.getByText('El enlace ya se usó o venció. Pida otro.')).toBeVisible();
    });

    await test.step('at a desk size the customer asks for a new link and sees the list', async () => {
      const wide = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
      await wide.goto(`${server!.url}/portal/#mis-tickets`);
      const before = smtp.received.length;
      await wide.getByLabel(/^Correo electrónico/).fill('compras@refaccionaria-lupe.mx');
      await wide.getByRole('button', { name: 'Enviarme el enlace' }).click();
      await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBeGreaterThan(before);
      const link = /(\S+#acceso=[\w-]{43})/.exec(smtp.received.at(-1)!.decoded)![1]!;
      await wide.goto(link);
      await expect(wide.getByRole('list', { name: 'Sus tickets' }).getByRole('listitem')).toHaveCount(3);
      await shot(wide, 'account-1366');
    });

    await test.step('the survey link: a comment, then one click on a rating; a second answer is not taken', async () => {
      await customer.goto(surveyLink);
      await expect(customer.getByRole('heading', { name: 'Encuesta de satisfacción' })).toBeVisible();
      await expect(customer.getByText('No descarga el XML')).toBeVisible();
      await customer.getByLabel('Comentario (opcional)').fill('Muy amables <b>y rápidos</b>');
      await shot(customer, 'survey-phone');
      await customer.getByRole('button', { name: /^Calificar con 5/ }).click();
      await expect(customer.getByText('¡Gracias! Registramos su calificación.')).toBeVisible();
      await expect(customer.getByText('Su calificación: 5 de 5')).toBeVisible();
      await shot(customer, 'survey-done-phone');
      await customer.goto(surveyLink);
      await expect(customer.getByText('Este ticket ya tiene una calificación. Gracias.')).toBeVisible();
    });

    await test.step('the branch pulls the rating onto the ticket', async () => {
      await api(desk, 'sync.now', {});
      const list = await api<{ rows: Array<{ id: string; subject: string; trackingNumber: string }> }>(desk, 'tickets.list', { view: 'all' });
      const closed = list.rows.find((r) => r.subject === 'No descarga el XML')!;
      const detail = await api<{ timeline: Array<{ kind: string; body: string; data: Record<string, unknown> }> }>(desk, 'tickets.get', { ticketId: closed.id });
      expect(detail.timeline.filter((e) => e.kind === 'survey_answered').map((e) => [e.body, e.data])).toEqual([['Muy amables <b>y rápidos</b>', { rating: 5, source: 'portal' }]]);
      // The default list hides closed tickets: the agent opens it from the palette and reads the rating's source.
      await desk.reload();
      await desk.getByRole('button', { name: 'Tickets', exact: true }).click();
      await desk.locator('body').click({ position: { x: 700, y: 700 } });
      await desk.keyboard.press('Control+k');
      const palette = desk.getByRole('dialog', { name: 'Ir a una pantalla, ticket o cliente' });
      await palette.getByRole('combobox').fill(closed.trackingNumber);
      await palette.getByRole('option', { name: new RegExp(closed.trackingNumber) }).click();
      await expect(desk.getByTestId('survey-answer')).toContainText('Calificación: 5 de 5');
      await expect(desk.getByTestId('survey-answer')).toContainText('respondida en el portal de clientes');
      await expect(desk.locator('li.event-survey_answered')).toContainText('Muy amables <b>y rápidos</b>');
    });
  } finally {
    await host?.stop();
    await server?.stop();
    await smtp.close();
    removeDataDir(dir);
  }
});
