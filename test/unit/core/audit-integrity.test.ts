/**
 * Issue 10, finding 1: one call with a lone UTF-16 surrogate in an id used to break the audit chain
 * for good (hashed as a JavaScript string, stored by SQLite as U+FFFD). Now the contract refuses
 * invalid text, and the writer hashes exactly the text it stores.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { verifyAuditLog, verifyEntries } from '../../../electron/core/audit';
import type { AuditAction } from '../../../electron/shared/audit-actions';
import type { z } from 'zod';
import { callEnvelopeSchema, METHODS, type MethodName } from '../../../electron/shared/contract';
import { auditEntries, deskPool } from './helpers';

const desks = deskPool();
const LONE = '\ud800';

describe('invalid text at the contract boundary', () => {
  it('a lone surrogate in an id is refused as invalid text, and the audit chain still verifies', async () => {
    const desk = await desks.ready();
    const officer = await desk.userWithRoles('oficial', ['security_officer']);
    const calls: Array<[MethodName, Record<string, unknown>, string, string | null]> = [
      ['customers.update', { customerId: LONE, plan: 'advanced' }, 'customerId', desk.token],
      ['requests.create', { kind: 'service_suspension', customerId: LONE, ticketId: LONE }, 'customerId', desk.token],
      ['emergency.revoke', { accountId: LONE, comment: 'x' }, 'accountId', officer.token],
      ['emergency.review', { accountId: LONE, outcome: 'ok', comment: 'x' }, 'accountId', officer.token],
      ['tickets.get', { ticketId: `abc${LONE}` }, 'ticketId', desk.token],
      ['tickets.reply', { ticketId: '0190a5d0-0000-7000-8000-000000000000', body: `hola ${LONE}` }, 'body', desk.token],
    ];
    for (const [method, input, field, token] of calls) {
      const err = await desk.fail(method, input, token);
      expect(err.code, method).toBe('validation.failed');
      expect(err.fields?.[field], method).toBe('validation.invalidText');
    }
    expect(verifyAuditLog(desk.services.ws.db)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('ids made by the workspace are UUIDs: anything else is refused before core looks it up', async () => {
    const desk = await desks.ready();
    expect(await desk.fail('customers.get', { customerId: 'no-existe' })).toEqual({ code: 'validation.failed', fields: { customerId: 'validation.invalid' } });
    expect(await desk.fail('customers.get', { customerId: '0190a5d0-0000-7000-8000-000000000000' })).toEqual({ code: 'customers.notFound' });
  });

  it('every string field of every contract method refuses a lone surrogate', () => {
    const strings: string[] = [];
    for (const name of Object.keys(METHODS) as MethodName[]) collectStrings(METHODS[name].input, name, strings);
    collectStrings(callEnvelopeSchema, 'envelope', strings);
    expect(strings.length).toBeGreaterThan(100);
  });
});

/**
 * Walks a zod schema and checks each string schema reached from the input side: it must refuse a
 * lone surrogate with 'validation.invalidText'. The `out` side of a pipe only sees checked text.
 */
function collectStrings(schema: z.ZodType, path: string, found: string[]): void {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (s: unknown, p: string) => collectStrings(s as z.ZodType, p, found);
  switch (def.type) {
    case 'string': {
      const r = schema.safeParse(`a${LONE}b`);
      expect(r.success ? 'accepted' : r.error.issues[0]?.message, path).toBe('validation.invalidText');
      found.push(path);
      return;
    }
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, `${path}.${k}`);
      return;
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return walk(def.innerType, path);
    case 'array':
      return walk(def.element, `${path}[]`);
    case 'union':
      (def.options as unknown[]).forEach((o, i) => walk(o, `${path}|${i}`));
      return;
    case 'pipe':
      return walk(def.in, path);
    default:
      return;
  }
}

/** UTF-16 units at random, lone surrogates included, or whole code points of the full Unicode range. */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: anyUnit, maxLength: 30 }));

describe('the audit writer hashes exactly what it stores', () => {
  it('an entry with arbitrary text (lone surrogates included) in every audited field verifies', async () => {
    const desk = await desks.ready();
    const ws = desk.services.ws;
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, anyText, anyText, (actorId, action, entity, entityId, key, value) => {
        ws.write({ kind: 'user', userId: actorId }, (tx) => tx.audit(action as AuditAction, entity, entityId, { [key]: value, nested: [value, { [value]: key }] }));
        ws.write({ kind: 'emergency', userId: actorId, requestId: value, accountId: key }, (tx) => tx.audit(action as AuditAction, entity, null, value));
      }),
      { numRuns: 150 },
    );
    const entries = auditEntries(desk);
    expect(verifyEntries(entries)).toMatchObject({ ok: true, checked: entries.length });
    expect(verifyAuditLog(ws.db)).toEqual({ ok: true, checked: entries.length, firstBroken: null });
  });
});
