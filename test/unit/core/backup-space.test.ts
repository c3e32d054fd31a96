/**
 * Issue 15 item 3: the backup before an update never fills the disk. Real SQLite files at an older
 * schema version; the free-space reader is injected (the disk is outside the app).
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupRunner } from '../../../electron/core/backup/backups';
import { readManifest } from '../../../electron/core/backup/store';
import { DB_FILE } from '../../../electron/core/db/connection';
import { loadMigrations, migrate } from '../../../electron/core/db/migrate';
import { openHost, type Host } from '../../../electron/core/host';
import { hashPassword } from '../../../electron/core/passwords';
import { Workspace } from '../../../electron/core/workspace';
import { AppError } from '../../../electron/shared/errors';
import type { AppStatus } from '../../../electron/shared/types';
import { tempDir } from '../../fixtures/workspace';

const GB = 1024 ** 3;
const PASSWORD = 'Cuaderno-de-Caja-2026';
const migrations = loadMigrations();
const old = migrations.slice(0, 5);

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** A database at an older schema version with data and two users: an administrator and an agent. */
async function oldWorkspace(): Promise<string> {
  const dataDir = tempDir();
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  migrate(db, old);
  const hash = await hashPassword(PASSWORD);
  const user = db.prepare('INSERT INTO users (id, username, full_name, password_hash, roles, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 0, 0)');
  user.run('u-admin', 'marisol', 'Marisol Admin', hash, '["admin"]');
  user.run('u-agent', 'ramiro', 'Ramiro Agente', hash, '["agent"]');
  db.prepare("INSERT INTO settings (key, value) VALUES ('marca', 'antes de actualizar')").run();
  db.close();
  return dataDir;
}

function host(dataDir: string, free: { bytes: number }): Host {
  const h = openHost({ dataDir, sweepIntervalMs: 0, backgroundSync: false, mail: { start: false }, kbStarter: false, freeSpace: () => free.bytes });
  cleanup.push(() => h.close());
  return h;
}

async function value<T>(h: Host, method: string, input: unknown = {}): Promise<T> {
  const r = await h.call(method, input, null);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

const backups = (dataDir: string) => (existsSync(join(dataDir, 'backups')) ? readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite')) : []);
function schemaVersion(dataDir: string): number {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    return db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('room for the backup before an update', () => {
  it('without room: no copy, no update, the notice with the sizes; after space is freed, Reintentar backs up with progress and updates', async () => {
    const dataDir = await oldWorkspace();
    const free = { bytes: 100 * 1024 * 1024 }; // less than the database plus its 512 MB margin
    const h = host(dataDir, free);
    const status = await value<AppStatus>(h, 'app.status');
    expect(status.recovery).toMatchObject({ reason: 'noSpace', space: { freeBytes: free.bytes, folder: dataDir } });
    expect(status.recovery!.space!.neededBytes).toBeGreaterThan(512 * 1024 * 1024);
    expect(backups(dataDir)).toEqual([]);
    expect(schemaVersion(dataDir)).toBe(old.at(-1)!.version);
    expect(await h.call('auth.signIn', { username: 'marisol', password: PASSWORD }, null)).toEqual({ ok: false, error: { code: 'api.unavailable' } });

    // Still no room: still the notice.
    expect((await value<AppStatus>(h, 'app.retryOpen')).recovery?.reason).toBe('noSpace');
    free.bytes = 20 * GB;
    const retried = await value<AppStatus>(h, 'app.retryOpen');
    // The copy runs on a worker thread: the window is told what is happening, and nothing else is answered meanwhile.
    expect(retried.preparing).toMatchObject({ task: 'backupBeforeUpdate' });
    expect(retried.recovery).toBeNull();
    expect(await h.call('app.resetDatabase', {}, null)).toEqual({ ok: false, error: { code: 'backup.busy' } });
    await h.ready();
    const opened = await value<AppStatus>(h, 'app.status');
    expect(opened.preparing ?? null).toBeNull();
    expect(opened.recovery).toBeNull();
    expect(schemaVersion(dataDir)).toBe(migrations.at(-1)!.version);
    const [backup] = backups(dataDir);
    expect(readManifest(dataDir, backup!)).toMatchObject({ reason: 'migration', schemaVersion: old.at(-1)!.version });
    const copy = new Database(join(dataDir, 'backups', backup!), { readonly: true });
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'marca'").pluck().get()).toBe('antes de actualizar');
    copy.close();
  });

  it('an administrator may choose to update without the backup: checked against the database, recorded in the audit log', async () => {
    const dataDir = await oldWorkspace();
    const h = host(dataDir, { bytes: 1024 });
    expect((await value<AppStatus>(h, 'app.status')).recovery?.reason).toBe('noSpace');
    const attempt = (input: object) => h.call('app.migrateWithoutBackup', input, null);
    // The acknowledgement is explicit; a wrong password or an agent is refused; nothing changes.
    expect((await attempt({ username: 'marisol', password: PASSWORD, acknowledge: false })).ok).toBe(false);
    expect(await attempt({ username: 'marisol', password: 'Otra-Contrasena-99', acknowledge: true })).toEqual({ ok: false, error: { code: 'auth.invalidCredentials' } });
    expect(await attempt({ username: 'nadie', password: PASSWORD, acknowledge: true })).toEqual({ ok: false, error: { code: 'auth.invalidCredentials' } });
    expect(await attempt({ username: 'ramiro', password: PASSWORD, acknowledge: true })).toEqual({ ok: false, error: { code: 'auth.forbidden' } });
    expect(schemaVersion(dataDir)).toBe(old.at(-1)!.version);

    const status = await value<AppStatus>(h, 'app.migrateWithoutBackup', { username: 'Marisol', password: PASSWORD, acknowledge: true });
    expect(status.recovery).toBeNull();
    expect(backups(dataDir)).toEqual([]);
    expect(schemaVersion(dataDir)).toBe(migrations.at(-1)!.version);
    const entry = h.services()!.ws.db.prepare("SELECT actor_id, data FROM audit_log WHERE action = 'backup.skipped'").get() as { actor_id: string; data: string };
    expect(entry.actor_id).toBe('u-admin');
    expect(JSON.parse(entry.data)).toMatchObject({ reason: 'noSpace', username: 'marisol', freeBytes: 1024 });
    // Only while there is no room: a healthy workspace refuses it.
    expect(await attempt({ username: 'marisol', password: PASSWORD, acknowledge: true })).toEqual({ ok: false, error: { code: 'auth.forbidden' } });
  });

  it('opening directly (tools, not the host) checks the room too: backup.noSpace, and nothing copied or updated', async () => {
    const dataDir = await oldWorkspace();
    let error: unknown;
    try {
      new Workspace({ dataDir, freeSpace: () => 0 }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'backup.noSpace', params: { freeGb: 0 } });
    expect(backups(dataDir)).toEqual([]);
    expect(schemaVersion(dataDir)).toBe(old.at(-1)!.version);
  });

  it('manual and daily backups check the room too: a copy that would not fit is refused before a byte is written', async () => {
    const dataDir = await oldWorkspace();
    const free = { bytes: 20 * GB };
    const ws = new Workspace({ dataDir, freeSpace: () => free.bytes }); // migrated, with its backup before the update
    cleanup.push(() => ws.close());
    const before = backups(dataDir);
    free.bytes = 100 * 1024 * 1024;
    let error: unknown;
    try {
      await new BackupRunner(dataDir, undefined, ws.freeSpace).run(ws.now(), { keep: 10, keepDays: 14 }, undefined, 'scheduled');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'backup.noSpace', params: { freeGb: 0.1 } });
    expect(backups(dataDir)).toEqual(before);
    free.bytes = 20 * GB;
    await new BackupRunner(dataDir, undefined, ws.freeSpace).run(ws.now() + 1000, { keep: 10, keepDays: 14 }, undefined, 'scheduled');
    expect(backups(dataDir)).toHaveLength(before.length + 1);
  });
});
