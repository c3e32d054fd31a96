/**
 * The portal's sign-in links, the signed-in ticket list, the server's own mail (acknowledgements
 * of portal tickets, sent once) and rate limits shared by server processes (issue 13), on the real
 * server against PostgreSQL (a throwaway cluster) and PGlite, with a real local SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import type { Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { MIN_FILL_MS } from '../../../server/portal/guard';
import { startSmtp, type TestSmtp } from '../../fixtures/smtp';
import { BACKENDS } from './harness';
import { PortalClient, webForm } from './portal-client';

const LUPE = '0193b000-0000-7000-8000-000000000001';
const OTHER = '0193b000-0000-7000-8000-000000000002';
const T = (n: number) => `0193b000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`;

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`portal sign-in links and server mail on ${backend.name}`, () => {
    let db: Db;
    let stop: () => Promise<void>;
    let smtp: TestSmtp;
    let app: FastifyInstance;
    let second: FastifyInstance;
    let url = '';
    let url2 = '';
    let clock = Date.UTC(2026, 11, 7, 16, 0, 0);
    const nextWindow = () => { clock += 61 * 60_000; };
    const server = () => buildServer({
      db, now: () => clock, env: { PORTAL_SITE_CODE: 'WEB' },
      portal: { smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, password: null, from: 'Mesa de Ayuda <soporte@mesa.mx>' }, mailPollMs: 50 },
    });

    const entity = (kind: string, id: string, branch: string, data: object) =>
      db.query("INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ($1, $2, $3, $4, '{}', 0)", [kind, id, branch, JSON.stringify(data)]);
    const ticket = (n: number, customerId: string, data: object) =>
      entity('ticket', T(n), 'MTY', { trackingNumber: `MTY-00000${n}`, customerId, subject: `Ticket ${n}`, status: 'open', requestType: 'general', priority: 'normal', tier: 'service_desk', severity: 1, channel: 'phone', ...data });

    beforeAll(async () => {
      ({ db, stop } = await backend.open());
      await migrateServer(db);
      smtp = await startSmtp({ mode: 'plain' });
      app = server();
      second = server();
      await app.listen({ port: 0, host: '127.0.0.1' });
      await second.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      url2 = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
      await db.query("INSERT INTO branches (code, name, time_zone, created_at) VALUES ('MTY', 'Sucursal MTY', 'America/Mexico_City', 1)");
      await entity('customer', LUPE, 'MTY', {
        rfc: 'RLU0502143A3', name: 'Refaccionaria Lupe', registeredEmail: 'compras@lupe.mx', plan: 'basic',
        contacts: [{ name: 'Guadalupe Ríos', email: 'lupe@lupe.mx', isLegalRepresentative: true }, { name: 'Ana Soto', email: 'ana@lupe.mx', isLegalRepresentative: false }],
      });
      await entity('customer', OTHER, 'MTY', { rfc: 'GOMA800101AB6', name: 'Alma Gómez', registeredEmail: 'alma@correo.mx', plan: 'basic', contacts: [] });
      await ticket(1, LUPE, { subject: 'No puedo timbrar', requestType: 'technical' });
      await ticket(2, LUPE, { subject: 'Duda de facturación', status: 'closed' });
      await ticket(3, LUPE, { subject: 'Cambio de correo registrado' });
      await entity('change_request', '0193b000-0000-7000-8000-000000000301', 'MTY', { ticketId: T(3), kind: 'sensitive_change' });
      await ticket(4, OTHER, { subject: 'Ticket de otra empresa' });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await second?.close();
      await smtp?.close();
      await stop?.();
    });

    /** Asks for a link as `email` and returns the token from the mail that arrives (or null when none should). */
    async function linkFor(client: PortalClient, email: string): Promise<string> {
      const before = smtp.received.length;
      const res = await client.post('/portal/api/sign-in-link', { email });
      expect(res.status).toBe(202);
      await until(() => smtp.received.length > before);
      const mail = smtp.received.at(-1)!;
      expect(mail.to).toEqual([email]);
      return /#acceso=([A-Za-z0-9_-]{43})/.exec(mail.decoded)![1]!;
    }

    it('answers the same for a known and an unknown e-mail, and mails a one-time link only to the known one', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const unknown = await client.post('/portal/api/sign-in-link', { email: 'nadie@ejemplo.mx' });
      const token = await linkFor(client, 'compras@lupe.mx');
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual({ requested: true });
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.received.filter((m) => m.to.includes('nadie@ejemplo.mx'))).toEqual([]);
      const mail = smtp.received.at(-1)!;
      expect(mail.headers.subject).toContain('portal');
      expect(mail.decoded).toContain(`${url}/portal/#acceso=${token}`);
      // Neither the link nor its mail is kept in clear once sent.
      const rows = await db.query<{ body: string; status: string }>("SELECT body, status FROM portal_mail WHERE kind = 'sign_in'");
      expect(rows.every((r) => r.status === 'sent' && r.body === '')).toBe(true);
      expect(JSON.stringify(await db.query('SELECT * FROM portal_sign_in_links'))).not.toContain(token);

      const signedIn = await client.post('/portal/api/sign-in', { token });
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/portal_session=[\w-]{43}; Path=\/portal; HttpOnly; SameSite=Strict; Max-Age=43200/);
      // Once only.
      const again = await new PortalClient(url).open();
      expect((await again.post('/portal/api/sign-in', { token })).body).toEqual({ error: { code: 'portal.linkInvalid' } });
    });

    it('lists every ticket of the customer with filters by status and type; sensitive requests only for the legal representative', async () => {
      nextWindow();
      const registered = await new PortalClient(url).open();
      await registered.post('/portal/api/sign-in', { token: await linkFor(registered, 'compras@lupe.mx') });
      const all = await registered.get('/portal/api/account/tickets');
      expect(all.status).toBe(200);
      expect(all.body.customers).toEqual([{ name: 'Refaccionaria Lupe', legalRepresentative: false }]);
      expect(all.body.tickets.map((t: { trackingNumber: string }) => t.trackingNumber).sort()).toEqual(['MTY-000001', 'MTY-000002']);
      expect((await registered.get('/portal/api/account/tickets?status=closed')).body.tickets.map((t: { subject: string }) => t.subject)).toEqual(['Duda de facturación']);
      expect((await registered.get('/portal/api/account/tickets?requestType=technical')).body.tickets.map((t: { subject: string }) => t.subject)).toEqual(['No puedo timbrar']);
      expect((await registered.get('/portal/api/account/tickets?status=nope')).status).toBe(400);
      // Another customer's folio, and the sensitive one, answer like a folio that does not exist.
      for (const folio of ['MTY-000004', 'MTY-000003', 'MTY-000999']) {
        expect((await registered.post('/portal/api/account/ticket', { trackingNumber: folio })).body).toEqual({ error: { code: 'portal.notFound' } });
      }
      const one = await registered.post('/portal/api/account/ticket', { trackingNumber: 'mty-000001' });
      expect(one.body).toMatchObject({ trackingNumber: 'MTY-000001', subject: 'No puedo timbrar', status: 'open' });

      const representative = await new PortalClient(url).open();
      await representative.post('/portal/api/sign-in', { token: await linkFor(representative, 'lupe@lupe.mx') });
      const rep = await representative.get('/portal/api/account/tickets');
      expect(rep.body.customers).toEqual([{ name: 'Refaccionaria Lupe', legalRepresentative: true }]);
      expect(rep.body.tickets.find((t: { trackingNumber: string }) => t.trackingNumber === 'MTY-000003')).toMatchObject({ sensitive: true });
      expect((await representative.post('/portal/api/account/ticket', { trackingNumber: 'MTY-000003' })).status).toBe(200);

      const contact = await new PortalClient(url).open();
      await contact.post('/portal/api/sign-in', { token: await linkFor(contact, 'ana@lupe.mx') });
      expect((await contact.get('/portal/api/account/tickets')).body.tickets).toHaveLength(2);

      // Signed out: the old cookie no longer opens anything; no cookie at all neither.
      const old = registered.session;
      expect((await registered.post('/portal/api/sign-out', {})).status).toBe(200);
      expect(registered.session).toBe('');
      const stale = await new PortalClient(url).open();
      stale.session = old;
      expect((await stale.get('/portal/api/account/tickets')).body).toEqual({ error: { code: 'portal.signedOut' } });
      expect((await new PortalClient(url).get('/portal/api/account/tickets')).status).toBe(401);
    });

    it('a link expires after 30 minutes, a forged or malformed one opens nothing, and a session ends after 12 hours', async () => {
      nextWindow();
      const client = await new PortalClient(url).open();
      const token = await linkFor(client, 'alma@correo.mx');
      clock += 31 * 60_000;
      expect((await client.post('/portal/api/sign-in', { token })).body).toEqual({ error: { code: 'portal.linkInvalid' } });
      expect((await client.post('/portal/api/sign-in', { token: 'A'.repeat(43) })).body).toEqual({ error: { code: 'portal.linkInvalid' } });
      expect((await client.post('/portal/api/sign-in', { token: '<script>' })).status).toBe(400);
      expect((await client.post('/portal/api/sign-in', { token: await linkFor(client, 'alma@correo.mx') }, { csrf: null })).status).toBe(403);
      nextWindow();
      await client.post('/portal/api/sign-in', { token: await linkFor(client, 'alma@correo.mx') });
      expect((await client.get('/portal/api/account/tickets')).body.tickets.map((t: { subject: string }) => t.subject)).toEqual(['Ticket de otra empresa']);
      clock += 12 * 60 * 60_000 + 1;
      expect((await client.get('/portal/api/account/tickets')).status).toBe(401);
    });

    it('limits links per e-mail and per IP across server processes (the counts live in the database)', async () => {
      nextWindow();
      const one = await new PortalClient(url).open();
      const two = await new PortalClient(url2).open();
      // Three per e-mail per hour, whichever process is asked.
      expect((await one.post('/portal/api/sign-in-link', { email: 'nadie@ejemplo.mx' })).status).toBe(202);
      expect((await two.post('/portal/api/sign-in-link', { email: 'nadie@ejemplo.mx' })).status).toBe(202);
      expect((await one.post('/portal/api/sign-in-link', { email: 'nadie@ejemplo.mx' })).status).toBe(202);
      expect((await two.post('/portal/api/sign-in-link', { email: 'nadie@ejemplo.mx' })).body).toEqual({ error: { code: 'portal.tooManyRequests' } });
      // Ten per IP per hour (the four above count): six more e-mails pass, the next one stops, on either process.
      for (let i = 0; i < 6; i++) expect((await (i % 2 ? one : two).post('/portal/api/sign-in-link', { email: `otro${i}@ejemplo.mx` })).status).toBe(202);
      expect((await one.post('/portal/api/sign-in-link', { email: 'otro9@ejemplo.mx' })).status).toBe(429);
      // The table keeps digests, not addresses.
      expect(JSON.stringify(await db.query('SELECT key FROM portal_rate_limits'))).not.toMatch(/ejemplo|127\.0\.0\.1/);
    });

    it('a portal ticket gets its acknowledgement once, with the organization\'s template, though two processes send mail', async () => {
      nextWindow();
      await entity('settings', 'mail.templates', 'MTY', {
        language: 'es-MX', templates: { acknowledged: { enabled: true, 'es-MX': { subject: 'Folio {{folio}} recibido', body: 'Hola {{cliente}}: registramos «{{asunto}}» ({{folio}}). Respuesta en {{tiempo_respuesta}}.' }, en: { subject: 'x', body: 'x' } } },
      });
      const before = smtp.received.length;
      const client = await new PortalClient(url2).open();
      const challenge = await client.challenge();
      clock += MIN_FILL_MS;
      const res = await client.post('/portal/api/tickets', { ...webForm({ email: 'nuevo@cliente.mx', rfc: 'SOAN800101AB1', name: 'Ana Nueva' }), challenge });
      expect(res.status).toBe(201);
      await until(() => smtp.received.length > before);
      await new Promise((r) => setTimeout(r, 500)); // both processes polled again meanwhile
      const acks = smtp.received.slice(before);
      expect(acks).toHaveLength(1);
      expect(acks[0]!.to).toEqual(['nuevo@cliente.mx']);
      expect(acks[0]!.headers.subject).toBe(`Folio ${res.body.trackingNumber} recibido`);
      expect(acks[0]!.decoded).toContain(`Hola Ana Nueva: registramos «No puedo timbrar facturas» (${res.body.trackingNumber}). Respuesta en 24 horas hábiles.`);
      const [row] = await db.query<{ status: string; attempts: number }>("SELECT status, attempts FROM portal_mail WHERE kind = 'acknowledged'");
      expect(row).toEqual({ status: 'sent', attempts: 1 });
    });
  });
}
