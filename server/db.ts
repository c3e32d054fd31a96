/**
 * The server's database: PostgreSQL through `pg` (DATABASE_URL), or PGlite, a real PostgreSQL
 * compiled to WebAssembly, in a data folder (the default: nothing to install). Both behind one
 * small interface, so every command and test runs the same SQL on either.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** A connection inside a transaction (or the pool outside one). BIGINT columns come back as numbers. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Sql {
  /** Runs `fn` in one transaction: it commits if `fn` resolves, rolls back if it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
}

const INT8 = 20;
const toNumber = (v: string) => Number(v); // our BIGINTs are sequence numbers and epoch ms: well inside 2^53

/** A pool on a PostgreSQL server (`postgres://user@host:port/db`). */
export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? toNumber : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser } });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on('error', (err) => console.error('[server] idle database connection failed:', err.message));
  return {
    kind: 'postgres',
    async query<T>(text: string, params?: unknown[]) {
      return (await pool.query(text, params as unknown[])).rows as T[];
    },
    async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params as unknown[])).rows as R[] });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}

/** PGlite in `dataDir` (created if missing), or in memory when `dataDir` is undefined (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const db = await PGlite.create(dataDir, { parsers: { [INT8]: toNumber } });
  return {
    kind: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    // PGlite is one connection: its transaction() queues callers, so transactions never interleave.
    tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      return db.transaction((t) => fn({ query: async <R>(text: string, params?: unknown[]) => (await t.query<R>(text, params)).rows }));
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async close() {
      await db.close();
    },
  };
}
