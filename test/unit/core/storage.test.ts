/**
 * Storage failures (issue 10, finding 5): a read-only file or folder, a full disk, no permission.
 * Each is produced for real where this machine allows it: tests run as root, which ignores
 * permission bits, so the read-only cases run the host in a child process as the unprivileged
 * user `nobody`; SQLITE_FULL comes from `PRAGMA max_page_count`; ENOSPC from writing /dev/full.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageErrorCode, toErrorInfo } from '../../../electron/core/api';
import { moveAside } from '../../../electron/core/backup/backups';
import { DB_FILE } from '../../../electron/core/db/connection';
import type { AppStatus } from '../../../electron/shared/types';
import { phoneIntake } from '../../fixtures/workspace';
import { deskPool } from './helpers';

const desks = deskPool();
const NOBODY = 65534;
const STAMP = '2026-03-02T16-00-00-000Z'; // TestDesk's clock

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** The data folder's files and their SHA-256, to show nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, f);
    try {
      out[f] = createHash('sha256').update(readFileSync(path)).digest('hex');
    } catch {
      out[f] = 'dir';
    }
  }
  return out;
}

/** A closed workspace with a ticket and a backup, owned by `nobody`. */
async function workspaceForNobody(): Promise<{ dataDir: string; backup: string }> {
  const desk = await desks.ready();
  await desk.call('tickets.create', phoneIntake());
  const backup = (await desk.call('backup.create', {})).fileName;
  desk.host.close();
  for (const f of ['', ...(readdirSync(desk.dataDir, { recursive: true }) as string[])]) chownSync(join(desk.dataDir, f), NOBODY, NOBODY);
  return { dataDir: desk.dataDir, backup };
}

function runAsNobody(dataDir: string, calls: [string, unknown][]): { ok: boolean; value?: AppStatus; error?: { code: string } }[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/unit/core/storage-child.ts', dataDir, JSON.stringify(calls)], {
    uid: NOBODY,
    gid: NOBODY,
    env: { ...process.env, HOME: tmpdir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

describe('storage failures get their own translated error', () => {
  it('maps real SQLite and file-system errors: read-only connection, SQLITE_FULL, ENOSPC (/dev/full), and leaves other errors alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-storage-'));
    try {
      const file = join(dir, 'x.sqlite');
      const db = new Database(file);
      db.exec('CREATE TABLE t (a TEXT)');
      // SQLITE_FULL: the database may not grow past the pages it has.
      db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
      const full = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000)));
      expect((full as { code: string }).code).toBe('SQLITE_FULL');
      expect(toErrorInfo(full)).toStrictEqual({ code: 'storage.full' });
      db.close();

      const ro = new Database(file, { readonly: true });
      const readOnly = thrown(() => ro.exec("INSERT INTO t VALUES ('x')"));
      expect((readOnly as { code: string }).code).toMatch(/^SQLITE_READONLY/);
      expect(toErrorInfo(readOnly)).toStrictEqual({ code: 'storage.readOnly' });
      ro.close();

      const noSpace = thrown(() => writeFileSync('/dev/full', 'x'));
      expect((noSpace as { code: string }).code).toBe('ENOSPC');
      expect(toErrorInfo(noSpace)).toStrictEqual({ code: 'storage.full' });

      expect(storageErrorCode(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a full disk during a call answers storage.full and writes nothing', async () => {
    const desk = await desks.ready();
    const ticket = await desk.call('tickets.create', phoneIntake());
    const db = desk.services.ws.db;
    const counts = () => db.prepare('SELECT (SELECT COUNT(*) FROM ticket_events) AS e, (SELECT COUNT(*) FROM audit_log) AS a, (SELECT COUNT(*) FROM outbox) AS o').get();
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    let before = counts();
    let result: Awaited<ReturnType<typeof desk.raw>> = { ok: true, value: null };
    for (let i = 0; result.ok && i < 500; i++) {
      before = counts();
      result = await desk.raw('tickets.note', { ticketId: ticket.id, body: `nota ${i} ${'x'.repeat(15000)}`, attachments: [] });
    }
    expect(result).toStrictEqual({ ok: false, error: { code: 'storage.full' } });
    expect(counts()).toStrictEqual(before);
  });
});

const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('storage failures at open, reset and restore (as the unprivileged user nobody; skipped unless the tests run as root, which may switch to it)', () => {
  it('a read-only database file opens in recovery mode with the reason readOnly, and nothing changes', async () => {
    const { dataDir } = await workspaceForNobody();
    chmodSync(join(dataDir, DB_FILE), 0o444);
    const before = snapshot(dataDir);
    const [status, signIn] = runAsNobody(dataDir, [['app.status', {}], ['auth.signIn', { username: 'admin', password: 'x' }]]);
    expect(status!.value!.recovery).toMatchObject({ reason: 'readOnly' });
    expect(signIn).toStrictEqual({ ok: false, error: { code: 'api.unavailable' } });
    const after = snapshot(dataDir);
    delete after[`${DB_FILE}-wal`];
    delete after[`${DB_FILE}-shm`];
    expect(after).toStrictEqual(before);
  });

  it('in a read-only data folder, starting over and restoring answer a storage error and keep every file', async () => {
    const { dataDir, backup } = await workspaceForNobody();
    chmodSync(dataDir, 0o555);
    try {
      const before = snapshot(dataDir);
      const [status, reset, restore] = runAsNobody(dataDir, [['app.status', {}], ['app.resetDatabase', {}], ['app.restoreBackup', { fileName: backup }]]);
      expect(status!.value!.recovery?.reason).toMatch(/^(readOnly|denied)$/);
      expect(reset!.error?.code).toMatch(/^storage\.(readOnly|denied)$/);
      expect(restore!.error?.code).toMatch(/^storage\.(readOnly|denied)$/);
      expect(snapshot(dataDir)).toStrictEqual(before);
    } finally {
      chmodSync(dataDir, 0o755);
    }
  });
});

describe('setting a database aside', () => {
  it('keeps its -wal and -shm beside it, under the same new name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-aside-'));
    try {
      for (const suffix of ['', '-wal', '-shm']) writeFileSync(join(dir, DB_FILE + suffix), `content${suffix}`);
      moveAside(dir, Date.parse('2026-03-02T16:00:00Z'));
      for (const suffix of ['', '-wal', '-shm']) {
        expect(existsSync(join(dir, DB_FILE + suffix))).toBe(false);
        expect(readFileSync(join(dir, `${DB_FILE}.damaged-${STAMP}${suffix}`), 'utf8')).toBe(`content${suffix}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
