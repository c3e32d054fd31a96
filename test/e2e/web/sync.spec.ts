/**
 * Sync between two branches in Chromium (issue 11): one sync server (`npm run server`'s code as a
 * child process, PGlite in a temp folder) and two web hosts, MTY and GDL, each with its own SQLite
 * file. Both are enrolled through Administración → Sincronización (a wrong address first: the
 * message is plain Spanish); a ticket written at MTY before it was enrolled reaches GDL's board,
 * GDL's note comes back to MTY's ticket page; a change made with a role the server no longer grants
 * is listed with its reason; the server's audit chain verifies at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { completeSetup, expect, newDataDir, removeDataDir, startOwnedHost, TECNOCERRO, test, type OwnedHost } from '../fixtures';
import { api, enrolmentCode, freePort, startLink, startSyncServer, type Link } from '../sync-server';

const SHOTS = process.env.HELPDESK_SHOTS_DIR;

async function openSyncTab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Administración' }).click();
  await page.getByRole('tab', { name: 'Sincronización' }).click();
}

async function enrol(page: Page, url: string, code: string): Promise<void> {
  await page.getByLabel('Dirección del servidor').fill(url);
  await page.getByLabel('Código de inscripción').fill(code);
  await page.getByRole('button', { name: 'Inscribir este equipo' }).click();
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `syncui-${name}.png`) });
}

const intake = (subject: string, severity: 1 | 2 | 3) => ({
  customer: { kind: 'new', ...TECNOCERRO, phone: '81 1234 5678' },
  channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity, subject,
  description: 'Al timbrar una factura aparece el error 301 de sello inválido.',
});

test.use({ viewport: { width: 1366, height: 800 } });

test('two branches share an escalated ticket through the sync server, enrolled from Administración → Sincronización', async ({ browser }) => {
  test.setTimeout(600_000); // a loaded machine: the sync server and each web host may take two minutes to start
  const server = await startSyncServer();
  const dirs = [newDataDir(), newDataDir()];
  const hosts: OwnedHost[] = [];
  // MTY reaches the server through a link the test can cut: with live sync a connected branch hears of
  // a change within a second, so "before MTY hears of it" needs MTY offline.
  let mtyLink: Link | undefined;
  try {
    mtyLink = await startLink(server.url);
    hosts.push(await startOwnedHost(dirs[0]!), await startOwnedHost(dirs[1]!));
    const mty = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    const gdl = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();

    let ticket!: { id: string; trackingNumber: string };
    await test.step('MTY works before it is enrolled: a severity-2 ticket escalated to Operación', async () => {
      await mty.goto(hosts[0]!.url);
      await completeSetup(mty, 'MTY');
      await expect(mty.getByTestId('sync-indicator')).toHaveText('Solo este equipo');
      ticket = await api(mty, 'tickets.create', intake('Falla de timbrado masiva', 2));
      await api(mty, 'tickets.moveTier', { ticketId: ticket.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' });
    });

    await test.step('MTY: a wrong address says so in plain Spanish; the right one enrols the computer', async () => {
      const code = await enrolmentCode(server, 'MTY');
      await mty.getByTestId('sync-indicator').click(); // an administrator's click opens the screen
      await expect(mty.getByRole('tab', { name: 'Sincronización' })).toHaveAttribute('aria-selected', 'true');
      await enrol(mty, `http://127.0.0.1:${await freePort()}`, code);
      await expect(mty.getByRole('alert')).toContainText('No se pudo conectar con un servidor en esa dirección');
      await shot(mty, 'error');
      await mty.getByLabel('Dirección del servidor').fill('http://192.168.10.20:8787');
      await mty.getByRole('button', { name: 'Inscribir este equipo' }).click();
      await expect(mty.getByText('Use una dirección https://.')).toBeVisible();
      await enrol(mty, mtyLink!.url, code);
      await expect(mty.getByText('Equipo inscrito como sucursal MTY.')).toBeVisible();
      // Background sync starts at once and sends what was written before.
      await expect(mty.getByTestId('sync-indicator')).toHaveText(/^Sincronizado/, { timeout: 20_000 });
      await expect(mty.locator('.sync-status')).toContainText('MTY');
      await expect(mty.getByTestId('sync-last-error')).toHaveText('Ninguno');
      await shot(mty, 'enrolled');
    });

    await test.step('GDL enrols and finds MTY\'s escalated ticket on its board', async () => {
      await gdl.goto(hosts[1]!.url);
      await gdl.getByLabel('Código de sucursal').fill('GDL');
      await gdl.getByLabel('Nombre de la sucursal').fill('Sucursal Guadalajara');
      await gdl.getByLabel('Usuario', { exact: true }).fill('admin.gdl');
      await gdl.getByLabel('Nombre completo').fill('Gabriela Directora');
      await gdl.getByLabel('Contraseña', { exact: true }).fill('contraseña-segura-2');
      await gdl.getByLabel('Confirmar contraseña').fill('contraseña-segura-2');
      await gdl.getByRole('button', { name: 'Crear sucursal' }).click();
      await openSyncTab(gdl);
      await enrol(gdl, server.url, await enrolmentCode(server, 'GDL'));
      await expect(gdl.getByText('Equipo inscrito como sucursal GDL.')).toBeVisible();
      await gdl.getByRole('button', { name: 'Sincronizar ahora' }).click();
      await expect(gdl.getByText(/^Listo: se enviaron/)).toBeVisible();
      await gdl.getByRole('button', { name: 'Tablero', exact: true }).click();
      await expect(gdl.locator(`section.board-column[data-tier="operations"] article.board-card[data-ticket="${ticket.trackingNumber}"]`)).toBeVisible();
    });

    await test.step('GDL\'s note comes back to MTY\'s ticket page', async () => {
      await api(gdl, 'tickets.note', { ticketId: ticket.id, body: 'Revisamos el PAC: el certificado venció.' });
      await api(gdl, 'sync.now', {});
      await api(mty, 'sync.now', {});
      await mty.getByRole('button', { name: 'Tickets', exact: true }).click();
      await mty.getByText(ticket.trackingNumber).first().click();
      await expect(mty.getByText('Revisamos el PAC: el certificado venció.')).toBeVisible();
    });

    await test.step('a ticket written with a role the server no longer grants is listed with its reason and what to do', async () => {
      const pepe = await api<{ id: string }>(mty, 'users.create', { username: 'pepe', fullName: 'Pepe Pérez', password: 'frase-de-prueba-larga-7', confirmPassword: 'frase-de-prueba-larga-7', roles: ['agent'] });
      await api(mty, 'sync.now', {});
      await api(gdl, 'sync.now', {});
      mtyLink!.cut(); // MTY goes offline
      await api(gdl, 'users.update', { userId: pepe.id, roles: ['security_officer'] });
      await api(gdl, 'sync.now', {});
      // Pepe, still an agent on MTY's copy, opens a ticket before MTY hears of the change.
      const created = await mty.evaluate(async () => {
        const post = async (m: string, input: unknown, session: string | null) =>
          (await (await fetch(`/api/${m}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, session }) })).json()) as { value: { token: string } };
        const { value } = await post('auth.signIn', { username: 'pepe', password: 'frase-de-prueba-larga-7' }, null);
        return post('tickets.create', {
          customer: { kind: 'new', rfc: 'MAS050315AB1', name: 'Masa y Maíz SA de CV', email: 'facturas@masa.example.mx', phone: '81 1234 0000' },
          channel: 'phone', requestType: 'general', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
          subject: 'Duda sobre el complemento de pago', description: 'Pregunta cómo timbrar un complemento de pago.',
        }, value.token);
      });
      expect(created).toMatchObject({ ok: true });
      mtyLink!.heal(); // back online: the server refuses what Pepe's old role allowed
      await openSyncTab(mty);
      await mty.getByRole('button', { name: 'Sincronizar ahora' }).click();
      await expect(mty.getByText(/^Listo: se enviaron/)).toBeVisible();
      const rows = mty.locator('section[aria-labelledby="sync-rejected-title"] tbody tr');
      await expect(rows.filter({ hasText: 'Alta de ticket' })).toContainText('Asunto: Duda sobre el complemento de pago');
      await expect(rows.filter({ hasText: 'Alta de ticket' })).toContainText('El rol de quien hizo el cambio no lo permite según el servidor.');
      await expect(mty.locator('section[aria-labelledby="sync-rejected-title"]')).not.toContainText('{');
      await mty.locator('section[aria-labelledby="sync-rejected-title"]').scrollIntoViewIfNeeded();
      await shot(mty, 'rejected');
    });

    await test.step('the header indicator: pending changes, and the explanation a non-administrator gets', async () => {
      await api(mty, 'users.create', { username: 'lupita', fullName: 'Lupita Agente', password: 'frase-de-prueba-larga-8', confirmPassword: 'frase-de-prueba-larga-8', roles: ['agent'] });
      await server.stop(); // the server goes away: MTY keeps working, and says so
      await api(mty, 'sync.now', {}).catch(() => undefined);
      await mty.getByRole('button', { name: 'Cerrar sesión' }).click();
      await mty.getByLabel('Usuario', { exact: true }).fill('lupita');
      await mty.getByLabel('Contraseña', { exact: true }).fill('frase-de-prueba-larga-8');
      await mty.getByRole('button', { name: 'Entrar' }).click();
      await expect(mty.getByTestId('sync-indicator')).toHaveText(/^Sin conexión/, { timeout: 15_000 });
      await mty.getByTestId('sync-indicator').click();
      await expect(mty.getByRole('dialog', { name: 'Sincronización' })).toContainText('Puede seguir trabajando');
      await shot(mty, 'indicator');
    });

    await test.step('the server\'s audit chain, with both branches\' chains in it, verifies', async () => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--verify-audit'], { env: { ...process.env, SYNC_DATA_DIR: join(server.dataDir, 'pg') }, encoding: 'utf8' });
      expect(out).toMatch(/^OK: .* audit entries from 2 devices verified/m);
    });
  } finally {
    for (const h of hosts) await h.stop();
    await mtyLink?.close();
    await server.stop();
    for (const d of dirs) removeDataDir(d);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
});
