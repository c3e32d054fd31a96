/**
 * sync.status and background sync stay cheap on a big outbox (issue 16): a workspace that was
 * never enrolled keeps every record pending; counting them row by row took seconds at 100,000
 * tickets, on every write (background sync asked the status whether it was enrolled) and at every
 * poll of the header's indicator.
 */
import { describe, expect, it, vi } from 'vitest';
import { STATUS_COUNT_BOUND } from '../../../electron/core/sync/client';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

describe('sync status on a big outbox', () => {
  it('counts pending and rejected records over partial indexes, bounded', async () => {
    const desk = new TestDesk();
    try {
      await desk.setup();
      const db = desk.services.ws.db;
      const plan = (where: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE ${where} LIMIT 10001)`).all() as Array<{ detail: string }>)
          .map((r) => r.detail).join(' | ');
      expect(plan('push_status IS NULL')).toMatch(/COVERING INDEX outbox_pending/);
      expect(plan("push_status = 'rejected'")).toMatch(/COVERING INDEX outbox_rejected/);

      // More pending records than the bound: the status says "more than".
      const insert = db.prepare(
        "INSERT INTO outbox (id, hlc, device_id, entity, entity_id, op, payload, created_at, actor_id, actor_kind) VALUES (?, 'h', 'd', 'ticket', 'x', 'update', '{}', 0, NULL, 'system')",
      );
      db.transaction(() => {
        for (let i = 0; i <= STATUS_COUNT_BOUND; i++) insert.run(`bulk-${i}`);
      })();
      const status = desk.services.sync.status();
      expect(status).toMatchObject({ enrolled: false, pending: STATUS_COUNT_BOUND, pendingCapped: true });
    } finally {
      desk.close();
    }
  });

  it('a local write asks only whether the device is enrolled, never the counts', async () => {
    // Background sync on (as in the app), with timers that never fire.
    const desk = new TestDesk(undefined, undefined, { timers: { now: () => Date.now(), setTimeout: () => null, clearTimeout: () => {} } });
    try {
      await desk.setup();
      const status = vi.spyOn(desk.services.sync, 'status');
      const enrolled = vi.spyOn(desk.services.sync, 'isEnrolled');
      await desk.call('tickets.create', phoneIntake());
      expect(enrolled).toHaveBeenCalled();
      expect(status).not.toHaveBeenCalled();
    } finally {
      desk.close();
    }
  });
});
