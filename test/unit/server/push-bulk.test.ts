/**
 * The bulk push path (throughput, issue 11) decides exactly as the one-mutation-at-a-time path:
 * one workspace's outbox — tickets, notes, field edits to the same rows within one batch, users
 * created between them (which split the runs), an agent's forbidden write mid-run — pushed once to
 * a server using the bulk path and once to another applying one at a time: the same outcomes,
 * the same recorded mutations, the same merged rows.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/core/sync/client';
import { pushTuning } from '../../../server/commands/push';
import { phoneIntake } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, deskAt, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const pglite = BACKENDS.find((b) => b.name === 'PGlite')!;

describe('bulk push', () => {
  const servers: TestServer[] = [];
  beforeAll(async () => {
    servers.push(await startTestServer(pglite), await startTestServer(pglite));
  }, 600_000); // two PGlite instances: each takes minutes to start on a busy machine (120 s timed out at load 20–25)
  afterAll(async () => {
    pushTuning.bulk = true;
    for (const s of servers) await s.close();
  });

  it('applies a batch as the one-at-a-time path does', async () => {
    const desk = await deskAt(() => desks.make(), 'BLK');
    const s = desk.services;
    const me = (await desk.call('auth.me', {})).id;
    const first = await desk.call('tickets.create', phoneIntake({ subject: 'Primero' }));
    const customerId = s.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(first.id) as string;
    const tickets = [first];
    for (let i = 0; i < 4; i++) tickets.push(await desk.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, subject: `Ticket ${i}` })));
    const agent = await desk.userWithRoles('pepe', ['agent']);
    for (let round = 0; round < 30; round++) {
      const t = tickets[round % tickets.length]!;
      await desk.call('tickets.note', { ticketId: t.id, body: `Nota ${round}` });
      s.ws.write({ kind: 'user', userId: me }, (tx) => tx.outbox('ticket', t.id, 'update', { subject: `Asunto ${round}`, ...(round % 3 === 0 ? { severity: 1 + (round % 4) } : {}) }));
      if (round === 12) await desk.userWithRoles('lupita', ['operations']);
      // A tampered client: an agent changing the organization's settings (refused on the server).
      if (round === 20) s.ws.write({ kind: 'user', userId: agent.id }, (tx) => tx.outbox('settings', 'closedTicketPolicy', 'update', { value: 'reopen' }));
    }

    // Two copies of the same workspace (same device, same outbox): one pushes to each server.
    desk.host.close();
    const copies = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'helpdesk-bulk-')));
    for (const copy of copies) cpSync(desk.dataDir, copy, { recursive: true });
    const outcomes = [];
    for (const [i, server] of servers.entries()) {
      pushTuning.bulk = i === 0;
      const replica = desks.make(copies[i]);
      const client = new SyncClient(replica.services);
      await client.enrol(me, server.url, await server.branchWithCode('BLK'));
      outcomes.push(await client.push());
    }
    expect(outcomes[0]!.rejected).toBeGreaterThan(0);
    expect(outcomes[0]!.applied).toBeGreaterThan(50);
    expect(outcomes[1]).toEqual(outcomes[0]);

    const dump = async (server: TestServer) => ({
      mutations: await server.db.query('SELECT push_seq, id, hlc, entity, entity_id, op, payload, status, reason, server_seq, created_at, device_hlc, clock_skew_ms FROM mutations ORDER BY server_seq'),
      entities: await server.db.query('SELECT entity, entity_id, branch_code, data, versions, updated_seq FROM entities ORDER BY entity, entity_id'),
      users: await server.db.query('SELECT id, username, roles, active, updated_seq FROM users ORDER BY id'),
    });
    const [bulk, single] = [await dump(servers[0]!), await dump(servers[1]!)];
    expect(bulk.mutations.length).toBe(outcomes[0]!.applied + outcomes[0]!.rejected);
    expect(bulk).toEqual(single);
  }, 60_000);
});
