import { describe, it, expect } from 'vitest';
import { NEWEST_UNREAD_SQL, pageSql, UNREAD_COUNT_SQL } from '../../../electron/core/notifications/inbox';
import type { NotificationItem } from '../../../electron/shared/notifications';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool, implementing, inReview, lastAudit, makeWorld } from '../requests/helpers';

/**
 * Notifications in the app (issue 14), on real SQLite files through the real dispatcher: each kind
 * is written with the event that causes it, to the people it concerns and never to the actor;
 * preferences turn a kind off; nobody reads or marks another user's notifications.
 */
const desks = deskPool();

async function mine(desk: TestDesk, token: string): Promise<NotificationItem[]> {
  return (await desk.call('notifications.list', {}, token)).rows;
}

/** Another ticket of the first ticket's customer (an RFC registers one customer). */
async function another(desk: TestDesk, first: { id: string } | null, subject: string): Promise<{ id: string; trackingNumber: string }> {
  if (!first) return desk.call('tickets.create', phoneIntake({ subject }));
  const customerId = (await desk.call('tickets.get', { ticketId: first.id })).ticket.customerId;
  return desk.call('tickets.create', { ...phoneIntake({ subject }), customer: { kind: 'existing', customerId } } as never);
}

function rowCount(desk: TestDesk): number {
  return desk.services.ws.db.prepare('SELECT count(*) FROM user_notifications').pluck().get() as number;
}

describe('notifications: who is told what', () => {
  it('assigned: the assignee is told, with the folio and subject only; assigning oneself tells nobody', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const me = await desk.call('auth.me', {});
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    const rows = await mine(desk, agent.token);
    expect(rows).toEqual([expect.objectContaining({
      kind: 'assigned', entity: 'ticket', entityId: t.id, folio: t.trackingNumber, title: 'No puede timbrar facturas',
      data: {}, actorName: 'Ana Administradora', readAt: null,
    })]);
    expect(await desk.call('notifications.unreadCount', {}, agent.token)).toEqual({ count: 1, capped: false, newestId: rows[0]!.id });
    // The agent takes another ticket himself: his own action, no notification.
    const t2 = await another(desk, t, 'Otro problema');
    await desk.call('tickets.assign', { ticketId: t2.id, assigneeId: agent.id }, agent.token);
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: me.id });
    expect(await mine(desk, agent.token)).toHaveLength(1);
    expect(await mine(desk, desk.token!)).toHaveLength(0);
  });

  it('escalated: everyone of the tier reached is told (up and handed back down), never the one who moved it', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const agent2 = await desk.userWithRoles('agente-dos', ['agent']);
    const ops = await desk.userWithRoles('operador', ['operations']);
    const ops2 = await desk.userWithRoles('operadora', ['operations']);
    const dev = await desk.userWithRoles('desarrollo', ['development']);
    const t = await desk.call('tickets.create', phoneIntake({ severity: 2 }), agent.token);
    await desk.call('tickets.moveTier', { ticketId: t.id, toTier: 'operations', reason: 'Falla en timbrado' }, agent.token);
    for (const who of [ops, ops2]) {
      expect(await mine(desk, who.token)).toEqual([expect.objectContaining({ kind: 'escalated', folio: t.trackingNumber, data: { tier: 'operations', direction: 'up' } })]);
    }
    expect(await mine(desk, dev.token)).toEqual([]);
    await desk.call('tickets.handBack', { ticketId: t.id, cause: 'Certificado vencido', solution: 'Renovar el CSD' }, ops.token);
    expect(await mine(desk, agent.token)).toEqual([expect.objectContaining({ kind: 'escalated', data: { tier: 'service_desk', direction: 'down' } })]);
    expect(await mine(desk, agent2.token)).toHaveLength(1);
    // The operator who handed it back got nothing for it.
    expect((await mine(desk, ops.token)).map((n) => n.kind)).toEqual(['escalated']);
  });

  it('customer_message: the assignee is told when someone else records what the customer wrote', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Adjunto la captura del error 301' });
    await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Lo registro yo mismo' }, agent.token);
    const rows = await mine(desk, agent.token);
    expect(rows.map((n) => n.kind)).toEqual(['customer_message', 'assigned']);
    // Only the folio and subject: the customer's words are in the ticket, not in the notification.
    expect(JSON.stringify(rows)).not.toContain('301');
  });

  it('approval: a request sent to review tells each approver role, not its registrant, once per request', async () => {
    const desk = await desks.ready();
    const w = await makeWorld(desk);
    const both = await desk.userWithRoles('doble', ['information_owner', 'security_officer']);
    const req = await inReview(w);
    for (const who of [w.cast.owner, w.cast.officer]) {
      expect(await mine(desk, who.token)).toEqual([expect.objectContaining({
        kind: 'approval', entity: 'change_request', entityId: req.id, folio: w.ticket.trackingNumber, title: '',
      })]);
    }
    expect(await mine(desk, both.token)).toHaveLength(1);
    expect(await mine(desk, w.cast.agent.token)).toEqual([]);
    // The IT head approves only credit-package changes.
    expect(await mine(desk, w.cast.itHead.token)).toEqual([]);
  });

  it('emergency_review: a finished emergency session tells the security officers, once per account', async () => {
    const desk = await desks.ready();
    const w = await makeWorld(desk);
    const officer2 = await desk.userWithRoles('oficial-dos', ['security_officer']);
    const { created, token } = await implementing(w);
    await desk.call('auth.signOut', {}, token);
    const rows = await mine(desk, w.cast.officer.token);
    expect(rows.filter((n) => n.kind === 'emergency_review')).toEqual([expect.objectContaining({
      entity: 'emergency_account', entityId: created.account.id, folio: w.ticket.trackingNumber,
    })]);
    expect((await mine(desk, officer2.token)).filter((n) => n.kind === 'emergency_review')).toHaveLength(1);
    // The expiry sweep later finds nothing more to say about it.
    desk.advance(3 * 60 * 60_000);
    desk.services.emergency.sweep();
    expect((await mine(desk, officer2.token)).filter((n) => n.kind === 'emergency_review')).toHaveLength(1);
  });

  it('emergency_review: the officer who revokes an account is not told; the other officers are', async () => {
    const desk = await desks.ready();
    const w = await makeWorld(desk);
    const officer2 = await desk.userWithRoles('oficial-dos', ['security_officer']);
    const { created } = await implementing(w);
    await desk.call('emergency.revoke', { accountId: created.account.id, comment: 'Ya no se necesita' }, w.cast.officer.token);
    expect((await mine(desk, w.cast.officer.token)).filter((n) => n.kind === 'emergency_review')).toEqual([]);
    expect((await mine(desk, officer2.token)).filter((n) => n.kind === 'emergency_review')).toHaveLength(1);
  });

  it('sla_warning: the sweep tells the assignee once per clock, however often it runs', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const t = await desk.call('tickets.create', phoneIntake({ channel: 'email' }));
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    const s = desk.services;
    const close = (tx: Parameters<typeof s.tickets.closeInTx>[0], id: string, cause: string, solution: string) => s.tickets.closeInTx(tx, id, cause, solution);
    const warnings = () => s.ws.db.prepare("SELECT data FROM user_notifications WHERE kind = 'sla_warning' AND recipient_id = ?").pluck().all(agent.id) as string[];
    let hours = 0;
    while (warnings().length === 0 && hours < 24 * 10) {
      desk.advance(30 * 60_000);
      hours += 0.5;
      s.sla.sweep(close);
    }
    expect(warnings()).toEqual([JSON.stringify({ metric: 'first_response' })]);
    for (let i = 0; i < 3; i++) s.sla.sweep(close);
    await desk.signInAgain();
    await desk.call('tickets.note', { ticketId: t.id, body: 'Revisando' });
    expect(warnings()).toHaveLength(1);
    expect((await desk.call('tickets.sla', { ticketId: t.id })).state).toBe('warning');
  });
});

describe('notifications: preferences, reading, permissions', () => {
  it('a kind turned off is not written; the change is audited with what changed; turned on again it is', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const prefs = await desk.call('notifications.setPreferences', { assigned: false }, agent.token);
    expect(prefs).toMatchObject({ assigned: false, escalated: true, customer_message: true, approval: true, sla_warning: true, emergency_review: true });
    expect(lastAudit(desk, 'notification.preferencesChanged')).toMatchObject({
      actorId: agent.id, entity: 'user', entityId: agent.id, parsed: { assigned: { from: true, to: false } },
    });
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    expect(await mine(desk, agent.token)).toEqual([]);
    await desk.call('notifications.setPreferences', { assigned: true }, agent.token);
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: null });
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    expect(await mine(desk, agent.token)).toHaveLength(1);
    expect(await desk.call('notifications.preferences', {}, agent.token)).toMatchObject({ assigned: true });
  });

  it('bad preferences input is refused with a field message and writes nothing', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const before = desk.dataCounts();
    expect((await desk.fail('notifications.setPreferences', {}, agent.token)).code).toBe('validation.failed');
    expect((await desk.fail('notifications.setPreferences', { assigned: 'no' }, agent.token)).fields).toEqual({ assigned: 'validation.invalid' });
    expect((await desk.fail('notifications.setPreferences', { everything: false }, agent.token)).code).toBe('validation.failed');
    expect((await desk.fail('notifications.markRead', { notificationId: 'abc' }, agent.token)).fields).toEqual({ notificationId: 'validation.invalid' });
    expect(desk.dataCounts()).toEqual(before);
    expect(desk.services.ws.db.prepare('SELECT count(*) FROM notification_preferences').pluck().get()).toBe(0);
  });

  it('one user can neither list nor mark read another user’s notifications', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const other = await desk.userWithRoles('otra', ['agent']);
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    const [n] = await mine(desk, agent.token);
    expect(await mine(desk, other.token)).toEqual([]);
    expect(await desk.fail('notifications.markRead', { notificationId: n!.id }, other.token)).toEqual({ code: 'notifications.notFound' });
    expect((await desk.call('notifications.markAllRead', {}, other.token)).count).toBe(0);
    expect((await desk.call('notifications.unreadCount', {}, agent.token)).count).toBe(1);
    expect(await desk.fail('notifications.list', {}, null)).toEqual({ code: 'auth.required' });
  });

  it('mark one read, mark all read: the count follows, each write audited; the unread-only list pages by cursor', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    let original: { id: string } | null = null;
    for (let i = 0; i < 5; i++) {
      const t = await another(desk, original, `Problema ${i}`);
      original ??= t;
      desk.advance(1000);
      await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    }
    const first = await desk.call('notifications.list', { limit: 2 }, agent.token);
    expect(first.rows.map((r) => r.title)).toEqual(['Problema 4', 'Problema 3']);
    const second = await desk.call('notifications.list', { limit: 2, cursor: first.nextCursor! }, agent.token);
    expect(second.rows.map((r) => r.title)).toEqual(['Problema 2', 'Problema 1']);
    const third = await desk.call('notifications.list', { limit: 2, cursor: second.nextCursor! }, agent.token);
    expect(third).toMatchObject({ rows: [expect.objectContaining({ title: 'Problema 0' })], nextCursor: null });

    expect(await desk.call('notifications.markRead', { notificationId: first.rows[0]!.id }, agent.token)).toMatchObject({ count: 4, newestId: first.rows[1]!.id });
    expect(lastAudit(desk, 'notification.read')).toMatchObject({ actorId: agent.id, entityId: first.rows[0]!.id, parsed: { notificationKind: 'assigned' } });
    const unread = await desk.call('notifications.list', { unreadOnly: true, limit: 3 }, agent.token);
    expect(unread.rows.map((r) => r.title)).toEqual(['Problema 3', 'Problema 2', 'Problema 1']);
    expect(await desk.call('notifications.markAllRead', {}, agent.token)).toEqual({ count: 0, capped: false, newestId: null });
    expect(lastAudit(desk, 'notification.allRead')).toMatchObject({ actorId: agent.id, parsed: { count: 4 } });
    // Nothing left to mark: no write, no audit entry.
    const entries = desk.counts().audit_log;
    await desk.call('notifications.markAllRead', {}, agent.token);
    await desk.call('notifications.markRead', { notificationId: first.rows[0]!.id }, agent.token);
    expect(desk.counts().audit_log).toBe(entries);
  });
});

describe('notifications: query plans', () => {
  it('the unread count and the newest unread are one range of the partial index; pages walk an index without sorting', async () => {
    const desk = await desks.ready();
    const db = desk.services.ws.db;
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(sql.split('?').length - 1).fill(1)) as Array<{ detail: string }>).map((r) => r.detail);
    // A search of one range, cut at the bound: at most 100 entries read, whatever the history.
    expect(plan(UNREAD_COUNT_SQL).join('\n')).toMatch(/SEARCH user_notifications USING (COVERING )?INDEX user_notifications_unread \(recipient_id=\?\)/);
    expect(UNREAD_COUNT_SQL).toContain('LIMIT 100');
    expect(plan(NEWEST_UNREAD_SQL).join('\n')).toMatch(/SEARCH user_notifications USING (COVERING )?INDEX user_notifications_unread \(recipient_id=\?\)/);
    for (const unreadOnly of [false, true]) {
      for (const withCursor of [false, true]) {
        const details = plan(pageSql(unreadOnly, withCursor));
        expect(details.join('\n')).toMatch(new RegExp(`SEARCH n USING INDEX ${unreadOnly ? 'user_notifications_unread' : 'user_notifications_recipient'} \\(recipient_id=\\?`));
        expect(details.filter((d) => /TEMP B-TREE|SCAN n\b/.test(d))).toEqual([]);
      }
    }
    expect(plan(NEWEST_UNREAD_SQL).filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);
    expect(rowCount(desk)).toBe(0);
  });
});
