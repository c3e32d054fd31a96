/** Shared helpers for the core unit tests (not a test file: vitest only runs *.test.ts). */
import { afterEach } from 'vitest';
import { TestDesk } from '../../fixtures/workspace';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../electron/core/audit';

/** Every desk made through `desks.make()` is closed and its temp dir removed after each test. */
export function deskPool() {
  const open: TestDesk[] = [];
  afterEach(() => {
    while (open.length > 0) open.pop()!.close();
  });
  return {
    make(...args: ConstructorParameters<typeof TestDesk>): TestDesk {
      const d = new TestDesk(...args);
      open.push(d);
      return d;
    },
    async ready(): Promise<TestDesk> {
      const d = new TestDesk();
      open.push(d);
      return d.setup();
    },
  };
}

export const SELECT_AUDIT = `SELECT seq, id, device_id AS deviceId, at, actor_id AS actorId, actor_kind AS actorKind, action,
  entity, entity_id AS entityId, data, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq`;

export function auditEntries(desk: TestDesk): AuditEntry[] {
  return desk.services.ws.db.prepare(SELECT_AUDIT).all() as AuditEntry[];
}

export function auditActions(desk: TestDesk, afterSeq = 0): string[] {
  return auditEntries(desk).filter((e) => e.seq > afterSeq).map((e) => e.action);
}

export function lastSeq(desk: TestDesk): number {
  return desk.services.ws.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number;
}

/** Counts with the given table deltas applied, for "this call added exactly these rows" assertions. */
export function plus(base: Record<string, number>, delta: Record<string, number>): Record<string, number> {
  const out = { ...base };
  for (const [k, v] of Object.entries(delta)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Signs the setup administrator in again (after the clock jumped past the session idle limit). */
export async function resignIn(desk: TestDesk): Promise<void> {
  const { ADMIN_PASSWORD } = await import('../../fixtures/workspace');
  desk.token = (await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).token;
}

/**
 * What `fn` returns, and the SQL of every statement prepared on `db` while it runs (for plan tests
 * that EXPLAIN what a call really runs). Statements a cache already holds are not prepared again:
 * pass a workspace to bypass its statement cache for the call.
 */
export function preparedDuring<T>(db: Database.Database, fn: () => T, ws?: unknown): { result: T; statements: string[] } {
  const cache = (ws as { statements?: Map<string, unknown> } | undefined)?.statements;
  const cached = new Map(cache ?? []);
  cache?.clear();
  const statements: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    statements.push(source);
    return prepare(source);
  }) as typeof db.prepare;
  try {
    return { result: fn(), statements };
  } finally {
    db.prepare = prepare as typeof db.prepare;
    for (const [k, v] of cached) if (!cache!.has(k)) cache!.set(k, v);
  }
}
