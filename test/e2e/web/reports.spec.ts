/**
 * Issue 15, item 2: Reportes with a period and a branch, applied in core; the CSV downloads with
 * a BOM and Spanish headers; the printable version prints without the application around it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, removeDataDir, seededDataDir, signIn, startOwnedHost, test } from '../fixtures';

/** Closes the first open tickets and records their survey answers as an agent would for answers given by phone (surveys.record). */
async function answerSurveys(page: Page, ratings: number[]): Promise<void> {
  const done = await page.evaluate(async (ratings) => {
    const session = sessionStorage.getItem('helpdesk.session');
    const api = async (method: string, input: unknown) => {
      const r = await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, session }) });
      return (await r.json()) as { ok: boolean; value?: { rows: Array<{ id: string }> }; error?: unknown };
    };
    const open = await api('tickets.list', { view: 'open', limit: ratings.length });
    const problems: unknown[] = open.ok ? [] : [open.error];
    for (const [i, row] of (open.value?.rows ?? []).entries()) {
      const closed = await api('tickets.close', { ticketId: row.id, cause: 'Dato mal capturado', solution: 'Se corrigió el RFC del receptor' });
      const r = closed.ok ? await api('surveys.record', { ticketId: row.id, rating: ratings[i], comment: 'Respuesta por teléfono' }) : closed;
      if (!r.ok) problems.push(r.error);
    }
    return { recorded: (open.value?.rows.length ?? 0) - problems.length, problems: JSON.stringify(problems) };
  }, ratings);
  expect(done).toEqual({ recorded: ratings.length, problems: '[]' });
}

test.use({ actionTimeout: 30_000 });

test('Reportes: period and branch filters, CSAT, the CSV download and the printable version', async ({ page }) => {
  test.setTimeout(300_000);
  const dataDir = seededDataDir(40);
  const host = await startOwnedHost(dataDir);
  try {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(host.url);
    await signIn(page, 'supervisora', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { name: 'Inicio', level: 1 })).toBeVisible({ timeout: 60_000 });
    await answerSurveys(page, [5, 4, 1]);

    await page.getByRole('button', { name: 'Reportes' }).click();
    await expect(page.getByRole('heading', { name: 'Reportes', level: 1 })).toBeVisible();
    const period = page.getByLabel('Periodo', { exact: true });
    const branch = page.getByLabel('Sucursal', { exact: true });

    // Custom range over the seeded days: every ticket, and the three answers.
    let asked = page.waitForRequest((r) => r.url().endsWith('/api/reports.run'));
    await period.selectOption('custom');
    const from = page.getByLabel('Desde');
    await from.fill('');
    await from.pressSequentially(new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10).split('-').reverse().join(''));
    expect((await asked).postDataJSON().input.period.preset).toBe('custom');
    await expect(page.getByText('3 respuestas')).toBeVisible();
    const created = page.locator('.reports-summary > div').filter({ hasText: 'Tickets creados' }).locator('dd');
    await expect(created).toHaveText('40');
    await expect(page.getByRole('table', { name: 'Por calificación' }).getByRole('row', { name: /^1 · Muy insatisfecho 1$/ })).toBeVisible();

    // The branch filter: the seeded branch has them all; the request names it.
    await expect(branch.locator('option')).toHaveText(['Todas', 'DEMO · Sucursal Demostración']);
    asked = page.waitForRequest((r) => r.url().endsWith('/api/reports.run'));
    await branch.selectOption('DEMO');
    expect((await asked).postDataJSON().input.branch).toBe('DEMO');
    await expect(created).toHaveText('40');

    // A preset fills Desde / Hasta with its ISO week (Monday to Sunday).
    await period.selectOption('lastWeek');
    await expect(from).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
    const shown = (await from.inputValue()).split('/').reverse().join('-');
    expect(new Date(`${shown}T12:00:00Z`).getUTCDay()).toBe(1);
    await period.selectOption('thisMonth');
    await page.screenshot({ path: 'test-results/reports.png', fullPage: false });

    // The CSV: UTF-8 with a BOM, Spanish headers.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exportar CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^reporte-demo-\d{4}-\d{2}-\d{2}-a-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await file.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('Reporte de la mesa de ayuda');
    expect(text).toContain('Sucursal,DEMO');
    expect(text).toContain('Satisfacción por agente');
    expect(text).toContain('Resolución a tiempo (%)');

    // The printable version: the report without the application around it when printed.
    await page.getByRole('button', { name: 'Versión para imprimir (PDF)' }).click();
    await expect(page.getByRole('button', { name: 'Imprimir o guardar como PDF' })).toBeVisible();
    await expect(page.getByText(/^Del \d{2}\/\d{2}\/\d{4} al \d{2}\/\d{2}\/\d{4} · Sucursal: DEMO$/)).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.sidenav')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Imprimir o guardar como PDF' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Satisfacción de los clientes' })).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Volver a Reportes' }).click();
    await expect(page.getByRole('heading', { name: 'Reportes', level: 1 })).toBeVisible();
  } finally {
    await host.stop();
    removeDataDir(dataDir);
  }
});
