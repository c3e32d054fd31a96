/**
 * The SLA report and the supervisor home's weekly trend read the tickets created in a period as
 * ranges of an index (one per status), never a walk of every ticket: at 10,000 tickets the home's
 * trend walked the whole tickets_status_created index four times (~200 ms under load), and it
 * grows with the workspace while the period does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDesk } from '../../fixtures/workspace';
import { complianceSql } from '../../../electron/core/reports/sla';

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
});
