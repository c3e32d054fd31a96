/**
 * The push request's body is written from the outbox's stored JSON (client.ts pushBody), not by
 * parsing every payload and writing it again: it must say exactly what the parsed-and-cleaned
 * mutations say, and a secret must still never leave the device, however its key is spelled.
 */
import { describe, expect, it } from 'vitest';
import { pushBody, withoutSecrets } from '../../../electron/core/sync/client';
import { carriesSecret, mightCarrySecret, payloadText } from '../../../electron/shared/sync/protocol';

const row = (pushSeq: number, payload: string) => ({
  pushSeq, id: `0190a000-0000-7000-8000-${String(pushSeq).padStart(12, '0')}`, hlc: '0000000000001-0000-x', actorKind: 'user' as const,
  actorId: '0190a000-0000-7000-8000-000000000000', entity: 'ticket_event', entityId: `e${pushSeq}`, op: 'insert' as const, payload, createdAt: 1_700_000_000_000,
});

describe('push body', () => {
  const payloads = [
    '{"ticketId":"t1","body":"Nota con \\"comillas\\", acentos (ñ, é) y emoji 🧾","n":3,"list":[1,{"a":null}]}',
    '{"name":"Cliente","contacts":[{"email":"a@b.mx","passwordHash":"scrypt$1"}]}',
    '{"\\u0070assword":"oculta","body":"x"}',
    '{"body":"El token del PAC venció","sessionToken":"s"}',
    '{}',
  ];

  it('says what the parsed and cleaned mutations say', () => {
    const rows = payloads.map((p, i) => row(i + 1, p));
    const sent = JSON.parse(pushBody(rows).text) as { mutations: unknown[] };
    expect(sent).toEqual({ mutations: rows.map((r) => ({ ...r, payload: withoutSecrets(JSON.parse(r.payload)) })) });
    for (const m of sent.mutations as Array<{ payload: unknown }>) expect(carriesSecret(m.payload)).toBe(false);
    expect(JSON.stringify(sent)).not.toContain('scrypt$1');
    expect(JSON.stringify(sent)).not.toContain('oculta');
  });

  it('takes the quick way only when no key could be a secret', () => {
    expect(mightCarrySecret(payloads[0]!)).toBe(false);
    for (const p of payloads.slice(1, 4)) expect(mightCarrySecret(p)).toBe(true);
    const value = { body: 'x' };
    expect(payloadText(value)).toBe('{"body":"x"}');
    expect(payloadText(value)).toBe(payloadText(value));
  });
});
