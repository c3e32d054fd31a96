import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { auditEntries, b64, DAY_MS, deskPool, plus, resignIn } from './helpers';

const desks = deskPool();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const HOUR = 60 * 60 * 1000;

async function existingCustomerIntake(desk: TestDesk, overrides: Record<string, unknown> = {}) {
  const customer = await desk.call('customers.create', {
    rfc: 'PAN990101AB5', name: 'Panadería La Espiga SA de CV', registeredEmail: 'admin@laespiga.example.mx',
    contacts: [{ name: 'Rosa Trigo', email: 'rosa@laespiga.example.mx', phone: '(33) 3615-0000' }],
  });
  return { customer, input: { ...phoneIntake(), customer: { kind: 'existing' as const, customerId: customer.id }, ...overrides } };
}

function attachmentFiles(desk: TestDesk): string[] {
  const dir = join(desk.dataDir, 'attachments');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('tracking numbers', () => {
  it('are <BRANCH>-<6 digits>, sequential and unique', async () => {
    const desk = await desks.ready();
    const first = await desk.call('tickets.create', phoneIntake());
    const { input } = await existingCustomerIntake(desk);
    const second = await desk.call('tickets.create', input);
    const third = await desk.call('tickets.create', { ...input, subject: 'Tercero' });
    expect([first.trackingNumber, second.trackingNumber, third.trackingNumber]).toEqual(['MTY-000001', 'MTY-000002', 'MTY-000003']);
  });

  it('a refused intake does not consume a number', async () => {
    const desk = await desks.ready();
    expect((await desk.call('tickets.create', phoneIntake())).trackingNumber).toBe('MTY-000001');
    // same RFC as a new customer again: refused inside the transaction (after the number was drawn)
    expect((await desk.fail('tickets.create', phoneIntake())).fields).toEqual({ 'customer.rfc': 'rfc.duplicate' });
    const { input } = await existingCustomerIntake(desk);
    expect((await desk.call('tickets.create', input)).trackingNumber).toBe('MTY-000002');
  });

  it('two branches never collide, and the database refuses a duplicate number', async () => {
    const mty = await desks.ready();
    const gdl = desks.make();
    const session = await gdl.call('auth.setup', {
      branchCode: 'GDL', branchName: 'Sucursal Guadalajara', username: 'admin', fullName: 'Gil Admin', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null);
    gdl.token = session.token;
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      numbers.push((await mty.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: `MTY05031${i}5C6`.slice(0, 12), name: `Cliente MTY ${i}`, email: `m${i}@x.example.mx` } }))).trackingNumber);
      numbers.push((await gdl.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: `GDL05031${i}5C6`.slice(0, 12), name: `Cliente GDL ${i}`, email: `g${i}@x.example.mx` } }))).trackingNumber);
    }
    expect(numbers).toEqual(['MTY-000001', 'GDL-000001', 'MTY-000002', 'GDL-000002', 'MTY-000003', 'GDL-000003']);
    expect(new Set(numbers).size).toBe(6);

    // The UNIQUE constraint backs the scheme: a second ticket with an existing number is refused.
    const db = mty.services.ws.db;
    const row = db.prepare('SELECT * FROM tickets WHERE tracking_number = ?').get('MTY-000001') as Record<string, unknown>;
    const cols = Object.keys(row);
    const copy: Record<string, unknown> = { ...row, id: 'otro-id' };
    expect(() => db.prepare(`INSERT INTO tickets (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`).run(...cols.map((c) => copy[c]))).toThrow(
      /UNIQUE constraint failed: tickets\.tracking_number/,
    );
    // while GDL's numbers fit beside MTY's (what a merge of both branches would do)
    const gdlRow = gdl.services.ws.db.prepare('SELECT tracking_number FROM tickets ORDER BY tracking_number').pluck().all() as string[];
    const mtyRow = db.prepare('SELECT tracking_number FROM tickets ORDER BY tracking_number').pluck().all() as string[];
    expect(gdlRow.filter((n) => mtyRow.includes(n))).toEqual([]);
  });
});

describe('intake', () => {
  // Every ticket enters at the Mesa de Servicio and is escalated one tier at a time (seed 002), whatever its severity.
  it('registers a new customer and its contact together with the ticket', async () => {
    const desk = await desks.ready();
    const before = desk.counts();
    const t = await desk.call('tickets.create', phoneIntake({ severity: 2 }));
    expect(t).toMatchObject({
      trackingNumber: 'MTY-000001', customerName: 'Tecnologías del Cerro SA de CV', rfc: 'TEC0503155C6', subject: 'No puede timbrar facturas',
      channel: 'phone', severity: 2, tier: 'service_desk', status: 'open', waitingOn: null, assigneeId: null, priority: 'normal',
      description: 'Al timbrar una factura aparece el error 301 de sello inválido.', closeCause: null, linkedTicketId: null,
      createdAt: desk.now(), updatedAt: desk.now(),
    });
    const customer = await desk.call('customers.get', { customerId: t.customerId });
    expect(customer).toMatchObject({ rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', registeredEmail: 'facturas@tecnocerro.example.mx', plan: 'basic', rfcWarnings: [] });
    expect(customer.contacts).toEqual([{ id: expect.any(String), name: 'Tecnologías del Cerro SA de CV', email: 'facturas@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: false }]);
    // The outbox also carries the acknowledgement queued for the customer (issue 12).
    expect(desk.counts()).toEqual(plus(before, { customers: 1, contacts: 1, tickets: 1, ticket_events: 1, audit_log: 2, outbox: 4 }));
    expect(auditEntries(desk).slice(-2).map((e) => e.action)).toEqual(['customer.created', 'ticket.created']);
  });

  it('uses an existing customer by id, and refuses an unknown one', async () => {
    const desk = await desks.ready();
    const { customer, input } = await existingCustomerIntake(desk, { severity: 3, channel: 'email' });
    const before = desk.counts();
    const t = await desk.call('tickets.create', input);
    expect(t).toMatchObject({ customerId: customer.id, rfc: 'PAN990101AB5', customerName: 'Panadería La Espiga SA de CV', severity: 3, tier: 'service_desk', channel: 'email' });
    expect(desk.counts()).toEqual(plus(before, { tickets: 1, ticket_events: 1, audit_log: 1, outbox: 3 }));
    const before2 = desk.dataCounts();
    expect(await desk.fail('tickets.create', { ...input, customer: { kind: 'existing', customerId: '0190a5d0-0000-7000-8000-000000000000' } })).toEqual({ code: 'customers.notFound' });
    expect(desk.dataCounts()).toEqual(before2);
  });
});

describe('evidence attachments', () => {
  it('stores files content-addressed under dataDir/attachments/<sha256>, identical content once', async () => {
    const desk = await desks.ready();
    // A PNG signature first: image types are recorded only when the bytes show one (issue 14, inline previews).
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('captura del error 301 '.repeat(40), 'latin1')]);
    const digest = sha(png);
    const t = await desk.call('tickets.create', phoneIntake({ attachments: [{ fileName: 'C:\\Users\\ana\\captura.png', mimeType: 'image/png', contentBase64: b64(png) }] }));
    const path = join(desk.dataDir, 'attachments', digest);
    expect(readFileSync(path).equals(png)).toBe(true);
    const detail = await desk.call('tickets.get', { ticketId: t.id });
    expect(detail.timeline[0]!.kind).toBe('created');
    expect(detail.timeline[0]!.attachments).toEqual([
      { id: expect.any(String), ticketId: t.id, eventId: detail.timeline[0]!.id, fileName: 'captura.png', mimeType: 'image/png', sizeBytes: png.length, sha256: digest, createdAt: desk.now(), pendingDownload: false },
    ]);

    // the same screenshot again on a reply: a second row, the same single file
    const after = await desk.call('tickets.reply', { ticketId: t.id, body: 'Adjunto de nuevo', attachments: [{ fileName: 'otra.png', mimeType: 'image/png', contentBase64: b64(png) }] });
    const replyFiles = after.timeline.at(-1)!.attachments;
    expect(replyFiles.map((f) => [f.fileName, f.sha256])).toEqual([['otra.png', digest]]);
    expect(desk.services.ws.db.prepare('SELECT COUNT(*) FROM attachments WHERE sha256 = ?').pluck().get(digest)).toBe(2);
    expect(attachmentFiles(desk)).toEqual([digest]);

    const read = await desk.call('attachments.read', { attachmentId: replyFiles[0]!.id });
    expect(Buffer.from(read.contentBase64, 'base64').equals(png)).toBe(true);
  });

  it('refuses an attachment over the organization limit with params naming the limit, writing nothing', async () => {
    const desk = await desks.ready();
    await desk.call('settings.update', { maxAttachmentBytes: 4096 });
    const t = await desk.call('tickets.create', phoneIntake());
    const big = Buffer.alloc(5000, 7);
    const before = desk.dataCounts();
    const err = await desk.fail('tickets.reply', { ticketId: t.id, body: 'evidencia', attachments: [{ fileName: 'grande.bin', contentBase64: b64(big) }] });
    expect(err).toEqual({ code: 'attachments.tooLarge', params: { fileName: 'grande.bin', size: '4.9 KB', limit: '4.0 KB' } });
    const err2 = await desk.fail('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'OTR0503155C6', name: 'Otra', email: 'o@x.example.mx' }, attachments: [{ fileName: 'grande.bin', contentBase64: b64(big) }] }));
    expect(err2.code).toBe('attachments.tooLarge');
    expect(desk.dataCounts()).toEqual(before);
    expect(attachmentFiles(desk)).toEqual([]);
    // exactly at the limit is fine
    const exact = Buffer.alloc(4096, 1);
    const ok = await desk.call('tickets.note', { ticketId: t.id, body: 'justo', attachments: [{ fileName: 'justo.bin', contentBase64: b64(exact) }] });
    expect(ok.timeline.at(-1)!.attachments[0]!.sizeBytes).toBe(4096);
    expect(attachmentFiles(desk)).toEqual([sha(exact)]);
  });

  it('the default limit is 10 MB and is named in the error', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    const before = desk.dataCounts();
    const err = await desk.fail('tickets.reply', { ticketId: t.id, body: 'x', attachments: [{ fileName: 'video.mp4', contentBase64: b64(Buffer.alloc(10 * 1024 * 1024 + 1)) }] });
    expect(err).toEqual({ code: 'attachments.tooLarge', params: { fileName: 'video.mp4', size: '10.0 MB', limit: '10.0 MB' } });
    expect(desk.dataCounts()).toEqual(before);
    expect(attachmentFiles(desk)).toEqual([]);
  });
});

describe('timeline, status and closing', () => {
  it('reply, note, contact attempt, assignment, status changes and closing appear in order', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-uno', ['agent']);
    const t = await desk.call('tickets.create', phoneIntake());
    const t0 = desk.now();
    desk.advance(60_000);
    await desk.call('tickets.reply', { ticketId: t.id, body: 'Revise su CSD vigente.' });
    desk.advance(60_000);
    await desk.call('tickets.note', { ticketId: t.id, body: 'Cliente molesto, tratar con cuidado.' });
    desk.advance(60_000);
    await desk.call('tickets.contactAttempt', { ticketId: t.id, method: 'phone', reached: false, body: 'No contestó' });
    desk.advance(60_000);
    await desk.call('tickets.assign', { ticketId: t.id, assigneeId: agent.id });
    desk.advance(60_000);
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    desk.advance(60_000);
    const afterMsg = await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Ya renové el CSD.' });
    expect(afterMsg.ticket).toMatchObject({ id: t.id, status: 'open', waitingOn: null });
    desk.advance(60_000);
    const closed = await desk.call('tickets.close', { ticketId: t.id, cause: 'CSD vencido', solution: 'Se renovó el CSD' });

    expect(closed.ticket).toMatchObject({ status: 'closed', closeCause: 'CSD vencido', closeSolution: 'Se renovó el CSD', closedAt: desk.now(), assigneeId: agent.id, assigneeName: 'Usuario agente-uno' });
    expect(closed.timeline.map((e) => [e.kind, e.body, e.createdAt - t0])).toEqual([
      ['created', '', 0],
      ['reply', 'Revise su CSD vigente.', 60_000],
      ['note', 'Cliente molesto, tratar con cuidado.', 120_000],
      ['contact_attempt', 'No contestó', 180_000],
      ['assignment', '', 240_000],
      ['status_change', '', 300_000],
      ['status_change', '', 360_000],
      ['customer_message', 'Ya renové el CSD.', 360_000],
      ['closed', '', 420_000],
    ]);
    const data = closed.timeline.map((e) => e.data);
    expect(data[3]).toEqual({ method: 'phone', reached: false });
    expect(data[4]).toEqual({ from: null, to: agent.id, assigneeName: 'Usuario agente-uno' });
    expect(data[5]).toEqual({ from: 'open', fromWaitingOn: null, to: 'waiting', waitingOn: 'customer' });
    expect(data[6]).toEqual({ from: 'waiting', fromWaitingOn: 'customer', to: 'open', waitingOn: null, reason: 'customer_replied' });
    expect(data[8]).toMatchObject({ from: 'open', waitingOn: null, cause: 'CSD vencido', solution: 'Se renovó el CSD' });
    expect(closed.timeline.every((e) => e.kind === 'customer_message' || e.actorName === 'Ana Administradora')).toBe(true);
  });

  it('a customer message while waiting on an authorization does not reopen the ticket', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'authorization' });
    const d = await desk.call('tickets.customerMessage', { ticketId: t.id, body: '¿Ya quedó?' });
    expect(d.ticket).toMatchObject({ status: 'waiting', waitingOn: 'authorization' });
    expect(d.timeline.map((e) => e.kind)).toEqual(['created', 'status_change', 'customer_message']);
  });

  it('closing requires a cause and a solution', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    const before = desk.dataCounts();
    expect(await desk.fail('tickets.close', { ticketId: t.id, cause: '  ', solution: '' })).toEqual({
      code: 'validation.failed', fields: { cause: 'validation.required', solution: 'validation.required' },
    });
    const missing = await desk.fail('tickets.close', { ticketId: t.id });
    expect(missing.code).toBe('validation.failed');
    expect(Object.keys(missing.fields!).sort()).toEqual(['cause', 'solution']);
    expect(desk.dataCounts()).toEqual(before);
    expect((await desk.call('tickets.get', { ticketId: t.id })).ticket.status).toBe('open');
  });

  it('a closed ticket refuses replies, notes, contact attempts, assignment, status changes, edits and a second close', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.close', { ticketId: t.id, cause: 'c', solution: 's' });
    const before = desk.dataCounts();
    const closedErr = { code: 'tickets.closed', params: { trackingNumber: 'MTY-000001' } };
    expect(await desk.fail('tickets.reply', { ticketId: t.id, body: 'hola' })).toEqual(closedErr);
    expect(await desk.fail('tickets.note', { ticketId: t.id, body: 'hola' })).toEqual(closedErr);
    expect(await desk.fail('tickets.contactAttempt', { ticketId: t.id, method: 'email', reached: true })).toEqual(closedErr);
    expect(await desk.fail('tickets.assign', { ticketId: t.id, assigneeId: null })).toEqual(closedErr);
    expect(await desk.fail('tickets.setStatus', { ticketId: t.id, status: 'open' })).toEqual(closedErr);
    expect(await desk.fail('tickets.update', { ticketId: t.id, subject: 'nuevo' })).toEqual(closedErr);
    expect(await desk.fail('tickets.close', { ticketId: t.id, cause: 'c', solution: 's' })).toEqual(closedErr);
    expect(desk.dataCounts()).toEqual(before);
  });
});

describe('closed-ticket policy', () => {
  it("'new_linked' (default): a customer message on a closed ticket opens a new ticket linked both ways", async () => {
    const desk = await desks.ready();
    expect((await desk.call('settings.get', {})).closedTicketPolicy).toBe('new_linked');
    const old = await desk.call('tickets.create', phoneIntake({ severity: 2, priority: 'high' }));
    await desk.call('tickets.close', { ticketId: old.id, cause: 'c', solution: 's' });
    desk.advance(HOUR);
    const d = await desk.call('tickets.customerMessage', { ticketId: old.id, body: 'Volvió a fallar el timbrado' });
    expect(d.ticket).toMatchObject({
      trackingNumber: 'MTY-000002', status: 'open', linkedTicketId: old.id, linkedTrackingNumber: 'MTY-000001',
      customerId: old.customerId, severity: 2, priority: 'high', subject: old.subject, description: 'Volvió a fallar el timbrado',
    });
    expect(d.timeline.map((e) => e.kind)).toEqual(['created', 'linked', 'customer_message']);
    expect(d.timeline[1]!.data).toEqual({ ticketId: old.id, trackingNumber: 'MTY-000001', reason: 'follow_up_of_closed' });

    const oldNow = await desk.call('tickets.get', { ticketId: old.id });
    expect(oldNow.ticket.status).toBe('closed');
    expect(oldNow.timeline.map((e) => e.kind)).toEqual(['created', 'closed', 'linked']);
    expect(oldNow.timeline[2]!.data).toEqual({ ticketId: d.ticket.id, trackingNumber: 'MTY-000002', reason: 'customer_wrote_after_close' });
  });

  it("'reopen_within': reopens within N days, opens a linked ticket after N days", async () => {
    const desk = await desks.ready();
    await desk.call('settings.update', { closedTicketPolicy: 'reopen_within', reopenWithinDays: 3 });
    const t = await desk.call('tickets.create', phoneIntake());
    await desk.call('tickets.close', { ticketId: t.id, cause: 'c', solution: 's' });
    desk.advance(2 * DAY_MS);
    await resignIn(desk); // the session idled out meanwhile
    const reopened = await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Sigue fallando' });
    expect(reopened.ticket).toMatchObject({ id: t.id, trackingNumber: 'MTY-000001', status: 'open', closedAt: null, linkedTicketId: null });
    expect(reopened.timeline.map((e) => e.kind)).toEqual(['created', 'closed', 'reopened', 'customer_message']);
    expect(reopened.timeline[2]!.data).toMatchObject({ from: 'closed', to: 'open' });
    expect((await desk.call('tickets.list', {})).total).toBe(1);

    await desk.call('tickets.close', { ticketId: t.id, cause: 'c2', solution: 's2' });
    desk.advance(3 * DAY_MS + 60_000);
    await resignIn(desk);
    const linked = await desk.call('tickets.customerMessage', { ticketId: t.id, body: 'Otra vez' });
    expect(linked.ticket).toMatchObject({ trackingNumber: 'MTY-000002', linkedTicketId: t.id, status: 'open' });
    expect((await desk.call('tickets.get', { ticketId: t.id })).ticket.status).toBe('closed');
    expect((await desk.call('tickets.list', {})).total).toBe(2);
  });
});
