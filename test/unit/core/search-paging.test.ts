import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { TestDesk, phoneIntake } from '../../fixtures/workspace';
import type { MethodInput } from '../../../electron/shared/contract';
import type { TicketPage } from '../../../electron/shared/types';

/**
 * Search finds everything (issue 16): a word in more tickets than the old 300-candidate cap is
 * found in every one of them across cursor pages, with the right count, in either order.
 * 340 tickets say "conciliación" in their description; 10 more only in a later note; the first
 * 5 also in their subject (more of the word: more relevant).
 */
const WITH_WORD = 340;
const IN_NOTE = 10;
const IN_SUBJECT = 5;
let desk: TestDesk;
const created: string[] = [];
const noteOnly = new Set<string>();

beforeAll(async () => {
  desk = await new TestDesk().setup();
  const first = await desk.call('tickets.create', phoneIntake({ subject: 'Conciliación de pagos', description: 'Pide conciliación de pagos' }) as MethodInput<'tickets.create'>);
  created.push(first.id);
  const customer = { kind: 'existing' as const, customerId: first.customerId };
  for (let i = 1; i < WITH_WORD + IN_NOTE + 20; i++) {
    const subject = i < IN_SUBJECT ? `Conciliación de pagos ${i}` : `Consulta ${i}`;
    const description = i < WITH_WORD ? `El cliente pide la conciliación del mes ${i}` : `Otra consulta ${i}`;
    const t = await desk.call('tickets.create', phoneIntake({ customer, subject, description }) as MethodInput<'tickets.create'>);
    created.push(t.id);
    if (i >= WITH_WORD && i < WITH_WORD + IN_NOTE) {
      await desk.call('tickets.note', { ticketId: t.id, body: 'Revisar la conciliación con el área de cobranza' });
      noteOnly.add(t.id);
    }
  }
}, 120_000);

afterAll(() => desk?.close());

async function everyPage(input: MethodInput<'tickets.list'>): Promise<{ ids: string[]; first: TicketPage; pages: number }> {
  const first = await desk.call('tickets.list', input);
  const ids = first.rows.map((r) => r.id);
  let cursor = first.nextCursor;
  let pages = 1;
  while (cursor) {
    const page = await desk.call('tickets.list', { ...input, cursor });
    expect(page.total).toBeNull();
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor;
    pages++;
  }
  return { ids, first, pages };
}

describe('search without a cap', () => {
  it('finds all 350 tickets with the word across pages of 100, and counts them on the first page', async () => {
    const { ids, first, pages } = await everyPage({ query: 'conciliacion', limit: 100 });
    expect(first.total).toBe(WITH_WORD + IN_NOTE);
    expect(first.totalCapped).toBe(false);
    expect(pages).toBe(4);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...created.slice(0, WITH_WORD), ...noteOnly]));
  });

  it('most recent first: newest ticket first, through every page', async () => {
    const { ids } = await everyPage({ query: 'conciliación', searchOrder: 'recent', limit: 50 });
    const order = ids.map((id) => created.indexOf(id));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(ids.length).toBe(WITH_WORD + IN_NOTE);
  });

  it('relevance: the tickets that say it most (subject and description) come first, the newer first among alike matches', async () => {
    const { ids } = await everyPage({ query: 'conciliacion', searchOrder: 'relevance', limit: 30 });
    expect(ids.length).toBe(WITH_WORD + IN_NOTE);
    const order = ids.map((id) => created.indexOf(id));
    expect(new Set(order.slice(0, IN_SUBJECT))).toEqual(new Set([0, 1, 2, 3, 4]));
    // Alike texts: the newest first (#0's shorter description makes it a closer match).
    expect(order.slice(1, IN_SUBJECT)).toEqual([4, 3, 2, 1]);
    // Then the description matches, newest first; a match only in a note counts less.
    expect(order.slice(IN_SUBJECT, IN_SUBJECT + 3)).toEqual([WITH_WORD - 1, WITH_WORD - 2, WITH_WORD - 3]);
    expect(order.slice(-IN_NOTE).every((i) => i >= WITH_WORD)).toBe(true);
  });

  it('applies the view and filters to every match, not to the most recent few', async () => {
    // Close the oldest 3 tickets with the word: the Cerrados view finds exactly them.
    for (const id of created.slice(0, 3)) await desk.call('tickets.close', { ticketId: id, cause: 'Atendido', solution: 'Se concilió' });
    const closed = await everyPage({ query: 'conciliacion', view: 'closed', limit: 2 });
    expect(new Set(closed.ids)).toEqual(new Set(created.slice(0, 3)));
    expect(closed.first.total).toBe(3);
    const open = await desk.call('tickets.list', { query: 'conciliacion', view: 'open', limit: 1 });
    expect(open.total).toBe(WITH_WORD + IN_NOTE - 3);
  });

  it('highlights a match found only in a note', async () => {
    const { first } = await everyPage({ query: 'cobranza', limit: 50 });
    expect(first.rows.map((r) => r.id).sort()).toEqual([...noteOnly].sort());
    expect(first.rows[0]!.highlight).toContain('[[cobranza]]');
  });
});
