import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { TestDesk, phoneIntake } from '../../fixtures/workspace';
import type { MethodInput } from '../../../electron/shared/contract';
import { ticketListSchema } from '../../../electron/shared/contract';
import { TICKET_SORTS, TICKET_VIEWS, type TicketSort, type TicketView } from '../../../electron/shared/domain';
import { countWalks, keyQuery, planList, smallSetQuery } from '../../../electron/core/ticket-list';
import { encodeCursor } from '../../../electron/core/keyset';

/**
 * Every list the UI can show is an index walk: for each view × sort × direction, first page and a
 * later page (cursor), the query plan has no sort of the matches (`USE TEMP B-TREE FOR ORDER BY`)
 * and no scan of the tickets table. Then the pages themselves: walking any view by cursor, two
 * rows at a time, gives exactly the rows of that view in the sort order, none twice.
 */
let desk: TestDesk;
let agentId: string;

beforeAll(async () => {
  desk = await new TestDesk().setup();
  const agent = await desk.userWithRoles('agente-plan', ['agent']);
  agentId = agent.id;
  const adminId = (await desk.call('auth.me', {})).id;
  const severities = [1, 2, 3] as const;
  const priorities = ['low', 'normal', 'high'] as const;
  const created: string[] = [];
  for (let i = 0; i < 14; i++) {
    desk.advance(60_000 * (1 + (i % 4)));
    const t = await desk.call('tickets.create', {
      ...phoneIntake(), ...(i > 0 ? { customer: { kind: 'existing', customerId: (await desk.call('tickets.get', { ticketId: created[0]! })).ticket.customerId } } : {}),
      severity: severities[i % 3], priority: priorities[(i * 2) % 3], subject: `Ticket de prueba ${i}`,
    } as MethodInput<'tickets.create'>);
    created.push(t.id);
  }
  // A mix of states: assigned to the agent, waiting on each reason, closed.
  for (const [i, id] of created.entries()) {
    desk.advance(30_000);
    if (i % 3 === 0) await desk.call('tickets.assign', { ticketId: id, assigneeId: agentId });
    if (i % 3 === 1) await desk.call('tickets.assign', { ticketId: id, assigneeId: adminId });
    if (i % 5 === 1) await desk.call('tickets.setStatus', { ticketId: id, status: 'waiting', waitingOn: i % 2 ? 'customer' : 'authorization' });
    if (i % 4 === 2) await desk.call('tickets.close', { ticketId: id, cause: 'Resuelto', solution: 'Se reenvió el timbrado' });
  }
  // Past every severity's targets: the open ones are Vencidos.
  desk.advance(30 * 24 * 60 * 60_000);
  await desk.signInAgain();
  // Then a few severity-3 tickets (2 h / 8 h on the 9–19 calendar), with time passing until their
  // first-response clocks are past the warning threshold (75 %) but not due: Por vencer.
  const customerId = (await desk.call('tickets.get', { ticketId: created[0]! })).ticket.customerId;
  for (let i = 0; i < 3; i++) {
    desk.advance(60_000);
    await desk.call('tickets.create', {
      ...phoneIntake(), customer: { kind: 'existing', customerId }, channel: 'email', severity: 3, subject: `Falla del servicio ${i}`,
    } as MethodInput<'tickets.create'>);
  }
  for (let guard = 0; guard < 400; guard++) {
    if (((await desk.call('tickets.list', { view: 'dueSoon' })).total ?? 0) >= 2) break;
    desk.advance(10 * 60_000);
  }
  await desk.signInAgain();
}, 60_000);

afterAll(() => desk?.close());

function planOf(view: TicketView, sort: TicketSort, direction: 'asc' | 'desc', withCursor: boolean, extra: Record<string, unknown> = {}, hideBlocked = false) {
  const input = ticketListSchema.parse({ view, sort, direction, ...extra });
  const plan = planList(agentId, input, desk.services.ws.now(), hideBlocked);
  const q = keyQuery(plan, sort, direction, withCursor ? { value: sort === 'trackingNumber' ? 'MTY-000005' : 2, rowid: 5 } : null);
  const rows = desk.services.ws.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params, 51) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

/** A sort of all matches, or a scan of the tickets table (a walk of an index that is not pinned to a range). */
function problems(details: string[]): string[] {
  return details.filter((d) => /USE TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY)/.test(d) || /^SCAN (t|tickets)\b/.test(d));
}

describe('every view × sort × direction is an index walk', () => {
  const cases = TICKET_VIEWS.flatMap((view) => TICKET_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((dir) => [view, sort, dir] as const)));
  it.each(cases)('%s by %s %s', (view, sort, direction) => {
    for (const withCursor of [false, true]) {
      const details = planOf(view, sort, direction, withCursor);
      expect({ withCursor, problems: problems(details) }).toEqual({ withCursor, problems: [] });
      // The walk is a range of an index (SEARCH … USING INDEX) or the SLA-due index walked in order.
      expect(details.some((d) => /SEARCH t USING (COVERING )?INDEX tickets_|SEARCH s USING (COVERING )?INDEX ticket_sla_due \(open=\?/.test(d))).toBe(true);
    }
  });
});

describe('with a blocked customer (derechos ARCO), every view × sort × direction is still an index walk', () => {
  // Its tickets are left out by rowid, which every list index carries: the walk stays covering, and the
  // hidden set is found through the partial index of blocked customers and the customer's own index.
  const cases = TICKET_VIEWS.flatMap((view) => TICKET_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((dir) => [view, sort, dir] as const)));
  it.each(cases)('%s by %s %s', (view, sort, direction) => {
    for (const withCursor of [false, true]) {
      const details = planOf(view, sort, direction, withCursor, {}, true);
      expect({ withCursor, problems: problems(details) }).toEqual({ withCursor, problems: [] });
      expect(details.some((d) => /SEARCH t USING (COVERING )?INDEX tickets_|SEARCH s USING (COVERING )?INDEX ticket_sla_due \(open=\?/.test(d))).toBe(true);
      expect(details.some((d) => /customers_blocked/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN /.test(d) && !/customers_blocked/.test(d))).toEqual([]);
    }
  });
});

describe('the count a view shows', () => {
  function countPlans(view: TicketView, extra: Record<string, unknown> = {}, hideBlocked = false): string[][] {
    const plan = planList(agentId, ticketListSchema.parse({ view, sort: 'updatedAt', ...extra }), desk.services.ws.now(), hideBlocked);
    return countWalks(plan).map(({ from, where }) => (desk.services.ws.db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM (SELECT 1 ${from} WHERE ${where.map((c) => c.sql).join(' AND ')} LIMIT 10001)`)
      .all(...where.flatMap((c) => c.params)) as Array<{ detail: string }>).map((r) => r.detail));
  }

  it('Vencidos is counted on the ranges of ticket_sla_due alone: no ticket row is read', () => {
    // At 1M tickets the Vencidos count read a ticket row per overdue ticket (13 ms of CPU for every first page).
    for (const details of countPlans('overdue')) {
      expect(details.some((d) => /SEARCH s USING COVERING INDEX ticket_sla_due \(open=\? AND breached=\?/.test(d))).toBe(true);
      expect(details.filter((d) => /\b(t|tickets)\b/.test(d))).toEqual([]);
    }
  });

  it('with a filter the ranges do not hold (an assignee, a blocked customer, Por vencer), the tickets are read', () => {
    for (const details of [...countPlans('overdue', { assigneeId: agentId }), ...countPlans('overdue', {}, true), ...countPlans('dueSoon')]) {
      expect(details.some((d) => /SEARCH t USING INTEGER PRIMARY KEY/.test(d))).toBe(true);
    }
  });

  it('every view’s count equals its rows, with and without a filter', async () => {
    for (const view of TICKET_VIEWS) {
      for (const extra of [{}, { assigneeId: agentId }, { status: ['open'] }, { severity: [1, 2] }]) {
        const page = await desk.call('tickets.list', { view, limit: 500, ...extra } as MethodInput<'tickets.list'>);
        expect({ view, extra, total: page.total }).toEqual({ view, extra, total: page.rows.length });
      }
    }
  });
});

describe('each filter alone, by last update (the default sort)', () => {
  // Walks an index made for the filter: a range per value, merged in order.
  const indexed: Array<[string, Record<string, unknown>, RegExp]> = [
    ['status', { status: ['closed'] }, /tickets_status_updated \(status=\?/],
    ['waiting reason', { waitingOn: ['customer', 'authorization'] }, /tickets_status_waiting \(status=\? AND waiting_on=\?/],
    ['tier', { tier: ['operations'] }, /tickets_status_tier_updated \(status=\? AND tier=\?/],
    ['assignee', { assigneeId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' }, /tickets_assignee_status \(assignee_id=\? AND status=\?/],
    ['customer', { customerId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' }, /tickets_customer_status_updated \(customer_id=\? AND status=\?/],
  ];
  it.each(indexed)('%s: a range of its own index', (_name, filter, index) => {
    const details = planOf('all', 'updatedAt', 'desc', true, filter);
    expect(problems(details)).toEqual([]);
    expect(details.some((d) => index.test(d))).toBe(true);
  });

  // No index of their own (each would cost on every write for a filter used rarely): the status
  // ranges are walked in order and the filter checked on each row. Still no sort, and a page ends
  // as soon as it is full; the bench measures them (a rare value walks further).
  const residual: Array<[string, Record<string, unknown>]> = [
    ['request type', { requestType: ['technical'] }],
    ['severity', { severity: [1] }],
    ['channel', { channel: ['email'] }],
    ['priority', { priority: ['high'] }],
  ];
  it.each(residual)('%s: the status ranges in order, the filter checked per row', (_name, filter) => {
    const details = planOf('all', 'updatedAt', 'desc', true, filter);
    expect(problems(details)).toEqual([]);
    expect(details.some((d) => /tickets_status_updated \(status=\?/.test(d))).toBe(true);
  });

  it('combined: a customer with a sort other than last update orders that customer’s tickets in memory', () => {
    const details = planOf('all', 'priority', 'desc', false, { customerId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' });
    expect(details.some((d) => /tickets_customer_status_updated \(customer_id=\?/.test(d))).toBe(true);
    expect(details.some((d) => d.includes('USE TEMP B-TREE FOR ORDER BY'))).toBe(true);
  });
});

describe('paging by cursor', () => {
  async function walk(input: MethodInput<'tickets.list'>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await desk.call('tickets.list', { ...input, limit: 2, ...(cursor ? { cursor } : {}) });
      ids.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('did not end');
  }

  it.each(TICKET_VIEWS.flatMap((view) => TICKET_SORTS.map((sort) => [view, sort] as const)))('%s by %s: pages give the whole view in order', async (view, sort) => {
    const whole = await desk.call('tickets.list', { view, sort, direction: 'desc', limit: 500 });
    expect(whole.total).toBe(whole.rows.length);
    expect(whole.rows.length).toBeGreaterThan(1);
    const down = await walk({ view, sort, direction: 'desc' });
    expect(down).toEqual(whole.rows.map((r) => r.id));
    // The other direction is the same rows backwards: "go to the last page".
    const up = await walk({ view, sort, direction: 'asc' });
    expect(up).toEqual([...down].reverse());
  });

  it('the views hold what their names say', async () => {
    const all = (await desk.call('tickets.list', { limit: 500 })).rows;
    const ids = async (view: TicketView) => new Set((await desk.call('tickets.list', { view, limit: 500 })).rows.map((r) => r.id));
    const expectView = async (view: TicketView, keep: (r: (typeof all)[number]) => boolean) =>
      expect(await ids(view)).toEqual(new Set(all.filter(keep).map((r) => r.id)));
    await expectView('open', (r) => r.status === 'open');
    await expectView('closed', (r) => r.status === 'closed');
    await expectView('waiting', (r) => r.status === 'waiting');
    await expectView('unassigned', (r) => r.status !== 'closed' && r.assigneeId === null);
    const me = (await desk.call('auth.me', {})).id;
    await expectView('mine', (r) => r.assigneeId === me);
    await expectView('work', (r) => r.status !== 'closed' && (r.assigneeId === me || r.assigneeId === null));
    // The SLA views hold what the board would show: Vencidos the breached, Por vencer the warnings.
    await expectView('overdue', (r) => r.status !== 'closed' && r.slaState === 'breached');
    await expectView('dueSoon', (r) => r.status === 'open' && r.slaState === 'warning');
    expect((await ids('overdue')).size).toBeGreaterThan(0);
    expect((await ids('dueSoon')).size).toBeGreaterThanOrEqual(2);
    // A month-old open ticket is breached; the new severity-3 ones are not (yet).
    expect(all.filter((r) => r.status === 'open' && r.subject.startsWith('Ticket de prueba')).every((r) => r.slaState === 'breached')).toBe(true);
  });

  it('sorts by SLA due: the soonest breach first, tickets without a running clock last', async () => {
    const rows = (await desk.call('tickets.list', { view: 'all', sort: 'slaDue', direction: 'asc', limit: 500 })).rows;
    const due = desk.services.ws.db.prepare('SELECT s.breach_at FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid WHERE t.id = ?').pluck();
    const keys = rows.map((r) => (due.get(r.id) as number | null) ?? Number.MAX_SAFE_INTEGER);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(keys[0]).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(keys.at(-1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('encodes the cursor opaquely and refuses a forged one', async () => {
    expect(encodeCursor(12, 3)).toMatch(/^[\w-]+$/);
    const r = await desk.raw('tickets.list', { cursor: Buffer.from('{"a":1}').toString('base64url') });
    expect(r.ok).toBe(false);
  });
});

describe('the SLA views (issue 14): Vencidos and Por vencer', () => {
  it('by SLA due they are ranges of ticket_sla_due (open, breached, due): no status walk, no filter over every open ticket', () => {
    for (const view of ['overdue', 'dueSoon'] as const) {
      for (const withCursor of [false, true]) {
        const details = planOf(view, 'slaDue', 'asc', withCursor);
        expect(problems(details)).toEqual([]);
        const walks = details.filter((d) => d.includes('ticket_sla_due'));
        expect(walks.length).toBeGreaterThan(0);
        for (const d of walks) expect(d).toMatch(/INDEX ticket_sla_due \(open=\? AND breached=\?/);
        // The not-breached range is bounded by the due moment (Vencidos: before now; Por vencer: from now).
        expect(walks.some((d) => /breached=\? AND <expr>[<>]/.test(d))).toBe(true);
      }
    }
  });

  it('their count reads the same ranges (not every open ticket)', async () => {
    const db = desk.services.ws.db;
    const prepare = db.prepare.bind(db);
    const seen: string[] = [];
    (db as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
      if (sql.includes('count(*)')) seen.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      await desk.call('tickets.list', { view: 'dueSoon', sort: 'updatedAt' });
      await desk.call('tickets.list', { view: 'overdue', sort: 'priority' });
    } finally {
      (db as { prepare: typeof db.prepare }).prepare = prepare;
    }
    // Vencidos: its two ranges of ticket_sla_due; Por vencer is counted with its rows (below), no count(*) of its own.
    expect(seen.length).toBe(2);
    for (const sql of seen) expect(sql).toContain('FROM ticket_sla s INDEXED BY ticket_sla_due');
  });
});

describe('small views read whole from their own range (issue 16: Por vencer 5–42 ms, En espera by SLA due 14–18 ms of CPU at 1M)', () => {
  const setPlan = (view: TicketView, sort: TicketSort, extra: Record<string, unknown> = {}, hideBlocked = false) => {
    const plan = planList(agentId, ticketListSchema.parse({ view, sort, ...extra }), desk.services.ws.now(), hideBlocked);
    expect(plan.smallSet).not.toBeNull();
    const q = smallSetQuery(plan, plan.smallSet!, sort);
    return (desk.services.ws.db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as Array<{ detail: string }>).map((r) => r.detail);
  };

  it.each(TICKET_SORTS)('Por vencer by %s is one range of ticket_sla_warning (warned by now), each ticket then by rowid', (sort) => {
    for (const hidden of [false, true]) {
      const details = setPlan('dueSoon', sort, {}, hidden);
      expect(details.some((d) => /^SEARCH s USING (COVERING )?INDEX ticket_sla_warning \(<expr><\?\)/.test(d))).toBe(true);
      expect(details.some((d) => /^SEARCH t USING INTEGER PRIMARY KEY/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN (s|t)\b/.test(d))).toEqual([]);
    }
  });

  it('En espera by SLA due is the waiting range of tickets_status_updated, each with its clocks', () => {
    for (const extra of [{}, { waitingOn: ['customer'] }]) {
      const details = setPlan('waiting', 'slaDue', extra);
      expect(details.some((d) => /^SEARCH t USING (COVERING )?INDEX tickets_status_updated \(status=\?/.test(d))).toBe(true);
      expect(details.some((d) => /^SEARCH s USING INTEGER PRIMARY KEY/.test(d))).toBe(true);
    }
    expect(planList(agentId, ticketListSchema.parse({ view: 'open', sort: 'slaDue' }), desk.services.ws.now()).smallSet).toBeNull();
  });

  it('Por vencer’s count is read with its rows: the warned range, not every running clock', () => {
    const plan = planList(agentId, ticketListSchema.parse({ view: 'dueSoon', sort: 'updatedAt' }), desk.services.ws.now());
    expect(countWalks(plan).map((w) => w.from)).toEqual([expect.stringContaining('INDEXED BY ticket_sla_warning')]);
  });

  // The same rows, in the same order, and the same count as the walk in the sort's order (the path
  // these views took before), for every sort, both directions, with filters, paged two at a time.
  const cases = [
    ...TICKET_SORTS.map((sort) => ['dueSoon', sort] as const),
    ['waiting', 'slaDue'] as const,
  ].flatMap(([view, sort]) => (['asc', 'desc'] as const).map((direction) => [view, sort, direction] as const));
  it.each(cases)('%s by %s %s equals the ordered walk', async (view, sort, direction) => {
    const ws = desk.services.ws;
    const idOf = ws.db.prepare('SELECT id FROM tickets WHERE rowid = ?').pluck();
    for (const extra of [{}, { severity: [3] }, { assigneeId: agentId }, { status: ['open'] }, { waitingOn: ['customer'] }]) {
      const input = ticketListSchema.parse({ view, sort, direction, limit: 500, ...extra });
      const plan = planList(agentId, input, ws.now());
      const walked = keyQuery(plan, sort, direction, null);
      const expected = plan.empty ? [] : (ws.db.prepare(walked.sql).all(...walked.params, 501) as Array<{ r: number }>).map((k) => idOf.get(k.r));
      const whole = await desk.call('tickets.list', input as MethodInput<'tickets.list'>);
      expect({ extra, ids: whole.rows.map((r) => r.id), total: whole.total }).toEqual({ extra, ids: expected, total: expected.length });
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 50; guard++) {
        const page = await desk.call('tickets.list', { ...input, limit: 2, ...(cursor ? { cursor } : {}) } as MethodInput<'tickets.list'>);
        paged.push(...page.rows.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(expected);
    }
  });
});
