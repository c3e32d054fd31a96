/**
 * Storage (issue 16 item 6): every index costs bytes on each row it covers. These were read by no
 * statement any more and are gone (migration 026); the indexes that replaced them still drive
 * their statements (the sync status and the mail queue have their own plan tests).
 */
import { describe, expect, it } from 'vitest';
import { deskPool } from './helpers';

const desks = deskPool();

describe('indexes no statement reads are not kept', () => {
  it('has no index over the outbox or the customer notices by sent_at', async () => {
    const desk = await desks.ready();
    const indexes = desk.services.ws.db.prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('outbox', 'notifications') AND sql IS NOT NULL",
    ).all() as Array<{ name: string; sql: string }>;
    expect(indexes.map((i) => i.name)).not.toContain('outbox_unsent');
    expect(indexes.map((i) => i.name)).not.toContain('notifications_unsent');
    for (const i of indexes) expect(i.sql).not.toMatch(/sent_at IS NULL/i);
    // What replaced them is still there.
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['outbox_pending', 'notifications_queue', 'notifications_due']));
  });
});
