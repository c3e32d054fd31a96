import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type BeforeMigrate } from './migrate';

export const DB_FILE = 'helpdesk.sqlite';
/** The data folder holds personal data: its folders are the user's alone, and so are its files. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export interface OpenOptions {
  dataDir: string;
  /** Path to a better_sqlite3.node built for Electron's ABI; Node uses the package's own build. */
  nativeBinding?: string;
  readonly?: boolean;
  /** Runs before pending migrations on a database that holds data (the workspace backs it up there). */
  beforeMigrate?: BeforeMigrate;
}

/**
 * Opens (creating if needed) the workspace database: WAL so readers never block the writer,
 * synchronous=NORMAL (durable across app crashes; a power cut can lose at most the last
 * transactions, never corrupt), foreign keys on, and migrations applied.
 */
export function openDatabase(opts: OpenOptions): Database.Database {
  mkdirSync(opts.dataDir, { recursive: true, mode: PRIVATE_DIR });
  const file = join(opts.dataDir, DB_FILE);
  // SQLite creates a new file (and then its -wal and -shm, which copy the file's mode) readable by
  // all; an empty file created private first is a valid new database.
  if (!opts.readonly && !existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE));
  const db = new Database(file, {
    nativeBinding: opts.nativeBinding,
    readonly: opts.readonly ?? false,
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536'); // 64 MiB page cache: the ticket list and FTS stay hot
    db.pragma('temp_store = MEMORY');
    // Checkpoint the WAL into the main file rarely while writing (a checkpoint inside a command is
    // its slowest moment) and instead during the host's idle sweep (see host.ts runSweep).
    db.pragma('wal_autocheckpoint = 10000');
    if (!opts.readonly) migrate(db, undefined, opts.beforeMigrate);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
