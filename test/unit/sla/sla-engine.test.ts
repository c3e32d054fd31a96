import { afterEach, describe, expect, it } from 'vitest';
import { runSweep } from '../../../electron/core/host';
import { DEFAULT_SLA_CONFIG } from '../../../electron/shared/sla';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let desk: TestDesk;
afterEach(() => desk?.close());

async function emailTicket(d: TestDesk, overrides: Record<string, unknown> = {}) {
  return d.call('tickets.create', phoneIntake({ channel: 'email', ...overrides }));
}


function slaRow(d: TestDesk, id: string) {
  return d.services.ws.db
    .prepare(`SELECT s.policy_id AS policy, s.first_response_due_at AS firstDue, s.resolution_due_at AS resolutionDue, s.state, s.breached
      FROM tickets t JOIN ticket_sla s ON s.ticket_rowid = t.rowid WHERE t.id = ?`)
    .get(id) as { policy: string; firstDue: number | null; resolutionDue: number; state: string; breached: number };
}

describe('SLA engine in the workspace', () => {
  it('stores the matched policy and due moments when a ticket is created', async () => {
    desk = await new TestDesk().setup(); // Monday 10:00 Mexico City
    const t = await emailTicket(desk);
    const row = slaRow(desk, t.id);
    expect(row.policy).toBe('ticket-email');
    // 24 business hours on Mon–Fri 9–20 (11 h a day): Mon 10:00 + 10 h → Tue 9:00 + 11 h → Wed 9:00 + 3 h = Wed 12:00.
    expect(row.firstDue).toBe(Date.UTC(2026, 2, 4, 18));
  });

  it('a public reply stops the first-response clock; an internal note does not', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk);
    desk.advance(HOUR);
    await desk.call('tickets.note', { ticketId: t.id, body: 'Revisar CSD' });
    expect((await desk.call('tickets.sla', { ticketId: t.id })).metrics.find((m) => m.metric === 'first_response')!.stoppedAt).toBeNull();
    desk.advance(HOUR);
    await desk.call('tickets.reply', { ticketId: t.id, body: 'Estamos revisando' });
    const first = (await desk.call('tickets.sla', { ticketId: t.id })).metrics.find((m) => m.metric === 'first_response')!;
    expect(first.stoppedAt).toBe(desk.now());
    expect(first.elapsedMinutes).toBe(120);
  });

  it('a contact attempt that reached the customer counts as a response; one that did not, does not', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk);
    await desk.call('tickets.contactAttempt', { ticketId: t.id, method: 'phone', reached: false, body: 'No contestó' });
    expect(desk.services.ws.db.prepare('SELECT first_response_at FROM tickets WHERE id = ?').pluck().get(t.id)).toBeNull();
    desk.advance(HOUR);
    await desk.call('tickets.contactAttempt', { ticketId: t.id, method: 'email', reached: true, body: 'Respondió por correo' });
    expect(desk.services.ws.db.prepare('SELECT first_response_at FROM tickets WHERE id = ?').pluck().get(t.id)).toBe(desk.now());
  });

  it('the sweep records a breach once, with a timeline event and an audit entry, after the laptop slept through the due time', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk, { severity: 3 }); // 2 h / 8 h policy
    desk.advance(2 * DAY); // nothing ran meanwhile: only timestamps
    expect(runSweep(desk.services)).toEqual({ breaches: 2, autoClosed: 0, emergencyDisabled: 0 });
    expect(runSweep(desk.services)).toEqual({ breaches: 0, autoClosed: 0, emergencyDisabled: 0 });
    expect(slaRow(desk, t.id)).toMatchObject({ state: 'breached', breached: 1 });
    await desk.signInAgain();
    const kinds = (await desk.call('tickets.get', { ticketId: t.id })).timeline.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'sla_breach')).toHaveLength(2);
    const audits = desk.services.ws.db.prepare("SELECT actor_kind FROM audit_log WHERE action = 'sla.breached'").pluck().all();
    expect(audits).toEqual(['system', 'system']);
  });

  it('editing a policy recomputes the open tickets', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk);
    const before = slaRow(desk, t.id).firstDue;
    const policies = DEFAULT_SLA_CONFIG.policies.map((p) => (p.id === 'ticket-email' ? { ...p, firstResponseMinutes: 60 } : p));
    const saved = await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies });
    expect(saved.recomputed).toBe(1);
    expect(slaRow(desk, t.id).firstDue).toBe(desk.now() + HOUR);
    expect(before).not.toBe(slaRow(desk, t.id).firstDue);
  });

  it('changing a customer\'s plan moves its open tickets to the policy of the new plan; closed ones keep theirs', async () => {
    desk = await new TestDesk().setup();
    const advanced = { ...DEFAULT_SLA_CONFIG.policies.find((p) => p.id === 'ticket-email')!, id: 'advanced-4-8', name: 'Plan avanzado', match: { plans: ['advanced' as const], channels: [], severities: [], priorities: [] }, firstResponseMinutes: 240, resolutionMinutes: 480 };
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: [advanced, ...DEFAULT_SLA_CONFIG.policies] });
    const open = await emailTicket(desk);
    const closed = await emailTicket(desk, { customer: { kind: 'existing', customerId: open.customerId } });
    await desk.call('tickets.close', { ticketId: closed.id, cause: 'Resuelto', solution: 'Se reenvió el XML' });
    expect([slaRow(desk, open.id).policy, slaRow(desk, closed.id).policy]).toEqual(['ticket-email', 'ticket-email']);
    await desk.call('customers.update', { customerId: open.customerId, plan: 'advanced' });
    expect(slaRow(desk, open.id)).toMatchObject({ policy: 'advanced-4-8', firstDue: desk.now() + 4 * HOUR });
    expect(slaRow(desk, closed.id).policy).toBe('ticket-email');
  });

  it('refuses a policy with a zero target or an unknown calendar, and an overlapping shift, saving nothing', async () => {
    desk = await new TestDesk().setup();
    const counts = desk.dataCounts();
    const zero = await desk.fail('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: [{ ...DEFAULT_SLA_CONFIG.policies[0]!, resolutionMinutes: 0 }] });
    expect(zero.fields?.['policies.0.resolutionMinutes']).toBe('sla.zeroTarget');
    const unknown = await desk.fail('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies: [{ ...DEFAULT_SLA_CONFIG.policies[0]!, calendarId: 'nope' }] });
    expect(unknown.fields?.['policies.0.calendarId']).toBe('sla.unknownCalendar');
    const cal = { ...DEFAULT_SLA_CONFIG.calendars[0]!, week: [{ day: 1, start: '09:00', end: '14:00' }, { day: 1, start: '13:00', end: '18:00' }] };
    const overlap = await desk.fail('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, calendars: [cal, ...DEFAULT_SLA_CONFIG.calendars.slice(1)] });
    expect(Object.values(overlap.fields ?? {})).toContain('calendar.overlappingShifts');
    expect(desk.dataCounts()).toEqual(counts);
  });

  it('auto-closes a ticket waiting on the customer for more than 3 natural days, catching up after the app was closed', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk);
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    desk.advance(3 * DAY);
    expect(runSweep(desk.services)?.autoClosed).toBe(0);
    desk.advance(1000);
    expect(runSweep(desk.services)?.autoClosed).toBe(1);
    const row = desk.services.ws.db.prepare('SELECT status, close_cause FROM tickets WHERE id = ?').get(t.id);
    expect(row).toEqual({ status: 'closed', close_cause: 'Sin respuesta del cliente' });
    const audit = desk.services.ws.db.prepare("SELECT actor_kind FROM audit_log WHERE action = 'ticket.autoClosed'").pluck().all();
    expect(audit).toEqual(['system']);
    const notice = desk.services.ws.db.prepare("SELECT recipient FROM notifications WHERE kind = 'auto_closed'").pluck().all();
    expect(notice).toEqual(['facturas@tecnocerro.example.mx']);
  });

  it('counts business days for auto-close when configured: Friday waiting closes after the third business day', async () => {
    desk = await new TestDesk(undefined, Date.UTC(2026, 2, 6, 16)).setup(); // Friday 6 March 10:00
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, autoClose: { enabled: true, days: 3, unit: 'business' } });
    const t = await emailTicket(desk);
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    desk.advance(4 * DAY); // Tuesday 10:00: only Mon and Tue have begun
    expect(runSweep(desk.services)?.autoClosed).toBe(0);
    desk.advance(DAY); // Wednesday 10:00: the third business day has begun
    expect(runSweep(desk.services)?.autoClosed).toBe(1);
    expect(desk.services.ws.db.prepare('SELECT status FROM tickets WHERE id = ?').pluck().get(t.id)).toBe('closed');
  });

  it('a customer reply takes the ticket out of En espera, so it is not auto-closed', async () => {
    desk = await new TestDesk().setup();
    const t = await emailTicket(desk);
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    desk.advance(2 * DAY);
    await desk.signInAgain();
    await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Ya adjunto el XML' });
    desk.advance(2 * DAY);
    expect(runSweep(desk.services)?.autoClosed).toBe(0);
    expect(desk.services.ws.db.prepare('SELECT status FROM tickets WHERE id = ?').pluck().get(t.id)).toBe('open');
  });
});

describe('escalation', () => {
  it('routes severity 3 to Desarrollo through Operación and the answer back down, all in the timeline', async () => {
    desk = await new TestDesk().setup();
    const ops = await desk.userWithRoles('opera', ['operations']);
    const dev = await desk.userWithRoles('desa', ['development']);
    const t = await emailTicket(desk, { severity: 3 });
    expect(t.tier).toBe('service_desk');
    expect((await desk.fail('tickets.moveTier', { ticketId: t.id, toTier: 'development', reason: 'Falla total' })).code).toBe('escalation.notAdjacent');
    expect((await desk.fail('tickets.moveTier', { ticketId: t.id, toTier: 'operations', reason: '' })).fields?.reason).toBe('validation.required');
    const up = await desk.call('tickets.moveTier', { ticketId: t.id, toTier: 'operations', reason: 'Falla del timbrado' });
    expect(up.ticket.tier).toBe('operations');
    expect(up.timeline.at(-1)!.data).toMatchObject({ expectedResponseHours: 8, customerNotice: expect.stringContaining('8 horas hábiles') });
    // The service desk agent no longer works this tier.
    expect((await desk.fail('tickets.moveTier', { ticketId: t.id, toTier: 'development', reason: 'x' })).code).toBe('escalation.notYourTier');
    await desk.call('tickets.moveTier', { ticketId: t.id, toTier: 'development', reason: 'Error de la aplicación' }, ops.token);
    await desk.call('tickets.handBack', { ticketId: t.id, cause: 'Error en el servicio de timbrado', solution: 'Se publicó la corrección 2.4.1' }, dev.token);
    const down = await desk.call('tickets.handBack', { ticketId: t.id, cause: 'Error en el servicio de timbrado', solution: 'Corrección 2.4.1' }, ops.token);
    expect(down.ticket.tier).toBe('service_desk');
    expect((await desk.fail('tickets.handBack', { ticketId: t.id, cause: 'x', solution: 'y' })).code).toBe('escalation.alreadyAtServiceDesk');
    expect(down.timeline.map((e) => e.kind)).toEqual(['created', 'escalated', 'escalated', 'handed_back', 'handed_back']);
    expect(desk.services.ws.db.prepare("SELECT COUNT(*) FROM notifications WHERE kind = 'escalated'").pluck().get()).toBe(2);
  });

  it('the board groups open tickets by tier with counts and live SLA state', async () => {
    desk = await new TestDesk().setup();
    const a = await emailTicket(desk, { severity: 3 });
    await emailTicket(desk, { severity: 1, customer: { kind: 'existing', customerId: a.customerId } });
    await desk.call('tickets.moveTier', { ticketId: a.id, toTier: 'operations', reason: 'Incidente' });
    let board = await desk.call('board.load', {});
    expect(board.columns.map((c) => [c.tier, c.count])).toEqual([['service_desk', 1], ['operations', 1], ['development', 0]]);
    expect(board.columns[1]!.cards[0]!.slaState).toBe('ok');
    const version = await desk.call('board.version', {});
    desk.advance(3 * HOUR);
    board = await desk.call('board.load', { severity: [3] });
    expect(board.columns.map((c) => c.count)).toEqual([0, 1, 0]);
    expect(board.columns[1]!.cards[0]!.slaState).toBe('breached');
    await desk.call('tickets.note', { ticketId: a.id, body: 'Revisando' });
    expect(await desk.call('board.version', {})).not.toBe(version);
  });
  it('the board returns each column in urgency order, computed in core: overdue (longest first), then least time left, then paused', async () => {
    desk = await new TestDesk().setup(); // Monday 10:00
    const first = await emailTicket(desk, { severity: 3, subject: 'Primero vencido' }); // 2 h first response
    const customer = { kind: 'existing', customerId: first.customerId };
    desk.advance(HOUR);
    const second = await emailTicket(desk, { severity: 3, customer, subject: 'Segundo vencido' });
    const paused = await emailTicket(desk, { severity: 3, customer, subject: 'En espera' });
    await desk.call('tickets.setStatus', { ticketId: paused.id, status: 'waiting', waitingOn: 'customer' });
    const slow = await emailTicket(desk, { severity: 1, customer, subject: 'Holgado' });
    desk.advance(3 * HOUR); // `first` and `second` breached their first response; `first` an hour earlier
    // A reply to `second` records its breach and stops its first-response clock: its running deadline is now
    // the later resolution one, yet it is overdue since its first missed deadline. No sweep ran since `first`
    // breached: its breach is not recorded yet, and it has still been overdue the longest.
    await desk.call('tickets.reply', { ticketId: second.id, body: 'Estamos revisando' });
    const fresh = await emailTicket(desk, { severity: 3, customer, subject: 'Recién llegado' }); // 2 h left
    const cards = (await desk.call('board.load', {})).columns[0]!.cards;
    expect(cards.map((c) => c.id)).toEqual([first.id, second.id, fresh.id, slow.id, paused.id]);
    // The cards a column leaves out for its size are the least urgent ones.
    const two = (await desk.call('board.load', { perColumn: 2 })).columns[0]!.cards;
    expect(two.map((c) => c.id)).toEqual([first.id, second.id]);
  });
});
