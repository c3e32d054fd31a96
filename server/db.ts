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
  /**
   * Hears NOTIFY on `channel` (from any process on this database). `onLost` is told when the
   * listening connection dropped and came back: notifications in between may be lost. Returns the stop.
   */
  listen(channel: string, onNotify: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>;
  readonly kind: 'postgres' | 'pglite';
}

const INT8 = 20;
const toNumber = (v: string) => Number(v); // our BIGINTs are sequence numbers and epoch ms: well inside 2^53

const PG_TYPES = { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? toNumber : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser };
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * LISTEN on its own connection (a pooled one would be handed to other work), reconnecting with
 * backoff (0.2 s doubling to 10 s) when PostgreSQL restarts or the connection drops.
 */
function listenPostgres(url: string, channel: string, onNotify: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retryMs = 200;
  let timer: NodeJS.Timeout | null = null;
  const connect = async (first: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: url, types: PG_TYPES });
    const lost = () => {
      if (stopped || client !== c) return;
      client = null;
      c.end().catch(() => undefined);
      timer = setTimeout(() => {
        timer = null;
        connect(false).catch(() => undefined);
      }, retryMs);
      timer.unref();
      retryMs = Math.min(10_000, retryMs * 2);
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (err) {
      if (first) {
        client = null;
        await c.end().catch(() => undefined);
        throw err;
      }
      lost();
      return;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    retryMs = 200;
    if (!first) onLost?.();
  };
  return connect(true).then(() => async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  });
}

/** A pool on a PostgreSQL server (`postgres://user@host:port/db`). */
export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: PG_TYPES });
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
    listen: (channel, onNotify, onLost) => listenPostgres(url, channel, onNotify, onLost),
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
    // One process holds a PGlite database: its notifications are in-process.
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => {
        if (!db.closed) await stop();
      };
    },
  };
}
