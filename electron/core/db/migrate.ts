import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  hash: string;
}

// __dirname in the CommonJS bundle (dist/electron, migrations copied beside it); import.meta in ESM (tsx, vitest).
const here = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
const MIGRATIONS_DIR = join(here, 'migrations');

/** Reads `NNN_name.sql` files in order. Bundlers must copy this folder next to the code. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.replace(/\.sql$/, ''),
        sql,
        hash: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Called once before pending migrations run on a database that already has some applied (the pre-update backup). */
export type BeforeMigrate = (db: Database.Database, pending: Migration[]) => void;

/**
 * Applies the pending migrations in one transaction and refuses to open a database whose applied
 * migrations were edited afterwards (their recorded hash no longer matches) or that was written by a
 * newer version of the app.
 */
export function migrate(db: Database.Database, migrations = loadMigrations(), beforeMigrate?: BeforeMigrate): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version').all() as Array<{
    version: number;
    name: string;
    hash: string;
  }>;
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) throw new AppError('db.newerSchema', { version: row.version });
    if (m.hash !== row.hash) throw new AppError('db.migrationEdited', { name: row.name });
  }
  const done = new Set(applied.map((r) => r.version));
  const pending = migrations.filter((m) => !done.has(m.version));
  if (pending.length === 0) return 0;
  if (applied.length > 0) beforeMigrate?.(db, pending);
  // SQLite's table-rebuild procedure: foreign keys off while the migrations run (a rebuilt parent
  // table would otherwise cascade its DROP into the children), then every reference checked before
  // they commit. The pragma is a no-op inside a transaction, hence out here. The pending migrations
  // share one transaction and one check: the check reads every table (minutes on a million-ticket
  // workspace, once per migration before), and an update is all or nothing either way, since the
  // backup taken before it holds the old schema.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const record = db.prepare('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES (?, ?, ?, ?)');
      for (const m of pending) {
        db.exec(m.sql);
        record.run(m.version, m.name, m.hash, Date.now());
      }
      const broken = db.pragma('foreign_key_check') as Array<{ table: string }>;
      if (broken.length > 0) {
        const names = pending.length === 1 ? pending[0]!.name : `${pending[0]!.name} … ${pending.at(-1)!.name}`;
        throw new Error(`migrations ${names} leave ${broken.length} broken references (first in ${broken[0]!.table})`);
      }
    })();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return pending.length;
}
