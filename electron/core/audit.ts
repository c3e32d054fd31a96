/**
 * The audit log: append-only (triggers refuse UPDATE/DELETE) and tamper-evident. Each device
 * keeps its own SHA-256 chain: hash = SHA-256(prev_hash + "\n" + canonical(entry)), where
 * canonical() is RFC 8785 (JCS) JSON of the entry's fields and `data` is itself stored as JCS
 * text. The chain's tip is also checkpointed in `settings`, so cutting entries off the end is
 * detected too. An exported file carries every field and hash, so anyone can re-verify it.
 *
 * Stored form (migration 032, see audit-store.ts): prev_hash is not stored — it is the hash of the
 * previous entry of the same device chain, and verification takes it from there, so editing,
 * deleting, inserting or reordering an entry still makes some entry's hash fail.
 */
import type Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { GENESIS_HASH, canonicalEntry, type AuditEntry } from '../shared/audit-chain';
import type { AuditVerification } from '../shared/types';
import { DEVICE_OF, entryColumns, idKey, idText } from './audit-store';
import { StepReader, type StepReaderOptions } from './step-reader';

export type Actor =
  | { kind: 'user'; userId: string }
  | { kind: 'system' }
  | { kind: 'anonymous' }
  /** A session opened with an emergency account: the implementer, acting for one change request. */
  | { kind: 'emergency'; userId: string; requestId: string; accountId: string };

export { GENESIS_HASH, canonicalEntry, type AuditEntry };

export function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return hash('sha256', prevHash + '\n' + canonicalEntry(e));
}

const headKey = (deviceId: string) => `audit.head.${deviceId}`;

export class AuditWriter {
  private readonly insert: Database.Statement;
  private readonly readHead: Database.Statement;
  private readonly writeHead: Database.Statement;
  private readonly maxSeq: Database.Statement;
  private readonly deviceN: Database.Statement;
  private readonly addDevice: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly deviceId: string,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_chain (seq, id, device, at, actor_id, actor_kind, action, entity, entity_id, data, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.readHead = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    this.maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_chain').pluck();
    this.deviceN = db.prepare('SELECT n FROM audit_devices WHERE device_id = ?').pluck();
    this.addDevice = db.prepare('INSERT INTO audit_devices (device_id) VALUES (?)');
    this.writeHead = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  /** Appends inside the caller's transaction; the head is read there too, so a rollback leaves nothing stale. */
  append(input: { actor: Actor; at: number; action: string; entity: string; entityId: string | null; data: unknown }): AuditEntry {
    const head = this.readHead.get(headKey(this.deviceId)) as string | undefined;
    const [prevSeqText, prevHash] = head ? head.split(':') : ['0', GENESIS_HASH];
    const maxSeq = this.maxSeq.get() as number;
    // Every text field is hashed exactly as SQLite will store it (see storedText), so no input can
    // make the stored entry differ from the hashed one and break the chain.
    const entry: Omit<AuditEntry, 'hash' | 'prevHash'> = {
      seq: Math.max(maxSeq, Number(prevSeqText)) + 1,
      id: uuidv7(),
      deviceId: this.deviceId,
      at: input.at,
      actorId: storedText(input.actor.kind === 'user' || input.actor.kind === 'emergency' ? input.actor.userId : null),
      actorKind: input.actor.kind,
      action: storedText(input.action),
      entity: storedText(input.entity),
      entityId: storedText(input.entityId),
      data: canonicalize(wellFormedDeep(withActorContext(input.actor, input.data))) ?? '{}',
    };
    const hash = entryHash(prevHash!, entry);
    // The device's number is looked up (or registered) in this transaction: a rollback takes it back too.
    const device = (this.deviceN.get(this.deviceId) as number | undefined) ?? Number(this.addDevice.run(this.deviceId).lastInsertRowid);
    this.insert.run(
      entry.seq, idKey(entry.id), device, entry.at, idKey(entry.actorId), entry.actorKind, entry.action,
      entry.entity, idKey(entry.entityId), entry.data, Buffer.from(hash, 'hex'),
    );
    this.writeHead.run(headKey(this.deviceId), `${entry.seq}:${hash}`);
    return { ...entry, prevHash: prevHash!, hash };
  }
}

/**
 * The text SQLite stores for a JavaScript string: a lone UTF-16 surrogate cannot be encoded in
 * UTF-8 and is stored as U+FFFD, which is what toWellFormed() returns. The contract refuses such
 * input (shared/text.ts); this keeps the chain sound for anything that reaches the writer anyway.
 */
function storedText<T extends string | null>(value: T): T {
  return (value === null ? null : value.toWellFormed()) as T;
}

/** `value` with every string in it (keys too) as storedText would store it; JCS refuses lone surrogates. */
function wellFormedDeep(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(wellFormedDeep);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toWellFormed()] = wellFormedDeep(v);
  return out;
}

/** Every entry made with an emergency account names its request and account in its data. */
function withActorContext(actor: Actor, data: unknown): unknown {
  if (actor.kind !== 'emergency') return data ?? {};
  const emergency = { requestId: actor.requestId, accountId: actor.accountId };
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? { ...data, emergency } : { value: data ?? null, emergency };
}

/**
 * Checks entries of one device in order. Works on any iterable (the database or an exported
 * file), so the same code verifies both. `head` is the checkpointed tip, when known; `start` is
 * the link before the first entry, for an export of a period that does not begin the chain.
 */
export function verifyEntries(
  entries: Iterable<AuditEntry>,
  head?: { seq: number; hash: string },
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): AuditVerification {
  let prevHash = start.hash;
  let prevSeq = start.seq;
  let checked = 0;
  for (const e of entries) {
    if (e.prevHash !== prevHash) return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'prev_hash' } };
    if (e.seq <= prevSeq) return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'sequence_gap' } };
    if (entryHash(prevHash, e) !== e.hash) return { ok: false, checked, firstBroken: { seq: e.seq, reason: 'hash' } };
    prevHash = e.hash;
    prevSeq = e.seq;
    checked++;
  }
  if (head && (head.seq !== prevSeq || head.hash !== prevHash)) {
    return { ok: false, checked, firstBroken: { seq: prevSeq + 1, reason: 'truncated' } };
  }
  return { ok: true, checked, firstBroken: null };
}


/**
 * Verifies every device chain stored in the database; reports the first broken link found. A
 * long chain is checked in segments at once, all but the first on reader threads (one per core,
 * at most four; `options.threads` overrides, `options.modulePath`/`nativeBinding` say where a
 * thread loads better-sqlite3 from), through SQL that writes each entry's hashed text; any doubt
 * about a chain is settled by checking it again entry by entry with the reference code below.
 */
export function verifyAuditLog(db: Database.Database, options: VerifyOptions = {}): AuditVerification {
  const devices = db.prepare('SELECT device_id FROM audit_devices d WHERE EXISTS (SELECT 1 FROM audit_chain c WHERE c.device = d.n) ORDER BY n')
    .pluck().all() as string[];
  const heads = db.prepare("SELECT key, value FROM settings WHERE key LIKE 'audit.head.%'").all() as Array<{ key: string; value: string }>;
  for (const h of heads) {
    const device = h.key.slice('audit.head.'.length);
    if (!devices.includes(device)) devices.push(device);
  }
  let checked = 0;
  for (const device of devices) {
    const headText = heads.find((h) => h.key === headKey(device))?.value;
    const head = headText ? { seq: Number(headText.split(':')[0]), hash: headText.split(':')[1]! } : undefined;
    const fast = verifyChainFast(db, device, head, options);
    const result = fast ?? verifyEntries(rawEntries(db, device), head);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
  }
  return { ok: true, checked, firstBroken: null };
}

/**
 * Per entry of a device's chain in a seq range, in order: seq, whether it is the entry just before
 * the range (read first, when there is one: its hash is what the range's first hash follows), the
 * entry's canonical JSON and its hash. prev_hash is not stored: checkHashedRange takes each entry's
 * from the entry before it, so a deleted, inserted or moved entry changes some entry's hashed text.
 * SQLite writes the JSON: json_object keeps the keys in the order given (sorted here) and escapes
 * strings as JSON.stringify does, for any text SQLite can store (a property test checks it); were
 * they ever to differ, that entry would fail its hash here and send the chain to the reference
 * check. Each stored id's hex is computed once (the inner select is not flattened: it is a DISTINCT-
 * free select read by json_object several times, so it is kept as a column). Parameters: { device
 * (its number in audit_devices), after, upTo }.
 */
export const HASHED_RANGE = `SELECT seq, seq <= @after, json_object('action', action, 'actorId', ${uuidOfHex('actor_hex', 'actor_id')},
  'actorKind', actor_kind, 'at', at, 'data', data, 'deviceId', (SELECT device_id FROM audit_devices WHERE n = @device), 'entity', entity,
  'entityId', ${uuidOfHex('entity_hex', 'entity_id')}, 'id', ${uuidOfHex('id_hex', 'id')}, 'seq', seq), h
  FROM (SELECT c.seq, c.at, c.actor_kind, c.action, c.entity, c.data, c.id, c.actor_id, c.entity_id, lower(hex(c.hash)) AS h,
      CASE WHEN typeof(c.id) = 'blob' THEN lower(hex(c.id)) END AS id_hex,
      CASE WHEN typeof(c.actor_id) = 'blob' THEN lower(hex(c.actor_id)) END AS actor_hex,
      CASE WHEN typeof(c.entity_id) = 'blob' THEN lower(hex(c.entity_id)) END AS entity_hex
    FROM audit_chain c WHERE c.device = @device AND c.seq <= @upTo
      AND c.seq >= COALESCE((SELECT MAX(p.seq) FROM audit_chain p WHERE p.device = @device AND p.seq <= @after), @after + 1)
    ORDER BY c.seq LIMIT -1)
  ORDER BY seq`;

/** SQL: a stored id's text from its hex (computed once in HASHED_RANGE's inner select), or the text itself. */
function uuidOfHex(hex: string, column: string): string {
  return `CASE WHEN ${hex} IS NOT NULL THEN substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-' || substr(${hex}, 13, 4) || '-' || substr(${hex}, 17, 4)`
    + ` || '-' || substr(${hex}, 21) ELSE ${column} END`;
}

/** Below this many entries a chain is checked on this thread alone: starting a thread costs ~50 ms. */
export const PARALLEL_MIN_ENTRIES = 50_000;
/** Each thread opens its own connection with its own page cache: four keep that bounded. */
const MAX_VERIFY_THREADS = 4;

export interface VerifyOptions extends Omit<StepReaderOptions, 'file'> {
  /** Threads a long chain is split across, this one included (default: one per core, at most four). */
  threads?: number;
}

/** What a range of a chain says about itself: intact inside, and how it joins its neighbours. */
interface RangeCheck {
  intact: boolean;
  checked: number;
  first: { seq: number; prevHash: string } | null;
  last: { seq: number; hash: string } | null;
}

/**
 * Checks a range of HASHED_RANGE rows: every hash covers its text, each text begins with the
 * previous entry's hash, seq grows. Self-contained (no outer names): the reader thread runs it
 * from its source.
 */
function checkHashedRange(rows: Iterable<unknown[]>, sha256: (text: string) => string): RangeCheck {
  let first: RangeCheck['first'] = null;
  let lastSeq = 0;
  let lastHash = '0'.repeat(64); // the genesis hash, when no entry comes before the range
  let checked = 0;
  for (const row of rows) {
    const seq = row[0] as number;
    const storedHash = row[3] as string;
    if (row[1] === 1) {
      // the entry before the range: its hash is what the range's first entry follows (checked by its own range)
      lastSeq = seq;
      lastHash = storedHash;
      continue;
    }
    if (first === null) first = { seq, prevHash: lastHash };
    else if (seq <= lastSeq) return { intact: false, checked, first, last: null };
    if (sha256(lastHash + '\n' + (row[2] as string)) !== storedHash) return { intact: false, checked, first, last: null };
    lastSeq = seq;
    lastHash = storedHash;
    checked++;
  }
  return { intact: true, checked, first, last: first === null ? null : { seq: lastSeq, hash: lastHash } };
}

/**
 * The fast check of one device's chain: its result when the chain is intact, or null for the
 * reference check to find and name the first broken link (or when the fast check cannot say).
 */
function verifyChainFast(
  db: Database.Database, device: string, head: { seq: number; hash: string } | undefined, options: VerifyOptions,
): AuditVerification | null {
  const { threads = Math.min(availableParallelism(), MAX_VERIFY_THREADS), ...readerOptions } = options;
  const n = db.prepare('SELECT n FROM audit_devices WHERE device_id = ?').pluck().get(device) as number | undefined;
  const count = n === undefined ? 0 : (db.prepare('SELECT COUNT(*) FROM audit_chain WHERE device = ?').pluck().get(n) as number);
  const sha256 = (text: string) => hash('sha256', text);
  const range = (after: number, upTo: number) => db.prepare(HASHED_RANGE).raw().iterate({ device: n ?? 0, after, upTo }) as Iterable<unknown[]>;
  const segments = count >= PARALLEL_MIN_ENTRIES && !db.memory ? Math.max(1, Math.floor(threads)) : 1;
  // Segment i covers the seqs after bounds[i] up to bounds[i + 1].
  const seqAt = db.prepare('SELECT seq FROM audit_chain WHERE device = ? ORDER BY seq LIMIT 1 OFFSET ?').pluck();
  const bounds = [0];
  for (let i = 1; i < segments; i++) bounds.push(seqAt.get(n, Math.floor((count * i) / segments)) as number);
  bounds.push(Number.MAX_SAFE_INTEGER);
  // Segments 1… go to reader threads; null where a thread did not start (checked here instead).
  const readers: Array<StepReader | null> = [];
  const parts: RangeCheck[] = [];
  try {
    for (let i = 1; i < segments; i++) {
      let reader: StepReader | null = null;
      try {
        reader = new StepReader({ file: db.name, ...readerOptions });
        reader.requestRun(checkHashedRange, HASHED_RANGE, { device: n, after: bounds[i], upTo: bounds[i + 1] });
      } catch (err) {
        console.warn('[core] audit reader thread did not start; checking its segment on this thread', err);
        reader?.close();
        reader = null;
      }
      readers.push(reader);
    }
    parts.push(checkHashedRange(range(bounds[0]!, bounds[1]!), sha256));
    readers.forEach((reader, k) => {
      let part: RangeCheck | null = null;
      if (reader) {
        try {
          // A few µs an entry: allow the thread ten times that before checking its segment here.
          part = reader.takeResult(15_000 + count / 10) as RangeCheck;
        } catch (err) {
          console.warn('[core] audit reader thread failed; checking its segment on this thread', err);
        }
      }
      parts.push(part ?? checkHashedRange(range(bounds[k + 1]!, bounds[k + 2]!), sha256));
    });
  } finally {
    for (const reader of readers) reader?.close();
  }
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (const part of parts) {
    if (!part.intact) return null;
    if (part.first === null) continue;
    if (part.first.prevHash !== prev.hash || part.first.seq <= prev.seq) return null;
    prev = part.last!;
    checked += part.checked;
  }
  if (checked !== count || (head && (head.seq !== prev.seq || head.hash !== prev.hash))) return null;
  return { ok: true, checked, firstBroken: null };
}

/**
 * One device's chain in order, each entry with the prev_hash its hash follows: the previous entry's
 * hash (genesis for the first). Raw rows are much cheaper to fetch than better-sqlite3's object rows.
 */
function* rawEntries(db: Database.Database, device: string): Generator<AuditEntry> {
  const rows = db.prepare(`SELECT seq, id, at, actor_id, actor_kind, action, entity, entity_id, data, hash FROM audit_chain
    WHERE device = ${DEVICE_OF} ORDER BY seq`).raw().iterate(device) as Iterable<unknown[]>;
  let prevHash = GENESIS_HASH;
  for (const r of rows) {
    const hash = (r[9] as Buffer).toString('hex');
    yield {
      seq: r[0] as number, id: idText(r[1])!, deviceId: device, at: r[2] as number, actorId: idText(r[3]),
      actorKind: r[4] as string, action: r[5] as string, entity: r[6] as string, entityId: idText(r[7]),
      data: r[8] as string, prevHash, hash,
    };
    prevHash = hash;
  }
}

export function selectAuditEntries(db: Database.Database, fromMs: number, toMs: number): Iterable<AuditEntry> {
  return db.prepare(`SELECT ${entryColumns('a')} FROM audit_chain a WHERE a.at >= ? AND a.at < ? ORDER BY a.seq`).iterate(fromMs, toMs) as Iterable<AuditEntry>;
}
