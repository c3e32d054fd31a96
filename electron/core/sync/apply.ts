/**
 * Applies pulled changes to the workspace (issue 11): one transaction per page, each change in
 * its own savepoint (a change that cannot apply here is counted and named in the audit entry,
 * never half-applied), pulled rows merged field by field. Rebase: a field with a local mutation
 * still waiting to be pushed keeps its local value — the server decides between the two by HLC
 * when it arrives, and the next pull brings the winner. Secrets never arrive (the server refuses
 * them), so a user created at another branch cannot sign in here until a password is set locally.
 */
import type { PulledChange } from '../../shared/sync/protocol';
import type { ApplySummary } from '../../shared/sync/types';
import type { SlaEngine } from '../sla';
import type { Workspace, WriteTx } from '../workspace';

const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3 };

/** Payload field → column, per table. Fields not listed are not stored locally. */
const TICKET_COLUMNS: Record<string, string> = {
  trackingNumber: 'tracking_number', customerId: 'customer_id', channel: 'channel', requestType: 'request_type',
  supportType: 'support_type', category: 'category', priority: 'priority', severity: 'severity', tier: 'tier', status: 'status',
  waitingOn: 'waiting_on', subject: 'subject', description: 'description', assigneeId: 'assignee_id', linkedTicketId: 'linked_ticket_id',
  closeCause: 'close_cause', closeSolution: 'close_solution', closedAt: 'closed_at', lastCustomerMessageAt: 'last_customer_message_at',
  mergedIntoId: 'merged_into_id',
  updatedAt: 'updated_at',
};
const CUSTOMER_COLUMNS: Record<string, string> = {
  rfc: 'rfc', name: 'name', taxRegime: 'tax_regime', fiscalAddress: 'fiscal_address', registeredEmail: 'registered_email',
  plan: 'plan', serviceStatus: 'service_status', creditPackage: 'credit_package',
};
const USER_COLUMNS: Record<string, string> = { username: 'username', fullName: 'full_name', roles: 'roles', locale: 'locale', active: 'active' };

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
export function applyPulled(s: SyncDeps, changes: PulledChange[], inTx?: (tx: WriteTx, firstDeferred: number | null) => void): ApplySummary {
  const summary: ApplySummary = { applied: 0, ignored: 0, failed: [] };
  const ordered = [...changes.filter((c) => c.entity !== 'ticket_event'), ...changes.filter((c) => c.entity === 'ticket_event')];
  const first = changes[0]?.serverSeq;
  let firstDeferred: number | null = null;
  s.ws.write({ kind: 'system' }, (tx) => {
    for (const c of ordered) {
      if (firstDeferred !== null && c.serverSeq > firstDeferred) continue; // pulled again with the next page
      s.ws.observeHlc(c.hlc);
      if (c.entity === 'ticket_event' && c.serverSeq !== first && !ticketHere(tx, c)) {
        firstDeferred = Math.min(firstDeferred ?? Infinity, c.serverSeq);
        continue;
      }
      try {
        // A nested better-sqlite3 transaction is a savepoint: a failing change leaves nothing behind.
        const done = tx.db.transaction(() => applyOne(s, tx, c))();
        if (done) summary.applied++;
        else summary.ignored++;
      } catch (err) {
        summary.failed.push(`${c.entity}:${c.entityId}`);
        console.warn('[sync] pulled change not applied', c.entity, c.entityId, (err as Error).message);
      }
    }
    if (changes.length > 0) tx.audit('sync.pulled', 'sync', null, { applied: summary.applied, ignored: summary.ignored, failed: summary.failed.slice(0, 50) });
    inTx?.(tx, firstDeferred);
  });
  return summary;
}

function ticketHere(tx: WriteTx, c: PulledChange): boolean {
  return tx.sql('SELECT 1 FROM tickets WHERE id = ?').get((c.payload as { ticketId?: unknown }).ticketId) !== undefined;
}

function applyOne(s: SyncDeps, tx: WriteTx, c: PulledChange): boolean {
  switch (c.entity) {
    case 'user':
      // '!' is no scrypt hash: nobody signs in with it.
      upsert(tx, c, 'users', USER_COLUMNS, { password_hash: '!', created_at: c.createdAt, updated_at: c.createdAt });
      // The password was changed at another branch: the hash kept here is the old one. The next
      // sign-in asks the central server (which has the new one) and keeps a hash of it again.
      if ('passwordChangedAt' in c.payload) tx.sql("UPDATE users SET password_hash = '!' WHERE id = ?").run(c.entityId);
      return true;
    case 'customer':
      applyCustomer(tx, c);
      return true;
    case 'ticket':
      applyTicket(s, tx, c);
      return true;
    case 'ticket_event':
      applyEvent(tx, c);
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

function columnValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v ?? null;
}

/** Inserts the row (with `onInsert` defaults) or updates the pulled fields not pending locally. Returns whether it was new. */
function upsert(tx: WriteTx, c: PulledChange, table: string, columns: Record<string, string>, onInsert: Record<string, unknown>): boolean {
  const pending = pendingFields(tx, c.entity, c.entityId);
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(c.payload)) {
    const column = columns[field];
    if (column && !pending.has(field)) values[column] = columnValue(value);
  }
  const exists = tx.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(c.entityId) !== undefined;
  if (!exists) {
    const row = { id: c.entityId, ...onInsert, ...values };
    const names = Object.keys(row);
    tx.db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(row));
    return true;
  }
  const names = Object.keys(values);
  if (names.length > 0) tx.db.prepare(`UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(values), c.entityId);
  return false;
}

function applyCustomer(tx: WriteTx, c: PulledChange): void {
  upsert(tx, c, 'customers', CUSTOMER_COLUMNS, { created_at: c.createdAt, updated_at: c.createdAt });
  const contacts = c.payload.contacts as Array<{ id?: string; name: string; email?: string; phone?: string; isLegalRepresentative?: boolean }> | undefined;
  if (!contacts || pendingFields(tx, 'customer', c.entityId).has('contacts')) return;
  tx.sql('DELETE FROM contacts WHERE customer_id = ?').run(c.entityId);
  const insert = tx.sql('INSERT INTO contacts (id, customer_id, name, email, phone, is_legal_representative, position) VALUES (?, ?, ?, ?, ?, ?, ?)');
  contacts.forEach((k, i) => insert.run(k.id ?? tx.id(), c.entityId, k.name, k.email ?? '', k.phone ?? '', k.isLegalRepresentative ? 1 : 0, i));
}

function applyTicket(s: SyncDeps, tx: WriteTx, c: PulledChange): void {
  const priority = c.payload.priority as string | undefined;
  const createdBy = c.actorId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(c.actorId) ? c.actorId : null;
  const extra = priority && PRIORITY_RANK[priority] ? { priority_rank: PRIORITY_RANK[priority] } : {};
  const isNew = upsert(tx, c, 'tickets', TICKET_COLUMNS, {
    created_at: c.createdAt, updated_at: c.createdAt, created_by: createdBy, description: '', ...extra,
  });
  if (!isNew && extra.priority_rank) tx.sql('UPDATE tickets SET priority_rank = ? WHERE id = ?').run(extra.priority_rank, c.entityId);
  if (isNew) {
    const t = tx.sql(
      'SELECT t.rowid AS rowid, tracking_number, subject, description, c.rfc, c.name FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?',
    ).raw().get(c.entityId) as unknown[];
    tx.sql('INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name) VALUES (?, ?, ?, ?, ?, ?)').run(...t);
    // The SLA clocks of a pulled ticket run on this branch's calendars.
    s.sla.start(tx, c.entityId);
  } else {
    s.sla.recompute(tx, c.entityId);
  }
}

function applyEvent(tx: WriteTx, c: PulledChange): void {
  if (tx.sql('SELECT 1 FROM ticket_events WHERE id = ?').get(c.entityId)) return; // append-only: already here
  const p = c.payload as { ticketId: string; kind: string; body?: string; data?: unknown };
  const actor = c.actorId && tx.sql('SELECT 1 FROM users WHERE id = ?').get(c.actorId) ? c.actorId : null;
  const info = tx.sql('INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    c.entityId, p.ticketId, p.kind, p.body ?? '', JSON.stringify(p.data ?? {}), actor, c.createdAt,
  );
  if (p.body) tx.sql('INSERT INTO event_fts (rowid, body) VALUES (?, ?)').run(info.lastInsertRowid, p.body);
}
