/**
 * Issue 10, finding 7: password hashes never go into the outbox (the sync server receives it).
 * Creating users, resetting a password and creating an emergency account leave no hash there.
 */
import { describe, it, expect } from 'vitest';
import { approved, deskPool, emergencyFor, makeWorld } from './helpers';

const desks = deskPool();

describe('the outbox carries no password hash', () => {
  it('after setup, user creation, a password reset and an emergency account', async () => {
    const w = await makeWorld(await desks.ready());
    const req = await approved(w);
    await emergencyFor(w, req.id);
    await w.desk.call('users.resetPassword', { userId: w.cast.agent.id, password: 'otra-clave-larga-1' });
    const hashes = w.desk.services.ws.db.prepare('SELECT password_hash FROM users UNION ALL SELECT password_hash FROM emergency_accounts').pluck().all() as string[];
    expect(hashes.length).toBeGreaterThan(8);
    const payloads = w.desk.services.ws.db.prepare('SELECT entity, op, payload FROM outbox').all() as Array<{ entity: string; op: string; payload: string }>;
    expect(payloads.some((p) => p.entity === 'emergency_account')).toBe(true);
    expect(payloads.filter((p) => p.entity === 'user' && p.op === 'update').map((p) => JSON.parse(p.payload))).toContainEqual({ passwordChangedAt: expect.any(Number), mustChangePassword: true });
    for (const p of payloads) {
      expect(p.payload).not.toContain('scrypt$');
      expect(p.payload).not.toMatch(/password_?hash/i);
      for (const h of hashes) expect(p.payload).not.toContain(h.split('$').at(-1));
    }
  });
});
