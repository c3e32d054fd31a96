import { describe, expect, it } from 'vitest';
import { outboxPayload, PAYLOAD_TEXT_SQL, ROW_REFERENCE, storedPayload } from '../../../electron/core/sync/outbox-payload';
import { compactPayload } from '../../../electron/core/workspace';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from './helpers';

const desks = deskPool();
const MINUTE = 60_000;

interface OutboxRow { seq: number; hlc: string; entity: string; entityId: string; op: string; payload: Record<string, unknown>; pushSeq: number | null }

function outbox(desk: TestDesk, entityId?: string): OutboxRow[] {
  const rows = desk.services.ws.db.prepare(
    'SELECT seq, hlc, entity, entity_id AS entityId, op, payload, push_seq AS pushSeq FROM outbox ORDER BY seq',
  ).all() as Array<Omit<OutboxRow, 'payload'> & { payload: string }>;
  return rows.filter((r) => entityId === undefined || r.entityId === entityId).map((r) => ({ ...r, payload: outboxPayload(desk.services.ws.db, r) }));
}

/** A ticket with replies, a wait and a resume, a minute apart: many updates of the same fields. */
async function busyTicket(desk: TestDesk): Promise<string> {
  const t = await desk.call('tickets.create', phoneIntake());
  for (const step of [
    () => desk.call('tickets.reply', { ticketId: t.id, body: 'Primera respuesta al cliente' }),
    () => desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' }),
    () => desk.call('tickets.setStatus', { ticketId: t.id, status: 'open' }),
    () => desk.call('tickets.note', { ticketId: t.id, body: 'Nota interna' }),
    () => desk.call('tickets.reply', { ticketId: t.id, body: 'Segunda respuesta al cliente' }),
  ]) {
    desk.advance(MINUTE);
    await step();
  }
  return t.id;
}

describe('outbox compaction', () => {
  it('keeps, while unsent, each field of a row once: its last value, in the record and HLC of the change that set it', async () => {
    const desk = await desks.ready();
    const id = await busyTicket(desk);
    const updates = outbox(desk, id).filter((r) => r.op === 'update');
    const fields = updates.flatMap((r) => Object.keys(r.payload));
    expect(fields.length).toBe(new Set(fields).size);
    const ticket = desk.services.ws.db.prepare('SELECT status, waiting_on AS waitingOn, updated_at AS updatedAt FROM tickets WHERE id = ?').get(id) as Record<string, unknown>;
    const last = Object.assign({}, ...updates.map((r) => r.payload)) as Record<string, unknown>;
    expect(last).toMatchObject({ status: 'open', waitingOn: null, updatedAt: ticket.updatedAt });
    expect(ticket).toMatchObject({ status: 'open', waitingOn: null });
    // updatedAt was set last by the second reply: its record is the newest and carries the newest HLC of the ticket.
    const newest = outbox(desk).filter((r) => r.entityId === id || (r.entity === 'ticket_event' && r.payload.ticketId === id)).at(-1)!;
    expect(updates.at(-1)).toEqual(newest);
    expect(updates.at(-1)!.payload).toEqual({ updatedAt: desk.now() });
    // The status record is the resume's (two minutes before the note and the last reply), not a later one.
    const status = updates.find((r) => 'status' in r.payload)!;
    expect(status.hlc < updates.at(-1)!.hlc).toBe(true);
  });

  it('never touches inserts (the ticket, its timeline events) nor records numbered for a push', async () => {
    const desk = await desks.ready();
    const id = await busyTicket(desk);
    const events = desk.services.ws.db.prepare('SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?').pluck().get(id) as number;
    expect(outbox(desk).filter((r) => r.entity === 'ticket_event' && r.payload.ticketId === id)).toHaveLength(events);
    expect(outbox(desk, id).filter((r) => r.op === 'insert')).toHaveLength(1);

    desk.services.ws.db.prepare('UPDATE outbox SET push_seq = seq').run();
    const sent = outbox(desk);
    desk.advance(MINUTE);
    await desk.call('tickets.reply', { ticketId: id, body: 'Tercera respuesta' });
    expect(outbox(desk).slice(0, sent.length)).toEqual(sent);
  });

  it('finds earlier unsent updates through its own index', async () => {
    const desk = await desks.ready();
    const plan = desk.services.ws.db.prepare(
      "EXPLAIN QUERY PLAN SELECT seq, payload FROM outbox WHERE entity = ? AND entity_id = ? AND seq < ? AND push_seq IS NULL AND op = 'update'",
    ).all('ticket', 'x', 10) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('outbox_unsent_updates');
  });

  it('compactPayload drops superseded fields, says when nothing changed, and when nothing is left', () => {
    const values = { status: 'waiting', waitingOn: 'customer', updatedAt: 1 };
    expect(compactPayload(values, ['assigneeId'])).toBe(values);
    expect(compactPayload(values, ['status', 'updatedAt'])).toEqual({ waitingOn: 'customer' });
    expect(compactPayload(values, ['status', 'waitingOn', 'updatedAt', 'tier'])).toBeNull();
  });
});

describe('timeline events do not repeat the ticket row', () => {
  it("stores the 'created' event without the tracking number and channel, and still shows them", async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    const stored = desk.services.ws.db.prepare("SELECT data FROM ticket_events WHERE ticket_id = ? AND kind = 'created'").pluck().get(t.id) as string;
    expect(JSON.parse(stored)).toEqual({ severity: t.severity, tier: 'service_desk' });
    const detail = await desk.call('tickets.get', { ticketId: t.id });
    expect(detail.timeline[0]!.data).toEqual({ trackingNumber: t.trackingNumber, channel: t.channel, severity: t.severity, tier: 'service_desk' });
  });
});

describe('the outbox does not copy rows that never change', () => {
  it("stores no copy of a timeline event's or a customer notice's text, and reads back exactly what the command wrote", async () => {
    const desk = await desks.ready();
    const id = await busyTicket(desk);
    const db = desk.services.ws.db;
    const records = db.prepare(
      "SELECT entity, entity_id AS entityId, payload FROM outbox WHERE entity IN ('ticket_event', 'notification') ORDER BY seq",
    ).all() as Array<{ entity: string; entityId: string; payload: string }>;
    expect(records.filter((r) => r.entity === 'notification').length).toBeGreaterThan(0);
    // The reply's body is in its event and in its notice: never a third and fourth time in the outbox.
    for (const r of records) expect(r.payload).toBe(ROW_REFERENCE);
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%Segunda respuesta%'").pluck().get()).toBe(0);
    const reply = db.prepare("SELECT id, data FROM ticket_events WHERE ticket_id = ? AND body = 'Segunda respuesta al cliente'").get(id) as { id: string; data: string };
    expect(outboxPayload(db, { entity: 'ticket_event', entityId: reply.id, payload: ROW_REFERENCE }))
      .toEqual({ ticketId: id, kind: 'reply', body: 'Segunda respuesta al cliente', data: JSON.parse(reply.data) });
    const notice = db.prepare("SELECT id, recipient, subject, body FROM notifications WHERE ticket_id = ? AND kind = 'reply' ORDER BY rowid DESC").get(id) as Record<string, string>;
    expect(outboxPayload(db, { entity: 'notification', entityId: notice.id!, payload: ROW_REFERENCE }))
      .toEqual({ ticketId: id, kind: 'reply', recipient: notice.recipient, subject: notice.subject, body: notice.body });
    // Updates and other inserts keep their JSON.
    expect(storedPayload('ticket', 'insert', { a: 1 })).toBe('{"a":1}');
    expect(storedPayload('ticket_event', 'update', { a: 1 })).toBe('{"a":1}');
  });

  it('the push reads every payload as JSON text in its select (PAYLOAD_TEXT_SQL), the same object outboxPayload gives', async () => {
    const desk = await desks.ready();
    const id = await busyTicket(desk);
    await desk.call('tickets.note', { ticketId: id, body: 'Comillas "dobles", barra \\ invertida, salto\nde línea, tab\t, ñ, 🧾 y \u0001 control' });
    const db = desk.services.ws.db;
    const records = db.prepare(`SELECT entity, entity_id AS entityId, payload, ${PAYLOAD_TEXT_SQL} AS text FROM outbox o ORDER BY seq`).all() as
      Array<{ entity: string; entityId: string; payload: string; text: string | null }>;
    expect(records.some((r) => r.payload === ROW_REFERENCE && r.entity === 'ticket_event')).toBe(true);
    expect(records.some((r) => r.payload === ROW_REFERENCE && r.entity === 'notification')).toBe(true);
    for (const r of records) expect(JSON.parse(r.text!)).toEqual(outboxPayload(db, r));
    // A referred row that is gone reads as NULL (the push then asks outboxPayload, which says so).
    const gone = db.prepare(`SELECT ${PAYLOAD_TEXT_SQL} FROM (SELECT 'ticket_event' AS entity, 'nadie' AS entity_id, '' AS payload) o`).pluck().get();
    expect(gone).toBeNull();
  });
});
