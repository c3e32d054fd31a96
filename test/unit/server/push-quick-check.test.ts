/**
 * The push's quick check (protocol.ts quickPushRequest) stands in for pushRequestSchema on the
 * server's throughput path: it must take exactly the good batches the schema takes, give them back
 * as the schema would, and leave every batch the schema refuses (or would change) to the schema.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BATCH, MAX_PAYLOAD_CHARS, pushRequestSchema, quickPushRequest } from '../../../electron/shared/sync/protocol';

const device = '0190a000-0000-7000-8000-00000000d001';
const actor = '0190a000-0000-7000-8000-00000000a001';
const good = (pushSeq: number): Record<string, unknown> => ({
  pushSeq, id: `0190a000-0000-7000-8000-${String(pushSeq).padStart(12, '0')}`, hlc: `000001700000000-0000${pushSeq % 10}-${device}`,
  actorKind: 'user', actorId: actor, entity: 'ticket_event', entityId: `0190a000-0000-7000-9000-${String(pushSeq).padStart(12, '0')}`, op: 'insert',
  payload: { ticketId: 't1', kind: 'note', body: `Nota ${pushSeq} «ñ» 🧾`, data: { n: [1, null] } }, createdAt: 1_700_000_000_000,
});
const batch = (...ms: Array<Record<string, unknown>>) => ({ mutations: ms });
const both = (body: unknown) => ({ quick: quickPushRequest(body), schema: pushRequestSchema.safeParse(body) });

describe('push quick check', () => {
  it('takes good batches as the schema does, unchanged', () => {
    const bodies = [
      batch(good(1)),
      batch(good(7), good(8), good(9)),
      batch({ ...good(3), actorKind: 'system', actorId: null, entity: 'ticket', op: 'update', payload: {} }),
      batch({ ...good(4), actorKind: 'anonymous', actorId: null, entity: 'branch', entityId: 'MTY' }),
      batch({ ...good(5), actorKind: 'emergency' }),
      { mutations: Array.from({ length: MAX_BATCH }, (_x, i) => good(i + 1)) },
    ];
    for (const body of bodies) {
      const { quick, schema } = both(JSON.parse(JSON.stringify(body)));
      expect(schema.success).toBe(true);
      expect(quick).toEqual(schema.data);
    }
  });

  it('leaves to the schema every batch it refuses or would change', () => {
    const bad: Array<[string, unknown]> = [
      ['no body', null], ['an array', [good(1)]], ['no mutations', {}], ['empty', batch()],
      ['too many', { mutations: Array.from({ length: MAX_BATCH + 1 }, (_x, i) => good(i + 1)) }],
      ['a hole', batch(good(1), good(3))], ['reordered', batch(good(2), good(1))], ['repeated', batch(good(1), good(1))],
      ['extra key (stripped by the schema)', batch({ ...good(1), extra: 1 })],
      ['missing key', batch((({ createdAt: _c, ...m }) => m)(good(1)))],
    ];
    const fields: Record<string, unknown[]> = {
      pushSeq: [0, -1, 1.5, '1', null, 2 ** 53], id: ['x', 1, null, `${actor}0`], hlc: ['1-2-3', '', null, 5],
      actorKind: ['robot', null, 1], actorId: [null, 'x', 3], entity: ['Ticket', 'a'.repeat(41), '', 'tick-et', null],
      entityId: ['', 'x'.repeat(65), null, 7], op: ['delete', null], payload: [null, [], 'x', 1, { big: 'x'.repeat(MAX_PAYLOAD_CHARS) }],
      createdAt: [-1, 1.5, '1', null],
    };
    for (const [key, values] of Object.entries(fields)) for (const v of values) bad.push([`${key} = ${JSON.stringify(v)?.slice(0, 20)}`, batch(good(1), { ...good(2), [key]: v })]);
    bad.push(['system actor with an id', batch({ ...good(1), actorKind: 'system' })]);
    for (const [name, body] of bad) {
      const { quick, schema } = both(body);
      expect(quick, name).toBeNull();
      if (!name.startsWith('extra key')) expect(schema.success, name).toBe(false);
    }
  });

  it('a refused batch still gets the schema reasons, translated by the server', async () => {
    const { parse } = await import('../../../server/validate');
    expect(() => parse(pushRequestSchema, batch(good(1), { ...good(2), hlc: 'x' }))).toThrow(expect.objectContaining({ code: 'validation.failed', details: { fields: { 'mutations.1.hlc': 'sync.badHlc' } } }));
  });
});
