/**
 * The customer portal's routes (issue 13) on the real server, against PostgreSQL (a throwaway
 * cluster) and PGlite: the web ticket form, status by folio + e-mail, adding information — each
 * valid, invalid and abusive — and the rows reaching a branch's pull like any pushed change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import type { Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { MIN_FILL_MS } from '../../../server/portal/guard';
import { BACKENDS } from './harness';
import { PortalClient, webForm } from './portal-client';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`customer portal on ${backend.name}`, () => {
    let db: Db;
    let stop: () => Promise<void>;
    let app: FastifyInstance;
    let url = '';
    let clock = Date.UTC(2026, 11, 7, 16, 0, 0);
    /** Each group of requests starts in fresh rate-limit windows. */
    const nextWindow = () => { clock += 61 * 60_000; };

    beforeAll(async () => {
      ({ db, stop } = await backend.open());
      await migrateServer(db);
      app = buildServer({ db, now: () => clock, env: { PORTAL_SITE_CODE: 'WEB' } });
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      // Two branches, as the server administrator creates them; MTY is the oldest: the central queue.
      for (const [code, at] of [['MTY', 1], ['GDL', 2]] as const) {
        await db.query('INSERT INTO branches (code, name, time_zone, created_at) VALUES ($1, $2, $3, $4)', [code, `Sucursal ${code}`, 'America/Mexico_City', at]);
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await stop?.();
    });

    /** Opens a ticket: a fresh challenge, answered after a person's minimum time. */
    async function openTicket(client: PortalClient, form = webForm()) {
      const challenge = await client.challenge();
      clock += MIN_FILL_MS;
      return client.post('/portal/api/tickets', { ...form, challenge });
    }

    it('opens a web ticket with a folio from the portal site code, and the change feed carries customer, ticket and its first entry to the central queue', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const res = await openTicket(client, webForm({ attachments: [{ fileName: 'error-301.pdf', mimeType: 'application/pdf', contentBase64: PDF.toString('base64') }] }));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ trackingNumber: 'WEB-000001', expected: { firstResponseMinutes: 24 * 60, resolutionMinutes: 48 * 60 } });
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      const feed = await db.query<{ entity: string; op: string; branch_code: string; actor_kind: string; payload: Record<string, unknown> }>(
        "SELECT entity, op, branch_code, actor_kind, payload FROM mutations WHERE status = 'applied' ORDER BY server_seq",
      );
      expect(feed.map((m) => [m.entity, m.op, m.branch_code])).toEqual([
        ['customer', 'insert', 'MTY'], ['ticket', 'insert', 'MTY'], ['ticket_event', 'insert', 'MTY'], ['attachment', 'insert', 'MTY'],
      ]);
      expect(feed[1]!.payload).toMatchObject({ trackingNumber: 'WEB-000001', channel: 'web_form', requestType: 'technical', priority: 'high', status: 'open', subject: 'No puedo timbrar facturas' });
      expect(feed[0]!.payload).toMatchObject({ rfc: 'RLU0502143A3', registeredEmail: 'compras@refaccionaria-lupe.mx' });
      // The evidence is kept once, by content, in the organization's blob store, named in the first entry and
      // by an attachment row of that entry (what branches pull and then fetch the bytes of).
      const [file] = await db.query<{ sha256: string; mime_type: string; size: number; complete_at: number | null }>('SELECT sha256, mime_type, size, complete_at FROM blobs');
      expect(file).toMatchObject({ mime_type: 'application/pdf', size: PDF.length });
      expect(file!.complete_at).not.toBeNull();
      expect((feed[2]!.payload.data as { files: unknown[] }).files).toEqual([{ sha256: file!.sha256, fileName: 'error-301.pdf', mimeType: 'application/pdf', size: PDF.length }]);
      expect(feed[3]!.payload).toEqual({ ticketId: feed[2]!.payload.ticketId, eventId: expect.any(String), fileName: 'error-301.pdf', mimeType: 'application/pdf', sizeBytes: PDF.length, sha256: file!.sha256 });
    });

    it('a known customer\'s ticket goes to the branch that registered the customer, and the next folio follows', async () => {
      nextWindow();
      // GDL registered this customer (as a push would have merged it).
      await db.query(
        "INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ('customer', $1, 'GDL', $2, '{}', 0)",
        ['0193a000-0000-7000-8000-000000000001', JSON.stringify({ rfc: 'GOMA800101AB6', name: 'Alma Gómez', registeredEmail: 'alma@correo.mx', plan: 'advanced' })],
      );
      const client = await new PortalClient(url).open();
      const res = await openTicket(client, webForm({ rfc: 'goma-800101-ab6', name: 'Alma Gómez', email: 'Alma@Correo.MX' }));
      expect(res.status).toBe(201);
      expect(res.body.trackingNumber).toBe('WEB-000002');
      const rows = await db.query<{ entity: string; branch_code: string; payload: { customerId?: string } }>(
        "SELECT entity, branch_code, payload FROM mutations WHERE payload->>'trackingNumber' = 'WEB-000002'",
      );
      expect(rows).toEqual([expect.objectContaining({ entity: 'ticket', branch_code: 'GDL', payload: expect.objectContaining({ customerId: '0193a000-0000-7000-8000-000000000001' }) })]);
    });

    it('refuses bad input with the same rules as the desk, field by field, and writes nothing', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const before = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM mutations');
      const bad = await client.post('/portal/api/tickets', {
        ...webForm({ email: 'no-es-correo', rfc: 'ABC', subject: '', priority: 'urgente' as never }), challenge: await client.challenge(),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.fields).toMatchObject({ email: 'validation.email', rfc: 'rfc.length', subject: 'validation.required', priority: 'validation.invalid' });
      const badDate = await client.post('/portal/api/tickets', { ...webForm({ rfc: 'RLU0513143A3' }), challenge: await client.challenge() });
      expect(badDate.body.error.details.fields).toEqual({ rfc: 'rfc.date' });
      // Evidence: a program named .pdf, a PDF named .png, too many files.
      clock += MIN_FILL_MS;
      const exe = await client.post('/portal/api/tickets', {
        ...webForm({ attachments: [{ fileName: 'factura.pdf', mimeType: 'application/pdf', contentBase64: Buffer.from('MZ\u0090\u0000\u0003').toString('base64') }] }), challenge: await client.challenge(),
      });
      expect(exe.body.error.details.fields).toEqual({ 'attachments.0': 'portal.fileType' });
      const renamed = await client.post('/portal/api/tickets', {
        ...webForm({ attachments: [{ fileName: 'foto.png', mimeType: 'image/png', contentBase64: PDF.toString('base64') }] }), challenge: await client.challenge(),
      });
      expect(renamed.body.error.details.fields).toEqual({ 'attachments.0': 'portal.fileType' });
      const many = await client.post('/portal/api/tickets', {
        ...webForm({ attachments: Array.from({ length: 4 }, (_, i) => ({ fileName: `f${i}.pdf`, mimeType: 'application/pdf', contentBase64: PDF.toString('base64') })) }),
        challenge: await client.challenge(),
      });
      expect(many.body.error.details.fields).toEqual({ attachments: 'portal.tooManyFiles' });
      expect(await db.query('SELECT COUNT(*)::int AS n FROM mutations')).toEqual(before);
    });

    it('refuses bots: no CSRF token, a filled honeypot, a challenge answered too soon, unsolved, forged or reused', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const form = webForm();
      const before = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM mutations');
      const csrfMissing = await client.post('/portal/api/tickets', { ...form, challenge: await client.challenge() }, { csrf: null });
      expect(csrfMissing).toMatchObject({ status: 403, body: { error: { code: 'portal.csrf' } } });
      const csrfWrong = await client.post('/portal/api/tickets', { ...form, challenge: await client.challenge() }, { csrf: 'x'.repeat(32) });
      expect(csrfWrong.status).toBe(403);
      clock += MIN_FILL_MS;
      // The token checks first; everything below has a valid one.
      const tooSoon = await client.post('/portal/api/tickets', { ...form, challenge: await client.challenge() });
      expect(tooSoon).toMatchObject({ status: 400, body: { error: { code: 'portal.challenge' } } });
      const c = await client.challenge();
      clock += MIN_FILL_MS;
      const honeypot = await client.post('/portal/api/tickets', { ...form, website: 'https://spam.example', challenge: c });
      expect(honeypot).toMatchObject({ status: 400, body: { error: { code: 'portal.challenge' } } });
      const unsolved = await client.post('/portal/api/tickets', { ...form, challenge: { token: c.token, nonce: String(Number(c.nonce) + 1) } });
      expect(unsolved.body.error.code).toBe('portal.challenge');
      const forged = await client.post('/portal/api/tickets', { ...form, challenge: { token: c.token.replace(/.$/, (d) => (d === '0' ? '1' : '0')), nonce: c.nonce } });
      expect(forged.body.error.code).toBe('portal.challenge');
      expect(await db.query('SELECT COUNT(*)::int AS n FROM mutations')).toEqual(before);
      nextWindow();
      const ok = await client.post('/portal/api/tickets', { ...form, challenge: c });
      expect(ok.status).toBe(201);
      const reused = await client.post('/portal/api/tickets', { ...form, challenge: c });
      expect(reused).toMatchObject({ status: 400, body: { error: { code: 'portal.challenge' } } });
    });

    it('limits ticket posts per IP', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await client.post('/portal/api/tickets', { ...webForm({ email: 'no-es-correo' }), challenge: { token: 'x', nonce: '1' } })).status);
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    });

    it('status by folio + e-mail: public entries only, the same answer for a wrong folio and a wrong e-mail, limits per IP and per folio', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const { body: created } = await openTicket(client, webForm({ subject: '<b>Timbrado</b> <script>alert(1)</script>' }));
      const [ticket] = await db.query<{ entity_id: string }>("SELECT entity_id FROM entities WHERE entity = 'ticket' AND data->>'trackingNumber' = $1", [created.trackingNumber]);
      // An agent's internal note and a public reply, as a branch's push merges them.
      for (const [id, kind, body] of [['0193a000-0000-7000-8000-0000000000a1', 'note', 'Cliente moroso, revisar crédito'], ['0193a000-0000-7000-8000-0000000000a2', 'reply', 'Renovamos su certificado; intente de nuevo.']]) {
        await db.query(
          "INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ('ticket_event', $1, 'MTY', $2, '{}', (SELECT MAX(server_seq) FROM mutations))",
          [id, JSON.stringify({ ticketId: ticket!.entity_id, kind, body, data: {} })],
        );
      }
      const status = await client.post('/portal/api/status', { trackingNumber: created.trackingNumber.toLowerCase(), email: 'COMPRAS@refaccionaria-lupe.mx ' });
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ trackingNumber: created.trackingNumber, subject: '<b>Timbrado</b> <script>alert(1)</script>', status: 'open', requestType: 'technical' });
      expect(status.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created', 'reply']);
      expect(JSON.stringify(status.body)).not.toContain('moroso');
      expect(JSON.stringify(status.body)).not.toMatch(/actorId|assignee|MTY/);

      const wrongEmail = await client.post('/portal/api/status', { trackingNumber: created.trackingNumber, email: 'otro@correo.mx' });
      const wrongFolio = await client.post('/portal/api/status', { trackingNumber: 'WEB-999999', email: 'compras@refaccionaria-lupe.mx' });
      expect(wrongEmail.status).toBe(404);
      expect(wrongFolio.status).toBe(404);
      expect(wrongEmail.body).toEqual(wrongFolio.body);
      expect(wrongEmail.body).toEqual({ error: { code: 'portal.notFound' } });

      // Guessing e-mails for one folio: 10 look-ups an hour (two made above), whoever asks (new sessions do not help).
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await (await new PortalClient(url).open()).post('/portal/api/status', { trackingNumber: created.trackingNumber, email: `intento${i}@correo.mx` })).status);
      expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);
      // Other folios from the same IP go on until the IP's own limit: 30 in 10 minutes, 12 used above.
      const perIp: number[] = [];
      for (let i = 0; i < 30; i++) perIp.push((await client.post('/portal/api/status', { trackingNumber: `WEB-${100 + i}`, email: 'a@b.mx' })).status);
      expect(perIp.filter((s) => s === 429).length).toBe(12);
    });

    it('adding information arrives as a customer message, reopens a ticket waiting on the customer, and a closed ticket takes no more', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const { body: created } = await openTicket(client);
      const [ticket] = await db.query<{ entity_id: string }>("SELECT entity_id FROM entities WHERE entity = 'ticket' AND data->>'trackingNumber' = $1", [created.trackingNumber]);
      await db.query("UPDATE entities SET data = data || '{\"status\":\"waiting\",\"waitingOn\":\"customer\"}' WHERE entity = 'ticket' AND entity_id = $1", [ticket!.entity_id]);
      const seq = (await db.query<{ s: number }>('SELECT MAX(server_seq) AS s FROM mutations'))[0]!.s;
      const added = await client.post('/portal/api/messages', {
        trackingNumber: created.trackingNumber, email: 'compras@refaccionaria-lupe.mx', message: 'Adjunto el XML que falla.',
        attachments: [{ fileName: 'factura.xml', mimeType: 'text/xml', contentBase64: Buffer.from('<?xml version="1.0"?><cfdi:Comprobante/>').toString('base64') }],
      });
      expect(added.status).toBe(200);
      expect(added.body.status).toBe('open');
      expect(added.body.timeline.at(-1)).toMatchObject({ kind: 'customer_message', body: 'Adjunto el XML que falla.', files: [{ fileName: 'factura.xml' }] });
      const feed = await db.query<{ entity: string; payload: Record<string, unknown> }>('SELECT entity, payload FROM mutations WHERE server_seq > $1 ORDER BY server_seq', [seq]);
      expect(feed.map((m) => [m.entity, m.payload.kind ?? Object.keys(m.payload).sort().join(',')])).toEqual([
        ['ticket_event', 'status_change'], ['ticket', 'status,waitingOn'], ['ticket_event', 'customer_message'],
        ['attachment', 'eventId,fileName,mimeType,sha256,sizeBytes,ticketId'], ['ticket', 'lastCustomerMessageAt,updatedAt'],
      ]);
      const wrong = await client.post('/portal/api/messages', { trackingNumber: created.trackingNumber, email: 'otro@correo.mx', message: 'hola' });
      expect(wrong).toMatchObject({ status: 404, body: { error: { code: 'portal.notFound' } } });
      await db.query("UPDATE entities SET data = data || '{\"status\":\"closed\"}' WHERE entity = 'ticket' AND entity_id = $1", [ticket!.entity_id]);
      const closed = await client.post('/portal/api/messages', { trackingNumber: created.trackingNumber, email: 'compras@refaccionaria-lupe.mx', message: 'otra cosa' });
      expect(closed).toMatchObject({ status: 409, body: { error: { code: 'portal.closed' } } });
    });

    it('serves the page with a strict CSP and nothing but its own files', async () => {
      const page = await fetch(`${url}/portal/`);
      expect([200, 503]).toContain(page.status); // 503 when the page is not built, with how to build it
      expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      expect((await fetch(`${url}/portal/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
      expect((await fetch(`${url}/portal/assets/.env`)).status).toBe(404);
    });
  });
}
