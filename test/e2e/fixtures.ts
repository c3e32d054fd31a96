/**
 * E2E fixtures: every test gets its own web host process (`electron/web/server.ts`, the same
 * code as `npm run web`) on a random port with a fresh temp data directory, and drives the real
 * renderer in Debian's Chromium. The host prints a "ready at <url>" line with its one-time access
 * link; we wait for it. The first `page.goto(url)` trades the link for the host's cookie, and later
 * visits from the same browser context find the cookie and land on the app again.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Desk {
  url: string;
  dataDir: string;
}

export async function startHost(dataDir: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/server.ts'], {
    env: { ...process.env, HELPDESK_DATA_DIR: dataDir, HELPDESK_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      // Not left running behind the failure (an orphan host on a big workspace holds a core).
      child.kill('SIGTERM');
      reject(new Error(`web host did not start:\n${out}`));
    }, timeoutMs); // a loaded machine starts it slowly
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
  return { url, child };
}

export const test = base.extend<{ desk: Desk; hostEnv: Record<string, string> }>({
  hostEnv: [{}, { option: true }],
  desk: async ({ hostEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-e2e-'));
    const { url, child } = await startHost(dataDir, hostEnv);
    await use({ url, dataDir });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };

export const ADMIN = { username: 'admin', fullName: 'Ana Administradora', password: 'contraseña-segura-1' };

/** First-run setup page object. */
export async function completeSetup(page: Page, branchCode = 'MTY'): Promise<void> {
  await page.getByLabel('Código de sucursal').fill(branchCode);
  await page.getByLabel('Nombre de la sucursal').fill('Sucursal Monterrey Centro');
  await page.getByLabel('Usuario', { exact: true }).fill(ADMIN.username);
  await page.getByLabel('Nombre completo').fill(ADMIN.fullName);
  await page.getByLabel('Contraseña', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirmar contraseña').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Crear sucursal' }).click();
}

export async function signIn(page: Page, username = ADMIN.username, password = ADMIN.password): Promise<void> {
  await page.getByLabel('Usuario', { exact: true }).fill(username);
  await page.getByLabel('Contraseña', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

/**
 * A web host on a data directory the test owns, for tests that stop the host and start another
 * on the same data (e.g. with a later HELPDESK_NOW). The caller removes the directory.
 */
export interface OwnedHost {
  url: string;
  /** The host process (a bench raises its CPU group while it measures). */
  pid: number | undefined;
  stop: () => Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'helpdesk-e2e-'));
}

export async function startOwnedHost(dataDir: string, env: Record<string, string> = {}, timeoutMs?: number): Promise<OwnedHost> {
  const { url, child } = await startHost(dataDir, env, timeoutMs);
  return {
    pid: child.pid,
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The password `seededDataDir` gives every invented user (admin, supervisora, agente1…). */
export const DEMO_PASSWORD = 'clave-de-prueba-segura-1';

/**
 * A new data directory holding `tickets` invented tickets written through the real commands (`npm run seed`),
 * over the last three days: about half are still open, so the list's default view (Mi trabajo) has rows.
 */
export function seededDataDir(tickets: number): string {
  const dataDir = newDataDir();
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/seed.ts', '--tickets', String(tickets), '--span-days', '3', '--data', dataDir, '--password', DEMO_PASSWORD], { encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`npm run seed failed: ${seeded.stderr}`);
  return dataDir;
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** The customer most tests open their first ticket for (a new customer, registered by the intake form). */
export const TECNOCERRO = { rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', email: 'facturas@tecnocerro.example.mx' } as const;

/** A fresh workspace in a 1366×800 window: the first-run setup done, the administrator signed in. */
export async function openNewDesk(page: Page, desk: Desk): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto(desk.url);
  await completeSetup(page);
}

/** New ticket page object: a new customer and a ticket on the given channel and severity. */
export async function createTicket(
  page: Page,
  t: { rfc: string; name: string; email: string; channel: string; severity: 1 | 2 | 3; subject: string; description: string },
): Promise<string> {
  await page.getByRole('button', { name: 'Nuevo ticket' }).click();
  await page.getByLabel('RFC', { exact: true }).fill(t.rfc);
  await page.getByLabel('RFC', { exact: true }).blur();
  await page.getByLabel('Nombre o razón social').fill(t.name);
  await page.getByLabel('Correo electrónico').fill(t.email);
  await page.getByLabel('Canal').selectOption({ label: t.channel });
  await page.getByLabel('Tipo de solicitud').selectOption({ label: 'Técnica' });
  await page.getByLabel('Tipo de soporte').selectOption({ label: 'Web' });
  await page.getByLabel('Clasificación').selectOption({ label: 'Emisión de facturas' });
  await page.getByLabel('Grado de severidad').selectOption({ label: `Grado de severidad ${t.severity}` });
  await page.getByLabel('Asunto').fill(t.subject);
  await page.getByLabel('Descripción').fill(t.description);
  await page.getByRole('button', { name: 'Crear ticket' }).click();
  const folio = page.getByTestId('tracking-number');
  await expect(folio).toBeVisible();
  return (await folio.textContent())!.trim();
}

const ROLE_LABELS = [
  'Mesa de Servicio', 'Operación', 'Desarrollo', 'Supervisor', 'Responsable de Seguridad Informática', 'Propietario de la información',
  'Responsable del Área Informática', 'Administrador',
];

/** Administración → Usuarios → Nuevo usuario page object; `roles` are the role labels as shown. */
export async function createUser(page: Page, u: { username: string; fullName: string; password: string; roles: string[] }): Promise<void> {
  await page.getByRole('button', { name: 'Nuevo usuario' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nuevo usuario' });
  await dialog.getByLabel('Usuario', { exact: true }).fill(u.username);
  await dialog.getByLabel('Nombre completo').fill(u.fullName);
  await dialog.getByLabel('Contraseña', { exact: true }).fill(u.password);
  await dialog.getByLabel('Confirmar contraseña').fill(u.password);
  // The form starts with no role ticked (issue 14): each one grants access, so each is a choice.
  for (const role of ROLE_LABELS) await expect(dialog.getByLabel(role, { exact: true })).not.toBeChecked();
  for (const role of ROLE_LABELS) await dialog.getByLabel(role, { exact: true }).setChecked(u.roles.includes(role));
  await dialog.getByRole('button', { name: 'Crear usuario' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`tr[data-username="${u.username}"]`)).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page.getByRole('button', { name: 'Entrar', exact: true })).toBeVisible();
}

/** Administración → Correo: saves the outgoing mailbox of a local test SMTP server (TLS, signed in) and waits for "guardado". */
export async function saveTestMailbox(page: Page, port: number, user: string, password: string): Promise<void> {
  await page.getByRole('button', { name: 'Administración' }).click();
  await page.getByRole('tab', { name: 'Correo' }).click();
  await page.getByLabel('Servidor').fill('127.0.0.1');
  await page.getByLabel('Puerto').fill(String(port));
  await page.getByLabel('Usuario', { exact: true }).fill(user);
  await page.getByLabel('Contraseña', { exact: true }).fill(password);
  await page.getByLabel('Nombre del remitente').fill('Mesa de Ayuda Monterrey');
  await page.getByLabel('Correo del remitente').fill('soporte@ayuda.example.mx');
  await page.getByRole('button', { name: 'Guardar', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Se guardó el buzón de salida.' })).toBeVisible();
}
