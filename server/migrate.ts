/**
 * Numbered, immutable server migrations (server/migrations/NNN_name.sql), each applied in its own
 * transaction and recorded with its SHA-256, as the workspace does (electron/core/db/migrate.ts):
 * an edited migration or a database from a newer server is refused. An advisory lock lets several
 * server processes start at once on one database.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db';
import { ServerError } from './errors';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
  hash: string;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant: the key of the advisory lock that serialises migrating processes. */
const MIGRATION_LOCK = 4_711_011;

export function loadServerMigrations(dir = MIGRATIONS_DIR): ServerMigration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(file.slice(0, 3)), name: file.replace(/\.sql$/, ''), sql, hash: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies pending migrations; returns how many ran. */
export async function migrateServer(db: Db, migrations = loadServerMigrations()): Promise<number> {
  return db.tx(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = await sql.query<{ version: number; name: string; hash: string }>('SELECT version, name, hash FROM schema_migrations ORDER BY version');
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of applied) {
      const m = known.get(row.version);
      if (!m) throw new ServerError(500, 'db.newerSchema', { version: row.version });
      if (m.hash !== row.hash) throw new ServerError(500, 'db.migrationEdited', { name: row.name });
    }
    const done = new Set(applied.map((r) => r.version));
    let count = 0;
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // One transaction for the lot keeps it simple: a failed migration leaves the schema as it was.
      await sql.query('SAVEPOINT migration');
      for (const statement of splitStatements(m.sql)) await sql.query(statement);
      await sql.query('INSERT INTO schema_migrations (version, name, hash, applied_at) VALUES ($1, $2, $3, $4)', [m.version, m.name, m.hash, Date.now()]);
      await sql.query('RELEASE SAVEPOINT migration');
      count++;
    }
    return count;
  });
}

/**
 * Splits a migration into statements at semicolons that end a line, keeping dollar-quoted bodies
 * ($$ … $$) whole: the extended protocol that both drivers use inside a transaction runs one
 * statement per call.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of script.split('\n')) {
    if (line.trim().startsWith('--') && !inDollar) continue;
    current += line + '\n';
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inDollar = !inDollar;
    if (!inDollar && line.trimEnd().endsWith(';')) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
