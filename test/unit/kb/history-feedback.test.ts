/**
 * Knowledge base history and feedback (issue 12, item 5, what was left): every version is listed
 * with who saved it; an old one comes back as a new version in draft (history kept, audited, to
 * the outbox), refused to who may not take a published article back to draft and over a newer
 * save; the line diff people read; "¿Le sirvió?" one answer per agent, counts only for editors.
 */
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../electron/shared/text-diff';
import type { TestDesk } from '../../fixtures/workspace';
import { auditActions, deskPool, lastSeq } from '../core/helpers';

const desks = deskPool();
const count = (d: TestDesk, sql: string, ...args: unknown[]) => d.services.ws.db.prepare(sql).pluck().get(...args) as number;

async function article(d: TestDesk) {
  const a = await d.call('kb.create', { category: 'query_cancel_cfdi', title: 'Cancelar una factura', body: 'Paso 1\nPaso 2\nPaso 3' });
  const v2 = await d.call('kb.update', { articleId: a.id, expectedVersion: 1, body: 'Paso 1\nPaso 2 corregido\nPaso 3' });
  const v3 = await d.call('kb.update', { articleId: a.id, expectedVersion: v2.version, title: 'Cancelar un CFDI', body: 'Paso 1\nPaso 3\nPaso 4' });
  return v3;
}

describe('history', () => {
  it('lists every version newest first, the current one marked, with who saved each', async () => {
    const d = await desks.ready();
    const a = await article(d);
    const h = await d.call('kb.history', { articleId: a.id });
    expect(h.revisions.map((r) => [r.version, r.title, r.current])).toEqual([
      [3, 'Cancelar un CFDI', true], [2, 'Cancelar una factura', false], [1, 'Cancelar una factura', false],
    ]);
    expect(h.revisions[1]!.body).toBe('Paso 1\nPaso 2 corregido\nPaso 3');
    expect(h.revisions.every((r) => r.editedByName === 'Ana Administradora')).toBe(true);
    expect(h.canRestore).toBe(true);
  });

  it('restores an old version as a new draft version: history kept, audited, in the outbox', async () => {
    const d = await desks.ready();
    const a = await article(d);
    await d.call('kb.setStatus', { articleId: a.id, status: 'published' });
    const seq = lastSeq(d);
    const restored = await d.call('kb.restore', { articleId: a.id, version: 1, expectedVersion: 4 });
    expect(restored).toMatchObject({ version: 5, status: 'draft', title: 'Cancelar una factura', body: 'Paso 1\nPaso 2\nPaso 3' });
    expect((await d.call('kb.history', { articleId: a.id })).revisions.map((r) => r.version)).toEqual([5, 4, 3, 2, 1]);
    expect(auditActions(d, seq)).toEqual(['kb.articleRestored']);
    const out = JSON.parse(d.services.ws.db.prepare("SELECT payload FROM outbox WHERE entity = 'kb_article' ORDER BY rowid DESC LIMIT 1").pluck().get() as string);
    expect(out).toMatchObject({ version: 5, status: 'draft', title: 'Cancelar una factura', body: 'Paso 1\nPaso 2\nPaso 3' });
  });

  it('refuses: a writer restoring a published article (it would unpublish it), a stale version, a version that does not exist', async () => {
    const d = await desks.ready();
    const a = await article(d);
    const agent = await d.userWithRoles('agente.kb', ['agent']);
    const officer = await d.userWithRoles('oficial.kb', ['security_officer']);
    expect((await d.fail('kb.history', { articleId: a.id }, officer.token)).code).toBe('auth.forbidden');
    // A draft: the writer may bring an old text back.
    expect((await d.call('kb.history', { articleId: a.id }, agent.token)).canRestore).toBe(true);
    await d.call('kb.setStatus', { articleId: a.id, status: 'published' });
    expect((await d.call('kb.history', { articleId: a.id }, agent.token)).canRestore).toBe(false);
    const before = count(d, 'SELECT COUNT(*) FROM kb_article_revisions');
    expect((await d.fail('kb.restore', { articleId: a.id, version: 1, expectedVersion: 4 }, agent.token)).code).toBe('kb.publishForbidden');
    expect((await d.fail('kb.restore', { articleId: a.id, version: 1, expectedVersion: 3 })).code).toBe('kb.staleVersion');
    expect((await d.fail('kb.restore', { articleId: a.id, version: 9, expectedVersion: 4 })).code).toBe('kb.revisionNotFound');
    expect(count(d, 'SELECT COUNT(*) FROM kb_article_revisions')).toBe(before);
  });
});

describe('the diff people read', () => {
  it('marks removed and added lines around the ones kept', () => {
    expect(diffLines('Paso 1\nPaso 2\nPaso 3', 'Paso 1\nPaso 3\nPaso 4')).toEqual([
      { kind: 'same', text: 'Paso 1' }, { kind: 'removed', text: 'Paso 2' }, { kind: 'same', text: 'Paso 3' }, { kind: 'added', text: 'Paso 4' },
    ]);
    expect(diffLines('a\nb', 'a\nb')).toEqual([{ kind: 'same', text: 'a' }, { kind: 'same', text: 'b' }]);
    expect(diffLines('', 'x')).toEqual([{ kind: 'removed', text: '' }, { kind: 'added', text: 'x' }]);
    // A change in the middle of a long text keeps the rest as it was.
    const long = Array.from({ length: 3000 }, (_, i) => `línea ${i}`);
    const changed = [...long.slice(0, 1500), 'nueva', ...long.slice(1501)];
    const d = diffLines(long.join('\n'), changed.join('\n'));
    expect(d.filter((l) => l.kind !== 'same')).toEqual([{ kind: 'removed', text: 'línea 1500' }, { kind: 'added', text: 'nueva' }]);
  });
});

describe('¿Le sirvió?', () => {
  it('one answer per agent (a new one replaces it); the counts only for who may edit the article; audited', async () => {
    const d = await desks.ready();
    const a = await article(d);
    expect((await d.fail('kb.feedback', { articleId: a.id, helpful: true })).code).toBe('kb.notPublished');
    await d.call('kb.setStatus', { articleId: a.id, status: 'published' });
    const laura = await d.userWithRoles('laura.kb', ['agent']);
    const pepe = await d.userWithRoles('pepe.kb', ['agent']);
    const officer = await d.userWithRoles('oficial.kb', ['security_officer']);
    await d.call('kb.feedback', { articleId: a.id, helpful: false }, laura.token);
    const mine = await d.call('kb.feedback', { articleId: a.id, helpful: true }, laura.token);
    expect(mine.feedback).toEqual({ helpful: 1, notHelpful: 0, mine: true });
    await d.call('kb.feedback', { articleId: a.id, helpful: false }, pepe.token);
    const seen = await d.call('kb.get', { articleId: a.id });
    expect(seen.feedback).toEqual({ helpful: 1, notHelpful: 1, mine: null });
    // A reader who may not edit it answers, and sees only their own answer.
    const theirs = await d.call('kb.feedback', { articleId: a.id, helpful: true }, officer.token);
    expect(theirs.feedback).toEqual({ helpful: null, notHelpful: null, mine: true });
    expect(count(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'kb.feedbackGiven'")).toBe(4);
  });
});
