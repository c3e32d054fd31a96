/**
 * Room on the disk for a full copy of the database, checked before one starts (a backup before a
 * migration of a 29 GiB workspace once wrote 20 GB with 14 GB left): the copy needs the database's
 * size plus a margin for the migration's own growth and everything else on the disk.
 */
import Database from 'better-sqlite3';
import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { DB_FILE } from '../db/connection';
import { loadMigrations } from '../db/migrate';
import { backupDir } from './store';

/** Bytes free for this process on the disk that holds `dir` (outside the app: tests inject their own). */
export type FreeSpaceReader = (dir: string) => number;

export const readFreeSpace: FreeSpaceReader = (dir) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

/** At least this much is left free after the copy, or a tenth of the database when that is more. */
export const SPACE_MARGIN_BYTES = 512 * 1024 * 1024;

export interface SpaceCheck {
  neededBytes: number;
  freeBytes: number;
  /** Where the copy would go (the backups folder, or the data folder while it does not exist). */
  folder: string;
  enough: boolean;
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The database with its write-ahead log: what a full copy can take at most. */
export function databaseBytes(dataDir: string): number {
  return size(join(dataDir, DB_FILE)) + size(join(dataDir, `${DB_FILE}-wal`));
}

export function checkSpaceForBackup(dataDir: string, freeSpace: FreeSpaceReader = readFreeSpace): SpaceCheck {
  const db = databaseBytes(dataDir);
  const neededBytes = db + Math.max(SPACE_MARGIN_BYTES, Math.ceil(db / 10));
  // The backups folder may be a link to another disk (that is how it is moved): measure where it points.
  const folder = existsSync(backupDir(dataDir)) ? backupDir(dataDir) : dataDir;
  const freeBytes = freeSpace(folder);
  return { neededBytes, freeBytes, folder, enough: freeBytes >= neededBytes };
}

/** Throws backup.noSpace (with the sizes) when a full copy would not fit with its margin. */
export function assertSpaceForBackup(dataDir: string, freeSpace: FreeSpaceReader = readFreeSpace): SpaceCheck {
  const check = checkSpaceForBackup(dataDir, freeSpace);
  const gb = (bytes: number) => Math.ceil((bytes / 1024 ** 3) * 10) / 10;
  if (!check.enough) throw new AppError('backup.noSpace', { neededGb: gb(check.neededBytes), freeGb: gb(check.freeBytes) });
  return check;
}

/**
 * Whether opening the workspace will migrate a database that holds data (and so back it up
 * first): some migrations applied, some pending. Read without changing the file; a file that
 * cannot be read says no — opening it reports the problem.
 */
export function migrationPending(dataDir: string, nativeBinding?: string): boolean {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file) || size(file) === 0) return false;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding });
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
    if (!hasTable) return false;
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    return applied.size > 0 && loadMigrations().some((m) => !applied.has(m.version));
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
