/** Online backups (SQLite backup API: consistent while the app keeps writing) and restore. */
import type Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../shared/errors';
import type { BackupInfo } from '../shared/types';
import { DB_FILE } from './db/connection';

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

export async function createBackup(db: Database.Database, dataDir: string, now: number): Promise<BackupInfo> {
  const dir = backupDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const fileName = `helpdesk-${stamp}.sqlite`;
  await db.backup(join(dir, fileName));
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

/** Replaces the (closed) database with a backup; the damaged file is kept aside, never deleted. */
export function restoreBackup(dataDir: string, fileName: string, now: number): void {
  const source = join(backupDir(dataDir), basename(fileName));
  if (!existsSync(source)) throw new AppError('backup.notFound');
  moveAside(dataDir, now);
  copyFileSync(source, join(dataDir, DB_FILE));
}

/** Starts anew: the current files are moved aside (kept for forensics), not deleted. */
export function moveAside(dataDir: string, now: number): void {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, DB_FILE + suffix);
    if (!existsSync(file)) continue;
    if (suffix === '') copyFileSync(file, join(dataDir, `${DB_FILE}.damaged-${stamp}`));
    rmSync(file);
  }
}

function describe(dir: string, fileName: string): BackupInfo {
  const st = statSync(join(dir, fileName));
  return { fileName, sizeBytes: st.size, createdAt: st.mtimeMs };
}
