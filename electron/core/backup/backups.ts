/**
 * Backups of the workspace: the database (SQLite backup API — consistent while the app keeps
 * writing — or VACUUM INTO before a migration) plus the evidence files it references (store.ts),
 * retention by count and by days, a read-only preview, and restore.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { BackupInfo, BackupPreview, BackupReason } from '../../shared/types';
import { DB_FILE, PRIVATE_DIR, PRIVATE_FILE } from '../db/connection';
import { copyDatabaseInWorker } from './copy-worker';
import { copyAndCheckInWorker, inspectInWorker } from './restore-worker';
import { assertSpaceForBackup, type FreeSpaceReader } from './space';
import {
  backupDir, collectStore, countUnavailable, manifestPath, readManifest, restoreAttachments, storeAttachment, storeAttachmentAsync, writeManifest,
} from './store';

export { backupDir } from './store';

/** Backups closer together than this are refused (each is a full copy of the database). */
export const BACKUP_MIN_INTERVAL_MS = 60_000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const BACKUP_NAME = /^helpdesk-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

/**
 * One backup at a time per workspace, at most one a minute; after each, the backups beyond the
 * retention (count and days) go, with the store files only they referenced.
 */
export class BackupRunner {
  private running = false;
  private lastAt = -Infinity;

  constructor(
    private readonly dataDir: string,
    private readonly nativeBinding?: string,
    private readonly freeSpace?: FreeSpaceReader,
  ) {}

  get busy(): boolean {
    return this.running;
  }

  /** Takes the one-at-a-time lock for other work on the files (a restore); backup.busy if a backup runs. */
  hold(): () => void {
    if (this.running) throw new AppError('backup.busy');
    this.running = true;
    return () => {
      this.running = false;
    };
  }

  async run(now: number, retention: Retention, step?: BackupStep, reason: BackupReason = 'manual'): Promise<BackupInfo> {
    if (this.running) throw new AppError('backup.busy');
    const wait = this.lastAt + BACKUP_MIN_INTERVAL_MS - now;
    if (wait > 0) throw new AppError('backup.tooSoon', { seconds: Math.ceil(wait / 1000) });
    this.running = true;
    try {
      const info = await createBackup(this.dataDir, now, { step, reason, nativeBinding: this.nativeBinding, freeSpace: this.freeSpace });
      this.lastAt = now;
      pruneBackups(this.dataDir, retention, now);
      return info;
    } finally {
      this.running = false;
    }
  }
}

export interface Retention {
  /** At most this many backups (a disk guard). */
  keep: number;
  /** Backups older than this many days go. */
  keepDays?: number;
}

/**
 * Deletes the backups beyond the newest `keep` and those older than `keepDays` — the newest
 * always stays — with their manifests, then the store files no kept backup references.
 */
export function pruneBackups(dataDir: string, retention: Retention, now = Date.now()): string[] {
  const ours = listBackups(dataDir).filter((b) => BACKUP_NAME.test(b.fileName)); // newest first
  const cutoff = retention.keepDays === undefined ? -Infinity : now - retention.keepDays * DAY_MS;
  const gone = ours.filter((b, i) => i > 0 && (i >= retention.keep || b.createdAt < cutoff)).map((b) => b.fileName);
  for (const f of gone) {
    rmSync(join(backupDir(dataDir), f), { force: true });
    rmSync(manifestPath(dataDir, f), { force: true });
  }
  collectStore(dataDir, listBackups(dataDir).map((b) => b.fileName));
  return gone;
}

/**
 * Called a few times a second while the copy runs (on a worker thread; core answers other calls
 * meanwhile) with the pages done and in all. Throwing stops the copy, and its partial file is removed.
 */
export type BackupStep = (done: number, total: number) => void;

export interface CreateOptions {
  step?: BackupStep;
  reason?: BackupReason;
  nativeBinding?: string;
  freeSpace?: FreeSpaceReader;
}

/**
 * The backup's name from its time; a later millisecond when that name is taken (a backup before
 * a migration can fall on the same instant as another), so no backup is ever overwritten.
 */
function fileNameAt(dataDir: string, now: number): string {
  for (let at = now; ; at++) {
    const name = `helpdesk-${new Date(at).toISOString().replace(/[:.]/g, '-')}.sqlite`;
    if (!existsSync(join(backupDir(dataDir), name))) return name;
  }
}

/** Makes the target private first: SQLite would create the copy with the process's default mode. */
function prepareTarget(dataDir: string, fileName: string): string {
  const dir = backupDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const path = join(dir, fileName);
  closeSync(openSync(path, 'w', PRIVATE_FILE));
  return path;
}

/**
 * Copies the workspace's database (its own connection on a worker thread: nothing of the copy runs
 * on core's thread) and then the evidence files it references into the store, one per turn.
 */
export async function createBackup(dataDir: string, now: number, opts: CreateOptions = {}): Promise<BackupInfo> {
  // Manual and daily copies check the room first, like the one before an update: a daily backup of
  // a large workspace must never fill the disk (backup.noSpace; the daily one retries in an hour and
  // the stale-backup banner tells administrators meanwhile).
  assertSpaceForBackup(dataDir, opts.freeSpace);
  const fileName = fileNameAt(dataDir, now);
  const path = prepareTarget(dataDir, fileName);
  try {
    const { attachments, schemaVersion } = await copyDatabaseInWorker(join(dataDir, DB_FILE), path, { nativeBinding: opts.nativeBinding, progress: opts.step });
    const missing: string[] = [];
    for (const sha of attachments) {
      if (!(await storeAttachmentAsync(dataDir, sha))) missing.push(sha); // copied and hashed off core's thread
    }
    writeManifest(dataDir, fileName, { version: 1, createdAt: now, reason: opts.reason ?? 'manual', schemaVersion, attachments, missing });
  } catch (err) {
    // A half-written copy (full disk, cancelled) is no backup.
    rmSync(path, { force: true });
    rmSync(manifestPath(dataDir, fileName), { force: true });
    throw err;
  }
  return describe(dataDir, fileName);
}

/**
 * The copy made just before pending migrations run on a database that holds data: VACUUM INTO
 * writes a consistent, compact file at the old schema version, listed like any backup. This is
 * the synchronous path (tools that open a workspace directly); the host makes the same backup on a
 * worker thread with progress before it opens the workspace (host.ts), and both check the room first.
 */
export function backupBeforeMigration(db: Database.Database, dataDir: string, now: number, nativeBinding?: string, freeSpace?: FreeSpaceReader): BackupInfo {
  // Never a full disk: no room for the copy means no copy and no migration (backup.noSpace).
  assertSpaceForBackup(dataDir, freeSpace);
  const fileName = fileNameAt(dataDir, now);
  const path = join(backupDir(dataDir), fileName);
  mkdirSync(backupDir(dataDir), { recursive: true, mode: PRIVATE_DIR });
  try {
    // VACUUM INTO refuses an existing file, so the mode is set right after instead.
    db.prepare('VACUUM INTO ?').run(path);
    closeSync(openSync(path, 'r+', PRIVATE_FILE));
    const { attachments, schemaVersion } = settleCopy(path, nativeBinding);
    const missing = attachments.filter((sha) => !storeAttachment(dataDir, sha));
    writeManifest(dataDir, fileName, { version: 1, createdAt: now, reason: 'migration', schemaVersion, attachments, missing });
  } catch (err) {
    rmSync(path, { force: true });
    rmSync(manifestPath(dataDir, fileName), { force: true });
    throw err;
  }
  return describe(dataDir, fileName);
}

/**
 * Turns the copy into a self-contained rollback-journal file (it can be opened read-only later
 * without a -wal beside it) and reads what the manifest needs from it.
 */
function settleCopy(path: string, nativeBinding?: string): { attachments: string[]; schemaVersion: number | null } {
  const copy = new Database(path, { nativeBinding, fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    return { attachments: referencedAttachments(copy), schemaVersion: schemaVersionOf(copy) };
  } finally {
    copy.close();
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(name) !== undefined;
}

function referencedAttachments(db: Database.Database): string[] {
  if (!hasTable(db, 'attachments')) return [];
  return db.prepare('SELECT DISTINCT sha256 FROM attachments ORDER BY sha256').pluck().all() as string[];
}

function schemaVersionOf(db: Database.Database): number | null {
  if (!hasTable(db, 'schema_migrations')) return null;
  return (db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null) ?? null;
}

/** The backups, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => describe(dataDir, f))
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** When a backup was made: its manifest, else the time stamp in its name, else the file's time. */
function describe(dataDir: string, fileName: string): BackupInfo {
  const st = statSync(join(backupDir(dataDir), fileName));
  const manifest = readManifest(dataDir, fileName);
  const m = BACKUP_NAME.exec(fileName);
  const stamped = m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : NaN;
  return {
    fileName,
    sizeBytes: st.size,
    createdAt: manifest?.createdAt ?? (Number.isFinite(stamped) ? stamped : st.mtimeMs),
    reason: manifest?.reason ?? 'manual',
    attachments: manifest ? manifest.attachments.length : null,
  };
}

/** The path of a listed backup; backup.notFound for anything else (a name outside the folder included). */
export function listedBackup(dataDir: string, fileName: string): string {
  const path = join(backupDir(dataDir), basename(fileName));
  if (!fileName.endsWith('.sqlite') || !existsSync(path)) throw new AppError('backup.notFound');
  return path;
}

/**
 * Opens a backup read-only and says what it holds, so a person can judge it before restoring. The
 * check and the counts run on a worker thread (a large backup takes seconds to read); a file SQLite
 * cannot read at all answers with its complaint as the integrity result.
 */
export async function previewBackup(dataDir: string, fileName: string, nativeBinding?: string): Promise<BackupPreview> {
  const path = listedBackup(dataDir, fileName);
  const info = describe(dataDir, basename(fileName));
  const found = await inspectInWorker(path, { nativeBinding });
  if (found.integrity !== 'ok') {
    return {
      ...info, schemaVersion: null, tickets: { open: 0, waiting: 0, closed: 0 }, customers: 0, users: 0, auditEntries: 0, lastActivityAt: null,
      integrity: found.integrity, attachmentsMissing: 0,
    };
  }
  const attachments = found.attachments ?? [];
  return {
    ...info,
    attachments: attachments.length,
    schemaVersion: found.schemaVersion ?? null,
    integrity: found.integrity,
    tickets: found.tickets ?? { open: 0, waiting: 0, closed: 0 },
    customers: found.customers ?? 0,
    users: found.users ?? 0,
    auditEntries: found.auditEntries ?? 0,
    lastActivityAt: found.lastActivityAt ?? null,
    attachmentsMissing: countUnavailable(dataDir, attachments),
  };
}

export interface RestoreOutcome {
  /** The name the replaced database was kept under, or null when there was none. */
  setAside: string | null;
  attachmentsRestored: number;
  attachmentsMissing: number;
}

/** Where a restore is: copying the backup, checking the copy, putting evidence back — then the swap. */
export type RestorePhase = 'copying' | 'checking' | 'attachments';

export interface RestoreOptions {
  nativeBinding?: string;
  /** Bytes copied and in all; throwing stops the restore before the swap (nothing changed). */
  progress?: (done: number, total: number) => void;
  phase?: (phase: RestorePhase) => void;
  /** Set to 1 to stop before the swap. */
  cancel?: Int32Array;
  /** Called just before the swap (the host closes the workspace there); after it there is no way back. */
  beforeSwap?: () => void;
}

/**
 * Replaces the database with a backup; the replaced file is kept aside, never deleted. The copy is
 * made beside the database and checked on a worker thread while the workspace stays open: a damaged
 * backup (backup.damaged), a cancel or a failed copy (full disk, read-only folder) leave the workspace
 * exactly as it was. Then every evidence file the backup references that is missing or damaged in the
 * live folder is put back (content-addressed, so this changes nothing the current database sees), and
 * only then `beforeSwap` and the two renames.
 */
export async function restoreBackup(dataDir: string, fileName: string, now: () => number, opts: RestoreOptions = {}): Promise<RestoreOutcome> {
  const source = listedBackup(dataDir, fileName);
  const incoming = join(dataDir, `${DB_FILE}.restoring`);
  const cancel = opts.cancel ?? new Int32Array(new SharedArrayBuffer(4));
  const stop = () => {
    if (Atomics.load(cancel, 0) === 1) throw new AppError('jobs.cancelled');
  };
  let setAside: string | null;
  let attachments: { restored: number; missing: number };
  try {
    rmSync(incoming, { force: true });
    opts.phase?.('copying');
    const copy = await copyAndCheckInWorker(source, incoming, {
      nativeBinding: opts.nativeBinding, cancel, progress: opts.progress, checking: () => opts.phase?.('checking'),
    });
    if (copy.integrity !== 'ok') throw new AppError('backup.damaged');
    stop();
    opts.phase?.('attachments');
    const manifest = readManifest(dataDir, basename(fileName));
    attachments = await restoreAttachments(dataDir, manifest?.attachments ?? copy.attachments ?? [], () => Atomics.load(cancel, 0) === 1);
    stop();
    opts.beforeSwap?.();
    setAside = moveAside(dataDir, now());
    renameSync(incoming, join(dataDir, DB_FILE));
  } catch (err) {
    rmSync(incoming, { force: true });
    throw err;
  }
  return { setAside, attachmentsRestored: attachments.restored, attachmentsMissing: attachments.missing };
}

/**
 * Starts anew: the current files are moved aside (kept for forensics), not deleted — with their
 * `-wal` and `-shm`, whose last transactions belong to the file (renamed to the same new name plus
 * the suffix, so SQLite finds them when the set-aside file is opened). Renaming needs no free space.
 * Returns the set-aside name of the database file, or null when there was none.
 */
export function moveAside(dataDir: string, now: number): string | null {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const aside = `${DB_FILE}.damaged-${stamp}`;
  let moved: string | null = null;
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, DB_FILE + suffix);
    if (existsSync(file)) {
      renameSync(file, join(dataDir, aside + suffix));
      if (suffix === '') moved = aside;
    }
  }
  return moved;
}
