/** Backups are bounded (issue 10, finding 9): one at a time, at most one a minute, only the newest N kept. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deskPool } from './helpers';

const desks = deskPool();

describe('backups', () => {
  it('keeps only the newest backups of the setting (default 10), deleting the oldest after each new one', async () => {
    const desk = await desks.ready();
    expect((await desk.call('settings.get', {})).keepBackups).toBe(10);
    await desk.call('settings.update', { keepBackups: 3 });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await desk.call('backup.create', {})).fileName);
      desk.advance(61_000);
    }
    const kept = readdirSync(join(desk.dataDir, 'backups')).filter((f) => f.endsWith('.sqlite')).sort();
    expect(kept).toEqual(made.slice(2).sort());
    expect((await desk.call('backup.list', {})).map((b) => b.fileName).sort()).toEqual(kept);
  });

  it('refuses a second backup while one is being made (backup.busy) and another within a minute (backup.tooSoon)', async () => {
    const desk = await desks.ready();
    const [a, b] = await Promise.all([desk.raw('backup.create', {}), desk.raw('backup.create', {})]);
    expect(a.ok).toBe(true);
    expect(b).toStrictEqual({ ok: false, error: { code: 'backup.busy' } });
    desk.advance(20_000);
    expect(await desk.fail('backup.create', {})).toStrictEqual({ code: 'backup.tooSoon', params: { seconds: 40 } });
    desk.advance(40_000);
    expect((await desk.raw('backup.create', {})).ok).toBe(true);
    expect(readdirSync(join(desk.dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(2);
  });

  it('refuses a retention setting outside 1..100', async () => {
    const desk = await desks.ready();
    expect((await desk.fail('settings.update', { keepBackups: 0 })).fields).toStrictEqual({ keepBackups: 'validation.min' });
    expect((await desk.fail('settings.update', { keepBackups: 101 })).fields).toStrictEqual({ keepBackups: 'validation.max' });
  });
});
