/**
 * Issue 14, the list: saved views and column choice, per user, in SQLite. Each change is one
 * audited transaction; input is validated by the contract; a user never sees or changes another's.
 */
import { describe, it, expect } from 'vitest';
import { auditActions, deskPool, lastSeq } from './helpers';

const desks = deskPool();

describe('saved views', () => {
  it('names the current question, pins and unpins it, deletes it: each audited, each user apart', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-vistas', ['agent']);
    const seq = lastSeq(desk);
    const saved = await desk.call('listViews.save', {
      name: '  Severidad 3 de Operación ', question: { view: 'overdue', severity: [3], tier: ['operations'], sort: 'slaDue', direction: 'asc' },
    }, agent.token);
    expect(saved).toMatchObject({ name: 'Severidad 3 de Operación', pinned: true });
    // The question is stored complete (defaults filled in), so it reads back the same whatever changes later.
    expect(saved.question).toMatchObject({ view: 'overdue', severity: [3], tier: ['operations'], status: [], query: '', sort: 'slaDue', direction: 'asc' });
    expect(await desk.call('listViews.list', {}, agent.token)).toEqual([saved]);
    expect(await desk.call('listViews.list', {})).toEqual([]); // the administrator's are not the agent's

    expect((await desk.call('listViews.pin', { viewId: saved.id, pinned: false }, agent.token)).pinned).toBe(false);
    expect((await desk.call('listViews.list', {}, agent.token))[0]!.pinned).toBe(false);
    // Another user cannot touch it, nor learn it exists.
    expect((await desk.fail('listViews.delete', { viewId: saved.id })).code).toBe('listViews.notFound');
    expect(await desk.call('listViews.delete', { viewId: saved.id }, agent.token)).toBeNull();
    expect(await desk.call('listViews.list', {}, agent.token)).toEqual([]);
    expect(auditActions(desk, seq).filter((a) => a.startsWith('listView'))).toEqual(['listView.saved', 'listView.pinned', 'listView.deleted']);
  });

  it('refuses a repeated name, an empty one and a malformed question, writing nothing', async () => {
    const desk = await desks.ready();
    await desk.call('listViews.save', { name: 'Mis urgentes', question: { view: 'mine', priority: ['high'] } });
    const rows = () => desk.services.ws.db.prepare('SELECT count(*) FROM list_views').pluck().get();
    expect(await desk.fail('listViews.save', { name: 'Mis urgentes', question: {} })).toMatchObject({ code: 'listViews.nameTaken' });
    expect((await desk.fail('listViews.save', { name: '   ', question: {} })).fields).toEqual({ name: 'validation.required' });
    expect((await desk.fail('listViews.save', { name: 'Rara', question: { view: 'todas' } })).code).toBe('validation.failed');
    expect((await desk.fail('listViews.save', { name: 'Rara', question: { severity: [7] } })).code).toBe('validation.failed');
    expect(rows()).toBe(1);
  });
});

describe('columns', () => {
  it('remembers the columns and widths per user; refuses a set without folio or subject, or a column twice', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente-columnas', ['agent']);
    expect(await desk.call('listPrefs.get', {}, agent.token)).toEqual({ columns: null });
    const columns = [{ id: 'trackingNumber', width: 120 }, { id: 'subject', width: 260 }, { id: 'sla', width: 200 }] as const;
    const seq = lastSeq(desk);
    await desk.call('listPrefs.save', { columns: [...columns] }, agent.token);
    expect(await desk.call('listPrefs.get', {}, agent.token)).toEqual({ columns });
    expect(await desk.call('listPrefs.get', {})).toEqual({ columns: null });
    expect(auditActions(desk, seq)).toEqual(['listColumns.saved']);

    expect((await desk.fail('listPrefs.save', { columns: [{ id: 'sla', width: 200 }] }, agent.token)).code).toBe('validation.failed');
    expect((await desk.fail('listPrefs.save', { columns: [{ id: 'subject', width: 200 }, { id: 'subject', width: 100 }] }, agent.token)).code).toBe('validation.failed');
    expect((await desk.fail('listPrefs.save', { columns: [{ id: 'subject', width: 5 }] }, agent.token)).code).toBe('validation.failed');
    expect(await desk.call('listPrefs.get', {}, agent.token)).toEqual({ columns });
  });
});
