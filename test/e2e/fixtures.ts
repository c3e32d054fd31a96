/**
 * E2E fixtures: every test gets its own web host process (`electron/web/server.ts`, the same
 * code as `npm run web`) on a random port with a fresh temp data directory, and drives the real
 * renderer in Debian's Chromium. The host prints a "ready at <url>" line; we wait for it.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Desk {
  url: string;
  dataDir: string;
}

export async function startHost(dataDir: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/server.ts'], {
    env: { ...process.env, HELPDESK_DATA_DIR: dataDir, HELPDESK_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
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
