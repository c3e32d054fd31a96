/**
 * The SLA report and the supervisor home's weekly trend read the tickets created in a period as
 * ranges of an index (one per status), never a walk of every ticket: at 10,000 tickets the home's
 * trend walked the whole tickets_status_created index four times (~200 ms under load), and it
 * grows with the workspace while the period does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDesk } from '../../fixtures/workspace';
import { complianceSql, slaTrendByWeek } from '../../../electron/core/reports/sla';
import { preparedDuring } from '../core/helpers';

let desk: TestDesk;
beforeAll(async () => {
  desk = await new TestDesk().setup();
}, 60_000);
afterAll(() => desk.host.close());

describe('SLA compliance query plan', () => {
  it.each(['t.tier', 'CAST(t.severity AS TEXT)', 't.channel', "strftime('%Y-%m-%d', t.created_at / 1000, 'unixepoch')"])('grouped by %s: a range per status, no scan of tickets', (key) => {
    const plan = (desk.services.ws.db.prepare(`EXPLAIN QUERY PLAN ${complianceSql(key)}`).all({ from: 0, to: 1, now: 1 }) as Array<{ detail: string }>)
      .map((r) => r.detail);
    expect(plan.filter((d) => /^SCAN t\b/.test(d))).toEqual([]);
    expect(plan.some((d) => /SEARCH t USING (COVERING )?INDEX tickets_status_created \(status=\? AND created_at>\? AND created_at<\?\)/.test(d))).toBe(true);
  });

  it('the home\'s weekly trend reads only the covering index tickets_status_created_sla (never a ticket row), a range per status', () => {
    const db = desk.services.ws.db;
    const { statements } = preparedDuring(db, () => slaTrendByWeek(db, 0, 1, 1, 'America/Mexico_City'));
    expect(statements).toHaveLength(1);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${statements[0]!}`).all({ from: 0, to: 1, now: 1 }) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan.filter((d) => /^SCAN t\b/.test(d))).toEqual([]);
    expect(plan).toContain('SEARCH t USING COVERING INDEX tickets_status_created_sla (status=? AND created_at>? AND created_at<?)');
  });
});
