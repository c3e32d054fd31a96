/**
 * `npx tsx test/bench/sync-push.bench.ts [--mutations N]`: one branch pushes N queued mutations
 * (notes on one ticket: each note writes an event, a ticket touch and its audit entry) to the sync
 * server on a throwaway PostgreSQL cluster over loopback HTTP, and prints mutations per second.
 * Not part of npm test; prints numbers, passes or fails nothing.
 */
import { parseArgs } from 'node:util';
import { SyncClient } from '../../electron/core/sync/client';
import { phoneIntake, TestDesk } from '../fixtures/workspace';
import { BACKENDS, deskAt, startTestServer } from '../unit/server/harness';

const { values } = parseArgs({ options: { mutations: { type: 'string' } } });
const target = Number(values.mutations ?? 20_000);
const server = await startTestServer(BACKENDS[0]!);
const desk = await deskAt(() => new TestDesk(), 'BEN');
try {
  const ticket = await desk.call('tickets.create', phoneIntake());
  const s = desk.services;
  const me = (await desk.call('auth.me', {})).id;
  const client = new SyncClient(s);
  await client.enrol(me, server.url, await server.branchWithCode('BEN'));
  // Queue the mutations straight through the core's note command, in one write per 500 notes.
  while ((s.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number) < target) {
    s.ws.write({ kind: 'user', userId: me }, (tx) => {
      for (let i = 0; i < 500; i++) s.tickets.addMessageInTx(tx, ticket.id, 'note', `Nota ${i}`);
    });
  }
  const queued = s.ws.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
  const t0 = performance.now();
  const result = await client.push();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`push: ${queued.toLocaleString('en-US')} mutations in ${seconds.toFixed(2)} s = ${Math.round(queued / seconds).toLocaleString('en-US')} mutations/s (applied ${result.applied}, rejected ${result.rejected})`);
} finally {
  desk.close();
  await server.close();
}
