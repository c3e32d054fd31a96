import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { TestDesk, phoneIntake } from '../../fixtures/workspace';
import type { MethodInput } from '../../../electron/shared/contract';
import { searchStats } from '../../../electron/core/ticket-list';

/**
 * Search after a write (issue 16): the scored matches of a question are brought up to date, not
 * scored again — at 1,000,000 tickets scoring a common word again took ~11 s of CPU, and every
 * save (anyone's) made the next search pay it. What a write can change is found: a new ticket,
 * a new note on an old ticket, a subject edited to say the word or to stop saying it; and the
 * result is what scoring everything again gives.
 */
let desk: TestDesk;
const ids: string[] = [];
let customerId = '';

beforeAll(async () => {
  desk = await new TestDesk().setup();
  const first = await desk.call('tickets.create', phoneIntake({ subject: 'Addenda rechazada', description: 'La addenda no pasa la validación' }) as MethodInput<'tickets.create'>);
  ids.push(first.id);
  customerId = first.customerId;
  const customer = { kind: 'existing' as const, customerId };
  for (let i = 1; i < 30; i++) {
    const withWord = i % 3 === 0;
    const t = await desk.call('tickets.create', phoneIntake({
      customer, subject: withWord ? `Addenda del cliente ${i}` : `Consulta ${i}`, description: withWord ? 'Revisar la addenda' : 'Sin relación',
    }) as MethodInput<'tickets.create'>);
    ids.push(t.id);
  }
}, 60_000);

afterAll(() => desk?.close());

const search = async (searchOrder: 'relevance' | 'recent') => {
  const page = await desk.call('tickets.list', { query: 'addenda', searchOrder, limit: 100 });
  return { total: page.total, ids: page.rows.map((r) => r.id) };
};

describe('search right after a write', () => {
  it('brings the matches up to date without scoring every match again, and agrees with a full scoring', async () => {
    const before = await search('relevance');
    await search('recent');
    expect(before.total).toBe(10);
    const scorings = searchStats.fullScorings;

    // Writes that change what matches: a new ticket with the word, a note with it on an old
    // ticket, a subject edited to say it, one edited to stop saying it; and one that changes nothing.
    const added = await desk.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, subject: 'Addenda nueva', description: 'Otra addenda' }) as MethodInput<'tickets.create'>);
    await desk.call('tickets.note', { ticketId: ids[1]!, body: 'El cliente envió su addenda corregida' });
    await desk.call('tickets.update', { ticketId: ids[2]!, subject: 'Consulta sobre addenda' });
    await desk.call('tickets.update', { ticketId: ids[3]!, subject: 'Consulta general' });
    await desk.call('tickets.note', { ticketId: ids[4]!, body: 'Nada que ver' });
    const recent = await search('recent');
    const relevance = await search('relevance');
    expect(searchStats.fullScorings).toBe(scorings);

    // Ticket 3 still says the word in its description: it stays.
    const expected = new Set([...before.ids, added.id, ids[1]!, ids[2]!]);
    expect(new Set(recent.ids)).toEqual(expected);
    expect(recent.total).toBe(expected.size);
    expect(new Set(relevance.ids)).toEqual(expected);
    expect(recent.ids[0]).toBe(added.id);

    // A subject edited away from the only place the word was: gone.
    await desk.call('tickets.update', { ticketId: ids[0]!, subject: 'Validación' });
    const stillInDescription = (await search('recent')).ids;
    expect(stillInDescription).toContain(ids[0]!); // the description says it too
    expect(searchStats.fullScorings).toBe(scorings);

    // The same as scoring everything again: four other questions push it out of the cache.
    for (const query of ['consulta', 'cliente', 'relación', 'validación']) await desk.call('tickets.list', { query, limit: 1 });
    const full = await search('recent');
    expect(searchStats.fullScorings).toBeGreaterThan(scorings);
    expect(full).toEqual(await search('recent'));
    expect(new Set((await search('relevance')).ids)).toEqual(new Set(full.ids));
    expect(full.ids).toEqual(stillInDescription);
  });
});
