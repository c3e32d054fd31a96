/**
 * First-sync progress (issue 11, item 7): a new device of a branch pulls the branch's history in
 * pages, and while it does, sync.status says the phase, the rows applied and an estimated total
 * (from how far through the server's change feed the pages have come) — what the header indicator
 * and Administración → Sincronización show. Real workspaces, a PGlite server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient } from '../../../electron/core/sync/client';
import type { SyncProgress } from '../../../electron/shared/sync/types';
import { phoneIntake } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const pglite = BACKENDS.find((b) => b.name === 'PGlite')!;

describe('first sync progress', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(pglite);
  }, 120_000);
  afterAll(async () => server?.close(), 60_000);

  const device = (site: string, username: string) => enrolledDesk(() => desks.make(undefined, Date.now()), server, site, username);

  it('a new device of the branch pulls its history in pages, with the phase, rows applied and an estimated total', async () => {
    const first = await device('MTY', 'admin.mty');
    const agent = await first.userWithRoles('lupita', ['agent']);
    const made = await first.call('tickets.create', phoneIntake(), agent.token);
    const customerId = first.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(made.id) as string;
    for (let i = 0; i < 24; i++) await first.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, subject: `Caso ${i}` }), agent.token);
    expect((await first.call('sync.now', {})).push.rejected).toBe(0);

    const second = await device('MTY', 'admin.mty2');
    // Small pages (the app asks for the server's largest), and the status read at every page request.
    const seen: SyncProgress[] = [];
    const holder: { client?: SyncClient } = {};
    const paging: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/pull')) {
        seen.push({ ...holder.client!.status().progress! });
        return fetch(input, { ...init, body: JSON.stringify({ ...JSON.parse(String(init!.body)), limit: 20 }) });
      }
      return fetch(input, init);
    };
    const client = new SyncClient({ ws: second.services.ws, sla: second.services.sla }, paging);
    holder.client = client;
    expect(client.status().progress).toBeNull();
    const run = await client.syncNow();
    expect(run.pull.failed).toEqual([]);
    expect(second.services.ws.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(25);

    const pulls = seen.filter((p) => p.phase === 'pull');
    expect(pulls.length).toBeGreaterThan(4);
    expect(pulls.every((p) => p.firstSync)).toBe(true);
    // Done only grows; from the second page on there is an estimate, never below what is done.
    for (let i = 1; i < pulls.length; i++) {
      expect(pulls[i]!.done).toBeGreaterThan(pulls[i - 1]!.done);
      expect(pulls[i]!.total).toBeGreaterThanOrEqual(pulls[i]!.done);
    }
    const applied = run.pull.applied + run.pull.ignored;
    // The estimate is of the right size well before the end (the feed holds every branch's changes, so it may run high).
    const middle = pulls[Math.floor(pulls.length / 2)]!;
    expect(middle.total).toBeGreaterThan(applied * 0.5);
    expect(middle.total).toBeLessThan(applied * 3);
    expect(client.status().progress).toBeNull(); // the run is over
  }, 120_000);
});
