/**
 * The supervisor home's backlog (open and waiting tickets per tier and severity, nine counts per
 * load) is counted from an index alone: with (tier, status) each count read every matching ticket's
 * row for its severity (~110 ms a count at 100,000 tickets under load).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDesk } from '../../fixtures/workspace';
import { savedQuestionSchema } from '../../../electron/shared/contract';
import { countPlan, planList } from '../../../electron/core/ticket-list';
import { supervisorHome } from '../../../electron/core/reports/home';
import { preparedDuring } from './helpers';
import { TIERS } from '../../../electron/shared/domain';

let desk: TestDesk;
beforeAll(async () => {
  desk = await new TestDesk().setup();
}, 60_000);
afterAll(() => desk.host.close());

describe('supervisor home backlog counts', () => {
  it.each(TIERS.flatMap((tier) => [1, 2, 3].map((severity) => [tier, severity] as const)))('%s, severity %s: one covering index range', (tier, severity) => {
    const ws = desk.services.ws;
    const db = ws.db;
    const question = savedQuestionSchema.parse({ view: 'all', status: ['open', 'waiting'], tier: [tier], severity: [severity] });
    const plan = planList('nadie', { ...question, limit: 1 }, ws.now(), false);
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((source: string) => {
      const stmt = prepare(source);
      const get = stmt.get.bind(stmt);
      stmt.get = ((...params: unknown[]) => {
        seen.push({ sql: source, params });
        return get(...params);
      }) as typeof stmt.get;
      return stmt;
    }) as typeof db.prepare;
    try {
      countPlan(ws, plan);
    } finally {
      db.prepare = prepare as typeof db.prepare;
    }
    expect(seen).toHaveLength(1);
    const details = (db.prepare(`EXPLAIN QUERY PLAN ${seen[0]!.sql}`).all(...seen[0]!.params) as Array<{ detail: string }>).map((r) => r.detail);
    expect(details.filter((d) => / t USING /.test(d))).toEqual([expect.stringMatching(/^SEARCH t USING COVERING INDEX \w+ \(status=\? AND tier=\? AND severity=\?\)$/)]);
  });
});

describe('supervisor home workload', () => {
  it('counts Vencidos per person in one walk of the (assignee, status) index, never reading a ticket row', async () => {
    for (const name of ['agente-uno', 'agente-dos', 'agente-tres']) await desk.userWithRoles(name, ['agent']);
    const s = desk.services;
    const me = s.users.directory()[0]!.id;
    const { result, statements } = preparedDuring(s.ws.db, () => supervisorHome(s.ws, s.users, s.emergency, me, 'America/Mexico_City'), s.ws);
    expect(result.workload.length).toBeGreaterThanOrEqual(3);
    // The statements reading Vencidos for the workload: the assigned (grouped) and the unassigned.
    const overdueWalks = statements.filter((sql) => sql.includes('tickets_assignee_status') && sql.includes('s.breach_at < ?'));
    expect(overdueWalks).toHaveLength(2);
    for (const sql of overdueWalks) {
      const params = sql.match(/\?/g)!.map((_, i) => (i === 0 ? 'open' : i === 1 ? 'waiting' : s.ws.now()));
      const details = (s.ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      // At 1M tickets reading each overdue ticket's row for its assignee took 192 ms of CPU.
      expect(details).toContainEqual(expect.stringMatching(/^SEARCH t USING COVERING INDEX tickets_assignee_status \(assignee_id=\? AND status=\?\)$/));
      expect(details.filter((d) => /TEMP B-TREE|SCAN t\b|SEARCH t USING INTEGER PRIMARY KEY/.test(d))).toEqual([]);
    }
  });
});
