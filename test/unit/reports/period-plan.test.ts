/**
 * Every statement of the reports screen's report reads index ranges — tickets by (status,
 * created_at), the audit log by (action, at), surveys by answered_at, breaches by due_at, the
 * branch list one seek per branch — with or without a branch, so the report costs what the period
 * holds, not what the workspace holds, and the period's tickets are read once. Each statement is
 * the one `reports.run` really prepares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodReport } from '../../../electron/core/reports/period';
import { reportRunSchema } from '../../../electron/shared/reports';
import { TestDesk } from '../../fixtures/workspace';
import { preparedDuring } from '../core/helpers';

let desk: TestDesk;
beforeAll(async () => {
  desk = await new TestDesk().setup();
}, 60_000);
afterAll(() => desk.host.close());

/** The plan's lines of one statement, its parameters filled with stand-ins. */
function planOf(sql: string): string[] {
  const db = desk.services.ws.db;
  const named = { from: 0, to: 1, now: 1, branchFrom: 'MTY-', branchTo: 'MTY.' };
  const positional = (sql.match(/\?/g) ?? []).map(() => 'x');
  const uses = (name: string) => sql.includes(`@${name}`);
  const params = Object.fromEntries(Object.entries(named).filter(([k]) => uses(k)));
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Object.keys(params).length > 0 ? stmt.all(params) : stmt.all(...positional)) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

describe('reports.run query plans', () => {
  it.each([null, 'MTY'])('branch %s: every table is searched through an index, none scanned', (branch) => {
    const input = reportRunSchema.parse({ period: { preset: 'thisMonth' }, branch, groupBy: 'week', format: 'csv' });
    const ws = desk.services.ws;
    const { statements } = preparedDuring(ws.db, () => periodReport({ db: ws.db, now: ws.now(), timeZone: 'America/Mexico_City', home: { code: 'MTY', name: 'Monterrey' } }, input), ws);
    expect(statements.length).toBeGreaterThanOrEqual(7);
    // One pass over the period's tickets feeds every grouping (six passes took ~15 s for a year at 100,000 tickets).
    expect(statements.filter((sql) => sql.includes('tickets_status_created'))).toHaveLength(1);
    const plans = statements.map((sql) => ({ sql, plan: planOf(sql) }));
    for (const { sql, plan } of plans) {
      // A scan is allowed only of the recursive list of branch codes (a CTE), never of a table.
      const scans = plan.filter((d) => /^SCAN /.test(d) && !/^SCAN (codes|\(subquery|CONSTANT)/.test(d));
      expect({ sql, scans }).toEqual({ sql, scans: [] });
    }
    const all = plans.flatMap((p) => p.plan).join('\n');
    expect(all).toMatch(/SEARCH t USING INDEX tickets_status_created \(status=\? AND created_at>\? AND created_at<\?\)/);
    expect(all).toMatch(/SEARCH a USING (COVERING )?INDEX audit_log_action \(action=\? AND at>\? AND at<\?\)/);
    expect(all).toMatch(/SEARCH v USING INDEX satisfaction_surveys_answered \(answered_at>\? AND answered_at<\?\)/);
    expect(all).toMatch(/SEARCH b USING INDEX sla_breaches_due \(due_at>\? AND due_at<\?\)/);
    expect(all).toMatch(/SEARCH tickets USING COVERING INDEX sqlite_autoindex_tickets_\d \(tracking_number>\?\)/);
  });
});
