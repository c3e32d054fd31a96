/**
 * The mail sender's background timing on a workspace whose notices wait (issue 16: nothing on
 * core's thread may grow with the data between calls). Without a mailbox nothing can be sent, so
 * the sender sleeps the poll interval instead of waking every second; and "when is the next notice
 * due" is one index seek, not a read of every queued notice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NEXT_ATTEMPT_SQL } from '../../../electron/core/mail/sender';
import type { SyncTimers } from '../../../electron/core/sync/background';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const open: TestDesk[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

function fakeTimers(now: () => number) {
  const planned: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const timers: SyncTimers = {
    now,
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      planned.push(t);
      return t;
    },
    clearTimeout: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  return { timers, planned };
}

describe('mail sender timing with notices waiting', () => {
  it('without a mailbox it sleeps the poll interval, not one second, between runs', async () => {
    const clock = Date.UTC(2026, 2, 2, 16, 0, 0);
    const { timers, planned } = fakeTimers(() => clock);
    const d = new TestDesk(undefined, clock, false, { start: false, sender: { timers, pollMs: 60_000 } });
    open.push(d);
    await d.setup();
    await d.call('tickets.create', phoneIntake({ channel: 'email' })); // queues the acknowledgement
    const queued = d.services.ws.db.prepare("SELECT COUNT(*) FROM notifications WHERE status = 'queued'").pluck().get() as number;
    expect(queued).toBeGreaterThan(0);

    d.services.mail.start();
    const first = planned.at(-1)!;
    expect(first.ms).toBe(0);
    first.fn();
    await d.services.mail.runOnce();
    await new Promise((r) => setImmediate(r));
    const next = planned.at(-1)!;
    expect(next).not.toBe(first);
    expect(next.ms).toBe(60_000);
    d.services.mail.stop();
  });

  it('the next due notice is the first entry of notifications_due (no sort, no read of the queue)', async () => {
    const d = new TestDesk();
    open.push(d);
    await d.setup();
    const plan = (d.services.ws.db.prepare(`EXPLAIN QUERY PLAN ${NEXT_ATTEMPT_SQL}`).all() as Array<{ detail: string }>).map((r) => r.detail);
    // A walk of the partial index (queued notices only) in order, stopped by LIMIT 1 at its first entry.
    expect(plan).toEqual(['SCAN notifications USING COVERING INDEX notifications_due']);

    // NULL (due at once) sorts first and reads as 0; otherwise the earliest moment; nothing queued: no row.
    const db = d.services.ws.db;
    await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    expect(db.prepare(NEXT_ATTEMPT_SQL).pluck().get()).toBe(0);
    db.prepare("UPDATE notifications SET next_attempt_at = 500 + rowid WHERE status = 'queued'").run();
    const earliest = db.prepare("SELECT MIN(next_attempt_at) FROM notifications WHERE status = 'queued'").pluck().get();
    expect(db.prepare(NEXT_ATTEMPT_SQL).pluck().get()).toBe(earliest);
    db.prepare("UPDATE notifications SET status = 'cancelled'").run();
    expect(db.prepare(NEXT_ATTEMPT_SQL).pluck().get()).toBeUndefined();
  });
});
