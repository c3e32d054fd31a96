/**
 * Acceso: everything kept about one customer, as stored. Each section is one table and the query
 * that finds the customer's rows in it. A table that refers to customers or tickets must appear
 * here or in NOT_EXPORTED with its reason: test/unit/core/personal-data-export.test.ts reads the
 * schema and fails for a new table that has neither.
 */
import { AppError } from '../../shared/errors';
import type { PersonalDataExport } from '../../shared/personal-data';
import { idKeySql } from '../audit-store';
import type { Workspace } from '../workspace';

const TICKETS = 'SELECT id FROM tickets WHERE customer_id = :customer';
const CHANGE_REQUESTS = 'SELECT id FROM change_requests WHERE customer_id = :customer';
const PERSONAL_DATA = 'SELECT id FROM personal_data_requests WHERE customer_id = :customer';
/** Every key an audit entry or a staff notification may name for this customer. */
const CUSTOMER_KEYS = `SELECT :customer AS id UNION ALL ${TICKETS} UNION ALL ${CHANGE_REQUESTS} UNION ALL ${PERSONAL_DATA}`;

/** Section (table) → the statement selecting the customer's rows; `:customer` is its id. */
export const EXPORT_SECTIONS: Record<string, string> = {
  customers: 'SELECT * FROM customers WHERE id = :customer',
  contacts: 'SELECT * FROM contacts WHERE customer_id = :customer ORDER BY position',
  tickets: 'SELECT * FROM tickets WHERE customer_id = :customer ORDER BY created_at, rowid',
  ticket_events: `SELECT * FROM ticket_events WHERE ticket_id IN (${TICKETS}) ORDER BY ticket_id, created_at, rowid`,
  /** Metadata only: the files themselves stay in the attachments folder (sha256 names them). */
  attachments: `SELECT * FROM attachments WHERE ticket_id IN (${TICKETS}) ORDER BY created_at, rowid`,
  ticket_sla: 'SELECT s.* FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid WHERE t.customer_id = :customer',
  sla_breaches: `SELECT * FROM sla_breaches WHERE ticket_id IN (${TICKETS}) ORDER BY due_at`,
  notifications: `SELECT * FROM notifications WHERE ticket_id IN (${TICKETS}) ORDER BY created_at`,
  satisfaction_surveys: `SELECT * FROM satisfaction_surveys WHERE ticket_id IN (${TICKETS}) ORDER BY answered_at`,
  /**
   * The customer's e-mails as received: those that became or joined their tickets, and those from their
   * addresses that were only recorded (auto-replies, bounces). The whole message stays in the evidence store.
   */
  mail_messages: `SELECT id, message_id, from_address, from_name, subject, sent_at, size_bytes, outcome, reason, ticket_id,
      refused_attachments, html, created_at FROM mail_messages
    WHERE ticket_id IN (${TICKETS})
       OR (ticket_id IS NULL AND lower(from_address) IN (
         SELECT lower(email) FROM contacts WHERE customer_id = :customer AND email <> ''
         UNION SELECT lower(registered_email) FROM customers WHERE id = :customer AND registered_email IS NOT NULL))
    ORDER BY created_at, rowid`,
  change_requests: 'SELECT * FROM change_requests WHERE customer_id = :customer ORDER BY created_at',
  change_request_decisions: `SELECT * FROM change_request_decisions WHERE request_id IN (${CHANGE_REQUESTS}) ORDER BY created_at`,
  personal_data_requests: 'SELECT * FROM personal_data_requests WHERE customer_id = :customer ORDER BY received_at',
  user_notifications: `SELECT id, kind, entity, entity_id, folio, title, data, created_at FROM user_notifications
    WHERE entity_id IN (${CUSTOMER_KEYS}) ORDER BY created_at`,
  // The (entity, entity_id) index, one range per entity kind that names a customer's row (ids as
  // audit_chain stores them); the entries in their text form, as the audit_log view shows them.
  audit_log: `SELECT seq, id, device_id, at, actor_id, actor_kind, action, entity, entity_id, data FROM audit_log
    WHERE seq IN (SELECT seq FROM audit_chain WHERE entity IN ('customer', 'ticket', 'change_request', 'personal_data_request')
      AND entity_id IN (SELECT ${idKeySql('id')} FROM (${CUSTOMER_KEYS}))) ORDER BY seq`,
};

/** Tables that refer to customers or tickets but are not part of the export, and why. */
export const NOT_EXPORTED: Record<string, string> = {
  outbox: 'the sync queue: copies of changes to the rows exported above, emptied once the server has them',
  audit_chain: 'the stored form of the audit log (ids and hashes as bytes): exported above as audit_log, its text view',
  blob_transfers: 'the sync queue of evidence files: content hashes and sizes only, for files named in attachments above',
};

/** Everything kept about the customer, section by section. */
export function exportPersonalData(ws: Workspace, customerId: string): PersonalDataExport {
  if (!ws.sql('SELECT 1 FROM customers WHERE id = ?').get(customerId)) throw new AppError('customers.notFound');
  const sections: PersonalDataExport['sections'] = {};
  const read = ws.db.transaction(() => {
    for (const [name, sql] of Object.entries(EXPORT_SECTIONS)) {
      sections[name] = (ws.sql(sql).all({ customer: customerId }) as Array<Record<string, unknown>>).map(decodeJson);
    }
  });
  read(); // one snapshot: every section as of the same moment
  return { format: 'mesa-de-ayuda.personal-data/1', exportedAt: ws.now(), customerId, sections };
}

/** Columns that hold JSON text are returned as their values, so the export reads as one document. */
function decodeJson(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'password_hash') continue;
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // plain text that happens to start with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}
