/** Online backups (SQLite backup API: consistent while the app keeps writing) and restore. */
import type Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../shared/errors';
import type { BackupInfo } from '../shared/types';
import { DB_FILE, PRIVATE_DIR, PRIVATE_FILE } from './db/connection';

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

/** Backups closer together than this are refused (each is a full copy of the database). */
export const BACKUP_MIN_INTERVAL_MS = 60_000;

/**
 * One backup at a time per workspace, at most one a minute, and only the newest `keep` stay.
 * `run` makes the copy (createBackup), then deletes the oldest beyond `keep`.
 */
export class BackupRunner {
  private running = false;
  private lastAt = -Infinity;

  constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
  ) {}

  async run(now: number, keep: number, step?: BackupStep): Promise<BackupInfo> {
    if (this.running) throw new AppError('backup.busy');
    const wait = this.lastAt + BACKUP_MIN_INTERVAL_MS - now;
    if (wait > 0) throw new AppError('backup.tooSoon', { seconds: Math.ceil(wait / 1000) });
    this.running = true;
    try {
      const info = await createBackup(this.db, this.dataDir, now, step);
      this.lastAt = now;
      pruneBackups(this.dataDir, keep);
      return info;
    } finally {
      this.running = false;
    }
  }
}

/** Deletes the oldest backups beyond the newest `keep` (by their time stamp in the name). */
export function pruneBackups(dataDir: string, keep: number): string[] {
  const names = listBackups(dataDir)
    .map((b) => b.fileName)
    .filter((f) => /^helpdesk-[\dT-]+Z\.sqlite$/.test(f))
    .sort()
    .reverse();
  const gone = names.slice(keep);
  for (const f of gone) rmSync(join(backupDir(dataDir), f), { force: true });
  return gone;
}

/**
 * Called after each step of the copy (about 100 pages; the app answers other calls between steps)
 * with the pages done and in all. Throwing stops the copy, and its partial file is removed.
 */
export type BackupStep = (done: number, total: number) => void;

export async function createBackup(db: Database.Database, dataDir: string, now: number, step?: BackupStep): Promise<BackupInfo> {
  const dir = backupDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const fileName = `helpdesk-${stamp}.sqlite`;
  try {
    // Created private first: SQLite would create the copy with the process's default mode.
    closeSync(openSync(join(dir, fileName), 'w', PRIVATE_FILE));
    // Returning undefined keeps the default step size.
    await db.backup(join(dir, fileName), { progress: (p) => void step?.(p.totalPages - p.remainingPages, p.totalPages) as unknown as number });
  } catch (err) {
    rmSync(join(dir, fileName), { force: true }); // a half-written copy (full disk) is no backup
    throw err;
  }
  return describe(dir, fileName);
}

export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => describe(dir, f))
    .sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Replaces the (closed) database with a backup; the damaged file is kept aside, never deleted.
 * The copy is made first, beside the database: if it fails (full disk, read-only folder) the
 * workspace is exactly as it was.
 */
export function restoreBackup(dataDir: string, fileName: string, now: number): void {
  const source = join(backupDir(dataDir), basename(fileName));
  if (!existsSync(source)) throw new AppError('backup.notFound');
  const incoming = join(dataDir, `${DB_FILE}.restoring`);
  try {
    copyFileSync(source, incoming);
    moveAside(dataDir, now);
    renameSync(incoming, join(dataDir, DB_FILE));
  } catch (err) {
    rmSync(incoming, { force: true });
    throw err;
  }
}

/**
 * Starts anew: the current files are moved aside (kept for forensics), not deleted — with their
 * `-wal` and `-shm`, whose last transactions belong to the file (renamed to the same new name plus
 * the suffix, so SQLite finds them when the set-aside file is opened). Renaming needs no free space.
 */
export function moveAside(dataDir: string, now: number): void {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, DB_FILE + suffix);
    if (existsSync(file)) renameSync(file, join(dataDir, `${DB_FILE}.damaged-${stamp}${suffix}`));
  }
}

function describe(dir: string, fileName: string): BackupInfo {
  const st = statSync(join(dir, fileName));
  return { fileName, sizeBytes: st.size, createdAt: st.mtimeMs };
}
