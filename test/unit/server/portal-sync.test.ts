/**
 * A portal ticket's whole trip through sync (issue 13), with a real branch workspace (SQLite)
 * enrolled on the server (PGlite): the customer opens a ticket on the portal → the branch pulls it
 * (customer, ticket, first entry) → the agent writes an internal note and a public reply and asks
 * the customer for more → the customer reads the reply by folio (never the note) and adds
 * information → the branch pulls it as a customer message, and the ticket is open again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { setupAdmin } from '../../../server/commands/admin';
import { openPglite, type Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { MIN_FILL_MS } from '../../../server/portal/guard';
import { ADMIN_PASSWORD } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { SERVER_ADMIN_PASSWORD } from './harness';
import { PortalClient, webForm } from './portal-client';

const desks = deskPool();

describe('a portal ticket reaches the branch by sync and the answer reaches the customer', () => {
  let db: Db;
  let app: FastifyInstance;
  let url = '';
  let clock = Date.UTC(2026, 2, 2, 16, 0, 0);

  beforeAll(async () => {
    db = await openPglite();
    await migrateServer(db);
    await db.tx((sql) => setupAdmin(sql, 'central', SERVER_ADMIN_PASSWORD, Date.now()));
    app = buildServer({ db, now: () => clock, env: {} });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    (await (await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;

  it('portal → branch → reply → status by folio → more information → branch', async () => {
    const admin = (await post('/v1/admin/sign-in', { username: 'central', password: SERVER_ADMIN_PASSWORD })).token as string;
    const auth = { authorization: `Bearer ${admin}` };
    await post('/v1/admin/branches', { code: 'MTY', name: 'Sucursal MTY', timeZone: 'America/Mexico_City' }, auth);
    const code = (await post('/v1/admin/enrolment-codes', { branchCode: 'MTY' }, auth)).code as string;
    const mty = desks.make(undefined, clock);
    mty.token = (await mty.call('auth.setup', {
      branchCode: 'MTY', branchName: 'Sucursal MTY', timeZone: 'America/Mexico_City',
      username: 'admin.mty', fullName: 'Administración MTY', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null)).token;
    await mty.call('sync.enrol', { url, code });
    const agent = await mty.userWithRoles('lupita', ['agent']);

    // The customer opens a ticket on the portal (MTY is the only branch: the central queue).
    const customer = await new PortalClient(url).open();
    const challenge = await customer.challenge();
    clock += MIN_FILL_MS;
    const opened = await customer.post('/portal/api/tickets', { ...webForm({ subject: 'Error 301 al timbrar' }), challenge });
    expect(opened.status).toBe(201);
    const folio = opened.body.trackingNumber as string;

    const first = await mty.call('sync.now', {}, agent.token);
    expect(first.pull.failed).toEqual([]);
    const ticketId = mty.services.ws.db.prepare('SELECT id FROM tickets WHERE tracking_number = ?').pluck().get(folio) as string;
    expect(ticketId).toBeTruthy();
    const atBranch = await mty.call('tickets.get', { ticketId }, agent.token);
    expect(atBranch.ticket).toMatchObject({ trackingNumber: folio, channel: 'web_form', subject: 'Error 301 al timbrar', status: 'open', priority: 'high', requestType: 'technical' });
    expect(atBranch.ticket.customerName).toBe('Refaccionaria Lupe SA de CV');
    // It is in the branch's list like a ticket typed there.
    for (const view of ['all', 'work', 'unassigned', 'open'] as const) {
      const list = await mty.call('tickets.list', { view }, agent.token);
      expect(list.rows.map((r) => r.trackingNumber), view).toContain(folio);
    }

    mty.advance(60_000);
    await mty.call('tickets.note', { ticketId, body: 'Nota interna: revisar su crédito' }, agent.token);
    await mty.call('tickets.reply', { ticketId, body: 'Su certificado venció. ¿Nos envía el XML que falla?' }, agent.token);
    await mty.call('tickets.setStatus', { ticketId, status: 'waiting', waitingOn: 'customer' }, agent.token);
    const up = await mty.call('sync.now', {}, agent.token);
    expect(up.push.rejected).toBe(0);

    clock += 120_000;
    const status = await customer.post('/portal/api/status', { trackingNumber: folio, email: 'compras@refaccionaria-lupe.mx' });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'waiting', waitingOn: 'customer' });
    expect(status.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'reply', 'status_change']);
    expect(status.body.timeline[1].body).toBe('Su certificado venció. ¿Nos envía el XML que falla?');
    expect(JSON.stringify(status.body)).not.toContain('crédito');

    const added = await customer.post('/portal/api/messages', {
      trackingNumber: folio, email: 'compras@refaccionaria-lupe.mx', message: 'Adjunto el XML.',
      attachments: [{ fileName: 'factura.xml', mimeType: 'application/xml', contentBase64: Buffer.from('<?xml version="1.0"?><cfdi:Comprobante/>').toString('base64') }],
    });
    expect(added.status).toBe(200);

    const back = await mty.call('sync.now', {}, agent.token);
    expect(back.pull.failed).toEqual([]);
    const after = await mty.call('tickets.get', { ticketId }, agent.token);
    expect(after.ticket.status).toBe('open');
    expect(after.timeline.filter((e) => e.kind === 'customer_message').map((e) => e.body)).toEqual(['Adjunto el XML.']);
    // The customer's evidence reaches the branch through the blob store: the attachment row with the
    // pull, the bytes fetched after it (the same path as files attached at another branch).
    const [xml] = after.timeline.filter((e) => e.kind === 'customer_message').flatMap((e) => e.attachments);
    expect(xml).toMatchObject({ fileName: 'factura.xml', mimeType: 'application/xml', pendingDownload: false });
    expect(back.files.fetched).toBe(1);
    const read = await mty.call('attachments.read', { attachmentId: xml!.id }, agent.token);
    expect(Buffer.from(read.contentBase64, 'base64').toString()).toBe('<?xml version="1.0"?><cfdi:Comprobante/>');

    // The agent closes it: the closing e-mail carries the one-click survey link on this server's portal.
    mty.advance(60_000);
    await mty.call('tickets.close', { ticketId, cause: 'Certificado vencido', solution: 'Se cargó el certificado vigente' }, agent.token);
    const notice = mty.services.ws.db.prepare("SELECT body FROM notifications WHERE ticket_id = ? AND kind = 'closed'").pluck().get(ticketId) as string;
    const token = new RegExp(`Califique la atención con un clic: ${url}/portal/#encuesta=([\\w-]{43})`).exec(notice)?.[1];
    expect(token).toBeTruthy();
    expect((await mty.call('sync.now', {}, agent.token)).push.rejected).toBe(0);

    const info = await customer.post('/portal/api/survey/info', { token });
    expect(info.body).toEqual({ trackingNumber: folio, subject: 'Error 301 al timbrar', answered: null });
    expect((await customer.post('/portal/api/survey/info', { token: 'x'.repeat(43) })).body).toEqual({ error: { code: 'portal.surveyNotFound' } });
    expect((await customer.post('/portal/api/survey', { token, rating: 6, comment: '' })).status).toBe(400);
    const answered = await customer.post('/portal/api/survey', { token, rating: 4, comment: 'Rápido, <b>gracias</b>' });
    expect(answered.status).toBe(200);
    expect(answered.body.answered).toEqual({ rating: 4, comment: 'Rápido, <b>gracias</b>' });
    // One answer per ticket.
    expect((await customer.post('/portal/api/survey', { token, rating: 1, comment: '' })).body).toEqual({ error: { code: 'portal.surveyAnswered' } });
    expect((await customer.post('/portal/api/survey/info', { token })).body.answered).toEqual({ rating: 4, comment: 'Rápido, <b>gracias</b>' });

    // The branch pulls it into its reports (satisfaction_surveys, with the agent who had the ticket) and onto the timeline.
    expect((await mty.call('sync.now', {}, agent.token)).pull.failed).toEqual([]);
    const row = mty.services.ws.db.prepare('SELECT rating, comment, source, agent_id AS agentId, tier, channel FROM satisfaction_surveys WHERE ticket_id = ?').get(ticketId);
    expect(row).toEqual({ rating: 4, comment: 'Rápido, <b>gracias</b>', source: 'portal', agentId: agent.id, tier: 'service_desk', channel: 'web_form' });
    const closed = await mty.call('tickets.get', { ticketId }, agent.token);
    expect(closed.timeline.filter((e) => e.kind === 'survey_answered').map((e) => [e.body, e.data])).toEqual([['Rápido, <b>gracias</b>', { rating: 4, source: 'portal' }]]);
    // An e-mail reply with a rating afterwards finds the ticket answered.
    expect(mty.services.surveys.recordReply(ticketId, '5')).toEqual({ recorded: false, reason: 'alreadyAnswered' });
  }, 240_000);
});
