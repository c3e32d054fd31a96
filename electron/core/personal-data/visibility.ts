/**
 * What a blocked customer (cancelación / oposición) hides: the customer from the customer list and
 * search, its tickets from every ticket list, the board and search. The rows stay, for legal
 * retention and the audit log. Blocked customers are few, so the hidden tickets are a small set
 * found through two indexes (customers_blocked, then tickets_customer_status_updated) and checked
 * against the rowid every list index already carries: the list walks stay covering index walks.
 */
import type { Role } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { PERSONAL_DATA_HANDLERS } from '../../shared/personal-data';
import { isGenericRfc, normalizeRfc } from '../../shared/rfc';
import type { Workspace } from '../workspace';

/** The rowids of blocked customers' tickets (a list subquery, evaluated once per statement). */
export const HIDDEN_TICKET_ROWIDS = `SELECT h.rowid FROM customers hc INDEXED BY customers_blocked
  JOIN tickets h INDEXED BY tickets_customer_status_updated ON h.customer_id = hc.id WHERE hc.blocked_at IS NOT NULL`;

/** Whether any customer is blocked: only then do lists pay for the condition. One probe of a partial index. */
export function anyBlocked(ws: Workspace): boolean {
  return ws.sql('SELECT 1 FROM customers INDEXED BY customers_blocked WHERE blocked_at IS NOT NULL LIMIT 1').get() !== undefined;
}

export function handlesPersonalData(roles: readonly Role[]): boolean {
  return roles.some((r) => PERSONAL_DATA_HANDLERS.includes(r));
}

/**
 * Refuses a call that names a blocked customer, or a ticket of one, unless the caller handles
 * personal-data requests (they must still see what they answer for). Core checks this for every
 * method input: a customerId or ticketId at its top level, the intake's existing customer
 * (`customer.customerId`), and an RFC that identifies a blocked customer (the intake's lookup and a
 * "new" customer typed with that RFC) — generic RFCs identify no one, so they never match.
 */
export function refuseIfBlocked(ws: Workspace, roles: readonly Role[], input: unknown): void {
  if (input === null || typeof input !== 'object' || handlesPersonalData(roles)) return;
  const { customerId, ticketId, rfc, customer } = input as { customerId?: unknown; ticketId?: unknown; rfc?: unknown; customer?: unknown };
  const nested = customer !== null && typeof customer === 'object' ? (customer as { customerId?: unknown; rfc?: unknown }) : {};
  const blockedCustomer = (id: unknown) =>
    typeof id === 'string' && ws.sql('SELECT 1 FROM customers WHERE id = ? AND blocked_at IS NOT NULL').get(id) !== undefined;
  const blockedRfc = (value: unknown) =>
    typeof value === 'string' && !isGenericRfc(value)
    && ws.sql('SELECT 1 FROM customers WHERE rfc = ? AND blocked_at IS NOT NULL').get(normalizeRfc(value)) !== undefined;
  const blocked = blockedCustomer(customerId) || blockedCustomer(nested.customerId) || blockedRfc(rfc) || blockedRfc(nested.rfc)
    || (typeof ticketId === 'string'
      && ws.sql('SELECT 1 FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ? AND c.blocked_at IS NOT NULL').get(ticketId) !== undefined);
  if (blocked) throw new AppError('personalData.blocked');
}
