/**
 * Issue 3 end to end, in Chromium against the web host and a real SQLite file:
 * (a) a severity-3 ticket escalated across the board to Desarrollo (drag and drop, then keyboard;
 *     a second window follows by itself), answered back down with two hand-backs and closed, with
 *     the whole route in its timeline;
 * (b) a ticket shown as breached once the injected clock (HELPDESK_NOW) passes its due time,
 *     after the host is stopped and started again on the same data directory.
 */
import type { Locator, Page, Route } from '@playwright/test';
import { ADMIN, completeSetup, createTicket, expect, newDataDir, removeDataDir, signIn, startOwnedHost, TECNOCERRO, test, type OwnedHost } from '../fixtures';

function column(page: Page, tier: 'service_desk' | 'operations' | 'development'): Locator {
  return page.locator(`section.board-column[data-tier="${tier}"]`);
}

function card(page: Page, trackingNumber: string): Locator {
  return page.locator(`article.board-card[data-ticket="${trackingNumber}"]`);
}

async function openBoard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Tablero', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Tablero de escalamiento' })).toBeVisible();
}

/**
 * Routes the board's calls so a move's own reload races the poll's, in the order that once lost the focus:
 * the move is answered only after the poll has asked board.version, the poll learns the new version after the
 * move's reload has started, and the move's (now superseded) reload answers before the poll's reload.
 */
async function forceRacingReloads(page: Page): Promise<{ done: Promise<void> }> {
  let moveRoute: Route | null = null;
  let pollVersion: Route | null = null;
  const loads: Route[] = [];
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let stage: 'idle' | 'moving' | 'moved' | 'racing' | 'over' = 'idle';
  const step = async (): Promise<void> => {
    if (stage === 'moving' && moveRoute && pollVersion) {
      stage = 'moved';
      await moveRoute.fulfill({ response: await moveRoute.fetch() });
    } else if (stage === 'moved' && loads.length === 1) {
      // The move's reload is waiting: now the poll learns the new version and starts its own reload.
      stage = 'racing';
      await pollVersion!.fulfill({ response: await pollVersion!.fetch() });
    } else if (stage === 'racing' && loads.length === 2) {
      stage = 'over';
      const [first, second] = loads;
      await first!.fulfill({ response: await first!.fetch() });
      await page.waitForTimeout(300);
      await second!.fulfill({ response: await second!.fetch() });
      finish();
    }
  };
  await page.route('**/api/tickets.moveTier', async (route) => {
    moveRoute = route;
    stage = 'moving';
    await step();
  });
  await page.route('**/api/board.version', async (route) => {
    if (stage === 'moving' && !pollVersion) {
      pollVersion = route;
      await step();
    } else {
      await route.continue();
    }
  });
  await page.route('**/api/board.load', async (route) => {
    if (stage === 'moved' || stage === 'racing') {
      loads.push(route);
      await step();
    } else {
      await route.continue();
    }
  });
  return { done };
}

test('a severity-3 ticket goes up the board to Desarrollo, the answer comes back down and the ticket closes', async ({ page, desk }) => {
  test.setTimeout(180_000);
  await page.goto(desk.url);
  await completeSetup(page);

  await test.step('the first administrator also becomes supervisor (Administración → Editar)', async () => {
    await page.getByRole('button', { name: 'Administración' }).click();
    await page.getByRole('button', { name: `Editar a ${ADMIN.username}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Supervisor', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Guardar' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await signIn(page);
    await expect(page.getByRole('button', { name: 'Reportes' })).toBeVisible();
  });

  const folio = await createTicket(page, {
    ...TECNOCERRO,
    channel: 'Correo', severity: 3, subject: 'El portal no timbra ninguna factura',
    description: 'Desde esta mañana ningún comprobante se timbra: suspensión total del servicio.',
  });

  await test.step('the card waits at Mesa de Servicio with its SLA countdown', async () => {
    await openBoard(page);
    const c = column(page, 'service_desk').locator(`article[data-ticket="${folio}"]`);
    await expect(c).toBeVisible();
    await expect(c).toContainText('Tecnologías del Cerro SA de CV');
    await expect(c).toContainText('Sin asignar');
    await expect(c).toContainText(/vence en|En pausa|Vencido/);
    await expect(column(page, 'service_desk').getByRole('heading')).toContainText('1 ticket');
  });

  // A second window watches the board: it must follow the moves by itself (board.version polling).
  const watcher = await page.context().newPage();
  await test.step('a second window opens the board', async () => {
    await watcher.goto(desk.url);
    await signIn(watcher);
    await openBoard(watcher);
    await expect(column(watcher, 'service_desk').locator(`article[data-ticket="${folio}"]`)).toBeVisible();
  });

  await test.step('drag and drop to Operación, with the reason dialog', async () => {
    await card(page, folio).dragTo(column(page, 'operations'));
    const dialog = page.getByRole('dialog', { name: `Turnar ${folio} a Operación` });
    await expect(dialog).toBeVisible();
    // The reason is required.
    await dialog.getByRole('button', { name: 'Turnar' }).click();
    await expect(dialog.getByText('Este campo es obligatorio.')).toBeVisible();
    await dialog.getByLabel('Motivo').fill('Falla total del timbrado: requiere revisión de Operación.');
    await dialog.getByRole('button', { name: 'Turnar' }).click();
    await expect(dialog).toBeHidden();
    await expect(column(page, 'operations').locator(`article[data-ticket="${folio}"]`)).toBeVisible();
    await expect(column(page, 'service_desk').locator(`article[data-ticket="${folio}"]`)).toHaveCount(0);
    // Live update in the other window, without reloading it.
    await expect(column(watcher, 'operations').locator(`article[data-ticket="${folio}"]`)).toBeVisible();
    await watcher.close();
  });

  await test.step('by keyboard (→) to Desarrollo: the card keeps the focus whatever order the board reloads answer in', async () => {
    // The board reloads after its own move and whenever its 3 s poll sees a new board.version. This once failed
    // in a full run: the poll saw the move's new version while the move's own reload was in flight, that reload
    // was superseded, and the focus landed on the card's old element in Operación, which the later reload
    // removed. The routes below force that order (the worst one) every time.
    const order = await forceRacingReloads(page);
    await card(page, folio).focus();
    await page.keyboard.press('ArrowRight');
    const dialog = page.getByRole('dialog', { name: `Turnar ${folio} a Desarrollo` });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Motivo').fill('El PAC rechaza todas las peticiones: error en el servicio de timbrado.');
    await dialog.getByRole('button', { name: 'Turnar' }).click();
    await expect(dialog).toBeHidden();
    await order.done;
    await page.unrouteAll({ behavior: 'wait' });
    const moved = column(page, 'development').locator(`article[data-ticket="${folio}"]`);
    await expect(moved).toBeFocused();

    // A later reload (another change to the ticket, seen by the poll) keeps the focus on the card.
    const reloaded = page.waitForResponse((r) => r.url().endsWith('/api/board.load'));
    await page.evaluate(async (ticketFolio) => {
      const session = window.sessionStorage.getItem('helpdesk.session');
      const post = async (method: string, input: unknown) =>
        (await (await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, session }) })).json()) as { ok: boolean; value: unknown };
      const list = (await post('tickets.list', { query: ticketFolio })).value as { rows: { id: string }[] };
      const note = await post('tickets.note', { ticketId: list.rows[0]!.id, body: 'Nota interna mientras el tablero está abierto.', attachments: [] });
      if (!note.ok) throw new Error(JSON.stringify(note));
    }, folio);
    await reloaded;
    await expect(moved).toBeFocused();
  });

  await test.step('skipping a tier is refused', async () => {
    await card(page, folio).dragTo(column(page, 'service_desk'));
    await expect(page.getByRole('alert')).toContainText('Un ticket sube o baja un nivel a la vez');
    await expect(column(page, 'development').locator(`article[data-ticket="${folio}"]`)).toBeVisible();
  });

  await test.step('the answer travels back down: Desarrollo → Operación → Mesa de Servicio', async () => {
    await card(page, folio).click();
    await expect(page.getByTestId('tracking-number')).toHaveText(folio);
    const sla = page.getByTestId('sla-panel');
    await expect(sla).toContainText('Falla del servicio (severidad 3)');
    await expect(sla).toContainText('Primera respuesta');
    await expect(sla).toContainText('Resolución');

    for (const [cause, solution] of [
      ['Certificado del PAC vencido en el servidor de timbrado.', 'Se renovó el certificado y se reinició el servicio.'],
      ['Falla de Desarrollo corregida.', 'Operación confirmó que el timbrado funciona de nuevo.'],
    ]) {
      await page.getByRole('button', { name: 'Regresar respuesta' }).click();
      const dialog = page.getByRole('dialog', { name: 'Regresar respuesta' });
      await dialog.getByLabel('Causa').fill(cause!);
      await dialog.getByLabel('Solución').fill(solution!);
      await dialog.getByRole('button', { name: 'Regresar respuesta' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.locator('li.event-handed_back', { hasText: solution! })).toBeVisible();
    }
    await expect(page.getByRole('button', { name: 'Regresar respuesta' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Turnar a Operación' })).toBeEnabled();
  });

  await test.step('the customer is answered and the ticket closes', async () => {
    await page.getByLabel('Respuesta pública').check();
    await page.getByLabel('Mensaje', { exact: true }).fill('El timbrado quedó restablecido; una disculpa por la interrupción.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await expect(page.getByText('El timbrado quedó restablecido').first()).toBeVisible();
    await page.getByRole('button', { name: 'Cerrar ticket' }).click();
    await page.getByLabel('Causa').fill('Certificado del PAC vencido');
    await page.getByLabel('Solución').fill('Se renovó el certificado; el cliente confirmó que ya timbra.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar ticket' }).click();
    await expect(page.getByText('Se renovó el certificado; el cliente confirmó que ya timbra.').first()).toBeVisible();
  });

  await test.step('the timeline shows the whole route', async () => {
    const kinds = await page.locator('.timeline li.event').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')));
    const route = kinds.filter((k) => ['escalated', 'deescalated', 'handed_back', 'closed'].includes(k ?? ''));
    expect(route).toEqual(['escalated', 'escalated', 'handed_back', 'handed_back', 'closed']);
    const escalations = page.locator('li.event-escalated');
    await expect(escalations.nth(0)).toContainText('Mesa de Servicio → Operación');
    await expect(escalations.nth(0)).toContainText('Falla total del timbrado');
    await expect(escalations.nth(1)).toContainText('Operación → Desarrollo');
    await expect(escalations.nth(1)).toContainText('Tiempo de respuesta esperado');
    await expect(escalations.nth(1)).toContainText(`Su ticket ${folio} fue turnado al área de Desarrollo`);
    const handBacks = page.locator('li.event-handed_back');
    await expect(handBacks.nth(0)).toContainText('Desarrollo → Operación');
    await expect(handBacks.nth(1)).toContainText('Operación → Mesa de Servicio');
  });

  await test.step('a closed ticket leaves the board', async () => {
    await openBoard(page);
    await expect(card(page, folio)).toHaveCount(0);
  });
});

test('a ticket shows as breached once the injected clock passes its due time', async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = newDataDir();
  let host: OwnedHost | null = null;
  try {
    // Monday 2 March 2026, 10:00 in Mexico City: a severity-3 e-mail gets 2 business hours to a first response.
    host = await startOwnedHost(dataDir, { HELPDESK_NOW: '2026-03-02T16:00:00Z' });
    await page.goto(host.url);
    await completeSetup(page);
    const folio = await createTicket(page, {
      ...TECNOCERRO,
      channel: 'Correo', severity: 3, subject: 'No se puede cancelar ningún CFDI',
      description: 'La cancelación de comprobantes devuelve error en todos los casos.',
    });
    await expect(page.getByTestId('sla-panel')).toContainText('A tiempo');

    await openBoard(page);
    await expect(card(page, folio)).toHaveAttribute('data-sla', 'ok');
    await expect(card(page, folio)).toContainText(/vence en (1 h 5\d min|2 h)/);

    // Three hours later (13:00): the first response was due at 12:00.
    await host.stop();
    host = await startOwnedHost(dataDir, { HELPDESK_NOW: '2026-03-02T19:00:00Z' });
    await page.goto(host.url);
    await signIn(page);
    await openBoard(page);
    const c = card(page, folio);
    await expect(c).toHaveAttribute('data-sla', 'breached');
    await expect(c).toContainText('Vencido');

    await c.click();
    const sla = page.getByTestId('sla-panel');
    await expect(sla).toContainText('Vencido');
    await expect(sla.locator('li[data-metric="first_response"]')).toContainText('Vencido');
    await expect(page.locator('li.event-sla_breach')).toContainText('Primera respuesta');
  } finally {
    await host?.stop();
    removeDataDir(dataDir);
  }
});
