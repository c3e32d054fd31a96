/**
 * Search with a word in hundreds of thousands of tickets (issue 16, at 1M tickets "factura" is in
 * most of them): the ranking took the best score with Math.min(...every score), more arguments than
 * a call's stack holds, and the list answered an internal error. 300,000 extra index entries stand
 * for the big workspace (written straight into the contentless index: only the ranking reads them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';
import type { MethodInput } from '../../../electron/shared/contract';

let desk: TestDesk;
beforeAll(async () => {
  desk = await new TestDesk().setup();
  await desk.call('tickets.create', phoneIntake({ subject: 'Timbrado masivo', description: 'No se puede timbrar en lote' }) as MethodInput<'tickets.create'>);
  desk.services.ws.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
    INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name)
    SELECT 1000000 + i, '', 'timbrado', '', '', '' FROM n`);
}, 120_000);
afterAll(() => desk?.close());

describe('search over a very common word', () => {
  it('ranks 300,000 matches without running out of stack, and finds the real ticket', async () => {
    const page = await desk.call('tickets.list', { query: 'timbrado', limit: 50 });
    expect(page.totalCapped || (page.total ?? 0) > 300_000).toBe(true);
    const recent = await desk.call('tickets.list', { query: 'timbrado', searchOrder: 'recent', limit: 50 });
    expect(recent.nextCursor).not.toBeNull();
    const relevant = await desk.call('tickets.list', { query: 'masivo', limit: 50 });
    expect(relevant.rows.map((r) => r.subject)).toEqual(['Timbrado masivo']);
  });
});
