/**
 * Knowledge base (issue 12, item 5) through the real dispatcher on a real SQLite file: the starter
 * articles, accent-insensitive ranked search, who may write and publish, the write transaction
 * (history, audit, outbox) and the suggestions for a ticket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KB_STARTER_ARTICLES, KB_STARTER_VERSION } from '../../../electron/shared/kb-starter';
import { mutationRefusal } from '../../../electron/shared/sync/permissions';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const open: TestDesk[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.close();
});

/** A desk set up with the starter articles (the app's default; other unit tests turn them off). */
async function deskWithStarter(): Promise<TestDesk> {
  const d = new TestDesk(undefined, undefined, false, { start: false }, true);
  open.push(d);
  return d.setup();
}

async function emptyDesk(): Promise<TestDesk> {
  const d = new TestDesk();
  open.push(d);
  return d.setup();
}

function count(desk: TestDesk, sql: string, ...params: unknown[]): number {
  return desk.services.ws.db.prepare(sql).pluck().get(...params) as number;
}

describe('starter articles', () => {
  it('a new workspace has them published after setup, once, with one audit entry and their outbox inserts', async () => {
    const desk = await deskWithStarter();
    const page = await desk.call('kb.list', { limit: 100 });
    expect(page.total).toBe(KB_STARTER_ARTICLES.length);
    expect(page.rows.every((r) => r.status === 'published')).toBe(true);
    expect(count(desk, "SELECT COUNT(*) FROM audit_log WHERE action = 'kb.starterInstalled'")).toBe(1);
    expect(count(desk, "SELECT COUNT(*) FROM outbox WHERE entity = 'kb_article' AND op = 'insert' AND actor_kind = 'system'")).toBe(KB_STARTER_ARTICLES.length);
    expect(desk.services.kb.installStarter()).toBe(0);
    expect(count(desk, 'SELECT COUNT(*) FROM kb_articles')).toBe(KB_STARTER_ARTICLES.length);
  });

  it('an existing workspace gets them when it opens with this version, and an archived one does not come back', async () => {
    const first = new TestDesk();
    await first.setup();
    const dir = first.dataDir;
    expect(count(first, 'SELECT COUNT(*) FROM kb_articles')).toBe(0);
    first.host.close();
    const reopened = new TestDesk(dir, undefined, false, { start: false }, true);
    open.push(reopened);
    await reopened.signInAgain();
    expect(count(reopened, 'SELECT COUNT(*) FROM kb_articles')).toBe(KB_STARTER_ARTICLES.length);
    expect(reopened.services.ws.getSetting('kb.starterVersion')).toBe(String(KB_STARTER_VERSION));
    const archived = KB_STARTER_ARTICLES[0]!.id;
    await reopened.call('kb.setStatus', { articleId: archived, status: 'archived' });
    reopened.services.ws.db.prepare("DELETE FROM settings WHERE key = 'kb.starterVersion'").run();
    reopened.services.kb.installStarter();
    expect((await reopened.call('kb.get', { articleId: archived })).status).toBe('archived');
  });

  it('every starter article renders to HTML and plain text without Markdown marks left', async () => {
    const desk = await deskWithStarter();
    for (const a of KB_STARTER_ARTICLES) {
      const article = await desk.call('kb.get', { articleId: a.id });
      expect(article.bodyHtml).toContain('<p>');
      expect(article.bodyText).not.toMatch(/\*\*|^#+ /m);
      expect(article.authorName).toBeNull();
    }
  });
});

describe('search', () => {
  it('is accent-insensitive both ways', async () => {
    const desk = await deskWithStarter();
    const titles = async (query: string) => (await desk.call('kb.list', { query })).rows.map((r) => r.title);
    expect(await titles('nomina')).toContain('Recibos de nómina: datos del trabajador que debe revisar');
    expect(await titles('NÓMINA')).toContain('Recibos de nómina: datos del trabajador que debe revisar');
    expect(await titles('cancelacion')).toContain('Cancelar una factura: motivos 01, 02, 03 y 04 y cuándo se sustituye');
    const created = await desk.call('kb.create', { category: 'other', title: 'Guia rapida sin acentos', body: 'Configuracion del buzon.' });
    expect((await desk.call('kb.list', { query: 'configuración buzón' })).rows.map((r) => r.id)).toEqual([created.id]);
  });

  it('ranks an article with the words in its title above one that only mentions them, and marks the matches', async () => {
    const desk = await emptyDesk();
    const body = await desk.call('kb.create', {
      category: 'other', title: 'Preguntas frecuentes', body: 'Hay muchas preguntas. Una trata del certificado de sello digital y otra de otras cosas.',
    });
    const title = await desk.call('kb.create', { category: 'csd_efirma_validation', title: 'Certificado de sello digital vencido', body: 'Solicite uno nuevo.' });
    const page = await desk.call('kb.list', { query: 'certificado sello' });
    expect(page.rows.map((r) => r.id)).toEqual([title.id, body.id]);
    expect(page.rows[1]!.excerpt).toContain('[[certificado]] de [[sello]]');
  });

  it('searches as you type (the last word as a prefix) and falls back to any meaningful word for a question', async () => {
    const desk = await deskWithStarter();
    expect((await desk.call('kb.list', { query: 'complemento de pa' })).rows[0]?.title).toBe('Complemento de pago: cuándo se emite y plazo');
    const question = await desk.call('kb.list', { query: '¿cómo le hago para cancelar una factura con error?' });
    expect(question.rows[0]?.title).toBe('Cancelar una factura: motivos 01, 02, 03 y 04 y cuándo se sustituye');
  });

  it('filters by category and visibility, and leaves archived articles out unless asked', async () => {
    const desk = await deskWithStarter();
    const internal = await desk.call('kb.list', { visibility: 'internal', limit: 100 });
    expect(internal.rows.length).toBeGreaterThan(0);
    expect(internal.rows.every((r) => r.visibility === 'internal')).toBe(true);
    const csd = await desk.call('kb.list', { category: 'csd_efirma_validation' });
    expect(csd.rows.map((r) => r.category)).toEqual(['csd_efirma_validation']);
    await desk.call('kb.setStatus', { articleId: csd.rows[0]!.id, status: 'archived' });
    expect((await desk.call('kb.list', { category: 'csd_efirma_validation' })).total).toBe(0);
    expect((await desk.call('kb.list', { category: 'csd_efirma_validation', status: ['archived'] })).total).toBe(1);
  });
});

describe('who may write and publish (checked in core)', () => {
  it('writers draft, publishers publish; a writer edits internal articles but not what customers read', async () => {
    const desk = await emptyDesk();
    const agent = await desk.userWithRoles('agente.kb', ['agent']);
    const supervisor = await desk.userWithRoles('supervisora.kb', ['supervisor']);
    const officer = await desk.userWithRoles('seguridad.kb', ['security_officer']);

    const draft = await desk.call('kb.create', { category: 'issue_invoice', title: 'Borrador', body: 'Texto.', visibility: 'public' }, agent.token);
    expect(draft.status).toBe('draft');
    expect((await desk.fail('kb.setStatus', { articleId: draft.id, status: 'published' }, agent.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('kb.create', { category: 'other', title: 'x', body: 'y' }, officer.token)).code).toBe('auth.forbidden');
    // A draft is not public yet: the agent may still change it.
    const v2 = await desk.call('kb.update', { articleId: draft.id, expectedVersion: 1, body: 'Texto corregido.' }, agent.token);
    expect(v2.version).toBe(2);

    const published = await desk.call('kb.setStatus', { articleId: draft.id, status: 'published' }, supervisor.token);
    expect(published.publishedAt).not.toBeNull();
    const before = desk.dataCounts();
    const refused = await desk.fail('kb.update', { articleId: draft.id, expectedVersion: published.version, body: 'Cambio del agente' }, agent.token);
    expect(refused.code).toBe('kb.editForbidden');
    expect(desk.dataCounts()).toEqual(before);
    const refusal = desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'api.refused' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(refusal)).toMatchObject({ error: 'kb.editForbidden' });
    expect((await desk.call('kb.get', { articleId: draft.id }, agent.token)).canEdit).toBe(false);

    // An internal published article is the desk's own: the agent edits it, but may not make it public.
    const internal = await desk.call('kb.create', { category: 'other', title: 'Interno', body: 'Solo la mesa.' }, agent.token);
    await desk.call('kb.setStatus', { articleId: internal.id, status: 'published' }, supervisor.token);
    const edited = await desk.call('kb.update', { articleId: internal.id, expectedVersion: 2, title: 'Interno (revisado)' }, agent.token);
    expect(edited.title).toBe('Interno (revisado)');
    expect((await desk.fail('kb.update', { articleId: internal.id, expectedVersion: 3, visibility: 'public' }, agent.token)).code).toBe('kb.editForbidden');
    expect((await desk.call('kb.update', { articleId: internal.id, expectedVersion: 3, visibility: 'public' }, supervisor.token)).visibility).toBe('public');
  });

  it('refuses a save over a newer version (two people editing at once)', async () => {
    const desk = await emptyDesk();
    const a = await desk.call('kb.create', { category: 'other', title: 'Uno', body: 'Texto.' });
    await desk.call('kb.update', { articleId: a.id, expectedVersion: 1, title: 'Dos' });
    expect((await desk.fail('kb.update', { articleId: a.id, expectedVersion: 1, title: 'Tres' })).code).toBe('kb.staleVersion');
    expect((await desk.call('kb.get', { articleId: a.id })).title).toBe('Dos');
  });

  it('refuses bad input with a field message and writes nothing', async () => {
    const desk = await emptyDesk();
    const before = desk.dataCounts();
    const error = await desk.fail('kb.create', { category: 'timbrado', title: '', body: 'x'.repeat(50_001) });
    expect(error.code).toBe('validation.failed');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['body', 'category', 'title']);
    expect(desk.dataCounts()).toEqual(before);
    expect(count(desk, 'SELECT COUNT(*) FROM kb_articles')).toBe(0);
  });

  it('the sync server applies the same rules to pushed articles', () => {
    const m = (over: Partial<Parameters<typeof mutationRefusal>[0]>) => ({
      actorKind: 'user' as const, entity: 'kb_article', entityId: '01938a00-4b00-7000-8000-000000000999', op: 'update' as const, payload: { title: 'x' }, ...over,
    });
    expect(mutationRefusal(m({}), ['agent'])).toBeNull();
    expect(mutationRefusal(m({ payload: { status: 'published' } }), ['agent'])).toBe('sync.forbidden');
    expect(mutationRefusal(m({ payload: { status: 'published' } }), ['supervisor'])).toBeNull();
    expect(mutationRefusal(m({ op: 'insert', payload: { status: 'draft' } }), ['agent'])).toBeNull();
    expect(mutationRefusal(m({ op: 'insert', payload: { status: 'published' } }), ['agent'])).toBe('sync.forbidden');
    expect(mutationRefusal(m({ actorKind: 'system', op: 'insert', entityId: KB_STARTER_ARTICLES[0]!.id }), null)).toBeNull();
    expect(mutationRefusal(m({ actorKind: 'system', op: 'insert' }), null)).toBe('sync.forbidden');
    expect(mutationRefusal(m({}), ['security_officer'])).toBe('sync.forbidden');
  });
});

describe('the write transaction', () => {
  it('keeps the previous version in the history, audits what changed and sends only changed fields to the outbox', async () => {
    const desk = await emptyDesk();
    const a = await desk.call('kb.create', { category: 'download_pdf_xml', title: 'Descargar XML', body: 'Primera versión.' });
    const insert = desk.services.ws.db.prepare("SELECT op, payload FROM outbox WHERE entity = 'kb_article' AND entity_id = ?").get(a.id) as { op: string; payload: string };
    expect(insert.op).toBe('insert');
    expect(JSON.parse(insert.payload)).toMatchObject({ title: 'Descargar XML', body: 'Primera versión.', status: 'draft', visibility: 'internal', version: 1 });

    await desk.call('kb.update', { articleId: a.id, expectedVersion: 1, body: 'Segunda versión.' });
    const revision = desk.services.ws.db.prepare('SELECT version, body FROM kb_article_revisions WHERE article_id = ?').get(a.id);
    expect(revision).toEqual({ version: 1, body: 'Primera versión.' });
    const update = desk.services.ws.db.prepare("SELECT payload FROM outbox WHERE entity = 'kb_article' AND entity_id = ? AND op = 'update'").pluck().get(a.id) as string;
    expect(Object.keys(JSON.parse(update)).sort()).toEqual(['body', 'updatedAt', 'updatedBy', 'version']);
    const audit = desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'kb.articleUpdated'").pluck().get() as string;
    expect(JSON.parse(audit)).toEqual({ article: 'Descargar XML', version: 2, bodyChanged: true });
    // Saving the same text again changes nothing.
    const same = await desk.call('kb.update', { articleId: a.id, expectedVersion: 2, body: 'Segunda versión.' });
    expect(same.version).toBe(2);
  });
});

describe('suggestions for a ticket', () => {
  it('come from its subject and description, published only, its own category first', async () => {
    const desk = await deskWithStarter();
    const cancel = await desk.call('tickets.create', phoneIntake({
      category: 'query_cancel_cfdi', subject: 'No puede cancelar una factura',
      description: 'El cliente emitió una factura con el RFC equivocado y quiere cancelarla. ¿Qué motivo usa?',
    }));
    const s1 = await desk.call('kb.suggest', { ticketId: cancel.id });
    expect(s1[0]?.title).toBe('Cancelar una factura: motivos 01, 02, 03 y 04 y cuándo se sustituye');

    const receptor = await desk.call('tickets.create', phoneIntake({
      customer: { kind: 'existing', customerId: cancel.customerId }, category: 'issue_invoice', subject: 'Error al timbrar',
      description: 'Dice que el nombre del receptor y el código postal no coinciden con el SAT.',
    }));
    expect((await desk.call('kb.suggest', { ticketId: receptor.id }))[0]?.title).toBe('Error al timbrar: los datos del receptor no coinciden con los del SAT');

    const draft = await desk.call('kb.create', { category: 'query_cancel_cfdi', title: 'Cancelar factura con motivo (borrador)', body: 'Cancelar factura motivo RFC equivocado.' });
    expect((await desk.call('kb.suggest', { ticketId: cancel.id, limit: 10 })).map((r) => r.id)).not.toContain(draft.id);
  });

  it('a ticket with no meaningful words gets no suggestions, and an unknown ticket is refused', async () => {
    const desk = await deskWithStarter();
    const t = await desk.call('tickets.create', phoneIntake({ subject: 'Hola', description: 'Ayuda por favor' }));
    expect(await desk.call('kb.suggest', { ticketId: t.id })).toEqual([]);
    expect((await desk.fail('kb.suggest', { ticketId: '01938a00-4b00-7000-8000-00000000abcd' })).code).toBe('tickets.notFound');
  });
});
