/**
 * Public knowledge-base articles on the portal (issue 13, item 5), on the real server against
 * PostgreSQL and PGlite: only published AND public articles are found or read, search folds
 * accents and case and ranks titles first, bodies arrive as sanitized HTML, and deflection counts
 * the visits that read an article and opened no ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { setupAdmin } from '../../../server/commands/admin';
import type { Db } from '../../../server/db';
import { migrateServer } from '../../../server/migrate';
import { MIN_FILL_MS } from '../../../server/portal/guard';
import { BACKENDS, SERVER_ADMIN_PASSWORD } from './harness';
import { PortalClient, webForm } from './portal-client';

const A = (n: number) => `0193c000-0000-7000-8000-0000000000${String(n).padStart(2, '0')}`;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`portal articles on ${backend.name}`, () => {
    let db: Db;
    let stop: () => Promise<void>;
    let app: FastifyInstance;
    let url = '';
    let clock = Date.UTC(2026, 11, 7, 16, 0, 0);
    const article = (n: number, data: object) =>
      db.query("INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq) VALUES ('kb_article', $1, 'MTY', $2, '{}', $3)", [A(n), JSON.stringify({ category: 'other', status: 'published', visibility: 'public', ...data }), n]);

    beforeAll(async () => {
      ({ db, stop } = await backend.open());
      await migrateServer(db);
      await db.tx((sql) => setupAdmin(sql, 'central', SERVER_ADMIN_PASSWORD, clock));
      app = buildServer({ db, now: () => clock, env: { PORTAL_SITE_CODE: 'WEB' }, portal: { smtp: null } });
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      await db.query("INSERT INTO branches (code, name, time_zone, created_at) VALUES ('MTY', 'Sucursal MTY', 'America/Mexico_City', 1)");
      await article(1, { title: 'Cómo cancelar una factura timbrada', body: 'Para la **cancelación** elija el motivo 02.<script>alert(1)</script> [más](javascript:alert(1))' });
      await article(2, { title: 'Error 301 al timbrar', body: 'El certificado venció: cárguelo de nuevo y vuelva a timbrar la factura.' });
      await article(3, { title: 'Cancelación interna: pasos del agente', body: 'Solo para el equipo.', visibility: 'internal' });
      await article(4, { title: 'Cancelar facturas (borrador)', body: 'Aún no.', status: 'draft' });
      await article(5, { title: 'Cancelar: artículo archivado', body: 'Viejo.', status: 'archived' });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await stop?.();
    });

    it('finds only published public articles, accent- and case-insensitive, titles first', async () => {
      const client = await new PortalClient(url).open();
      const titles = async (q: string) => ((await client.get(`/portal/api/articles?q=${encodeURIComponent(q)}`)).body.articles as Array<{ title: string }>).map((a) => a.title);
      expect(await titles('CANCELACION')).toEqual(['Cómo cancelar una factura timbrada']);
      expect(await titles('no puedo timbrar la factura')).toEqual(['Error 301 al timbrar']);
      expect(await titles('')).toEqual(['Cómo cancelar una factura timbrada', 'Error 301 al timbrar']);
      expect(await titles('agente')).toEqual([]);
      expect((await client.get('/portal/api/articles?limit=500')).status).toBe(400);
      // An article published later is found at once (the cache follows the feed).
      await article(6, { title: 'Descargar el XML de una factura', body: 'Desde Consultas → Descargar.' });
      expect(await titles('descargar xml')).toEqual(['Descargar el XML de una factura']);
    });

    it('reads a public article as sanitized HTML; drafts, internal and archived ones answer like none; its own address serves the page', async () => {
      const client = await new PortalClient(url).open();
      const read = await client.get(`/portal/api/articles/${A(1)}`);
      expect(read.status).toBe(200);
      expect(read.body.html).toContain('<strong>cancelación</strong>');
      expect(read.body.html).not.toMatch(/<script|href="javascript:/);
      expect(read.body.html).toContain("&lt;script&gt;"); // shown as text
      for (const id of [A(3), A(4), A(5), A(99), 'nope']) {
        expect((await client.get(`/portal/api/articles/${id}`)).body).toEqual({ error: { code: 'portal.articleNotFound' } });
      }
      const page = await fetch(`${url}/portal/articulos/${A(1)}`);
      expect([200, 503]).toContain(page.status); // 503 when the page is not built in this checkout
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    });

    it('counts deflection: visits that read an article and opened no ticket', async () => {
      const visitA = 'a'.repeat(32);
      const visitB = 'b'.repeat(32);
      const client = await new PortalClient(url).open();
      await client.get(`/portal/api/articles/${A(1)}?visit=${visitA}`);
      await client.get(`/portal/api/articles/${A(1)}?visit=${visitA}`); // read twice: one read in that visit
      await client.get(`/portal/api/articles/${A(2)}?visit=${visitB}`);
      expect((await client.get(`/portal/api/articles/${A(1)}?visit=<b>`)).status).toBe(400);
      // Visit B opens a ticket after reading: not deflected.
      const challenge = await client.challenge();
      clock += MIN_FILL_MS;
      expect((await client.post('/portal/api/tickets', { ...webForm(), challenge, visit: visitB })).status).toBe(201);

      const signIn = await fetch(`${url}/v1/admin/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'central', password: SERVER_ADMIN_PASSWORD }) });
      const { token } = (await signIn.json()) as { token: string };
      expect((await fetch(`${url}/v1/admin/portal/deflection`)).status).toBe(401);
      const res = await fetch(`${url}/v1/admin/portal/deflection?days=7`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { visitsWithReads: number; deflectedVisits: number; articles: Array<{ articleId: string; reads: number; deflected: number }> };
      expect(body.visitsWithReads).toBe(2);
      expect(body.deflectedVisits).toBe(1);
      expect(body.articles).toEqual(expect.arrayContaining([
        expect.objectContaining({ articleId: A(1), title: 'Cómo cancelar una factura timbrada', reads: 1, deflected: 1 }),
        expect.objectContaining({ articleId: A(2), reads: 1, deflected: 0 }),
      ]));
    });
  });
}
