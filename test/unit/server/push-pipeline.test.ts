/**
 * The push keeps two batches on the wire (client.ts): the next is sent while the server applies
 * one. Order still holds: the server applies push numbers strictly in order and refuses a gap
 * (push.ts); a batch that reached the database before the one ahead of it — here it went to another
 * server process on the same database while the first was held back — is refused with sync.gap
 * and sent again once its predecessor is answered. A batch lost on the way fails the push; the
 * next push sends everything unanswered again and ends with each mutation applied once, in order.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/core/sync/client';
import { buildServer } from '../../../server/app';
import { openPostgres } from '../../../server/db';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, deskAt, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const postgres = BACKENDS[0]!;
const NOTES = 4_500; // three batches of at most 2,000

async function queueNotes(desk: TestDesk): Promise<number> {
  const ticket = await desk.call('tickets.create', phoneIntake());
  const me = (await desk.call('auth.me', {})).id;
  for (let done = 0; done < NOTES; done += 500) {
    desk.services.ws.write({ kind: 'user', userId: me }, (tx) => {
      for (let i = 0; i < 500; i++) desk.services.tickets.addMessageInTx(tx, ticket.id, 'note', `Nota ${done + i}`);
    });
  }
  return desk.services.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
}

describe.skipIf(!postgres.available)(`pipelined push (${postgres.name}: two server processes on one database)`, () => {
  let server: TestServer;
  let second: FastifyInstance;
  let secondUrl: string;
  beforeAll(async () => {
    server = await startTestServer(postgres);
    second = buildServer({ db: openPostgres(server.pgUrl!) });
    await second.listen({ port: 0, host: '127.0.0.1' });
    secondUrl = `http://127.0.0.1:${(second.server.address() as { port: number }).port}`;
  }, 300_000);
  afterAll(async () => {
    await second?.close();
    await server?.close();
  });

  const appliedInOrder = async (deviceId: string, n: number) => {
    const rows = await server.db.query<{ push_seq: string; status: string }>('SELECT push_seq, status FROM mutations WHERE device_id = $1 ORDER BY server_seq', [deviceId]);
    expect(rows.map((r) => Number(r.push_seq))).toEqual(Array.from({ length: n }, (_x, i) => i + 1));
    expect(rows.every((r) => r.status === 'applied')).toBe(true);
  };

  it('a batch that overtakes the one before it is refused as a gap and sent again; everything applied once, in order', async () => {
    const desk = await deskAt(() => desks.make(), 'PIP');
    const queued = await queueNotes(desk);
    const codes: number[] = [];
    let pushes = 0;
    // The first push request is held back 1.5 s; the second goes to the other server process, which knows nothing of the first.
    const network = (async (url: string, init?: RequestInit) => {
      if (!url.endsWith('/v1/push')) return fetch(url, init);
      const n = pushes++;
      if (n === 0) await new Promise((r) => setTimeout(r, 1_500));
      const res = await fetch(n === 1 ? url.replace(server.url, secondUrl) : url, init);
      codes.push(res.status);
      return res;
    }) as typeof fetch;
    const client = new SyncClient(desk.services, network);
    await client.enrol((await desk.call('auth.me', {})).id, server.url, await server.branchWithCode('PIP'));
    const summary = await client.push();
    expect(summary).toEqual({ applied: queued, rejected: 0, duplicate: 0 });
    expect(codes).toContain(409);
    await appliedInOrder(desk.services.ws.deviceId, queued);
    expect(client.status().pending).toBe(0);
  }, 120_000);

  it('a batch lost on the way fails the push; the next push sends everything unanswered again, each applied once', async () => {
    const desk = await deskAt(() => desks.make(), 'PIQ');
    const queued = await queueNotes(desk);
    let pushes = 0;
    const network = (async (url: string, init?: RequestInit) => {
      if (url.endsWith('/v1/push') && pushes++ === 1) throw new TypeError('fetch failed (dropped)');
      return fetch(url, init);
    }) as typeof fetch;
    const client = new SyncClient(desk.services, network);
    await client.enrol((await desk.call('auth.me', {})).id, server.url, await server.branchWithCode('PIQ'));
    await expect(client.push()).rejects.toMatchObject({ code: 'sync.offline' });
    const summary = await client.push();
    expect(summary.applied + summary.duplicate).toBe(queued - 2_000);
    await appliedInOrder(desk.services.ws.deviceId, queued);
    expect(client.status().pending).toBe(0);
  }, 120_000);
});
