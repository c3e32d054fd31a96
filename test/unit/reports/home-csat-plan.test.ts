/**
 * The supervisor home's satisfaction numbers stay index reads (the home is ~460 ms at 100,000
 * tickets; these must not add a walk of tickets or of the audit log): answers by answered_at,
 * closures by (action, at), and the rated tickets' counts driven by the survey index, each ticket
 * then found by id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supervisorHome } from '../../../electron/core/reports/home';
import { TestDesk } from '../../fixtures/workspace';
import { preparedDuring } from '../core/helpers';

let desk: TestDesk;
beforeAll(async () => {
  desk = await new TestDesk().setup();
}, 60_000);
afterAll(() => desk.host.close());

function planOf(sql: string): string[] {
  const db = desk.services.ws.db;
  const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (/@from/.test(sql) ? stmt.all({ from: 0, to: 1 }) : stmt.all(...(sql.match(/\?/g) ?? []).map(() => 1))) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

describe('supervisor home CSAT query plans', () => {
  it('reads answers, closures and rated tickets through their indexes', () => {
    const s = desk.services;
    const { result, statements } = preparedDuring(s.ws.db, () => supervisorHome(s.ws, s.users, s.emergency, 'nadie', 'America/Mexico_City'), s.ws);
    expect(result.csat.satisfied.question.rating).toEqual([4, 5]);
    const csat = statements.filter((sql) => /satisfaction_surveys|'ticket\.closed'/.test(sql));
    expect(csat.length).toBeGreaterThanOrEqual(3);
    const plans = csat.map((sql) => ({ sql, plan: planOf(sql) }));
    for (const { sql, plan } of plans) {
      expect({ sql, scans: plan.filter((d) => /^SCAN /.test(d) && !/^SCAN \(subquery/.test(d)) }).toEqual({ sql, scans: [] });
    }
    const all = plans.flatMap((p) => p.plan).join('\n');
    expect(all).toMatch(/SEARCH v USING INDEX satisfaction_surveys_answered \(answered_at>\? AND answered_at<\?\)/);
    expect(all).toMatch(/SEARCH audit_chain USING COVERING INDEX audit_log_action \(action=\? AND at>\? AND at<\?\)/);
    expect(all).toMatch(/SEARCH v USING INDEX satisfaction_surveys_answered \(answered_at>\?\)/);
    expect(all).toMatch(/SEARCH t USING (COVERING )?INDEX sqlite_autoindex_tickets_1 \(id=\?\)/);
  });
});
