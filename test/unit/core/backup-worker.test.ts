/**
 * Issue 16 item 3: the backup's copy runs on a worker thread over its own connection, so core's
 * thread never waits behind it. Real SQLite files; no timing bounds — the proofs are structural:
 * the copy advances while core's thread is held busy and never yields, and it runs in another thread.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { copyDatabaseInWorker } from '../../../electron/core/backup/copy-worker';
import { copyAndCheckInWorker, inspectInWorker } from '../../../electron/core/backup/restore-worker';
import { AppError } from '../../../electron/shared/errors';
import { tempDir } from '../../fixtures/workspace';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL database of about 4 MB (1,000 pages), like the workspace's, with its writer left open. */
function liveDatabase(): { dir: string; source: string; writer: Database.Database } {
  const dir = tempDir();
  dirs.push(dir);
  const source = join(dir, 'helpdesk.sqlite');
  const writer = new Database(source);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE notas (id INTEGER PRIMARY KEY, cuerpo TEXT NOT NULL)');
  const insert = writer.prepare('INSERT INTO notas (cuerpo) VALUES (?)');
  writer.transaction(() => {
    for (let i = 0; i < 4000; i++) insert.run(`nota ${i} `.padEnd(900, 'x'));
  })();
  return { dir, source, writer };
}

function emptyTarget(dir: string): string {
  const target = join(dir, 'copia.sqlite');
  closeSync(openSync(target, 'w', 0o600));
  return target;
}

describe('backup copy on a worker thread', () => {
  it('advances while core’s thread is busy and never yields, in a thread other than core’s', async () => {
    const { dir, source, writer } = liveDatabase();
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const copying = copyDatabaseInWorker(source, emptyTarget(dir), { stepPages: 8, shared });
    // Core's thread held busy without yielding: a copy on this thread could not take one step.
    const deadline = Date.now() + 20_000;
    while (Atomics.load(shared, 0) === 0 && Date.now() < deadline) { /* busy */ }
    expect(Atomics.load(shared, 0)).toBeGreaterThan(0);
    const result = await copying;
    expect(result.threadId).not.toBe(threadId);
    expect(Atomics.load(shared, 1)).toBeGreaterThan(500);
    const copy = new Database(join(dir, 'copia.sqlite'), { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM notas').pluck().get()).toBe(4000);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete'); // self-contained: no -wal needed
    copy.close();
    writer.close();
  });

  it('copies one snapshot while core keeps writing: the copy ends, without the writes made meanwhile', async () => {
    const { dir, source, writer } = liveDatabase();
    const insert = writer.prepare('INSERT INTO notas (cuerpo) VALUES (?)');
    let writes = 0;
    await copyDatabaseInWorker(source, emptyTarget(dir), {
      stepPages: 8,
      // Each progress report, core commits more (a copy that restarted on every change would never end).
      progress: () => {
        insert.run(`durante la copia ${writes++}`);
      },
    });
    expect(writes).toBeGreaterThan(0);
    const copy = new Database(join(dir, 'copia.sqlite'), { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT COUNT(*) FROM notas').pluck().get()).toBe(4000);
    copy.close();
    expect(writer.prepare('SELECT COUNT(*) FROM notas').pluck().get()).toBe(4000 + writes);
    writer.close();
  });

  it('stops when progress throws, with that error', async () => {
    const { dir, source, writer } = liveDatabase();
    await expect(copyDatabaseInWorker(source, emptyTarget(dir), {
      stepPages: 8,
      progress: () => {
        throw new AppError('jobs.cancelled');
      },
    })).rejects.toMatchObject({ code: 'jobs.cancelled' });
    writer.close();
  });
});

describe('restore copy and preview check on a worker thread', () => {
  it('the restore’s copy advances while core’s thread is busy and never yields; the copy is checked there too', async () => {
    const { dir, source, writer } = liveDatabase();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const target = join(dir, 'helpdesk.sqlite.restoring');
    const copying = copyAndCheckInWorker(source, target, { sliceBytes: 64 * 1024, shared });
    const deadline = Date.now() + 20_000;
    while (Atomics.load(shared, 0) === 0 && Date.now() < deadline) { /* busy */ }
    expect(Atomics.load(shared, 0)).toBeGreaterThan(0);
    const result = await copying;
    expect(result.threadId).not.toBe(threadId);
    expect(result.integrity).toBe('ok');
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM notas').pluck().get()).toBe(4000);
    copy.close();
    writer.close();
  });

  it('a damaged copy is refused by its check and removed', async () => {
    const { dir, source, writer } = liveDatabase();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();
    const fd = openSync(source, 'r+');
    writeSync(fd, Buffer.alloc(16_384, 0xab), 0, 16_384, 8192);
    closeSync(fd);
    const target = join(dir, 'helpdesk.sqlite.restoring');
    const result = await copyAndCheckInWorker(source, target);
    expect(result.integrity).not.toBe('ok');
    expect(existsSync(target)).toBe(false);
  });

  it('a cancel stops the copy between slices and removes the partial file', async () => {
    const { dir, source, writer } = liveDatabase();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    const target = join(dir, 'helpdesk.sqlite.restoring');
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(cancel, 0, 1);
    await expect(copyAndCheckInWorker(source, target, { cancel, sliceBytes: 4096 })).rejects.toMatchObject({ code: 'jobs.cancelled' });
    expect(existsSync(target)).toBe(false);
    writer.close();
  });

  it('the preview’s check and counts run while core’s thread is busy, in another thread', async () => {
    const { source, writer } = liveDatabase();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const reading = inspectInWorker(source, { shared });
    const deadline = Date.now() + 20_000;
    while (Atomics.load(shared, 0) === 0 && Date.now() < deadline) { /* busy */ }
    expect(Atomics.load(shared, 0)).toBe(1);
    const result = await reading;
    expect(result).toMatchObject({ integrity: 'ok', tickets: { open: 0, waiting: 0, closed: 0 }, attachments: [] });
    expect(result.threadId).not.toBe(threadId);
    writer.close();
  });
});
