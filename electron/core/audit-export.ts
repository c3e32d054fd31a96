/**
 * The audit log as an API: filter it (actor, request, action prefix, period) and export a period
 * to JSONL or CSV with every hashed field and both hashes, so a third party can re-verify the
 * chain without the app. Each export names, per device chain, its first and last links; that
 * manifest is written into the audit log itself, so an edited, cut or padded file is caught.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { auditExportSchema, auditListSchema } from '../shared/contract';
import type { AuditExportChain, AuditExportFile, AuditPage, AuditRecord } from '../shared/request-types';
import type { AuditVerification } from '../shared/types';
import { verifyEntries, type AuditEntry } from './audit';
import { entryColumns, idKey, idTextSql } from './audit-store';
import { restoreFormula } from './csv';
import { escapeLike } from './customers';
import { boundedCount, COUNT_BOUND, decodeCursor, mergedWalk, pageEnd, type Condition, type Walk } from './keyset';
import type { Workspace } from './workspace';

/** An entry's columns in text form (ids, device, both hashes) over audit_chain aliased `a`. */
const ENTRY_COLUMNS = entryColumns('a');

/**
 * Entries matching `clause` (over audit_chain aliased `a`: ids compared as idKey stores them), with
 * the actor's name and `data` parsed.
 */
export function auditRecords(db: Database.Database, clause: string, params: unknown[]): AuditRecord[] {
  const rows = db.prepare(`SELECT ${ENTRY_COLUMNS}, u.full_name AS actorName FROM audit_chain a LEFT JOIN users u ON u.id = ${idTextSql('a.actor_id')} ${clause}`)
    .all(...params) as Array<AuditEntry & { actorName: string | null }>;
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
}

/** One audit.list question: what every entry satisfies, and the ordered index ranges that hold them. */
export interface AuditListPlan {
  where: Condition[];
  walks: Walk[];
}

/**
 * The Bitácora's filters as index ranges ordered by (at, seq): an actor, an entity or each action
 * of an action prefix is a range of its (…, at) index, the period a range of `at` within it.
 * Entries of a request (its own and its emergency accounts') are few: found by their JSON
 * indexes and ordered in memory. Exported for the plan test.
 */
export function planAuditList(db: Database.Database, filter: z.output<typeof auditListSchema>): AuditListPlan {
  const where: Condition[] = [];
  if (filter.actorId) where.push({ sql: 'a.actor_id = ?', params: [idKey(filter.actorId)] });
  if (filter.requestId) {
    // Two indexed lookups (see 003_requests.sql): entries about the request, and everything done with its emergency accounts.
    where.push({
      sql: `a.seq IN (SELECT seq FROM audit_chain WHERE json_extract(data, '$.requestId') = ?
      UNION SELECT seq FROM audit_chain WHERE actor_kind = 'emergency' AND json_extract(data, '$.emergency.requestId') = ?)`,
      params: [filter.requestId, filter.requestId],
    });
  }
  if (filter.action) where.push({ sql: `a.action LIKE ? ESCAPE '\\'`, params: [`${escapeLike(filter.action)}%`] });
  if (filter.entity) where.push({ sql: 'a.entity = ?', params: [filter.entity] });
  if (filter.from !== undefined) where.push({ sql: 'a.at >= ?', params: [filter.from] });
  if (filter.to !== undefined) where.push({ sql: 'a.at < ?', params: [filter.to] });

  const range = (index: string, prefix: Condition | null): Walk => ({ from: `FROM audit_chain a INDEXED BY ${index}`, conditions: prefix ? [prefix, ...where] : where });
  let walks: Walk[];
  if (filter.requestId) walks = [{ from: 'FROM audit_chain a', conditions: where }];
  else if (filter.actorId) walks = [range('audit_log_actor', null)];
  else if (filter.entity) walks = [range('audit_log_entity_at', null)];
  else if (filter.action) walks = actionsWithPrefix(db, filter.action).map((action) => range('audit_log_action', { sql: 'a.action = ?', params: [action] }));
  else walks = [range('audit_log_at', null)];
  return { where, walks };
}

/** The distinct actions that start with `prefix`: one index seek each (a skip-scan over audit_log_action). */
function actionsWithPrefix(db: Database.Database, prefix: string): string[] {
  const next = db.prepare('SELECT MIN(action) FROM audit_chain WHERE action > ?').pluck();
  const out: string[] = [];
  let action = db.prepare('SELECT MIN(action) FROM audit_chain WHERE action >= ?').pluck().get(prefix) as string | null;
  while (action !== null && action.startsWith(prefix)) {
    out.push(action);
    action = next.get(action) as string | null;
  }
  return out;
}

/** audit.list: newest first unless asked otherwise, a keyset page at a time; the count (bounded) with the first page. */
export function listAudit(db: Database.Database, filter: z.output<typeof auditListSchema>): AuditPage {
  const plan = planAuditList(db, filter);
  if (plan.walks.length === 0) return { rows: [], nextCursor: null, total: 0, totalCapped: false };
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  const q = mergedWalk(plan.walks, 'a.at', 'a.seq', filter.order, cursor);
  const keys = db.prepare(q.sql).all(...q.params, filter.limit + 1) as Array<{ r: number; k: number }>;
  const nextCursor = pageEnd(keys, filter.limit);
  const bySeq = new Map(keys.length === 0 ? [] : auditRecords(db, `WHERE a.seq IN (${keys.map((k) => k.r).join(',')})`, []).map((r) => [r.seq, r]));
  return {
    rows: keys.flatMap((k) => bySeq.get(k.r) ?? []),
    nextCursor,
    ...(cursor ? { total: null, totalCapped: false } : countAuditList(db, plan)),
  };
}

/**
 * The bounded count of a Bitácora question, walk by walk: the walks hold disjoint entries (one
 * action each, or one range), and each is counted on its own index range. Counting the question
 * as one WHERE read the whole log for an action prefix (`action LIKE 'emergency.%'` cannot use the
 * action index: LIKE ignores case): 0.4–1.1 s for 200 entries among 1,000,000.
 */
export function countAuditList(db: Database.Database, plan: AuditListPlan): { total: number; totalCapped: boolean } {
  let total = 0;
  for (const walk of plan.walks) {
    const part = boundedCount(db, walk.from, walk.conditions);
    total += part.total;
    if (part.totalCapped || total > COUNT_BOUND) return { total: COUNT_BOUND, totalCapped: true };
  }
  return { total, totalCapped: false };
}

/** The per-device first and last links of a set of entries (in seq order). */
export function exportChains(entries: Iterable<AuditEntry>): AuditExportChain[] {
  const chains = new Map<string, AuditExportChain>();
  for (const e of entries) addToChains(chains, e);
  return [...chains.values()];
}

/** Adds the next entry (in seq order) to its device's chain. Self-contained: the export worker runs its source. */
export function addToChains(chains: Map<string, AuditExportChain>, e: AuditEntry): void {
  const c = chains.get(e.deviceId);
  if (!c) chains.set(e.deviceId, { deviceId: e.deviceId, firstSeq: e.seq, lastSeq: e.seq, count: 1, startPrevHash: e.prevHash, endHash: e.hash });
  else Object.assign(c, { lastSeq: e.seq, count: c.count + 1, endHash: e.hash });
}

/** One AuditEntry per line, fields in a fixed order, `data` kept as the canonical JSON text that was hashed. */
export function toJsonl(entries: Iterable<AuditEntry>): string {
  let out = '';
  for (const e of entries) out += auditLine('jsonl', e);
  return out;
}

const CSV_COLUMNS = ['seq', 'id', 'deviceId', 'at', 'atIso', 'actorId', 'actorKind', 'action', 'entity', 'entityId', 'data', 'prevHash', 'hash'] as const;
/** The first line of a CSV export. */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * RFC 4180 CSV with a header row. A null (actorId, entityId) is an empty unquoted field; an empty
 * string is `""`, so a re-verifier can tell them apart. `atIso` is for people and is not hashed.
 */
export function toCsv(entries: Iterable<AuditEntry>): string {
  let out = CSV_HEADER;
  for (const e of entries) out += auditLine('csv', e);
  return out;
}

/**
 * One entry as one line of an export, line ending included: JSONL with the fields in a fixed
 * order, or a CSV row in CSV_COLUMNS order. Self-contained (no outer names, no named inner
 * functions): the export worker runs it from its source, so it cannot call core/csv.ts; its CSV
 * rows are those of the shared writer (quoting, and a formula start neutralized with an
 * apostrophe that parseCsv takes off) — a property test holds the two to the same bytes.
 */
export function auditLine(format: 'csv' | 'jsonl', e: AuditEntry): string {
  const fields = [e.seq, e.id, e.deviceId, e.at, e.actorId, e.actorKind, e.action, e.entity, e.entityId, e.data, e.prevHash, e.hash];
  if (format === 'jsonl') {
    return `${JSON.stringify({
      seq: e.seq, id: e.id, deviceId: e.deviceId, at: e.at, actorId: e.actorId, actorKind: e.actorKind, action: e.action,
      entity: e.entity, entityId: e.entityId, data: e.data, prevHash: e.prevHash, hash: e.hash,
    })}\n`;
  }
  fields.splice(4, 0, new Date(e.at).toISOString());
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    let s = v === null || v === undefined ? '' : String(v);
    if (typeof v === 'string' && /^'*[=+\-@\t\r]/.test(s)) s = `'${s}`;
    if (i > 0) line += ',';
    if (v !== null && (s === '' || /[",\r\n]/.test(s))) line += `"${s.replace(/"/g, '""')}"`;
    else line += s;
  }
  return `${line}\r\n`;
}

export function parseJsonl(text: string): AuditEntry[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as AuditEntry);
}

/** Reads a CSV written by toCsv back into entries. */
export function parseCsv(text: string): AuditEntry[] {
  const rows = parseCsvRows(text);
  const header = rows.shift() ?? [];
  const col = (name: string) => header.findIndex((h) => h.value === name);
  const idx = Object.fromEntries(CSV_COLUMNS.map((c) => [c, col(c)])) as Record<(typeof CSV_COLUMNS)[number], number>;
  return rows.map((r) => {
    const cell = (c: (typeof CSV_COLUMNS)[number]) => r[idx[c]] ?? { value: '', quoted: false };
    const get = (c: (typeof CSV_COLUMNS)[number]) => ({ ...cell(c), value: restoreFormula(cell(c).value) });
    const nullable = (c: (typeof CSV_COLUMNS)[number]) => (get(c).value === '' && !get(c).quoted ? null : get(c).value);
    return {
      seq: Number(get('seq').value), id: get('id').value, deviceId: get('deviceId').value, at: Number(get('at').value),
      actorId: nullable('actorId'), actorKind: get('actorKind').value, action: get('action').value, entity: get('entity').value,
      entityId: nullable('entityId'), data: get('data').value, prevHash: get('prevHash').value, hash: get('hash').value,
    };
  });
}

function parseCsvRows(text: string): Array<Array<{ value: string; quoted: boolean }>> {
  const rows: Array<Array<{ value: string; quoted: boolean }>> = [];
  let row: Array<{ value: string; quoted: boolean }> = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
    }
    row.push({ value, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/**
 * Re-verifies exported entries, chain by chain. With the export's manifest (`chains`, also
 * recorded in the audit log), a missing first or last entry, a foreign device or an edit,
 * insertion or reordering anywhere is caught; without it, only the links inside the file are.
 */
export function verifyExport(entries: readonly AuditEntry[], chains?: readonly AuditExportChain[]): AuditVerification {
  const byDevice = new Map<string, AuditEntry[]>();
  for (const e of entries) byDevice.set(e.deviceId, [...(byDevice.get(e.deviceId) ?? []), e]);
  let checked = 0;
  for (const [device, list] of byDevice) {
    const chain = chains?.find((c) => c.deviceId === device);
    if (chains && !chain) return { ok: false, checked, firstBroken: { seq: list[0]!.seq, reason: 'prev_hash' } };
    const start = { seq: 0, hash: chain ? chain.startPrevHash : list[0]!.prevHash };
    const head = chain ? { seq: chain.lastSeq, hash: chain.endHash } : undefined;
    const result = verifyEntries(list, head, start);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
    if (chain && result.checked !== chain.count) return { ok: false, checked, firstBroken: { seq: chain.firstSeq, reason: 'sequence_gap' } };
  }
  const missing = chains?.find((c) => !byDevice.has(c.deviceId));
  if (missing) return { ok: false, checked, firstBroken: { seq: missing.firstSeq, reason: 'truncated' } };
  return { ok: true, checked, firstBroken: null };
}

/**
 * The rows of a period [from, to) in seq order, in constant memory: the seq bounds of the period
 * come from the `at` index, then the rows are a walk of the primary key between them (the `+`
 * keeps SQLite from reading through the `at` index and sorting a year of entries in memory).
 * Parameters: boundsSql and countSql (from, to); sql (lo, hi, from, to).
 */
export const EXPORT_ROWS = {
  boundsSql: 'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM audit_chain WHERE at >= ? AND at < ?',
  countSql: 'SELECT COUNT(*) FROM audit_chain WHERE at >= ? AND at < ?',
  sql: `SELECT ${ENTRY_COLUMNS} FROM audit_chain a WHERE a.seq BETWEEN ? AND ? AND +a.at >= ? AND +a.at < ? ORDER BY a.seq`,
};

/** audit.export: the period [from, to) as a file, and an audit entry of the export itself. */
export function exportAudit(ws: Workspace, actorId: string, input: z.output<typeof auditExportSchema>): AuditExportFile {
  const bounds = ws.db.prepare(EXPORT_ROWS.boundsSql).get(input.from, input.to) as { lo: number | null; hi: number | null };
  const entries = bounds.lo === null ? [] : ws.db.prepare(EXPORT_ROWS.sql).all(bounds.lo, bounds.hi, input.from, input.to) as AuditEntry[];
  const content = input.format === 'csv' ? toCsv(entries) : toJsonl(entries);
  const sha256 = createHash('sha256').update(content).digest('hex');
  const chains = exportChains(entries);
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const fileName = `bitacora-${stamp(input.from)}-${stamp(input.to)}.${input.format}`;
  ws.write({ kind: 'user', userId: actorId }, (tx) =>
    tx.audit('audit.exported', 'audit_log', null, { from: input.from, to: input.to, format: input.format, count: entries.length, sha256, chains }),
  );
  return {
    fileName, format: input.format, mimeType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson', content, count: entries.length, sha256, chains,
  };
}
