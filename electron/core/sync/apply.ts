/**
 * Applies pulled changes to the workspace (issue 11): one transaction per page, each change in
 * its own savepoint (a change that cannot apply here is counted and named in the audit entry,
 * never half-applied), pulled rows merged field by field. Rebase: a field with a local mutation
 * still waiting to be pushed keeps its local value — the server decides between the two by HLC
 * when it arrives, and the next pull brings the winner. Secrets never arrive (the server refuses
 * them), so a user created at another branch cannot sign in here until a password is set locally.
 */
import { BRANDING_SETTING, storedBrandingSchema } from '../../shared/branding';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isGenericRfc } from '../../shared/rfc';
import { KB_ENTITY } from '../../shared/kb';
import { PERSONAL_DATA_ENTITY } from '../../shared/personal-data';
import type { RequestState } from '../../shared/request-workflow';
import { SURVEY_SOURCES } from '../../shared/survey';
import {
  attachmentInsertSchema, changeRequestDecisionSchema, changeRequestInsertSchema, changeRequestUpdateSchema, emergencyAccountInsertSchema,
  emergencyAccountUpdateSchema, emergencyReviewSchema, kbArticleInsertSchema, kbArticleSchema, personalDataInsertSchema, personalDataUpdateSchema,
} from '../../shared/sync/payloads';
import { EMERGENCY_MAX_HOURS_KEY, notifyReviewers, type AccountRow } from '../emergency';
import { notifyApprovers, type RequestRow } from '../requests';
import type { PulledChange } from '../../shared/sync/protocol';
import type { ApplySummary } from '../../shared/sync/types';
import { creditPackageChecklistSchema, emergencySettingsSchema, settingsUpdateSchema } from '../../shared/contract';
import { TIER_ROLE, tierIndex, type Tier } from '../../shared/domain';
import { slaConfigSchema } from '../../shared/sla';
import { reindexCustomerTickets } from '../customers';
import { rewriteTicketText } from '../ticket-text';
import { notify, usersWithRole } from '../notifications/notify';
import { policiesToRecompute, type SlaEngine } from '../sla';
import type { Workspace, WriteTx } from '../workspace';
import { pulledQuickReplySchema, QUICK_REPLY_ENTITY } from '../../shared/quick-replies';
import { QUICK_REPLY_COLUMNS } from '../mail/quick-replies';
import { BulkPage } from './apply-bulk';
import { columnValue, CUSTOMER_COLUMNS, PRIORITY_RANK, TICKET_COLUMNS, USER_COLUMNS } from './columns';

/** What applying pulled changes needs: the workspace and the SLA engine (clocks of pulled tickets). */
export interface SyncDeps {
  ws: Workspace;
  sla: SlaEngine;
}

/**
 * Applies one page. Rows go before timeline entries (a ticket's "created" entry is written to the
 * outbox before the ticket itself). A timeline entry whose ticket is not here yet — it is on the
 * next page — is deferred: `inTx` gets the server sequence of the first one, so the cursor stays
 * before it and the next page brings it again with its ticket. One that opens a page cannot wait
 * for anything earlier and counts as failed.
 */
export function applyPulled(
  s: SyncDeps, changes: PulledChange[], inTx?: (tx: WriteTx, firstDeferred: number | null) => void, opts: ApplyOptions = {},
): ApplySummary {
  // A first sync brings the organization's whole history: nobody is told of each old assignment.
  const quiet = opts.firstSync === true;
  // Stable by rank, then server order: what a row refers to is written before it (see applyRank).
  const ordered = changes.map((c, i) => ({ c, i })).sort((a, b) => applyRank(a.c) - applyRank(b.c) || a.i - b.i).map((x) => x.c);
  const first = changes[0]?.serverSeq;
  let summary: ApplySummary = { applied: 0, ignored: 0, failed: [] };
  let firstDeferred: number | null = null;
  /**
   * One pass over the page. `isolated`: each change in its own savepoint, a failing one counted and
   * skipped. Otherwise (tried first: a savepoint per change is a third of a first sync's time) the
   * first failure throws, the caller rolls the pass back and runs the isolated one. `bulk` (a first
   * sync): new customers, tickets and timeline entries gathered and written a table at a time
   * (apply-bulk.ts); the rest as in the plain pass.
   */
  const pass = (tx: WriteTx, mode: PassMode) => {
    summary = { applied: 0, ignored: 0, failed: [] };
    firstDeferred = null;
    // The SLA clocks of the page's tickets, worked out once per ticket after the page's rows (a ticket
    // and its touches usually arrive on the same page: one computation instead of one per change).
    const clocks = new Map<string, 'start' | 'recompute'>();
    const plain = (c: PulledChange) => applyOne(s, tx, c, quiet, clocks);
    const bulk = mode === 'bulk' ? new BulkPage(tx, changes, plain, clocks) : null;
    const one = mode === 'isolated' ? tx.db.transaction(plain) : bulk ? (c: PulledChange) => bulk.apply(c) : plain;
    const here = bulk ? (c: PulledChange) => bulk.ticketHere(c.payload.ticketId as string) : (c: PulledChange) => ticketHere(tx, c);
    for (const c of ordered) {
      if (firstDeferred !== null && c.serverSeq > firstDeferred) continue; // pulled again with the next page
      s.ws.observeHlc(c.hlc);
      if (c.entity !== 'ticket' && APPLIED_HERE.has(c.entity) && typeof c.payload.ticketId === 'string' && c.serverSeq !== first && !here(c)) {
        firstDeferred = Math.min(firstDeferred ?? Infinity, c.serverSeq);
        continue;
      }
      try {
        // A nested better-sqlite3 transaction is a savepoint: a failing change leaves nothing behind.
        if (one(c)) summary.applied++;
        else summary.ignored++;
      } catch (err) {
        if (mode !== 'isolated') throw err;
        summary.failed.push(`${c.entity}:${c.entityId}`);
        console.warn('[sync] pulled change not applied', c.entity, c.entityId, (err as Error).message);
      }
    }
    bulk?.flush();
    if (mode !== 'isolated') {
      // All the page's clocks at once (the same computation per ticket; one read, batched stores).
      const ids = { start: [] as string[], recompute: [] as string[] };
      for (const [ticketId, how] of clocks) ids[how].push(ticketId);
      s.sla.computeMany(tx, ids.start, 'start');
      s.sla.computeMany(tx, ids.recompute, 'recompute');
      return;
    }
    const clock = tx.db.transaction((id: string, how: string) => (how === 'start' ? s.sla.start(tx, id) : s.sla.recompute(tx, id)));
    for (const [ticketId, how] of clocks) {
      try {
        clock(ticketId, how);
      } catch (err) {
        summary.failed.push(`ticket_sla:${ticketId}`);
        console.warn('[sync] SLA clocks of a pulled ticket not computed', ticketId, (err as Error).message);
      }
    }
  };
  s.ws.write({ kind: 'system' }, (tx) => {
    let how: PassMode | null = null;
    if (quiet && opts.bulk !== false) {
      try {
        tx.db.transaction(() => pass(tx, 'bulk'))();
        how = 'bulk';
      } catch (err) {
        console.warn('[sync] first-sync page not applied in bulk; applying it change by change', (err as Error).message);
      }
    }
    if (how === null) {
      try {
        tx.db.transaction(() => pass(tx, 'page'))();
        how = 'page';
      } catch {
        pass(tx, 'isolated'); // something on the page cannot apply here: again, a change at a time
        how = 'isolated';
      }
    }
    opts.onPass?.(how);
    if (changes.length > 0) tx.audit('sync.pulled', 'sync', null, { applied: summary.applied, ignored: summary.ignored, failed: summary.failed.slice(0, 50) });
    inTx?.(tx, firstDeferred);
  });
  return summary;
}

/** How a page was applied: in bulk (first sync), in one plain pass, or a change at a time (something on it failed). */
export type PassMode = 'bulk' | 'page' | 'isolated';

export interface ApplyOptions {
  /** The device's first pull: nobody is notified, and pages go through the bulk path. */
  firstSync?: boolean;
  /** false: a first sync's pages are applied change by change too (tests compare the two). */
  bulk?: boolean;
  /** Told how each page was applied (tests). */
  onPass?: (how: PassMode) => void;
}

/**
 * The order a page is written in: the organization's rows (users, customers, settings) first, then
 * tickets, then their timeline entries, then what hangs from those (evidence files, survey answers, change
 * requests and their decisions, emergency accounts, the personal-data register, articles). A ticket's
 * "created" entry reaches the outbox before the ticket, and a request's ticket may reach the feed
 * just after the request's signed form (server/commands/push.ts, shareTicket).
 */
function applyRank(c: PulledChange): number {
  if (c.entity === 'ticket') return 1;
  if (c.entity === 'ticket_event') return 2;
  if (DEPENDENT_ENTITIES.has(c.entity)) return 3;
  return 0;
}
/**
 * Entities a pulled change is applied to here (applyOne). Others (another device's notifications,
 * its breach records) are passed by: one naming a ticket not here yet does not hold the page back.
 */
const APPLIED_HERE = new Set([
  'user', 'customer', 'customer_merge', 'settings', 'ticket', 'ticket_event', 'attachment', 'satisfaction_survey', QUICK_REPLY_ENTITY,
  'change_request', 'change_request_decision', 'emergency_account', 'emergency_review', PERSONAL_DATA_ENTITY, KB_ENTITY,
]);
const DEPENDENT_ENTITIES = new Set([
  'attachment', 'satisfaction_survey', 'change_request', 'change_request_decision', 'emergency_account', 'emergency_review',
  PERSONAL_DATA_ENTITY, KB_ENTITY,
]);

/** A change that names a ticket (a timeline entry, a file, a request) waits for it when it is on the next page. */
function ticketHere(tx: WriteTx, c: PulledChange): boolean {
  return tx.sql('SELECT 1 FROM tickets WHERE id = ?').get((c.payload as { ticketId?: unknown }).ticketId) !== undefined;
}

function applyOne(s: SyncDeps, tx: WriteTx, pulled: PulledChange, quiet: boolean, clocks: Map<string, 'start' | 'recompute'>): boolean {
  const c = followMergedCustomer(tx, pulled);
  switch (c.entity) {
    case 'user': {
      makeWayForUsername(tx, c);
      const before = tx.sql('SELECT username FROM users WHERE id = ?').pluck().get(c.entityId) as string | undefined;
      // '!' is no scrypt hash: nobody signs in with it.
      upsert(tx, c, 'users', USER_COLUMNS, { password_hash: '!', created_at: c.createdAt, updated_at: c.createdAt });
      // The password was changed at another branch: the hash kept here is the old one. The next
      // sign-in asks the central server (which has the new one) and keeps a hash of it again.
      if ('passwordChangedAt' in c.payload) tx.sql("UPDATE users SET password_hash = '!' WHERE id = ?").run(c.entityId);
      // The server renamed a user of ours whose name another branch had taken first.
      if (typeof c.payload.renamedFrom === 'string' && before !== undefined && before !== c.payload.username) {
        tx.audit('user.renamedBySync', 'user', c.entityId, { from: before, to: c.payload.username });
      }
      return true;
    }
    case 'customer':
      applyCustomer(tx, c);
      return true;
    case 'customer_merge':
      applyCustomerMerge(tx, c);
      return true;
    case 'settings':
      return applySettings(s, tx, c);
    case 'ticket':
      // A change of a ticket this branch has not got: the server shares it whole when it becomes
      // this branch's to see (its first escalation), right after this change.
      if (!('trackingNumber' in c.payload) && !tx.sql('SELECT 1 FROM tickets WHERE id = ?').get(c.entityId)) return false;
      applyTicket(tx, c, quiet, clocks);
      return true;
    case 'ticket_event':
      applyEvent(tx, c, quiet);
      return true;
    case 'attachment':
      applyAttachment(s, tx, c);
      return true;
    case 'satisfaction_survey':
      return applySurvey(tx, c);
    case QUICK_REPLY_ENTITY:
      // Only the team's travel; a personal one arriving here (it never should) is not stored.
      if (c.payload.scope !== undefined && c.payload.scope !== 'team') return false;
      pulledQuickReplySchema.parse(c.payload);
      upsert(tx, c, 'quick_replies', QUICK_REPLY_COLUMNS, { scope: 'team', created_at: c.createdAt, updated_at: c.createdAt, body_es: '', title: '' });
      return true;
    case 'change_request':
      applyChangeRequest(tx, c, quiet);
      return true;
    case 'change_request_decision':
      applyDecision(tx, c);
      return true;
    case 'emergency_account':
      applyEmergencyAccount(tx, c, quiet);
      return true;
    case 'emergency_review':
      applyEmergencyReview(tx, c);
      return true;
    case PERSONAL_DATA_ENTITY:
      applyPersonalData(tx, c);
      return true;
    case KB_ENTITY:
      applyArticle(tx, c);
      return true;
    default:
      return false;
  }
}

/**
 * A change written on the server before a customer merge may still name the merged customer (the
 * server rewrites only what it receives after deciding): this branch may have followed the merge
 * already — a pulled registration of the same RFC does so at once — so the change is read with the
 * customer it was merged into, as recorded by `customer.mergedBySync`.
 */
function followMergedCustomer(tx: WriteTx, c: PulledChange): PulledChange {
  let id = c.payload.customerId;
  if (c.entity === 'customer' || c.entity === 'customer_merge' || typeof id !== 'string') return c;
  const find = tx.sql("SELECT entity_id FROM audit_log WHERE action = 'customer.mergedBySync' AND json_extract(data, '$.mergedId') = ? ORDER BY seq DESC LIMIT 1").pluck();
  for (let hops = 0; hops < 5 && !tx.sql('SELECT 1 FROM customers WHERE id = ?').get(id); hops++) {
    const into = find.get(id) as string | undefined;
    if (!into) break;
    id = into;
  }
  return id === c.payload.customerId ? c : { ...c, payload: { ...c.payload, customerId: id } };
}

/**
 * User names are the organization's: a pulled user's name is the one the server holds. A user of
 * ours under that name was created here while apart and the server renames it <name>.<branch>
 * (its rename comes in the feed after this); take that name now so both rows fit.
 */
function makeWayForUsername(tx: WriteTx, c: PulledChange): void {
  const name = c.payload.username;
  if (typeof name !== 'string') return;
  const ours = tx.sql('SELECT id FROM users WHERE username = ? AND id <> ?').pluck().get(name, c.entityId) as string | undefined;
  if (!ours) return;
  const site = String(tx.sql('SELECT code FROM branch LIMIT 1').pluck().get() ?? 'sucursal').toLowerCase();
  for (let n = 1; ; n++) {
    const suffix = `.${site}${n === 1 ? '' : n}`;
    const to = name.slice(0, 40 - suffix.length) + suffix;
    if (tx.sql('SELECT 1 FROM users WHERE username = ?').get(to)) continue;
    tx.sql('UPDATE users SET username = ? WHERE id = ?').run(to, ours);
    tx.audit('user.renamedBySync', 'user', ours, { from: name, to });
    return;
  }
}

/**
 * The organization's settings, set once at any branch: the general settings (field by field), the
 * SLA calendars and policies (whole, then the open tickets' clocks are recomputed on this branch's
 * calendars) and the emergency accounts' longest duration. Each is checked with the schema its own
 * screen uses; a setting changed here and not yet pushed keeps the local value (the server decides).
 */
function applySettings(s: SyncDeps, tx: WriteTx, c: PulledChange): boolean {
  const pending = pendingFields(tx, 'settings', c.entityId);
  switch (c.entityId) {
    case 'org': {
      const pulled = settingsUpdateSchema.parse(c.payload);
      const current = JSON.parse(tx.sql("SELECT value FROM settings WHERE key = 'org'").pluck().get() as string | undefined ?? '{}') as Record<string, unknown>;
      const next = { ...current, ...Object.fromEntries(Object.entries(pulled).filter(([k, v]) => v !== undefined && !pending.has(k))) };
      tx.setSetting('org', JSON.stringify(next));
      return true;
    }
    case 'sla': {
      if (pending.size > 0) return true;
      const config = slaConfigSchema.parse(c.payload);
      const before = s.sla.config();
      tx.setSetting('sla', JSON.stringify(config));
      s.sla.recomputeOpen(tx, policiesToRecompute(before, config));
      return true;
    }
    case BRANDING_SETTING: {
      // The portal's branding, whole: what is pulled over what is here, kept only if it still passes the
      // schema (contrast included); a change here not yet pushed keeps the local value.
      if (pending.size > 0) return true;
      const current = JSON.parse(tx.sql('SELECT value FROM settings WHERE key = ?').pluck().get(BRANDING_SETTING) as string | undefined ?? '{}') as object;
      const next = storedBrandingSchema.safeParse({ ...current, ...c.payload });
      if (next.success) tx.setSetting(BRANDING_SETTING, JSON.stringify(next.data));
      return true;
    }
    case 'emergency':
      if (!pending.has('maxHours')) tx.setSetting(EMERGENCY_MAX_HOURS_KEY, String(emergencySettingsSchema.parse(c.payload).maxHours));
      return true;
    default:
      return false;
  }
}

/** Fields of this row that local mutations not yet answered by the server still hold. */
function pendingFields(tx: WriteTx, entity: string, id: string): Set<string> {
  const payloads = tx.sql('SELECT payload FROM outbox WHERE entity = ? AND entity_id = ? AND push_status IS NULL').pluck().all(entity, id) as string[];
  return new Set(payloads.flatMap((p) => Object.keys(JSON.parse(p) as object)));
}

/** Inserts the row (with `onInsert` defaults) or updates the pulled fields not pending locally. Returns whether it was new, or the fields it wrote. */
function upsert(
  tx: WriteTx, c: PulledChange, table: string, columns: Record<string, string>, onInsert: Record<string, unknown>,
): { isNew: true } | { isNew: false; written: string[] } {
  // tx.sql keeps each statement prepared by its text: the few shapes a first sync repeats are compiled once.
  if (tx.sql(`SELECT 1 FROM ${table} WHERE id = ?`).get(c.entityId) !== undefined) {
    return { isNew: false, written: updateColumns(tx, c, table, columns, c.payload) };
  }
  const pending = pendingFields(tx, c.entity, c.entityId);
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(c.payload)) {
    const column = columns[field];
    if (column && !pending.has(field)) values[column] = columnValue(value);
  }
  const row = { id: c.entityId, ...onInsert, ...values };
  const names = Object.keys(row);
  tx.sql(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(row));
  return { isNew: true };
}

/** Ticket fields its search row holds (with its customer's RFC and name). */
const TICKET_TEXT_FIELDS = ['trackingNumber', 'subject', 'description', 'customerId'];

/** Writes a pulled ticket's search row again from the ticket as it now stands (its text changed at another branch). */
function reindexTicket(tx: WriteTx, ticketId: string): void {
  const t = tx.sql(
    `SELECT t.rowid AS rowid, tracking_number AS trackingNumber, subject, description, c.rfc, c.name AS customerName
     FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?`,
  ).get(ticketId) as { rowid: number; trackingNumber: string; subject: string; description: string; rfc: string; customerName: string };
  rewriteTicketText(tx, t.rowid, t);
}

function applyCustomer(tx: WriteTx, c: PulledChange): void {
  // Another id with this RFC here: a registration of ours the server merged into this customer
  // (it keeps the first one it received, so a pulled customer is always the one). Follow it now.
  const rfc = c.payload.rfc;
  if (typeof rfc === 'string' && !isGenericRfc(rfc)) {
    const ours = tx.sql('SELECT id FROM customers WHERE rfc = ? AND id <> ?').pluck().get(rfc, c.entityId) as string | undefined;
    if (ours) mergeLocalCustomer(tx, ours, c.entityId);
  }
  const done = upsert(tx, c, 'customers', CUSTOMER_COLUMNS, { created_at: c.createdAt, updated_at: c.createdAt });
  // Its tickets are found by its RFC and name: a new RFC or name at another branch is searchable here too.
  if (!done.isNew && done.written.some((f) => f === 'rfc' || f === 'name')) {
    const now = tx.sql('SELECT rfc, name FROM customers WHERE id = ?').get(c.entityId) as { rfc: string; name: string };
    reindexCustomerTickets(tx, c.entityId, now.rfc, now.name);
  }
  const contacts = c.payload.contacts as Array<{ id?: string; name: string; email?: string; phone?: string; isLegalRepresentative?: boolean }> | undefined;
  if (!contacts || pendingFields(tx, 'customer', c.entityId).has('contacts')) return;
  tx.sql('DELETE FROM contacts WHERE customer_id = ?').run(c.entityId);
  const insert = tx.sql('INSERT INTO contacts (id, customer_id, name, email, phone, is_legal_representative, position) VALUES (?, ?, ?, ?, ?, ?, ?)');
  contacts.forEach((k, i) => insert.run(k.id ?? tx.id(), c.entityId, k.name, k.email ?? '', k.phone ?? '', k.isLegalRepresentative ? 1 : 0, i));
}

function applyTicket(tx: WriteTx, c: PulledChange, quiet: boolean, clocks: Map<string, 'start' | 'recompute'>): void {
  const before = tx.sql('SELECT tier, assignee_id AS assigneeId FROM tickets WHERE id = ?').get(c.entityId) as { tier: Tier; assigneeId: string | null } | undefined;
  const priority = c.payload.priority as string | undefined;
  const createdBy = c.actorId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(c.actorId) ? c.actorId : null;
  const extra = priority && PRIORITY_RANK[priority] ? { priority_rank: PRIORITY_RANK[priority] } : {};
  const done = upsert(tx, c, 'tickets', TICKET_COLUMNS, {
    created_at: c.createdAt, updated_at: c.createdAt, created_by: createdBy, description: '', ...extra,
  });
  const isNew = done.isNew;
  // A subject or description rewritten at another branch: searched for by what it says now.
  if (!done.isNew && done.written.some((f) => TICKET_TEXT_FIELDS.includes(f))) reindexTicket(tx, c.entityId);
  if (!isNew && extra.priority_rank) tx.sql('UPDATE tickets SET priority_rank = ? WHERE id = ?').run(extra.priority_rank, c.entityId);
  if (isNew) {
    const t = tx.sql(
      'SELECT t.rowid AS rowid, tracking_number, subject, description, c.rfc, c.name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?',
    ).raw().get(c.entityId) as unknown[];
    tx.sql('INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name) VALUES (?, ?, ?, ?, ?, ?)').run(...t);
    // The SLA clocks of a pulled ticket run on this branch's calendars (started at the end of the page).
    clocks.set(c.entityId, 'start');
  } else if (!clocks.has(c.entityId)) {
    clocks.set(c.entityId, 'recompute');
  }
  if (!quiet) notifyPulledTicket(tx, c, before);
}

/** Whoever caused a pulled change, when that user is known here (notifications name them). */
function knownActor(tx: WriteTx, c: PulledChange): string | null {
  return c.actorId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(c.actorId) ? c.actorId : null;
}

/**
 * The bell rings for a change made at another branch as for one made here: a ticket assigned to
 * me, a ticket that reached my tier (escalated or handed back). Only what this pull changed here.
 */
function notifyPulledTicket(tx: WriteTx, c: PulledChange, before: { tier: Tier; assigneeId: string | null } | undefined): void {
  const t = tx.sql('SELECT tracking_number AS folio, subject, tier, assignee_id AS assigneeId FROM tickets WHERE id = ?').get(c.entityId) as
    { folio: string; subject: string; tier: Tier; assigneeId: string | null };
  const event = { entity: 'ticket' as const, entityId: c.entityId, folio: t.folio, title: t.subject, actorId: knownActor(tx, c) };
  if (t.assigneeId && t.assigneeId !== (before?.assigneeId ?? null)) notify(tx, [t.assigneeId], { ...event, kind: 'assigned' });
  // A ticket first seen here because it reached a tier this branch serves was escalated to it.
  const from = before?.tier ?? (t.tier === 'service_desk' ? null : 'service_desk');
  if (from !== null && t.tier !== from) {
    notify(tx, usersWithRole(tx, TIER_ROLE[t.tier]), { ...event, kind: 'escalated', data: { tier: t.tier, direction: tierIndex(t.tier) > tierIndex(from) ? 'up' : 'down' } });
  }
}

function applyEvent(tx: WriteTx, c: PulledChange, quiet: boolean): void {
  if (tx.sql('SELECT 1 FROM ticket_events WHERE id = ?').get(c.entityId)) return; // append-only: already here
  const p = c.payload as { ticketId: string; kind: string; body?: string; data?: unknown };
  const actor = c.actorId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(c.actorId) ? c.actorId : null;
  const info = tx.sql('INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    c.entityId, p.ticketId, p.kind, p.body ?? '', JSON.stringify(p.data ?? {}), actor, c.createdAt,
  );
  if (p.body) tx.sql('INSERT INTO event_fts (rowid, body) VALUES (?, ?)').run(info.lastInsertRowid, p.body);
  if (p.kind === 'customer_message' && !quiet) {
    // The customer wrote (by mail or at another branch's desk) on a ticket of someone here.
    const t = tx.sql('SELECT tracking_number AS folio, subject, assignee_id AS assigneeId FROM tickets WHERE id = ?').get(p.ticketId) as
      { folio: string; subject: string; assigneeId: string | null };
    notify(tx, [t.assigneeId], { kind: 'customer_message', entity: 'ticket', entityId: p.ticketId, folio: t.folio, title: t.subject, actorId: actor });
  }
}

const pulledSurvey = z.object({
  ticketId: z.string().min(1).max(64),
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(2000).default(''),
  source: z.enum(SURVEY_SOURCES),
  messageId: z.string().max(998).nullish(),
  agentId: z.string().max(64).nullish(),
  tier: z.string().min(1).max(40),
  channel: z.string().min(1).max(40),
  answeredAt: z.number().int().nonnegative().optional(),
});

/**
 * A survey answer given at another branch or on the customer portal: into the reports of this
 * branch. One answer per ticket: when this branch already has one (answered here by e-mail at
 * the same time), it keeps it.
 */
function applySurvey(tx: WriteTx, c: PulledChange): boolean {
  const p = pulledSurvey.parse(c.payload);
  if (!tx.sql('SELECT 1 FROM tickets WHERE id = ?').get(p.ticketId)) return false;
  if (tx.sql('SELECT 1 FROM satisfaction_surveys WHERE id = ? OR ticket_id = ?').get(c.entityId, p.ticketId)) return false;
  const agent = p.agentId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(p.agentId) ? p.agentId : null;
  tx.sql(
    `INSERT INTO satisfaction_surveys (id, ticket_id, rating, comment, source, message_id, recorded_by, agent_id, tier, channel, answered_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
  ).run(c.entityId, p.ticketId, p.rating, p.comment, p.source, p.messageId ?? null, agent, p.tier, p.channel, p.answeredAt ?? c.createdAt);
  return true;
}

/**
 * An evidence file attached at another branch (or on the portal): its row now, its bytes when
 * someone opens it or in the background (sync/blobs.ts) — until then "pendiente de descargar".
 * The same content already here (attached here too) needs nothing fetched.
 */
function applyAttachment(s: SyncDeps, tx: WriteTx, c: PulledChange): void {
  if (tx.sql('SELECT 1 FROM attachments WHERE id = ?').get(c.entityId)) return; // append-only: already here
  const p = attachmentInsertSchema.parse(c.payload);
  const eventHere = p.eventId ? tx.sql('SELECT 1 FROM ticket_events WHERE id = ?').get(p.eventId) !== undefined : false;
  tx.sql(
    'INSERT INTO attachments (id, ticket_id, event_id, file_name, mime_type, size_bytes, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(c.entityId, p.ticketId, eventHere ? p.eventId : null, p.fileName, p.mimeType, p.sizeBytes, p.sha256,
    knownActor(tx, c), c.createdAt);
  if (!existsSync(join(s.ws.dataDir, 'attachments', p.sha256))) {
    tx.sql("INSERT INTO blob_transfers (sha256, direction, size_bytes, updated_at) VALUES (?, 'down', ?, ?) ON CONFLICT (sha256) DO NOTHING")
      .run(p.sha256, p.sizeBytes, c.createdAt);
  }
}

/**
 * The server merged customer `entityId` (registered here or elsewhere) into `into`: move this
 * branch's records to it and take the customer as the server holds it (both branches' contacts).
 */
function applyCustomerMerge(tx: WriteTx, c: PulledChange): void {
  const p = c.payload as { into: string; customer: Record<string, unknown> };
  if (tx.sql('SELECT 1 FROM customers WHERE id = ?').get(c.entityId)) mergeLocalCustomer(tx, c.entityId, p.into);
  if (tx.sql('SELECT 1 FROM customers WHERE id = ?').get(p.into)) applyCustomer(tx, { ...c, entity: 'customer', entityId: p.into, payload: p.customer });
}

/**
 * Moves every record of customer `fromId` to `intoId` and removes `fromId` (audited). Every table
 * that references customers follows, found from the schema's foreign keys, so one added later
 * follows too. When `intoId` is not here yet, `fromId` simply takes its id.
 */
function mergeLocalCustomer(tx: WriteTx, fromId: string, intoId: string): void {
  const from = tx.sql('SELECT rfc, blocked_at AS blockedAt, blocked_by_request_id AS blockedBy FROM customers WHERE id = ?').get(fromId) as
    { rfc: string; blockedAt: number | null; blockedBy: string | null };
  const references = tx.sql(
    `SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f
     WHERE m.type = 'table' AND f."table" = 'customers' AND m.name NOT IN ('customers', 'contacts')`,
  ).all() as Array<{ tbl: string; col: string }>;
  const intoHere = tx.sql('SELECT 1 FROM customers WHERE id = ?').get(intoId) !== undefined;
  const moved: Record<string, number> = {};
  if (!intoHere) {
    // The references point at the old id until they are moved, in this same savepoint.
    tx.db.pragma('defer_foreign_keys = ON');
    tx.sql('UPDATE customers SET id = ? WHERE id = ?').run(intoId, fromId);
    tx.sql('UPDATE contacts SET customer_id = ? WHERE customer_id = ?').run(intoId, fromId);
  } else {
    const contactKey = (k: { name: string; email: string; phone: string }) => [k.name.trim().toLocaleLowerCase('es-MX'), k.email.trim().toLowerCase(), k.phone.replace(/\D/g, '').slice(-10)].join('|');
    const have = new Set((tx.sql('SELECT name, email, phone FROM contacts WHERE customer_id = ?').all(intoId) as Array<{ name: string; email: string; phone: string }>).map(contactKey));
    const position = tx.sql('SELECT COALESCE(MAX(position), -1) FROM contacts WHERE customer_id = ?').pluck().get(intoId) as number;
    const ours = tx.sql('SELECT id, name, email, phone FROM contacts WHERE customer_id = ? ORDER BY position').all(fromId) as Array<{ id: string; name: string; email: string; phone: string }>;
    ours.forEach((k, i) => {
      if (have.has(contactKey(k))) tx.sql('DELETE FROM contacts WHERE id = ?').run(k.id);
      else tx.sql('UPDATE contacts SET customer_id = ?, is_legal_representative = 0, position = ? WHERE id = ?').run(intoId, position + 1 + i, k.id);
    });
  }
  for (const r of references) {
    moved[r.tbl] = tx.db.prepare(`UPDATE ${r.tbl} SET ${r.col} = ? WHERE ${r.col} = ?`).run(intoId, fromId).changes;
  }
  if (intoHere) {
    // A block (personal-data cancellation or opposition) at either registration holds for the one customer.
    if (from.blockedAt !== null) {
      tx.sql('UPDATE customers SET blocked_at = COALESCE(blocked_at, ?), blocked_by_request_id = COALESCE(blocked_by_request_id, ?) WHERE id = ?')
        .run(from.blockedAt, from.blockedBy, intoId);
    }
    tx.sql('DELETE FROM customers WHERE id = ?').run(fromId);
  }
  const into = tx.sql('SELECT rfc, name FROM customers WHERE id = ?').get(intoId) as { rfc: string; name: string };
  reindexCustomerTickets(tx, intoId, into.rfc, into.name);
  tx.audit('customer.mergedBySync', 'customer', intoId, { mergedId: fromId, rfc: from.rfc, moved });
}

/** Sets the pulled fields of a row that are not pending here; returns the columns written. */
function updateColumns(tx: WriteTx, c: PulledChange, table: string, columns: Record<string, string>, values: Record<string, unknown>): string[] {
  const pending = pendingFields(tx, c.entity, c.entityId);
  const set = Object.entries(values).filter(([field, v]) => v !== undefined && columns[field] && !pending.has(field));
  if (set.length === 0) return [];
  tx.sql(`UPDATE ${table} SET ${set.map(([f]) => `${columns[f]} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => columnValue(v)), c.entityId);
  return set.map(([f]) => f);
}

/** Someone the row must name (a foreign key to users): a user this branch does not know yet fails the change, to be pulled again. */
function mustKnow(tx: WriteTx, userId: string | null | undefined): string {
  if (!userId || !tx.sql('SELECT 1 FROM users WHERE id = ?').get(userId)) throw new Error(`unknown user ${String(userId)}`);
  return userId;
}

const REQUEST_COLUMNS: Record<string, string> = {
  state: 'state', implementerId: 'implementer_id', controlAdicional: 'control_adicional', appliedBefore: 'applied_before', updatedAt: 'updated_at',
};

/**
 * A change request registered at another branch, or a later change of one (its state as the
 * server decided it, the implementer, the values before it was applied). A request that reaches
 * "en revisión" here tells this branch's approvers, as a local one does — never during a first sync.
 */
function applyChangeRequest(tx: WriteTx, c: PulledChange, quiet: boolean): void {
  const before = tx.sql('SELECT state FROM change_requests WHERE id = ?').pluck().get(c.entityId) as RequestState | undefined;
  if (before === undefined) {
    if (c.op !== 'insert') throw new Error('change request not here');
    const p = changeRequestInsertSchema.parse(c.payload);
    tx.sql(
      `INSERT INTO change_requests (id, kind, state, customer_id, ticket_id, requester_contact_id, requester_name, from_email, reason,
         signed_form_id, proposed, before_values, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.entityId, p.kind, p.state, p.customerId, p.ticketId, p.requesterContactId, p.requesterName, p.fromEmail, p.reason, p.signedForm.id,
      JSON.stringify(p.proposed), JSON.stringify(p.before), mustKnow(tx, c.actorId), c.createdAt, c.createdAt);
  } else if (c.op === 'update') {
    const p = changeRequestUpdateSchema.parse(c.payload);
    const written = updateColumns(tx, c, 'change_requests', REQUEST_COLUMNS, { ...p, updatedAt: c.createdAt });
    const state = written.includes('state') ? p.state! : before;
    if (state !== before && (state === 'implemented' || state === 'reviewed')) {
      tx.sql(`UPDATE change_requests SET ${state === 'implemented' ? 'implemented_at' : 'reviewed_at'} = ? WHERE id = ?`).run(c.createdAt, c.entityId);
    }
  }
  const now = tx.sql('SELECT id, kind, state, ticket_id, created_by FROM change_requests WHERE id = ?').get(c.entityId) as
    Pick<RequestRow, 'id' | 'kind' | 'state' | 'ticket_id' | 'created_by'>;
  if (!quiet && now.state === 'in_review' && before !== 'in_review') notifyApprovers(tx, now, knownActor(tx, c));
}

/** A decision on a request (append-only); an IT head's approval carries the checklist the request keeps. */
function applyDecision(tx: WriteTx, c: PulledChange): void {
  if (tx.sql('SELECT 1 FROM change_request_decisions WHERE id = ?').get(c.entityId)) return;
  const p = changeRequestDecisionSchema.parse(c.payload);
  tx.sql('INSERT INTO change_request_decisions (id, request_id, decision, role, actor_id, comment, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(c.entityId, p.requestId, p.decision, p.role, mustKnow(tx, p.actorId), p.comment, JSON.stringify(p.data), c.createdAt);
  if (p.decision === 'approve' && p.data.checklist !== undefined) {
    tx.sql('UPDATE change_requests SET checklist = ? WHERE id = ?').run(JSON.stringify(creditPackageChecklistSchema.parse(p.data.checklist)), p.requestId);
  }
}

/**
 * An emergency account issued at another branch: its window and its end travel, never its
 * password (its hash here is '!', which no password matches), so the implementer signs in with it
 * only at the branch that issued it. An account that ended tells this branch's security officers.
 */
function applyEmergencyAccount(tx: WriteTx, c: PulledChange, quiet: boolean): void {
  const here = tx.sql('SELECT * FROM emergency_accounts WHERE id = ?').get(c.entityId) as AccountRow | undefined;
  if (!here) {
    if (c.op !== 'insert') throw new Error('emergency account not here');
    const p = emergencyAccountInsertSchema.parse(c.payload);
    tx.sql(
      `INSERT INTO emergency_accounts (id, request_id, username, password_hash, implementer_id, created_by, starts_at, ends_at, created_at, updated_at)
       VALUES (?, ?, ?, '!', ?, ?, ?, ?, ?, ?)`,
    ).run(c.entityId, p.requestId, p.username, mustKnow(tx, p.implementerId), mustKnow(tx, c.actorId), p.startsAt, p.endsAt, c.createdAt, c.createdAt);
    return;
  }
  if (c.op !== 'update') return;
  const p = emergencyAccountUpdateSchema.parse(c.payload);
  updateColumns(tx, c, 'emergency_accounts', { disabledAt: 'disabled_at', disabledReason: 'disabled_reason', updatedAt: 'updated_at' }, { ...p, updatedAt: c.createdAt });
  const after = tx.sql('SELECT * FROM emergency_accounts WHERE id = ?').get(c.entityId) as AccountRow;
  if (!quiet && here.disabled_at === null && after.disabled_at !== null) notifyReviewers(tx, after);
}

function applyEmergencyReview(tx: WriteTx, c: PulledChange): void {
  if (tx.sql('SELECT 1 FROM emergency_reviews WHERE id = ?').get(c.entityId)) return;
  const p = emergencyReviewSchema.parse(c.payload);
  tx.sql('INSERT INTO emergency_reviews (id, account_id, reviewer_id, outcome, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(c.entityId, p.accountId, mustKnow(tx, p.reviewerId), p.outcome, p.comment, c.createdAt);
}

const PERSONAL_DATA_COLUMNS: Record<string, string> = {
  status: 'status', statusReason: 'status_reason', respondedAt: 'responded_at', changeRequestId: 'change_request_id', updatedAt: 'updated_at',
};

/**
 * The register of personal-data requests is the organization's: a request received at another
 * branch shows here with the deadline computed where it was received (the legal term is one).
 */
function applyPersonalData(tx: WriteTx, c: PulledChange): void {
  if (!tx.sql('SELECT 1 FROM personal_data_requests WHERE id = ?').get(c.entityId)) {
    if (c.op !== 'insert') throw new Error('personal-data request not here');
    const p = personalDataInsertSchema.parse(c.payload);
    tx.sql(
      `INSERT INTO personal_data_requests (id, customer_id, kind, channel, requester_name, requester_role, identity_method, identity_notes,
         details, received_at, due_at, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.entityId, p.customerId, p.kind, p.channel, p.requesterName, p.requesterRole, p.identityMethod, p.identityNotes, p.details,
      p.receivedAt, p.dueAt, p.status, knownActor(tx, c), c.createdAt, c.createdAt);
    return;
  }
  if (c.op === 'update') updateColumns(tx, c, 'personal_data_requests', PERSONAL_DATA_COLUMNS, personalDataUpdateSchema.parse(c.payload));
}

const ARTICLE_COLUMNS: Record<string, string> = {
  category: 'category', title: 'title', body: 'body', visibility: 'visibility', status: 'status', authorId: 'author_id', updatedBy: 'updated_by',
  version: 'version', createdAt: 'created_at', updatedAt: 'updated_at', publishedAt: 'published_at',
};

/**
 * A knowledge-base article written at another branch (its search index follows by trigger). The
 * starter articles have the same ids everywhere: one pulled for a row already here updates it.
 */
function applyArticle(tx: WriteTx, c: PulledChange): void {
  const here = tx.sql('SELECT 1 FROM kb_articles WHERE id = ?').get(c.entityId) !== undefined;
  if (!here) {
    if (c.op !== 'insert') throw new Error('article not here');
    const p = kbArticleInsertSchema.parse(c.payload);
    tx.sql(
      `INSERT INTO kb_articles (id, category, title, body, visibility, status, author_id, updated_by, version, created_at, updated_at, published_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.entityId, p.category, p.title, p.body, p.visibility, p.status, p.authorId ?? null, p.updatedBy ?? null, p.version ?? 1,
      p.createdAt ?? c.createdAt, p.updatedAt ?? c.createdAt, p.publishedAt ?? null);
    return;
  }
  updateColumns(tx, c, 'kb_articles', ARTICLE_COLUMNS, kbArticleSchema.parse(c.payload));
}

/**
 * What the server refused of this branch's change-request process does not stand here either: a
 * decision it refused (the request was rejected or decided at another branch first, or the role
 * was decided there) is taken back, and an emergency account issued for a request the server no
 * longer holds as approved is disabled at once, so nobody signs in with it. Audited; the refused
 * change stays listed with its reason, and the request's state comes with the next pull.
 */
export function undoRefusedHere(ws: Workspace, pushSeqs: number[]): void {
  const rows = ws.sql(
    `SELECT entity, entity_id AS entityId, op, push_reason AS reason FROM outbox
     WHERE push_seq IN (${pushSeqs.map(() => '?').join(',')}) AND push_status = 'rejected' AND op = 'insert'
       AND entity IN ('change_request_decision', 'emergency_account')`,
  ).all(...pushSeqs) as Array<{ entity: string; entityId: string; op: string; reason: string | null }>;
  if (rows.length === 0) return;
  ws.write({ kind: 'system' }, (tx) => {
    for (const r of rows) {
      if (r.entity === 'change_request_decision') {
        const d = tx.sql('SELECT request_id AS requestId, decision, role, actor_id AS actorId FROM change_request_decisions WHERE id = ?').get(r.entityId) as
          { requestId: string; decision: string; role: string | null; actorId: string } | undefined;
        if (!d) continue;
        tx.sql('DELETE FROM change_request_decisions WHERE id = ?').run(r.entityId);
        tx.audit('request.refusedBySync', 'change_request', d.requestId, { ...d, decisionId: r.entityId, reason: r.reason });
      } else {
        const a = tx.sql('SELECT request_id AS requestId, disabled_at AS disabledAt FROM emergency_accounts WHERE id = ?').get(r.entityId) as
          { requestId: string; disabledAt: number | null } | undefined;
        if (!a) continue;
        if (a.disabledAt === null) {
          tx.sql("UPDATE emergency_accounts SET disabled_at = ?, disabled_reason = 'revoked', updated_at = ? WHERE id = ?").run(tx.at, tx.at, r.entityId);
        }
        tx.audit('request.refusedBySync', 'emergency_account', r.entityId, { requestId: a.requestId, accountId: r.entityId, reason: r.reason });
      }
    }
  });
}
