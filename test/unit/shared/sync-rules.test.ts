/** The pure sync rules shared by client and server: URL policy, per-field merge, role checks, secrets. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeHlc } from '../../../electron/shared/hlc';
import { mergeFields, type MergedRow } from '../../../electron/shared/sync/merge';
import { mutationRefusal } from '../../../electron/shared/sync/permissions';
import { carriesSecret, checkServerUrl } from '../../../electron/shared/sync/protocol';

describe('server URLs', () => {
  it('accepts https and loopback http; refuses LAN http unless explicitly allowed, and anything else', () => {
    expect(checkServerUrl('https://sync.example.mx/')).toEqual({ ok: true, url: 'https://sync.example.mx' });
    expect(checkServerUrl('http://127.0.0.1:8787')).toEqual({ ok: true, url: 'http://127.0.0.1:8787' });
    expect(checkServerUrl('http://localhost:8787/base/')).toEqual({ ok: true, url: 'http://localhost:8787/base' });
    expect(checkServerUrl('http://[::1]:8787').ok).toBe(true);
    expect(checkServerUrl('http://192.168.1.20:8787')).toEqual({ ok: false, reason: 'sync.urlInsecure' });
    expect(checkServerUrl('http://192.168.1.20:8787', true)).toEqual({ ok: true, url: 'http://192.168.1.20:8787' });
    expect(checkServerUrl('http://127.0.0.1.evil.example')).toEqual({ ok: false, reason: 'sync.urlInsecure' });
    for (const bad of ['ftp://sync.example.mx', 'no es una url', 'https://user:pw@sync.example.mx', 'https://sync.example.mx/?x=1']) {
      expect(checkServerUrl(bad)).toEqual({ ok: false, reason: 'sync.urlInvalid' });
    }
  });
});

describe('per-field last writer wins', () => {
  const devices = ['0190a000-0000-4000-8000-00000000000a', '0190a000-0000-4000-8000-00000000000b', '0190a000-0000-4000-8000-00000000000c'];
  const write = fc.record({
    wallMs: fc.integer({ min: 1, max: 50 }),
    counter: fc.integer({ min: 0, max: 3 }),
    device: fc.constantFrom(...devices),
    payload: fc.dictionary(fc.constantFrom('subject', 'priority', 'assigneeId'), fc.string({ maxLength: 3 }), { minKeys: 1 }),
  });

  it('any delivery order of the same writes gives the same row, and each field holds its latest writer', () => {
    // An HLC is unique per write (a device never stamps two writes alike), hence uniqueness by clock.
    const writes = fc.uniqueArray(write, { minLength: 1, maxLength: 12, selector: (w) => `${w.wallMs}:${w.counter}:${w.device}` });
    const orders = writes.chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws, { minLength: ws.length, maxLength: ws.length })));
    fc.assert(
      fc.property(orders, ([inOrder, shuffled]) => {
        const stamp = (ws: typeof inOrder) => ws.map((w) => ({ hlc: encodeHlc({ wallMs: w.wallMs, counter: w.counter, deviceId: w.device }), payload: w.payload }));
        const apply = (ws: typeof inOrder) => {
          const row = stamp(ws).reduce<MergedRow | null>((r, w) => mergeFields(r, w.payload, w.hlc), null)!;
          return { data: row.data, versions: row.versions };
        };
        const one = apply(inOrder);
        expect(apply(shuffled)).toEqual(one);
        for (const field of Object.keys(one.data)) {
          const winner = stamp(inOrder).filter((w) => field in w.payload).reduce((a, b) => (b.hlc > a.hlc ? b : a));
          expect(one.versions[field]).toBe(winner.hlc);
          expect(one.data[field]).toBe(winner.payload[field]);
        }
      }),
    );
  });

  it('an older write to a field loses to the newer one, whoever arrives first; other fields still merge', () => {
    const newer = encodeHlc({ wallMs: 2000, counter: 0, deviceId: devices[0]! });
    const older = encodeHlc({ wallMs: 1000, counter: 0, deviceId: devices[1]! });
    const row = mergeFields(mergeFields(null, { subject: 'nuevo' }, newer), { subject: 'viejo', priority: 'high' }, older);
    expect(row.data).toEqual({ subject: 'nuevo', priority: 'high' });
    expect(row.changed).toEqual(['priority']);
  });
});

describe('server-side role check of a pushed mutation', () => {
  const m = (entity: string, op: 'insert' | 'update', payload: Record<string, unknown> = {}, actorKind: 'user' | 'system' | 'anonymous' | 'emergency' = 'user') =>
    ({ actorKind, entity, entityId: 'x', op, payload });
  it('follows the contract: agents work tickets, only administrators manage users and settings', () => {
    expect(mutationRefusal(m('ticket', 'insert'), ['agent'])).toBeNull();
    expect(mutationRefusal(m('user', 'update', { roles: ['administrator'] }), ['agent'])).toBe('sync.forbidden');
    expect(mutationRefusal(m('user', 'update', { roles: ['agent'] }), ['administrator'])).toBeNull();
    expect(mutationRefusal(m('user', 'update', { failedAttempts: 1, lockedAt: 5 }), ['agent'])).toBeNull();
    expect(mutationRefusal(m('settings', 'update'), ['supervisor'])).toBe('sync.forbidden');
    expect(mutationRefusal(m('ticket', 'update', { status: 'closed' }), ['security_officer'])).toBe('sync.forbidden');
    expect(mutationRefusal(m('emergency_account', 'insert'), ['security_officer'])).toBeNull();
  });
  it('lets whoever may open a ticket register its new customer, and only customer editors change one (the simulator\'s seed 6)', () => {
    // A development specialist opens a ticket with a new customer at the intake (tickets.create is staff's).
    expect(mutationRefusal(m('customer', 'insert', { rfc: 'TCE0503155C8' }), ['development'])).toBeNull();
    expect(mutationRefusal(m('customer', 'update', { plan: 'advanced' }), ['development'])).toBe('sync.forbidden');
    expect(mutationRefusal(m('customer', 'insert', { rfc: 'TCE0503155C8' }), ['security_officer'])).toBe('sync.forbidden');
  });
  it('refuses an unknown actor, an unknown entity, and sign-in-less actors outside their few entities', () => {
    expect(mutationRefusal(m('ticket', 'insert'), null)).toBe('sync.unknownActor');
    expect(mutationRefusal(m('invoice', 'insert'), ['administrator'])).toBe('sync.unknownEntity');
    expect(mutationRefusal(m('sla_breach', 'insert', {}, 'system'), null)).toBeNull();
    expect(mutationRefusal(m('customer', 'insert', {}, 'system'), null)).toBe('sync.forbidden');
    // A survey answer read from an e-mail reply: the system records it and its timeline entry.
    expect(mutationRefusal(m('satisfaction_survey', 'insert', {}, 'system'), null)).toBeNull();
    expect(mutationRefusal(m('satisfaction_survey', 'insert'), ['agent'])).toBeNull();
    expect(mutationRefusal(m('satisfaction_survey', 'insert'), ['security_officer'])).toBe('sync.forbidden');
    expect(mutationRefusal(m('settings', 'update', {}, 'anonymous'), null)).toBe('sync.forbidden');
    expect(mutationRefusal(m('settings', 'update', {}, 'emergency'), ['agent'])).toBe('sync.forbidden');
  });
});

describe('secrets in payloads', () => {
  it('are found at any depth', () => {
    expect(carriesSecret({ name: 'a', contacts: [{ email: 'x' }] })).toBe(false);
    expect(carriesSecret({ passwordHash: 'scrypt$…' })).toBe(true);
    expect(carriesSecret({ nested: [{ deeper: { token: 't' } }] })).toBe(true);
  });
});
