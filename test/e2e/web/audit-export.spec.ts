/**
 * Issue 16 item 3 in the UI: Bitácora → Exportar runs as a job on core's worker thread and the
 * finished file arrives as a download, with its manifest on screen.
 */
import { readFileSync } from 'node:fs';
import { completeSetup, expect, test } from '../fixtures';

test('exporting a period of the audit log downloads the file the job wrote, and shows its hashes', async ({ page, desk }) => {
  await page.goto(desk.url);
  await completeSetup(page);
  await page.getByRole('button', { name: 'Bitácora' }).click();
  // Dates are typed as dd/mm/aaaa whatever the browser's language (issue 14).
  const today = await page.evaluate(() => new Date().toLocaleDateString('es-MX', { day: '2-digit', month: '2-digit', year: 'numeric' }));
  await page.getByLabel('Desde').fill(today);
  await page.getByLabel('Hasta').fill(today);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^bitacora-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const content = readFileSync((await file.path())!, 'utf8');
  expect(content.split('\r\n')[0]).toBe('seq,id,deviceId,at,atIso,actorId,actorKind,action,entity,entityId,data,prevHash,hash');
  expect(content).toContain('branch.setup');
  const manifest = page.getByTestId('audit-manifest');
  await expect(manifest).toContainText('Se exportaron');
  await expect(page.getByTestId('job-progress')).toBeHidden();
});
