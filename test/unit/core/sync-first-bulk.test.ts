/**
 * The bulk first sync (sync/apply-bulk.ts) must leave a workspace exactly as the change-at-a-time
 * apply does (issue 11): two copies of one freshly set-up branch take the same pulled pages — a
 * real branch's whole outbox (users, settings, customers with contacts, tickets with their
 * touches, replies, notes, customer messages, contact attempts, assignments, waits, closes, subject
 * and contact edits) — one through the bulk path, one change by change. Every table's rows, both
 * search indexes (term by term) and the SLA clocks, breaches and their audit entries must be the
 * same, and so the state hash; anything the bulk path forgets to write shows up as a difference.
 */
import { createHash } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPulled, type PassMode } from '../../../electron/core/sync/apply';
import { outboxPayload } from '../../../electron/core/sync/outbox-payload';
import { makeRfc } from '../../../electron/shared/rfc';
import type { PulledChange } from '../../../electron/shared/sync/protocol';
import { phoneIntake, tempDir, TestDesk } from '../../fixtures/workspace';
import { DAY_MS } from './helpers';

const open: TestDesk[] = [];
const dirs: string[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.close();
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const START = Date.UTC(2026, 2, 2, 16, 0, 0);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HASH = /\b[0-9a-f]{64}\b/g;

/** A branch's life through its real commands; its outbox as the server's feed would hand it to another device. */
async function sourceFeed(): Promise<PulledChange[]> {
  const d = new TestDesk(tempDir(), START);
  open.push(d);
  await d.setup();
  const me = await d.call('auth.me', {});
  const agent = await d.userWithRoles('beto.agente', ['agent']);
  const tickets: string[] = [];
  for (let i = 0; i < 12; i++) {
    const rfc = makeRfc('BUL', { y: 1980 + (i % 4), m: 1 + (i % 12), d: 10 + i }, 'A1');
    const customer = i % 3 === 0
      ? { kind: 'new' as const, rfc, name: `Bulk Prueba ${i} SA de CV`, email: `facturas${i}@bulk.example.mx`, phone: `81 1234 56${String(i).padStart(2, '0')}` }
      : undefined;
    const t = await d.call('tickets.create', phoneIntake({
      ...(customer ? { customer } : { customer: { kind: 'existing' as const, customerId: d.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(tickets[tickets.length - 1]) as string } }),
      subject: `Caso ${i}: timbrado con error ${300 + i}`, severity: ((i % 3) + 1) as 1 | 2 | 3, priority: (['low', 'normal', 'high'] as const)[i % 3],
    }));
    tickets.push(t.id);
    d.advance(60_000);
    await d.call('tickets.customerMessage', { ticketId: t.id, body: `Adjunto la factura ${i}; el sello digital no valida.` });
    if (i % 2 === 0) await d.call('tickets.reply', { ticketId: t.id, body: 'Renueve su certificado de sello digital en el portal del SAT.' });
    if (i % 3 === 1) await d.call('tickets.note', { ticketId: t.id, body: `Nota interna ${i}: certificado vencido.` });
    if (i % 4 === 0) await d.call('tickets.contactAttempt', { ticketId: t.id, method: 'phone', reached: false, body: '' });
    if (i % 4 === 1) await d.call('tickets.update', { ticketId: t.id, subject: `Caso ${i}: cancelación rechazada`, priority: 'high' });
    if (i % 5 === 2) await d.call('tickets.assign', { ticketId: t.id, assigneeId: i % 2 ? agent.id : me.id });
    if (i % 6 === 3) await d.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    if (i % 7 === 5) await d.call('tickets.close', { ticketId: t.id, cause: 'Certificado vencido', solution: 'Se renovó y se volvió a timbrar.' });
    d.advance(3_600_000);
  }
  const customerId = d.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(tickets[0]) as string;
  await d.call('customers.update', { customerId, contacts: [{ name: 'Carla Contadora', email: 'carla@bulk.example.mx', phone: '', isLegalRepresentative: false }] });
  const db = d.services.ws.db;
  const rows = db.prepare('SELECT id, hlc, device_id AS deviceId, actor_id AS actorId, entity, entity_id AS entityId, op, payload, created_at AS createdAt FROM outbox ORDER BY seq')
    .all() as Array<Omit<PulledChange, 'payload' | 'serverSeq'> & { id: string; payload: string }>;
  return rows.map((r, i) => ({
    serverSeq: i + 1, deviceId: r.deviceId, hlc: r.hlc, actorId: r.actorId, entity: r.entity, entityId: r.entityId, op: r.op,
    payload: outboxPayload(db, r), createdAt: r.createdAt,
  }));
}

/** Two copies of one newly set-up branch, three days after the source's tickets (their clocks have run out). */
async function twoEmptyBranches(): Promise<[TestDesk, TestDesk]> {
  const template = tempDir();
  dirs.push(template);
  const t = new TestDesk(template, START + 3 * DAY_MS);
  await t.setup();
  t.host.close();
  return [0, 1].map(() => {
    const dir = tempDir();
    cpSync(template, dir, { recursive: true });
    const d = new TestDesk(dir, START + 3 * DAY_MS);
    open.push(d);
    return d;
  }) as [TestDesk, TestDesk];
}

/** The client's pull loop (sync/client.ts) over a feed: pages of `size`, the cursor held back before a deferred entry. */
function firstSync(d: TestDesk, feed: PulledChange[], size: number, bulk: boolean): PassMode[] {
  const passes: PassMode[] = [];
  let cursor = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = feed.filter((c) => c.serverSeq > cursor).slice(0, size);
    if (page.length === 0) return passes;
    let held: number | null = null;
    applyPulled(d.services, page, (_tx, firstDeferred) => { held = firstDeferred; }, { firstSync: true, bulk, onPass: (how) => passes.push(how) });
    cursor = held !== null ? held - 1 : page[page.length - 1]!.serverSeq;
  }
  throw new Error('the pull did not end');
}

/** Columns whose values are a row's place in its table or random by nature (ids made at the time, hash chains over them). */
const VOLATILE: Record<string, string[]> = { audit_chain: ['seq', 'id', 'hash'], outbox: ['seq', 'id', 'hlc'] };

/**
 * Every table's rows (sorted), with ids made during the sync (breach records, contacts without
 * one, audit and outbox records) and hashes masked; a ticket's SLA row named by its ticket; and
 * both search indexes, term by term, named by the ticket or entry they point at.
 */
function workspaceState(db: Database.Database, known: Set<string>): Record<string, string[]> {
  const mask = (v: unknown) => (typeof v === 'string' ? v.replace(UUID, (id) => (known.has(id) ? id : '<nuevo>')).replace(HASH, '<hash>') : v);
  const state: Record<string, string[]> = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'").pluck().all() as string[];
  for (const table of tables) {
    const rows = table === 'ticket_sla'
      ? db.prepare('SELECT t.id AS ticket, s.* FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid').all() as Array<Record<string, unknown>>
      : db.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>;
    state[table] = rows.map((r) => JSON.stringify(Object.entries(r)
      .filter(([k]) => !(VOLATILE[table] ?? []).includes(k) && !(table === 'ticket_sla' && k === 'ticket_rowid'))
      .map(([k, v]) => [k, mask(v)]))).sort();
  }
  for (const [fts, table] of [['ticket_fts', 'tickets'], ['event_fts', 'ticket_events']] as const) {
    db.exec(`DROP TABLE IF EXISTS temp.vocab; CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, ${fts}, instance)`);
    state[fts] = (db.prepare(`SELECT v.term, x.id, v.col, v.offset FROM temp.vocab v LEFT JOIN ${table} x ON x.rowid = v.doc`).raw().all() as unknown[][])
      .map((r) => JSON.stringify(r.map(mask))).sort();
    db.exec('DROP TABLE temp.vocab');
  }
  return state;
}

const stateHash = (s: Record<string, string[]>) => createHash('sha256').update(JSON.stringify(Object.entries(s).sort())).digest('hex');

function expectSame(bulk: TestDesk, plain: TestDesk, known: Set<string>): Record<string, string[]> {
  const a = workspaceState(bulk.services.ws.db, known);
  const b = workspaceState(plain.services.ws.db, known);
  for (const table of Object.keys({ ...a, ...b })) expect({ table, rows: a[table] }).toEqual({ table, rows: b[table] });
  expect(stateHash(a)).toBe(stateHash(b));
  // And search answers alike: a word of a rewritten subject, of a customer message, of a customer's name.
  for (const [fts, word] of [['ticket_fts', 'cancelación'], ['event_fts', 'sello'], ['ticket_fts', 'Bulk']] as const) {
    const answer = (d: TestDesk) => d.services.ws.db.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? ORDER BY rowid`).pluck().all(word);
    expect(answer(bulk).length).toBeGreaterThan(0);
    expect(answer(bulk)).toEqual(answer(plain));
  }
  return a;
}

describe('first sync in bulk', () => {
  // Seven changes a page: tickets land on a later page than their "created" entries (held back), touches of tickets
  // already here; sixty: most of a ticket's life on one page, folded into one row.
  it.each([7, 60])('leaves the workspace exactly as the change-at-a-time apply, %i changes a page: rows, search, SLA moments, state hash', async (size) => {
    const feed = await sourceFeed();
    const [bulk, plain] = await twoEmptyBranches();
    const known = new Set([...JSON.stringify(feed).matchAll(UUID), ...JSON.stringify(workspaceState(bulk.services.ws.db, new Set())).matchAll(UUID)].map((m) => m[0]));
    const bulkPasses = firstSync(bulk, feed, size, true);
    const plainPasses = firstSync(plain, feed, size, false);
    expect(bulkPasses.every((p) => p === 'bulk')).toBe(true);
    expect(plainPasses.every((p) => p === 'page')).toBe(true);
    const state = expectSame(bulk, plain, known);
    expect(state.tickets!.length).toBe(12);
    expect(state.contacts!.length).toBeGreaterThan(0);
    expect(state.ticket_sla!.length).toBe(12);
    expect(state.sla_breaches!.length).toBeGreaterThan(0);
    expect(state.ticket_fts!.length).toBeGreaterThan(100);
    // A first sync killed before its cursor was kept pulls it all again: rows already here (the change-at-a-time path inside the bulk one).
    firstSync(bulk, feed, 50, true);
    firstSync(plain, feed, 50, false);
    expectSame(bulk, plain, known);
  });
});
