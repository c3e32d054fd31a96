/**
 * Notifications in the app (issue 14), in Chromium against the web host and a real SQLite file:
 * the information owner is at her desk when an agent sends a sensitive-data change to review; the
 * bell shows it within a poll, the panel names the request, and clicking it opens the request.
 * The people, the customer, the ticket and the request are made through the host's HTTP API (the
 * same handler map the UI calls), so the test spends its time on what it is about.
 */
import type { Page } from '@playwright/test';
import { expect, openNewDesk, signIn, signOut, test } from '../fixtures';

const PASSWORD = 'contraseña-segura-2';
const CUSTOMER = 'Tecnologías del Cerro SA de CV';
const REGISTERED_EMAIL = 'facturas@tecnocerro.example.mx';

/** Calls the host's API from the page (its cookie and Origin), with a session token; throws on a refusal. */
async function api<T>(page: Page, method: string, input: unknown, session: string | null): Promise<T> {
  const result = await page.evaluate(async ([m, i, s]) => {
    const r = await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: i, session: s }) });
    return r.json() as Promise<{ ok: boolean; value?: unknown; error?: unknown }>;
  }, [method, input, session] as const);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

test('an approver is notified when a request needs her, and the notification opens the request', async ({ page, desk }) => {
  test.setTimeout(120_000);
  await openNewDesk(page, desk);
  await expect(page.getByRole('button', { name: 'Cerrar sesión' })).toBeVisible();
  const admin = await page.evaluate(() => window.sessionStorage.getItem('helpdesk.session'));

  const user = (username: string, fullName: string, roles: string[]) =>
    api(page, 'users.create', { username, fullName, password: PASSWORD, confirmPassword: PASSWORD, roles }, admin);
  await user('agente', 'Alma Agente', ['agent']);
  await user('propietaria', 'Paula Propietaria', ['information_owner']);
  const agent = (await api<{ token: string }>(page, 'auth.signIn', { username: 'agente', password: PASSWORD }, null)).token;
  const customer = await api<{ id: string; contacts: Array<{ id: string }> }>(page, 'customers.create', {
    rfc: 'TEC0503155C6', name: CUSTOMER, registeredEmail: REGISTERED_EMAIL,
    contacts: [{ name: 'Laura Méndez Ríos', email: 'laura@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true }],
  }, agent);
  const ticket = await api<{ id: string; trackingNumber: string }>(page, 'tickets.create', {
    customer: { kind: 'existing', customerId: customer.id }, channel: 'email', requestType: 'general', supportType: 'web',
    category: 'change_registered_email', priority: 'normal', severity: 1, subject: 'Solicitud de cambio de RFC',
    description: 'La representante legal envía la solicitud firmada de cambio de RFC.',
  }, agent);

  await signOut(page);
  await signIn(page, 'propietaria', PASSWORD);
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAccessibleName('Avisos');

  // While she works, the agent registers the request and sends it to review.
  const request = await api<{ id: string }>(page, 'requests.create', {
    kind: 'sensitive_change', customerId: customer.id, ticketId: ticket.id, requesterContactId: customer.contacts[0]!.id,
    fromEmail: REGISTERED_EMAIL, reason: 'Cambio de RFC por fusión de la sociedad', changes: { rfc: 'NCE100615A12' },
    signedForm: { fileName: 'solicitud-firmada.pdf', mimeType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 firmada').toString('base64') },
  }, agent);
  await api(page, 'requests.submit', { requestId: request.id }, agent);

  // The bell polls: the count appears without any action of hers.
  await expect(bell).toHaveAccessibleName('Avisos: 1 sin leer', { timeout: 20_000 });
  await expect(bell.locator('.bell__count')).toHaveText('1');
  await page.screenshot({ path: process.env.NOTIF_SHOTS ? `${process.env.NOTIF_SHOTS}/notif-bell.png` : test.info().outputPath('bell.png') });

  // Escape closes the panel and gives the focus back to the bell; a press outside closes it.
  const panel = page.getByRole('dialog', { name: 'Avisos' });
  await bell.click();
  await expect(panel).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(bell).toBeFocused();
  await bell.click();
  await page.getByRole('heading', { name: 'Tickets' }).click();
  await expect(panel).toBeHidden();

  await bell.click();
  const item = panel.getByRole('button', {
    name: new RegExp(`La solicitud de cambio de información sensible del ticket ${ticket.trackingNumber} espera su aprobación como Propietario de la información`),
  });
  await expect(item).toBeVisible();
  await expect(item).toContainText('por Alma Agente');
  await expect(item.locator('time')).toHaveText(/^(ahora|hace .+)$/);
  await page.screenshot({ path: process.env.NOTIF_SHOTS ? `${process.env.NOTIF_SHOTS}/notif-panel.png` : test.info().outputPath('panel.png') });

  await item.click();
  await expect(page.getByRole('heading', { name: `Cambio de información sensible · ${CUSTOMER}` })).toBeVisible();
  await expect(panel).toBeHidden();
  await expect(bell).toHaveAccessibleName('Avisos');
  await expect(page.getByRole('button', { name: /^Aprobar/ })).toBeVisible();

  // Her own preferences: approvals turned off, saved (core audits the change).
  await page.getByRole('button', { name: 'Mis preferencias' }).click();
  const approvals = page.getByLabel('Una solicitud espera mi aprobación');
  await expect(approvals).toBeChecked();
  await approvals.uncheck();
  await page.getByRole('button', { name: 'Guardar preferencias' }).click();
  await expect(page.getByText('Preferencias guardadas.')).toBeVisible();
  await page.screenshot({ path: process.env.NOTIF_SHOTS ? `${process.env.NOTIF_SHOTS}/notif-preferences.png` : test.info().outputPath('preferences.png') });
  await page.reload();
  await page.getByRole('button', { name: 'Mis preferencias' }).click();
  await expect(page.getByLabel('Una solicitud espera mi aprobación')).not.toBeChecked();
});
