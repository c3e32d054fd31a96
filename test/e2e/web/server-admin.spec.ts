/**
 * The central server's administration pages in Chromium (issue 11): a new server (`npm run
 * server`'s code, no administrator yet) → first-run page with the code it printed → sucursal MTY →
 * a one-time enrolment code → a web host enrols with it from Administración → Sincronización →
 * the device appears with its branch and last push → revoked → the host's next sync is refused
 * with the plain-Spanish reason. Also: sign-in after signing out, a central user, the audit chains,
 * the English toggle. Screenshots at 1366×800 in HELPDESK_SHOTS_DIR.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { completeSetup, expect, newDataDir, removeDataDir, startOwnedHost, test, type OwnedHost } from '../fixtures';
import { startSyncServer } from '../sync-server';

const SHOTS = process.env.HELPDESK_SHOTS_DIR;
const PASSWORD = 'cuidar-el-servidor-del-norte-9';

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `server-admin-${name}.png`) });
}

test.use({ viewport: { width: 1366, height: 800 } });

test('a new server is set up, a branch enrols a web host with a one-time code, and the revoked device is refused at its next sync', async ({ browser }) => {
  test.setTimeout(600_000);
  // The branch's web host first (it must answer within 30 s), then the new server (minutes on a loaded machine).
  const dir = newDataDir();
  const host: OwnedHost = await startOwnedHost(dir);
  const server = await startSyncServer({}, { setUp: false }).catch(async (err) => {
    await host.stop();
    removeDataDir(dir);
    throw err;
  });
  try {
    expect(server.setupCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const admin = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    const csp: string[] = [];
    admin.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });

    await test.step('first run: the code the server printed, the app\'s password rule', async () => {
      await admin.goto(server.url); // the server's address opens its administration pages
      await expect(admin.getByRole('heading', { name: 'Primera configuración' })).toBeVisible();
      await admin.getByLabel('Código de configuración').fill('no-es-el-codigo');
      await admin.getByLabel('Nombre de la organización').fill('Timbrado del Norte');
      await admin.getByLabel('Usuario').fill('central');
      await admin.getByLabel('Contraseña', { exact: true }).fill('Contraseña2024!');
      await admin.getByLabel('Confirmar contraseña').fill('Contraseña2024!');
      await admin.getByRole('button', { name: 'Crear administrador' }).click();
      await expect(admin.getByText('El código no coincide con el que escribió el servidor.')).toBeVisible();
      await admin.getByLabel('Código de configuración').fill(server.setupCode!);
      await admin.getByRole('button', { name: 'Crear administrador' }).click();
      await expect(admin.getByText('Es una contraseña común: elija otra más difícil de adivinar.')).toBeVisible();
      await expect(admin.getByLabel('Contraseña', { exact: true })).toHaveAttribute('aria-invalid', 'true');
      await shot(admin, 'first-run-errors');
      await admin.getByLabel('Contraseña', { exact: true }).fill(PASSWORD);
      await admin.getByLabel('Confirmar contraseña').fill(PASSWORD);
      await admin.getByRole('button', { name: 'Crear administrador' }).click();
      await expect(admin.getByText('Sesión de central')).toBeVisible();
      await expect(admin.getByText('Timbrado del Norte')).toBeVisible();
      const cookie = (await admin.context().cookies()).find((c) => c.name === 'admin_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    });

    await test.step('sucursal MTY, with its errors in plain Spanish first', async () => {
      await admin.getByLabel('Código de sitio').fill('M');
      await admin.getByLabel('Nombre', { exact: true }).fill('Sucursal Monterrey Centro');
      await admin.getByRole('button', { name: 'Crear sucursal' }).click();
      await expect(admin.getByText('De 2 a 6 letras o números, como MTY.').last()).toBeVisible();
      await admin.getByLabel('Código de sitio').fill('mty');
      await admin.getByLabel('Zona horaria').fill('America/Monterrey');
      await admin.getByRole('button', { name: 'Crear sucursal' }).click();
      await expect(admin.getByRole('status')).toHaveText('Sucursal MTY creada.');
      await expect(admin.getByRole('row', { name: /MTY Sucursal Monterrey Centro America\/Monterrey 0/ })).toBeVisible();
      await shot(admin, 'branches');
    });

    let code = '';
    await test.step('a one-time enrolment code, shown once', async () => {
      await admin.getByRole('link', { name: 'Códigos de inscripción' }).click();
      await expect(admin.getByRole('heading', { name: 'Códigos de inscripción', level: 2 })).toBeFocused();
      await admin.getByLabel('Sucursal').selectOption('MTY');
      await admin.getByLabel('Vigencia (horas)').fill('24');
      await admin.getByRole('button', { name: 'Crear código' }).click();
      await expect(admin.getByText('Código de inscripción (solo se muestra esta vez)')).toBeVisible();
      code = (await admin.locator('.once .code').textContent())!;
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await expect(admin.getByRole('row', { name: /MTY .* Vigente/ })).toBeVisible();
      await shot(admin, 'code');
      await admin.reload();
      await expect(admin.getByRole('heading', { name: 'Códigos de inscripción', level: 2 })).toBeVisible();
      await expect(admin.getByText(code)).toHaveCount(0); // never shown again
    });

    const desk = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    await test.step('a web host at MTY enrols with it', async () => {
      await desk.goto(host.url);
      await completeSetup(desk, 'MTY');
      await desk.getByRole('button', { name: 'Administración' }).click();
      await desk.getByRole('tab', { name: 'Sincronización' }).click();
      await desk.getByLabel('Dirección del servidor').fill(server.url);
      await desk.getByLabel('Código de inscripción').fill(code);
      await desk.getByRole('button', { name: 'Inscribir este equipo' }).click();
      await expect(desk.getByText('Equipo inscrito como sucursal MTY.')).toBeVisible();
      await expect(desk.getByTestId('sync-indicator')).toHaveText(/^Sincronizado/, { timeout: 20_000 });
    });

    await test.step('the device appears with its branch, last seen and last push; its chain verifies', async () => {
      await admin.getByRole('link', { name: 'Dispositivos' }).click();
      const row = admin.locator('tbody tr').filter({ hasText: 'MTY' });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText('Activo');
      await expect(row.locator('td').nth(3)).not.toHaveText('nunca'); // last push
      await shot(admin, 'devices');
      await admin.getByRole('link', { name: 'Cadena de auditoría' }).click();
      await admin.getByRole('button', { name: 'Verificar ahora' }).click();
      await expect(admin.getByText(/^Íntegra: .* entradas verificadas\.$/).first()).toBeVisible();
      await expect(admin.locator('tbody tr').filter({ hasText: 'MTY' })).toContainText('Íntegra');
      await shot(admin, 'audit');
    });

    await test.step('a central user, created with the app\'s rules', async () => {
      await admin.getByRole('link', { name: 'Usuarios y roles' }).click();
      await admin.getByLabel('Sucursal').selectOption('MTY');
      await admin.getByLabel('Usuario', { exact: true }).fill('marta.central');
      await admin.getByLabel('Nombre completo').fill('Marta Central');
      await admin.getByLabel('Contraseña', { exact: true }).fill('marta.central-2026');
      await admin.getByLabel('Confirmar contraseña').fill('marta.central-2026');
      await admin.getByRole('button', { name: 'Crear usuario' }).click();
      await expect(admin.getByText('Elija al menos un rol.')).toBeVisible();
      await expect(admin.getByText('No puede contener el nombre de usuario.')).toBeVisible();
      await admin.getByRole('checkbox', { name: 'Agente de servicio' }).check();
      await admin.getByLabel('Contraseña', { exact: true }).fill('frase-de-prueba-larga-7');
      await admin.getByLabel('Confirmar contraseña').fill('frase-de-prueba-larga-7');
      await admin.getByRole('button', { name: 'Crear usuario' }).click();
      await expect(admin.getByRole('status')).toHaveText('Usuario marta.central creado.');
      await expect(admin.getByRole('row', { name: /marta\.central Marta Central MTY Agente de servicio/ })).toBeVisible();
      await shot(admin, 'users');
    });

    await test.step('revoked: the host\'s next sync is refused, in plain Spanish', async () => {
      await admin.getByRole('link', { name: 'Dispositivos' }).click();
      await admin.getByRole('button', { name: /^Revocar: / }).click();
      await expect(admin.getByText(/¿Revocar .*\? No podrá sincronizar ni volver a inscribirse\./)).toBeVisible();
      await admin.getByRole('button', { name: 'Confirmar' }).click();
      await expect(admin.locator('tbody tr').filter({ hasText: 'MTY' })).toContainText('Revocado');
      await shot(admin, 'revoked');

      await desk.getByRole('button', { name: 'Sincronizar ahora' }).click();
      await expect(desk.getByTestId('sync-last-error')).toContainText('El administrador del servidor retiró el acceso de este equipo.');
    });

    await test.step('the server log lists every action; signing out and in again; English', async () => {
      await admin.getByRole('link', { name: 'Registro del servidor' }).click();
      for (const action of ['Primera configuración', 'Sucursal creada', 'Código de inscripción creado', 'Usuario creado', 'Auditoría verificada', 'Equipo revocado']) {
        await expect(admin.getByRole('row', { name: new RegExp(action) })).toBeVisible();
      }
      await admin.getByRole('button', { name: 'Cerrar sesión' }).click();
      await expect(admin.getByRole('heading', { name: 'Iniciar sesión' })).toBeVisible();
      await admin.getByLabel('Usuario').fill('central');
      await admin.getByLabel('Contraseña').fill('no-es-la-clave-12');
      await admin.getByRole('button', { name: 'Entrar' }).click();
      await expect(admin.getByRole('alert')).toHaveText('Usuario o contraseña incorrectos.');
      await shot(admin, 'sign-in');
      await admin.getByLabel('Contraseña').fill(PASSWORD);
      await admin.getByRole('button', { name: 'Entrar' }).click();
      await admin.getByRole('button', { name: 'Cambiar a inglés' }).click();
      await expect(admin.getByRole('heading', { name: 'Server administration' })).toBeVisible();
      await admin.getByRole('link', { name: 'Devices' }).click();
      await expect(admin.locator('tbody tr').filter({ hasText: 'MTY' })).toContainText('Revoked');
      await shot(admin, 'english');
      expect(csp).toEqual([]);
    });
  } finally {
    await host.stop();
    removeDataDir(dir);
    await server.stop();
  }
});
