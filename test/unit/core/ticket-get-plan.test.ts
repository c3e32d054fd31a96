/**
 * Opening a ticket reads only that ticket's rows: every statement `tickets.get` runs (recorded as
 * it prepares them) is planned without a scan of a table — found when a ticket took 245 ms to open
 * at 100,000 tickets: the merged-tickets query walked every ticket in tracking-number order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';
import { preparedDuring } from './helpers';

let desk: TestDesk;
let ticketId: string;

beforeAll(async () => {
  desk = await new TestDesk().setup();
  const first = await desk.call('tickets.create', phoneIntake({ subject: 'No puede timbrar facturas' }));
  for (let i = 0; i < 3; i++) {
    desk.advance(60_000);
    await desk.call('tickets.create', { ...phoneIntake({ subject: `Otro ticket ${i}` }), customer: { kind: 'existing', customerId: first.customerId } });
  }
  const dup = await desk.call('tickets.create', { ...phoneIntake({ subject: 'Error 301 al timbrar' }), customer: { kind: 'existing', customerId: first.customerId } });
  desk.advance(60_000);
  await desk.call('tickets.merge', { ticketId: dup.id, intoTicketId: first.id });
  ticketId = first.id;
}, 60_000);

afterAll(() => desk.host.close());

/** EXPLAIN QUERY PLAN with every parameter NULL (better-sqlite3 wants as many values as the statement has). */
function explain(db: Database.Database, sql: string): Array<{ detail: string }> {
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  for (let n = 0; ; n++) {
    try {
      return stmt.all(...Array<null>(n).fill(null)) as Array<{ detail: string }>;
    } catch (err) {
      if (!(err instanceof RangeError) || n > 20) throw err;
    }
  }
}

describe('tickets.get', () => {
  it('runs no statement that scans a table (only its ticket, timeline, files, customer and contact)', () => {
    const db = desk.services.ws.db;
    const detail = desk.services.tickets.get(ticketId);
    expect(detail.mergedFrom).toHaveLength(1);
    const { statements } = preparedDuring(db, () => desk.services.tickets.get(ticketId), desk.services.ws);
    expect(statements.length).toBeGreaterThan(3);
    const scans: string[] = [];
    for (const sql of statements) {
      const plan = explain(db, sql);
      for (const { detail } of plan) {
        // A CTE's own rows and json_each's list are not tables; anything else scanned is.
        if (/^SCAN /.test(detail) && !/^SCAN (m|merged|json_each)\b/.test(detail)) scans.push(`${detail}  ←  ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
    expect(scans).toEqual([]);
  });
});
