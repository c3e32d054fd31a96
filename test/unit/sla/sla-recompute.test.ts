import { afterEach, describe, expect, it } from 'vitest';
import { runSweep } from '../../../electron/core/host';
import { SLA_HOT_QUERIES } from '../../../electron/core/sla';
import { WriteTx } from '../../../electron/core/workspace';
import { DEFAULT_SLA_CONFIG } from '../../../electron/shared/sla';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SLA_COLUMNS = 'sla_policy_id, first_response_due_at, next_response_due_at, resolution_due_at, sla_warn_at, sla_breach_at, sla_state, sla_breached';
let desk: TestDesk;
afterEach(() => desk?.close());

function slaColumns(d: TestDesk): unknown[] {
  return d.services.ws.db.prepare(`SELECT id, ${SLA_COLUMNS} FROM tickets ORDER BY id`).raw().all();
}

/** `count` open tickets of every channel and severity, a fifth waiting on the customer, straight through the core. */
async function manyTickets(d: TestDesk, count: number): Promise<void> {
  const first = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
  const customerId = d.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(first.id) as string;
  const channels = ['phone', 'email', 'web_form', 'chat_support', 'complaint'] as const;
  const s = d.services;
  const actor = { kind: 'system' } as const;
  s.ws.write(actor, () => {
    for (let i = 0; i < count; i++) {
      const tx = new WriteTx(s.ws, actor);
      const id = s.tickets.insertTicket(tx, {
        customerId, channel: channels[i % channels.length]!, requestType: 'technical', supportType: 'web', category: 'issue_invoice',
        priority: 'normal', severity: ((i % 3) + 1) as 1 | 2 | 3, subject: `Incidente ${i}`, description: 'Error al timbrar',
      });
      if (i % 5 === 0) s.tickets.setStatusInTx(tx, { ticketId: id, status: 'waiting', waitingOn: 'customer' });
    }
  });
}

describe('recomputing the SLA of every open ticket', () => {
  it('stores, in steps of 2,000 tickets, exactly what each ticket computed on its own; a second pass writes nothing', async () => {
    desk = await new TestDesk().setup();
    await manyTickets(desk, 2_300); // more than one step
    desk.advance(HOUR);
    const db = desk.services.ws.db;
    // Each ticket alone, through the single-ticket path.
    const ids = db.prepare("SELECT id FROM tickets WHERE status != 'closed'").pluck().all() as string[];
    desk.services.ws.write({ kind: 'system' }, (tx) => { for (const id of ids) desk.services.sla.recompute(tx, id); });
    const oneByOne = slaColumns(desk);
    // Forget what was stored, then recompute everything in one pass.
    db.prepare(`UPDATE tickets SET sla_policy_id = NULL, first_response_due_at = NULL, next_response_due_at = NULL,
      resolution_due_at = NULL, sla_warn_at = NULL, sla_breach_at = NULL, sla_state = 'none'`).run();
    const recomputed = desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));
    expect(recomputed).toBe(2_301);
    expect(slaColumns(desk)).toEqual(oneByOne);
    const changesBefore = db.prepare('SELECT total_changes()').pluck().get() as number;
    desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
  });

  it('a clock reaching its due moment exactly is not yet breached; a millisecond later the sweep records it', async () => {
    desk = await new TestDesk().setup();
    const t = await desk.call('tickets.create', phoneIntake({ channel: 'email', severity: 3 })); // 2 h / 8 h
    desk.advance(2 * HOUR); // exactly the first-response due moment (Monday 10:00 → 12:00, all business time)
    expect(runSweep(desk.services)?.breaches).toBe(0);
    const atDue = desk.services.ws.db.prepare('SELECT sla_state, sla_breach_at FROM tickets WHERE id = ?').get(t.id);
    expect(atDue).toEqual({ sla_state: 'warning', sla_breach_at: desk.now() });
    desk.advance(1);
    expect(runSweep(desk.services)?.breaches).toBe(1);
    expect(desk.services.ws.db.prepare('SELECT metric FROM sla_breaches WHERE ticket_id = ?').pluck().all(t.id)).toEqual(['first_response']);
  });

  it('editing a policy back and forth records a breach once per due moment, never twice', async () => {
    desk = await new TestDesk().setup();
    await desk.call('tickets.create', phoneIntake({ channel: 'email' })); // 24 h first response
    desk.advance(5 * DAY);
    runSweep(desk.services);
    const count = () => desk.services.ws.db.prepare('SELECT COUNT(*) FROM sla_breaches').pluck().get() as number;
    const recorded = count();
    expect(recorded).toBeGreaterThan(0);
    const shorter = DEFAULT_SLA_CONFIG.policies.map((p) => (p.id === 'ticket-email' ? { ...p, firstResponseMinutes: 600 } : p));
    await desk.signInAgain();
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: shorter });
    const afterEdit = count();
    expect(afterEdit).toBe(recorded + 1); // the first response is now late against a new due moment
    await desk.call('sla.saveConfig', DEFAULT_SLA_CONFIG);
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: shorter });
    expect(count()).toBe(afterEdit);
  });

  it('the sweep finds due tickets through an index, and storing one ticket looks it up by rowid (no scans)', async () => {
    desk = await new TestDesk().setup();
    const db = desk.services.ws.db;
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan(SLA_HOT_QUERIES.dueClocks, 0).join(' | ')).toContain('USING INDEX tickets_sla_next');
    const store = plan(SLA_HOT_QUERIES.storeStaged);
    expect(store.some((d) => /^SCAN tickets\b/.test(d))).toBe(false);
    expect(store.join(' | ')).toContain('SEARCH tickets USING INTEGER PRIMARY KEY');
  });
});
