import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { TestDesk, phoneIntake } from '../../fixtures/workspace';
import { auditListSchema, type MethodInput } from '../../../electron/shared/contract';
import { countAuditList, listAudit, planAuditList } from '../../../electron/core/audit-export';
import { mergedWalk } from '../../../electron/core/keyset';
import { preparedDuring } from './helpers';

/**
 * The Bitácora's filters (actor, action prefix, entity, period, and actor with a period) are
 * index walks in time order, newest or oldest first, first page and later pages; and paging by
 * cursor gives every entry once, in order.
 */
let desk: TestDesk;
let adminId: string;
let firstAt: number;

beforeAll(async () => {
  desk = await new TestDesk().setup();
  adminId = (await desk.call('auth.me', {})).id;
  firstAt = desk.now();
  for (let i = 0; i < 5; i++) {
    desk.advance(60_000);
    const t = await desk.call('tickets.create', { ...phoneIntake(), ...(i > 0 ? { customer: { kind: 'new', rfc: ['PAN990101AB5', 'FEN8001017Z3', 'SUR080320B25', 'MAR750101AA1'][i - 1]!, name: `Cliente ${i}`, email: `c${i}@example.mx` } } : {}) } as MethodInput<'tickets.create'>);
    await desk.call('tickets.note', { ticketId: t.id, body: `Nota ${i}` });
  }
}, 60_000);

afterAll(() => desk?.close());

function details(filter: Record<string, unknown>, order: 'asc' | 'desc', withCursor: boolean): string[] {
  const db = desk.services.ws.db;
  const plan = planAuditList(db, auditListSchema.parse({ ...filter, order }));
  const q = mergedWalk(plan.walks, 'a.at', 'a.seq', order, withCursor ? { value: firstAt + 120_000, rowid: 10 } : null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 101) as Array<{ detail: string }>).map((r) => r.detail);
}

describe('Bitácora filters are index walks', () => {
  const filters: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ['no filter', () => ({}), /audit_log_at/],
    ['actor', () => ({ actorId: adminId }), /audit_log_actor \(actor_id=\?/],
    ['action prefix', () => ({ action: 'ticket.' }), /audit_log_action \(action=\?/],
    ['exact action', () => ({ action: 'ticket.created' }), /audit_log_action \(action=\?/],
    ['entity', () => ({ entity: 'ticket' }), /audit_log_entity_at \(entity=\?/],
    ['period', () => ({ from: firstAt, to: firstAt + 180_000 }), /audit_log_at \(at>\? AND at<\?\)|audit_log_at \(at>\?/],
    ['actor and period', () => ({ actorId: adminId, from: firstAt, to: firstAt + 180_000 }), /audit_log_actor \(actor_id=\? AND at>\?/],
  ];
  // A sort (TEMP B-TREE) or a scan of the table; walking a whole index in order is the unfiltered list itself.
  it.each(filters.flatMap(([name, f, index]) => (['asc', 'desc'] as const).map((o) => [name, o, f, index] as const)))('%s, %s', (_name, order, filter, index) => {
    for (const withCursor of [false, true]) {
      const plan = details(filter(), order, withCursor);
      expect({ withCursor, plan: plan.filter((d) => /TEMP B-TREE|^SCAN a(?! USING (COVERING )?INDEX)/.test(d)) }).toEqual({ withCursor, plan: [] });
      expect(plan.some((d) => index.test(d))).toBe(true);
    }
  });

  // The first page with its count reads index ranges only (an action prefix was counted as
  // `action LIKE …`, which ignores case and so cannot seek the action index: it read every entry).
  it.each(filters.filter(([name]) => name !== 'no filter').map(([name, f]) => [name, f] as const))('%s: the first page and its count read ranges, never the whole log', (_name, filter) => {
    const db = desk.services.ws.db;
    const input = auditListSchema.parse(filter());
    const { result: page, statements: seen } = preparedDuring(db, () => listAudit(db, input));
    const params = (sql: string) => planAuditList(db, input).walks.flatMap((w) => w.conditions).concat(planAuditList(db, input).where)
      .flatMap((c) => c.params).slice(0, (sql.match(/\?/g) ?? []).length);
    for (const sql of seen.filter((q) => /count\(\*\)/.test(q))) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params(sql)) as Array<{ detail: string }>).map((r) => r.detail);
      expect({ sql, scans: plan.filter((d) => /^SCAN a\b/.test(d)) }).toEqual({ sql, scans: [] });
    }
    // The same number as counting the whole question at once.
    const where = planAuditList(db, input).where;
    const all = db.prepare(`SELECT count(*) FROM audit_chain a WHERE ${where.map((c) => c.sql).join(' AND ')}`).pluck().get(...where.flatMap((c) => c.params)) as number;
    expect(page.total).toBe(Math.min(all, 10_000));
    expect(countAuditList(db, planAuditList(db, input)).total).toBe(page.total);
  });

  it('combined: a request’s entries come from its two JSON indexes and are ordered in memory (they are few)', () => {
    const plan = details({ requestId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' }, 'desc', false);
    expect(plan.some((d) => /audit_log_request/.test(d))).toBe(true);
    expect(plan.some((d) => /TEMP B-TREE/.test(d))).toBe(true);
  });
});

describe('Bitácora paging by cursor', () => {
  it.each([
    ['every entry', {}],
    ['an action prefix over several actions', { action: 'ticket.' }],
    ['an actor', { actorId: 'admin' }],
  ] as const)('%s: pages of two give the whole list, newest first, and the count', async (_name, raw) => {
    const filter = 'actorId' in raw ? { actorId: adminId } : raw;
    const whole = await desk.call('audit.list', { ...filter, limit: 500 });
    expect(whole.rows.length).toBeGreaterThan(4);
    expect(whole.total).toBe(whole.rows.length);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof desk.call<'audit.list'>>> = await desk.call('audit.list', { ...filter, limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => r.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(whole.rows.map((r) => r.seq));
    const ats = whole.rows.map((r) => r.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
  });
});
