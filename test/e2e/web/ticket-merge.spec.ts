/**
 * Issue 14, merging duplicates, in Chromium against the web host: "Fusionar con…" on the duplicate offers the
 * customer's other open tickets only, says what merging does, and after confirming the target shows the
 * duplicate's entries marked with where they came from; the duplicate is closed with a link to the target.
 */
import { api, shot } from '../page-api';
import { createTicket, expect, openNewDesk, TECNOCERRO, test } from '../fixtures';

type Created = { id: string; trackingNumber: string; customerId: string };

test('a duplicate is merged into the customer\'s open ticket: timelines joined, the duplicate closed with a link', async ({ page, desk }) => {
  test.setTimeout(120_000);
  await openNewDesk(page, desk);
  const first = await createTicket(page, {
    ...TECNOCERRO,
    channel: 'Correo', severity: 1, subject: 'No puede timbrar facturas', description: 'Al timbrar aparece el error 301.',
  });
  const firstTicket = (await api<{ rows: Created[] }>(page, 'tickets.list', { query: first })).rows[0]!;
  const intake = {
    channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
    customer: { kind: 'existing', customerId: firstTicket.customerId },
  };
  const duplicate = await api<Created>(page, 'tickets.create', { ...intake, subject: 'Error 301 otra vez', description: 'Llamó de nuevo por el error 301.' });
  await api(page, 'tickets.note', { ticketId: duplicate.id, body: 'El cliente dictó el número de serie del CSD.', attachments: [] });
  // Another customer's open ticket is never offered.
  await api(page, 'tickets.create', {
    ...intake, subject: 'Otro cliente', description: 'No es el mismo cliente.',
    customer: { kind: 'new', rfc: 'PAN990101AB5', name: 'Panadería La Espiga SA de CV', email: 'admin@laespiga.example.mx', phone: '33 3615 0000' },
  });

  await test.step('"Fusionar con…" on the duplicate offers only the same customer\'s open tickets and says what happens', async () => {
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.getByRole('row', { name: new RegExp(duplicate.trackingNumber) }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText(duplicate.trackingNumber);
    await page.getByRole('button', { name: 'Fusionar con…' }).click();
    const dialog = page.getByRole('dialog', { name: `Fusionar ${duplicate.trackingNumber} con otro ticket` });
    await expect(dialog.getByRole('radio')).toHaveCount(1);
    await expect(dialog.getByRole('button', { name: 'Fusionar' })).toBeDisabled();
    await dialog.getByRole('radio').check();
    await expect(dialog.locator('.merge-what')).toContainText(`Al fusionar, ${duplicate.trackingNumber} se cierra y queda ligado a ${first}`);
    await shot(page, 'merge-dialog');
    await dialog.getByRole('button', { name: 'Fusionar' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the target shows the duplicate\'s entries, marked with where they came from', async () => {
    await expect(page.getByTestId('tracking-number')).toHaveText(first);
    await expect(page.getByRole('status').filter({ hasText: `Se fusionó ${duplicate.trackingNumber} en este ticket.` })).toBeVisible();
    await expect(page.getByTestId('merged-from')).toContainText(duplicate.trackingNumber);
    const joined = page.locator(`li.event[data-from-ticket="${duplicate.trackingNumber}"]`);
    await expect(joined).toHaveCount(2);
    await expect(joined.first()).toContainText('Llamó de nuevo por el error 301.');
    await expect(joined.filter({ hasText: 'El cliente dictó el número de serie del CSD.' })).toContainText(`Del ticket ${duplicate.trackingNumber}`);
    await expect(page.locator('li.event-merged_in')).toContainText(`Se fusionó el ticket ${duplicate.trackingNumber}`);
    await page.locator('li.event-merged_in').scrollIntoViewIfNeeded();
    await shot(page, 'merge-target');
  });

  await test.step('the duplicate is closed with a link back to the target', async () => {
    await page.getByTestId('merged-from').getByRole('link', { name: duplicate.trackingNumber }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText(duplicate.trackingNumber);
    await expect(page.locator('.closed-notice')).toContainText(`Este ticket se fusionó en ${first}`);
    await expect(page.getByTestId('merged-into')).toContainText(first);
    await expect(page.getByRole('button', { name: 'Fusionar con…' })).toBeDisabled();
    await shot(page, 'merge-source');
    await page.locator('.closed-notice').getByRole('link', { name: `Abrir ${first}` }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText(first);
  });
});
