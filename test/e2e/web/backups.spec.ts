/**
 * Issue 15, backups in Administración: the warning while there is no recent backup, a backup,
 * its preview (what it holds, read from the file), and a restore behind a typed confirmation —
 * after which everyone signs in again and the work done after the backup is gone.
 */
import { ADMIN, createTicket, createUser, expect, openNewDesk, signIn, TECNOCERRO, test } from '../fixtures';

const SHOTS = process.env.BACKUP_SHOTS;

test('Administración → Copias de seguridad: warning, backup, preview, restore with a typed confirmation', async ({ page, desk }) => {
  await openNewDesk(page, desk);
  await createTicket(page, {
    ...TECNOCERRO, channel: 'Teléfono', severity: 1,
    subject: 'No puede timbrar', description: 'Error 301 al timbrar.',
  });

  await test.step('no backup yet: the administrator is warned in the shell and in the tab', async () => {
    await expect(page.getByTestId('backup-warning')).toContainText('Todavía no hay ninguna copia de seguridad');
    await page.getByTestId('backup-warning').getByRole('button', { name: 'Ir a Copias de seguridad' }).click();
    await expect(page.getByRole('tab', { name: 'Copias de seguridad' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('backup-warning')).toHaveCount(1);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/backup-warning.png` });
  });

  await test.step('a backup clears the warning', async () => {
    await page.getByRole('button', { name: 'Crear copia de seguridad' }).click();
    await expect(page.getByText(/Se creó la copia helpdesk-/)).toBeVisible();
    await expect(page.getByTestId('backup-warning')).toHaveCount(0);
    await expect(page.getByRole('cell', { name: 'Hecha por una persona' })).toBeVisible();
  });

  await test.step('work after the backup: a new user', async () => {
    await page.getByRole('tab', { name: 'Usuarios' }).click();
    await createUser(page, { username: 'despues', fullName: 'Creado Después', password: 'girasol-turquesa-8419', roles: ['Mesa de Servicio'] });
  });

  await test.step('the preview says what the backup holds; restoring needs the typed word', async () => {
    await page.getByRole('tab', { name: 'Copias de seguridad' }).click();
    await page.getByRole('button', { name: /^Revisar/ }).first().click();
    const dialog = page.getByRole('dialog', { name: /^Copia del / });
    const facts = dialog.getByTestId('backup-facts');
    await expect(facts).toContainText('Revisión de integridadCorrecta');
    await expect(facts).toContainText('Tickets abiertos1');
    await expect(facts).toContainText('Clientes1');
    await expect(facts).toContainText('Usuarios1');
    const restore = dialog.getByRole('button', { name: 'Restaurar copia' });
    await expect(restore).toBeDisabled();
    await dialog.getByLabel('Para confirmar, escriba RESTAURAR').fill('restaurar');
    await expect(restore).toBeEnabled();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/backup-preview.png` });
    await restore.click();
  });

  await test.step('back at sign-in with the outcome; after signing in the later user is gone', async () => {
    await expect(page.getByTestId('restored-notice')).toContainText('Se restauró la copia helpdesk-');
    await expect(page.getByTestId('restored-notice')).toContainText('quedó apartada como helpdesk.sqlite.damaged-');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/backup-restored.png` });
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('button', { name: 'Administración' }).click();
    await expect(page.locator('tr[data-username="admin"]')).toBeVisible();
    await expect(page.locator('tr[data-username="despues"]')).toHaveCount(0);
  });
});
