/**
 * Issue 4 end to end, in Chromium against the web host and a real SQLite file, through the UI only:
 * an agent registers an RFC change from the legal representative (with the signed form) → the
 * information owner approves → the security officer approves, designates the implementer and
 * creates an emergency account → the implementer signs in with it under the emergency banner and
 * applies the change → the account expires (the host restarts later on the same data, with
 * HELPDESK_NOW) → the security officer reviews the session and signs it off, and marks the request
 * revisada; the customer shows the new RFC and "Verificar bitácora" finds the log intact.
 */
import type { Page } from '@playwright/test';
import {
  completeSetup, createUser, expect, newDataDir, removeDataDir, signIn, signOut, startOwnedHost, test, type OwnedHost,
} from '../fixtures';

const OLD_RFC = 'TEC0503155C6';
const NEW_RFC = 'NCE100615A12';
const CUSTOMER = 'Tecnologías del Cerro SA de CV';
const REGISTERED_EMAIL = 'facturas@tecnocerro.example.mx';
const PASSWORD = 'contraseña-segura-2';
const AGENT = { username: 'agente', fullName: 'Alma Agente', password: PASSWORD, roles: ['Mesa de Servicio'] };
const OWNER = { username: 'propietaria', fullName: 'Paula Propietaria', password: PASSWORD, roles: ['Propietario de la información'] };
const OFFICER = { username: 'oficial', fullName: 'Óscar Oficial', password: PASSWORD, roles: ['Responsable de Seguridad Informática'] };
const IMPLEMENTER = { username: 'operador', fullName: 'Omar Operador', password: PASSWORD, roles: ['Operación'] };

async function openRequest(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Solicitudes', exact: true }).click();
  await page.getByRole('button', { name: `Abrir solicitud de ${CUSTOMER}` }).click();
  await expect(page.getByRole('heading', { name: `Cambio de información sensible · ${CUSTOMER}` })).toBeVisible();
}

async function decide(page: Page, button: string, comment: string, confirm: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog');
  // Every decision carries a comment.
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await expect(dialog.getByText('Este campo es obligatorio.')).toBeVisible();
  await dialog.getByLabel('Comentario').fill(comment);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
}

test('an RFC change goes from the legal representative’s request through an emergency account to a reviewed request', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = newDataDir();
  let host: OwnedHost | null = null;
  try {
    // Monday 2 March 2026, 10:00 in Mexico City.
    host = await startOwnedHost(dataDir, { HELPDESK_NOW: '2026-03-02T16:00:00Z' });
    const hostStarted = Date.now();
    /** The host's clock: it started at HELPDESK_NOW and runs forward (a little ahead of this estimate). */
    const hostNow = () => Date.parse('2026-03-02T16:00:00Z') + (Date.now() - hostStarted);
    await page.goto(host.url);
    await completeSetup(page);

    await test.step('the administrator creates the people of the procedure', async () => {
      await page.getByRole('button', { name: 'Administración' }).click();
      for (const u of [AGENT, OWNER, OFFICER, IMPLEMENTER]) await createUser(page, u);
      await signOut(page);
    });

    let folio = '';
    await test.step('the agent registers the customer, with its legal representative, and an open ticket', async () => {
      await signIn(page, AGENT.username, AGENT.password);
      await page.getByRole('button', { name: 'Clientes', exact: true }).click();
      await page.getByRole('button', { name: 'Nuevo cliente' }).click();
      await page.getByLabel('RFC', { exact: true }).fill(OLD_RFC);
      await page.getByLabel('Nombre o razón social').fill(CUSTOMER);
      await page.getByLabel('Correo registrado').fill(REGISTERED_EMAIL);
      await page.getByRole('button', { name: 'Agregar contacto' }).click();
      await page.getByLabel('Nombre', { exact: true }).fill('Laura Méndez Ríos');
      await page.getByLabel('Correo electrónico').fill('laura@tecnocerro.example.mx');
      await page.getByLabel('Teléfono').fill('8112345678');
      await page.getByLabel('Representante legal').check();
      await page.getByRole('button', { name: 'Crear cliente' }).click();
      await expect(page.getByRole('heading', { name: CUSTOMER })).toBeVisible();

      await page.getByRole('button', { name: 'Nuevo ticket' }).click();
      await page.getByLabel('RFC', { exact: true }).fill(OLD_RFC);
      await page.getByLabel('RFC', { exact: true }).blur();
      await expect(page.getByText('Cliente dado de alta')).toBeVisible();
      await page.getByLabel('Canal').selectOption({ label: 'Correo' });
      await page.getByLabel('Tipo de solicitud').selectOption({ label: 'General' });
      await page.getByLabel('Tipo de soporte').selectOption({ label: 'Web' });
      await page.getByLabel('Clasificación').selectOption({ label: 'Otro' });
      await page.getByLabel('Grado de severidad').selectOption({ label: 'Grado de severidad 1' });
      await page.getByLabel('Asunto').fill('Solicitud de cambio de RFC');
      await page.getByLabel('Descripción').fill('La representante legal envía la solicitud firmada de cambio de RFC por fusión.');
      await page.getByRole('button', { name: 'Crear ticket' }).click();
      const tracking = page.getByTestId('tracking-number');
      await expect(tracking).toBeVisible();
      folio = (await tracking.textContent())!.trim();
    });

    await test.step('the agent registers the RFC change with the signed form and sends it to review', async () => {
      await page.getByRole('button', { name: 'Clientes', exact: true }).click();
      await page.getByLabel('Buscar clientes').fill(OLD_RFC);
      await page.getByRole('link', { name: new RegExp(`${OLD_RFC}|${CUSTOMER}`) }).first().click();
      await expect(page.getByRole('heading', { name: CUSTOMER })).toBeVisible();
      await page.getByRole('button', { name: 'Solicitar cambio' }).click();
      await expect(page.getByRole('heading', { name: 'Nueva solicitud de cambio' })).toBeVisible();

      await page.getByLabel('Ticket', { exact: true }).selectOption({ index: 1 });
      await expect(page.getByLabel('Ticket', { exact: true })).toContainText(folio);
      await page.getByLabel('Tipo de solicitud').selectOption({ label: 'Cambio de información sensible' });
      await page.getByLabel('Nuevo RFC').fill(NEW_RFC);
      await page.getByLabel('Solicitante (representante legal)').selectOption({ index: 1 });
      // A request from another address would be refused: the form warns before sending.
      await page.getByLabel('Correo de origen').fill('laura@tecnocerro.example.mx');
      await expect(page.getByText('No coincide con el correo registrado del cliente')).toBeVisible();
      await page.getByLabel('Correo de origen').fill(REGISTERED_EMAIL);
      await page.getByLabel('Motivo').fill('Cambio de RFC por fusión de la sociedad.');
      // The signed form is required.
      await page.getByRole('button', { name: 'Registrar y enviar a revisión' }).click();
      await expect(page.getByText('Adjunte la solicitud firmada.')).toBeVisible();
      await page.getByLabel('Solicitud firmada').setInputFiles({
        name: 'solicitud-cambio-firmada.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 Solicitud de Baja o Cambio de Información Sensible (firmada)'),
      });
      const preview = page.getByTestId('diff-table');
      await expect(preview.locator('tr[data-field="rfc"]')).toContainText(OLD_RFC);
      await expect(preview.locator('tr[data-field="rfc"]')).toContainText(NEW_RFC);
      await page.getByRole('button', { name: 'Registrar y enviar a revisión' }).click();

      await expect(page.getByRole('heading', { name: `Cambio de información sensible · ${CUSTOMER}` })).toBeVisible();
      await expect(page.locator('.page-header [data-state]')).toHaveText('En revisión');
      await expect(page.getByText('solicitud-cambio-firmada.pdf')).toBeVisible();
      // Whoever registered it cannot approve it.
      await expect(page.getByRole('button', { name: /^Aprobar/ })).toHaveCount(0);
      await signOut(page);
    });

    await test.step('the information owner approves', async () => {
      await signIn(page, OWNER.username, OWNER.password);
      await openRequest(page);
      await decide(page, 'Aprobar como Propietario de la información', 'El motivo de la fusión es válido.', 'Aprobar');
      await expect(page.locator('li.approval[data-role="information_owner"]')).toContainText('Aprobó Paula Propietaria');
      await expect(page.locator('.page-header [data-state]')).toHaveText('En revisión');
      await signOut(page);
    });

    let username = '';
    let password = '';
    await test.step('the security officer approves, designates the implementer and creates the emergency account', async () => {
      await signIn(page, OFFICER.username, OFFICER.password);
      await openRequest(page);
      await decide(page, 'Aprobar como Responsable de Seguridad Informática', 'Aprobado; se hará con cuenta de emergencia.', 'Aprobar');
      await expect(page.locator('.page-header [data-state]')).toHaveText('Aprobada');

      const designate = page.getByRole('region', { name: 'Designar al encargado de implementar' });
      await designate.getByLabel('Encargado', { exact: true }).selectOption({ label: 'Omar Operador (Operación)' });
      await designate.getByLabel('Comentario').fill('Operación aplica el cambio en el portal.');
      await designate.getByRole('button', { name: 'Designar encargado' }).click();
      await expect(page.getByText('Se designó al encargado.')).toBeVisible();

      await page.getByRole('button', { name: 'Crear cuenta de emergencia' }).click();
      const dialog = page.getByRole('dialog', { name: 'Crear cuenta de emergencia' });
      // The start is the product's dd/mm/aaaa date and an hh:mm (24 h) time on the branch's clock, not the browser's
      // date-time control; core reads them in the branch's time zone. Here: this very minute.
      const [today] = branchNow(hostNow());
      await expect(dialog.getByLabel('Fecha de inicio')).toHaveAttribute('placeholder', 'dd/mm/aaaa');
      await expect(dialog.getByLabel('Hora de inicio')).toHaveAttribute('placeholder', 'hh:mm');
      await dialog.getByLabel('Fecha de inicio').pressSequentially(today.replace(/\//g, ''));
      await dialog.getByLabel('Hora de inicio').pressSequentially('2561');
      await dialog.getByLabel('Hora de inicio').blur();
      await expect(dialog.getByText('Escriba la hora como hh:mm, de 00:00 a 23:59.')).toBeVisible();
      await dialog.getByLabel('Hora de inicio').fill('');
      const [, minute, shown] = branchNow(hostNow());
      await dialog.getByLabel('Hora de inicio').pressSequentially(minute.replace(':', ''));
      await expect(dialog.getByLabel('Hora de inicio')).toHaveValue(minute);
      await dialog.getByLabel('Duración (minutos)').fill('60');
      await dialog.getByLabel('Comentario').fill('Una hora para cambiar el RFC.');
      await dialog.getByRole('button', { name: 'Crear cuenta' }).click();
      await expect(dialog).toBeHidden();
      const created = page.getByTestId('emergency-created');
      await expect(created).toContainText('Cópiela ahora, no se volverá a mostrar.');
      username = (await page.getByTestId('emergency-username').textContent())!.trim();
      password = (await page.getByTestId('emergency-password').textContent())!.trim();
      expect(username).toMatch(/^emerg-[0-9a-f]{6}$/);
      expect(password.length).toBeGreaterThanOrEqual(20);
      await expect(created).toContainText(`Vigente de ${shown} a `);
      await created.getByRole('button', { name: 'Ya la copié' }).click();
      // Shown once: gone from the page.
      await expect(page.getByText(password)).toHaveCount(0);
      await signOut(page);
    });

    await test.step('the implementer signs in with the emergency account and applies the change', async () => {
      await page.getByRole('button', { name: 'Acceso de emergencia' }).click();
      await page.getByLabel('Usuario de emergencia').fill(username);
      await page.getByLabel('Contraseña de emergencia').fill(password);
      await page.getByRole('button', { name: 'Entrar con cuenta de emergencia' }).click();
      const banner = page.getByTestId('emergency-banner');
      await expect(banner).toContainText(`Sesión de emergencia · Solicitud ${folio} · ${CUSTOMER} · vence a las 11:`);
      // Nothing else is reachable while signed in with it.
      await expect(page.getByRole('navigation', { name: 'Navegación principal' })).toHaveCount(0);
      await expect(page.locator('.page-header [data-state]')).toHaveText('En implementación');
      await page.getByLabel('Comentario').fill('RFC actualizado en el expediente.');
      await page.getByRole('button', { name: 'Aplicar cambio' }).click();
      await expect(page.getByText('Cambio aplicado.')).toBeVisible();
      await expect(page.locator('.page-header [data-state]')).toHaveText('Implementada');
      await expect(banner).toBeVisible();
      await expect(banner).toContainText('Al terminar, la cuenta se desactiva');
      await page.getByRole('button', { name: 'Terminar sesión de emergencia' }).click();
      await expect(page.getByRole('button', { name: 'Acceso de emergencia' })).toBeVisible();
    });

    await test.step('"Terminar sesión" disabled the account: signing in again inside its window is refused', async () => {
      await page.getByRole('button', { name: 'Acceso de emergencia' }).click();
      await page.getByLabel('Usuario de emergencia').fill(username);
      await page.getByLabel('Contraseña de emergencia').fill(password);
      await page.getByRole('button', { name: 'Entrar con cuenta de emergencia' }).click();
      await expect(page.getByRole('alert')).toContainText('La cuenta de emergencia ya terminó');
      await page.getByRole('button', { name: 'Volver al inicio de sesión normal' }).click();
    });

    await test.step('the security officer reviews the session, signs it off and marks the request revisada', async () => {
      await signIn(page, OFFICER.username, OFFICER.password);
      await page.getByRole('button', { name: 'Revisión de emergencias' }).click();
      const item = page.locator(`article[data-account="${username}"]`);
      await expect(item).toBeVisible();
      await expect(item.getByTestId('diff-table').locator('tr[data-field="rfc"]')).toContainText(NEW_RFC);
      await expect(item.locator('tr[data-action="customer.protectedFieldChanged"]')).toContainText(`${OLD_RFC} → ${NEW_RFC}`);
      // The attempt after "Terminar sesión" is an anomaly, highlighted in the timeline.
      await expect(item.locator('li.anomaly[data-kind="sign_in_after_end"]')).toContainText('Intento de entrar con la cuenta después de terminada');
      await expect(item.locator('tr.row--anomaly').first()).toBeVisible();
      // Operations by name, not method codes (issue 14, defect 4); the code stays behind "Detalle técnico".
      const applyCall = item.locator('tr[data-action="emergency.call"]').filter({ hasText: 'Aplicar un cambio' });
      await expect(applyCall).toBeVisible();
      await expect(item.locator('table.review-timeline')).not.toContainText('requests.apply');
      await applyCall.getByText('Detalle técnico').click();
      await expect(applyCall.locator('pre')).toContainText('"method": "requests.apply"');
      await item.getByRole('button', { name: 'Firmar revisión' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Comentario').fill('Solo se cambió el RFC; el intento posterior fue rechazado.');
      await dialog.getByRole('button', { name: 'Firmar revisión' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText('No hay sesiones de emergencia por revisar.')).toBeVisible();

      await openRequest(page);
      await decide(page, 'Marcar como revisada', 'Cambio revisado contra la solicitud firmada.', 'Marcar como revisada');
      await expect(page.locator('.page-header [data-state]')).toHaveText('Revisada');
      await expect(page.locator('li.decision').evaluateAll((items) => items.map((i) => i.getAttribute('data-decision'))))
        .resolves.toEqual(['submit', 'approve', 'approve', 'designate', 'apply', 'review']);
    });

    await test.step('the customer shows the new RFC and the audit log verifies', async () => {
      await page.getByRole('button', { name: 'Clientes', exact: true }).click();
      await page.getByLabel('Buscar clientes').fill(NEW_RFC);
      await page.getByRole('link', { name: new RegExp(`${NEW_RFC}|${CUSTOMER}`) }).first().click();
      await expect(page.getByRole('heading', { name: CUSTOMER })).toBeVisible();
      await expect(page.locator('section.protected dd.mono')).toHaveText(NEW_RFC);

      await page.getByRole('button', { name: 'Bitácora', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Bitácora de auditoría' })).toBeVisible();
      await page.getByLabel('Tipo de evento').selectOption({ label: 'Datos de clientes' });
      await page.getByRole('button', { name: 'Aplicar filtros' }).click();
      await expect(page.locator('tr[data-action="customer.protectedFieldChanged"]')).toContainText(`${OLD_RFC} → ${NEW_RFC}`);
      await page.getByRole('button', { name: 'Verificar bitácora' }).click();
      await expect(page.getByTestId('audit-verify')).toContainText('Bitácora íntegra');
    });
  } finally {
    await host?.stop();
    removeDataDir(dataDir);
  }
});

/** At `now`: the day (dd/mm/aaaa), the minute (hh:mm) on the branch's clock (Mexico City), and that minute as the app shows it. */
function branchNow(now: number): [string, string, string] {
  const at = Math.floor(now / 60_000) * 60_000;
  const timeZone = 'America/Mexico_City';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((p) => [p.type, p.value]));
  const shown = new Intl.DateTimeFormat('es-MX', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(at);
  return [`${parts.day}/${parts.month}/${parts.year}`, `${parts.hour}:${parts.minute}`, shown];
}
