import { afterEach, describe, expect, it, vi } from 'vitest';
import { openHost, runSweep } from '../../../electron/core/host';
import { policiesToRecompute, SLA_HOT_QUERIES } from '../../../electron/core/sla';
import type { WriteTx } from '../../../electron/core/workspace';
import { DEFAULT_SLA_CONFIG, FALLBACK_POLICY, type SlaPolicy } from '../../../electron/shared/sla';
import { manyOpenTickets, phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SLA_COLUMNS = 's.open, s.policy_id, s.first_response_due_at, s.next_response_due_at, s.resolution_due_at, s.warn_at, s.breach_at, s.state, s.breached, s.recorded';
let desk: TestDesk;
afterEach(() => desk?.close());

function stored(d: TestDesk, ticketId: string): { first_response_due_at: number; recorded: number } {
  return d.services.ws.db.prepare('SELECT s.* FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid WHERE t.id = ?').get(ticketId) as { first_response_due_at: number; recorded: number };
}

function slaColumns(d: TestDesk): unknown[] {
  return d.services.ws.db.prepare(`SELECT t.id, ${SLA_COLUMNS} FROM tickets t JOIN ticket_sla s ON s.ticket_rowid = t.rowid ORDER BY t.id`).raw().all();
}

describe('recomputing the SLA of every open ticket', () => {
  it('stores, in steps of 2,000 tickets, exactly what each ticket computed on its own; a second pass writes nothing', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 2_300); // more than one step
    desk.advance(HOUR);
    const db = desk.services.ws.db;
    // Each ticket alone, through the single-ticket path.
    const ids = db.prepare("SELECT id FROM tickets WHERE status != 'closed'").pluck().all() as string[];
    desk.services.ws.write({ kind: 'system' }, (tx) => { for (const id of ids) desk.services.sla.recompute(tx, id); });
    const oneByOne = slaColumns(desk);
    // Forget what was stored, then recompute everything in one pass.
    db.prepare(`UPDATE ticket_sla SET policy_id = NULL, first_response_due_at = NULL, next_response_due_at = NULL,
      resolution_due_at = NULL, warn_at = NULL, breach_at = NULL, state = 'none'`).run();
    const recomputed = desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));
    expect(recomputed).toBe(2_301);
    expect(slaColumns(desk)).toEqual(oneByOne);
    const changesBefore = db.prepare('SELECT total_changes()').pluck().get() as number;
    desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
  });

  it('a recompute that moves most tickets builds the sweep index anew at its end, as the migration made it; one that moves few keeps it', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 2_300);
    const db = desk.services.ws.db;
    const sweepIndex = () => db.prepare("SELECT sql FROM sqlite_master WHERE name = 'ticket_sla_next'").pluck().get();
    const schemaVersion = () => db.pragma('schema_version', { simple: true }) as number;
    const migrated = sweepIndex();
    const dueNow = () => db.prepare(`SELECT COUNT(*) FROM ticket_sla INDEXED BY ticket_sla_next
      WHERE open AND coalesce(min(warn_at, breach_at), warn_at, breach_at) < ?`).pluck().get(desk.now()) as number;
    const recompute = () => desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));

    // Nothing moved: the index is left as it is.
    let version = schemaVersion();
    recompute();
    expect(schemaVersion()).toBe(version);
    // Every stored moment is forgotten, so every row changes: dropped and built again in the same transaction.
    db.prepare('UPDATE ticket_sla SET warn_at = NULL, breach_at = NULL').run();
    version = schemaVersion();
    recompute();
    expect(schemaVersion()).toBeGreaterThan(version);
    expect(sweepIndex()).toBe(migrated);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok'); // the index holds every open row's moment
    // The sweep finds through it every ticket whose moment has passed.
    desk.advance(3 * DAY);
    const due = dueNow();
    expect(due).toBe(db.prepare(`SELECT COUNT(*) FROM ticket_sla NOT INDEXED
      WHERE open AND coalesce(min(warn_at, breach_at), warn_at, breach_at) < ?`).pluck().get(desk.now()));
    expect(due).toBeGreaterThan(1_000); // all but the paused (waiting) ones and those with no running clock
    // One ticket changes: its row is kept current in the index, no rebuild.
    await desk.signInAgain();
    const ticketId = db.prepare("SELECT id FROM tickets WHERE status = 'open' AND first_response_at IS NULL LIMIT 1").pluck().get() as string;
    const before = stored(desk, ticketId);
    version = schemaVersion();
    await desk.call('tickets.reply', { ticketId, body: 'Le respondemos' });
    expect(stored(desk, ticketId)).not.toEqual(before);
    expect(schemaVersion()).toBe(version);
    expect(dueNow()).toBe(due - 1); // its breached first-response clock ended; its resolution clock is not due yet
  });

  it('a clock reaching its due moment exactly is not yet breached; a millisecond later the sweep records it', async () => {
    desk = await new TestDesk().setup();
    const t = await desk.call('tickets.create', phoneIntake({ channel: 'email', severity: 3 })); // 2 h / 8 h
    desk.advance(2 * HOUR); // exactly the first-response due moment (Monday 10:00 → 12:00, all business time)
    expect(runSweep(desk.services)?.breaches).toBe(0);
    const atDue = desk.services.ws.db.prepare('SELECT s.state, s.breach_at FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid WHERE t.id = ?').get(t.id);
    expect(atDue).toEqual({ state: 'warning', breach_at: desk.now() });
    desk.advance(1);
    expect(runSweep(desk.services)?.breaches).toBe(1);
    expect(desk.services.ws.db.prepare('SELECT metric FROM sla_breaches WHERE ticket_id = ?').pluck().all(t.id)).toEqual(['first_response']);
  });

  it('a policy edit recomputes only the tickets under the changed policies, leaving nothing a full recompute would change', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 300);
    desk.advance(HOUR);
    const db = desk.services.ws.db;
    const under = (policy: string) => db.prepare('SELECT COUNT(*) FROM ticket_sla WHERE open AND policy_id = ?').pluck().get(policy) as number;
    const emailTickets = under('ticket-email');
    expect(emailTickets).toBeGreaterThan(0);
    expect(emailTickets).toBeLessThan(301);
    await desk.signInAgain();
    const edited = DEFAULT_SLA_CONFIG.policies.map((p) => (p.id === 'ticket-email' ? { ...p, resolutionMinutes: 36 * 60 } : p));
    expect((await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: edited })).recomputed).toBe(emailTickets);
    // The rest were already right: a full recompute at the same moment writes nothing.
    const changesBefore = db.prepare('SELECT total_changes()').pluck().get() as number;
    desk.services.ws.write({ kind: 'system' }, (tx) => desk.services.sla.recomputeOpen(tx));
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
    // Only the auto-close rule changed: no clock moves.
    expect((await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: edited, autoClose: { enabled: true, days: 5, unit: 'natural' } })).recomputed).toBe(0);
  });

  it('the sweep catches up in steps of at most N tickets each, and the steps add up to the whole catch-up', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 24); // 25 open tickets, a fifth of them waiting on the customer
    desk.advance(4 * DAY); // every clock breached; the waiting ones are past the 3-day auto-close
    const s = desk.services;
    const close = (tx: WriteTx, id: string, cause: string, solution: string) => s.tickets.closeInTx(tx, id, cause, solution);
    const steps: Array<{ breaches: number; autoClosed: number; more: boolean }> = [];
    do steps.push(s.sla.sweep(close, 10)); while (steps.at(-1)!.more);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.every((step) => step.autoClosed <= 10)).toBe(true);
    const recorded = s.ws.db.prepare('SELECT COUNT(*) FROM sla_breaches').pluck().get();
    expect(steps.reduce((n, step) => n + step.breaches, 0)).toBe(recorded);
    expect(steps.reduce((n, step) => n + step.autoClosed, 0)).toBe(5);
    // Caught up: nothing is left for another sweep.
    expect(s.sla.sweep(close, 10)).toEqual({ breaches: 0, autoClosed: 0, more: false });
    expect(s.ws.db.prepare("SELECT COUNT(*) FROM ticket_sla WHERE open AND coalesce(min(warn_at, breach_at), warn_at, breach_at) < ?").pluck().get(desk.now())).toBe(0);
  });

  it('opening the app after days asleep catches up in background steps: the open returns before the catch-up ends', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 2_600); // ~2,100 running clocks: more due tickets than two sweep steps
    const dataDir = desk.dataDir;
    desk.host.close();
    const later = desk.now() + 5 * DAY;
    // Closed in the middle of its catch-up, a host stops quietly (no step runs on the closed file).
    const errors = vi.spyOn(console, 'error');
    openHost({ dataDir, now: () => later, sweepIntervalMs: 0 }).close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    const host = openHost({ dataDir, now: () => later, sweepIntervalMs: 0 });
    try {
      const db = host.services()!.ws.db;
      const due = () => db.prepare('SELECT COUNT(*) FROM ticket_sla WHERE open AND coalesce(min(warn_at, breach_at), warn_at, breach_at) < ?').pluck().get(later) as number;
      expect(due()).toBeGreaterThan(0); // only the first step ran inside openHost
      expect(db.prepare('SELECT COUNT(*) FROM sla_breaches').pluck().get()).toBeGreaterThan(0);
      expect((await host.call('app.status', {}, null)).ok).toBe(true);
      // Every ticket waiting on the customer has waited 5 days: the catch-up ends when all are closed too.
      const waiting = () => db.prepare("SELECT COUNT(*) FROM tickets WHERE status = 'waiting'").pluck().get() as number;
      expect(waiting()).toBeGreaterThan(0);
      for (let waited = 0; due() + waiting() > 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect([due(), waiting()]).toEqual([0, 0]);
      expect(runSweep(host.services()!)).toEqual({ breaches: 0, autoClosed: 0, emergencyDisabled: 0 }); // nothing was left behind
    } finally {
      host.close();
    }
  });

  it('a clock breaches once: editing its policy back and forth moves the due moment but records nothing again', async () => {
    desk = await new TestDesk().setup();
    const t = await desk.call('tickets.create', phoneIntake({ channel: 'email' })); // 24 h first response, 48 h resolution
    desk.advance(5 * DAY);
    runSweep(desk.services);
    const breaches = () => desk.services.ws.db.prepare('SELECT metric, due_at FROM sla_breaches WHERE ticket_id = ? ORDER BY metric').raw().all(t.id) as Array<[string, number]>;
    const recorded = breaches();
    expect(recorded.map((b) => b[0])).toEqual(['first_response', 'resolution']);
    const shorter = DEFAULT_SLA_CONFIG.policies.map((p) => (p.id === 'ticket-email' ? { ...p, firstResponseMinutes: 600 } : p));
    await desk.signInAgain();
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: shorter });
    expect(stored(desk, t.id).first_response_due_at).toBeLessThan(recorded[0]![1]); // the due moment moved…
    await desk.call('sla.saveConfig', DEFAULT_SLA_CONFIG);
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: shorter });
    expect(breaches()).toEqual(recorded); // …and the breach stays the one recorded
  });

  it('each next-response clock (a customer message awaiting a reply) can breach, once', async () => {
    desk = await new TestDesk().setup();
    const t = await desk.call('tickets.create', phoneIntake({ channel: 'email', severity: 3 })); // 2 h first and next response
    await desk.call('tickets.reply', { ticketId: t.id, body: 'Revisamos su caso' });
    const nextResponseBreaches = () => desk.services.ws.db
      .prepare("SELECT COUNT(*) FROM sla_breaches WHERE ticket_id = ? AND metric = 'next_response'").pluck().get(t.id) as number;
    for (const round of [1, 2]) {
      await desk.call('tickets.customerMessage', { ticketId: t.id, body: `Sigue fallando (${round})` });
      desk.advance(3 * HOUR);
      runSweep(desk.services);
      runSweep(desk.services);
      expect(nextResponseBreaches()).toBe(round);
      expect(stored(desk, t.id).recorded & 2).toBe(2);
      await desk.signInAgain();
      await desk.call('tickets.reply', { ticketId: t.id, body: 'Le respondemos' });
      expect(stored(desk, t.id).recorded & 2).toBe(0); // that clock ended; the next message starts a new one
    }
  });

  it('the sweep and the recompute steps find tickets through indexes, and storing reads no table (no scans)', async () => {
    desk = await new TestDesk().setup();
    const db = desk.services.ws.db;
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    const due = plan(SLA_HOT_QUERIES.dueClocks, 0, 10).join(' | ');
    expect(due).toContain('USING INDEX ticket_sla_next');
    expect(due).not.toMatch(/SCAN (t|s|ticket_sla|tickets)\b|TEMP B-TREE/); // found and ordered by the index
    const steps = plan(SLA_HOT_QUERIES.openClocksAfter, 0, 10).join(' | ');
    expect(steps).toContain('USING INDEX ticket_sla_open (ticket_rowid>?)');
    expect(steps).not.toMatch(/SCAN (t|s|ticket_sla|tickets)\b/);
    const ofPolicies = plan(SLA_HOT_QUERIES.openClocksOfPoliciesAfter, 0, '["ticket-email"]', 10).join(' | ');
    expect(ofPolicies).toContain('USING INDEX ticket_sla_open (ticket_rowid>?)');
    expect(ofPolicies).not.toMatch(/SCAN (t|s|ticket_sla|tickets)\b/);
    expect(plan(SLA_HOT_QUERIES.waitingOnCustomerSince, 0).join(' | ')).toContain('USING INDEX tickets_waiting_customer_since');
    const store = plan(SLA_HOT_QUERIES.storeBatch, ...Array<null>(SLA_HOT_QUERIES.storeBatch.split('?').length - 1).fill(null));
    expect(store).toEqual(['SCAN 100-ROW VALUES CLAUSE']); // only the bound rows; ticket_sla is written by primary key
  });
});

describe('which open tickets a configuration change moves', () => {
  const config = DEFAULT_SLA_CONFIG;
  const withPolicy = (id: string, change: Partial<SlaPolicy>) => ({ ...config, policies: config.policies.map((p) => (p.id === id ? { ...p, ...change } : p)) });

  it('none when only the name of a policy, the auto-close rule or the template changed', () => {
    expect(policiesToRecompute(config, withPolicy('ticket-email', { name: 'Correo' }))).toEqual([]);
    expect(policiesToRecompute(config, { ...config, autoClose: { enabled: false, days: 3, unit: 'natural' }, escalationTemplate: 'Otro {{tier}}' })).toEqual([]);
  });

  it('the tickets of a policy whose targets changed, or of every policy (and the fallback) on a changed calendar', () => {
    expect(policiesToRecompute(config, withPolicy('ticket-email', { warningPercent: 80 }))).toEqual(['ticket-email']);
    const support = config.calendars.find((c) => c.id === 'support')!;
    const calendars = config.calendars.map((c) => (c.id === 'support' ? { ...c, holidays: { ...support.holidays, extra: ['2026-12-24'] } } : c));
    const onSupport = [...config.policies, FALLBACK_POLICY].filter((p) => p.calendarId === 'support').map((p) => p.id);
    expect(onSupport).toContain('fallback');
    expect(policiesToRecompute(config, { ...config, calendars })).toEqual(onSupport);
  });

  it('every open ticket when the matching changed: policies reordered, criteria edited, a policy or a calendar added', () => {
    expect(policiesToRecompute(config, { ...config, policies: [...config.policies].reverse() })).toBeNull();
    expect(policiesToRecompute(config, withPolicy('ticket-email', { match: { plans: ['advanced'], channels: [], severities: [], priorities: [] } }))).toBeNull();
    expect(policiesToRecompute(config, { ...config, policies: config.policies.slice(1) })).toBeNull();
    expect(policiesToRecompute(config, { ...config, calendars: [...config.calendars, { ...config.calendars[0]!, id: 'otro' }] })).toBeNull();
  });
});
