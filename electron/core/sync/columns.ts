/**
 * How pulled rows map onto the workspace's tables (issue 11): payload field → column per table,
 * and how a payload value is stored. Shared by the change-at-a-time apply (apply.ts) and the bulk
 * first-sync one (apply-bulk.ts), so both write the same columns the same way.
 */

export const PRIORITY_RANK: Record<string, number> = { low: 1, normal: 2, high: 3 };

/** Payload field → column, per table. Fields not listed are not stored locally. */
export const TICKET_COLUMNS: Record<string, string> = {
  trackingNumber: 'tracking_number', customerId: 'customer_id', channel: 'channel', requestType: 'request_type',
  supportType: 'support_type', category: 'category', priority: 'priority', severity: 'severity', tier: 'tier', status: 'status',
  waitingOn: 'waiting_on', subject: 'subject', description: 'description', assigneeId: 'assignee_id', linkedTicketId: 'linked_ticket_id',
  closeCause: 'close_cause', closeSolution: 'close_solution', closedAt: 'closed_at', lastCustomerMessageAt: 'last_customer_message_at',
  mergedIntoId: 'merged_into_id',
  updatedAt: 'updated_at',
};
export const CUSTOMER_COLUMNS: Record<string, string> = {
  rfc: 'rfc', name: 'name', taxRegime: 'tax_regime', fiscalAddress: 'fiscal_address', registeredEmail: 'registered_email',
  plan: 'plan', serviceStatus: 'service_status', creditPackage: 'credit_package',
  // A personal-data block at any branch hides the customer at every branch.
  blockedAt: 'blocked_at', blockedByRequestId: 'blocked_by_request_id',
};
export const USER_COLUMNS: Record<string, string> = {
  username: 'username', fullName: 'full_name', roles: 'roles', locale: 'locale', active: 'active',
  // An administrator's reset at any branch: the new password is asked for at the next sign-in, wherever it is.
  mustChangePassword: 'must_change_password',
};

/** A payload value as its column holds it: booleans as 0/1, objects as JSON. */
export function columnValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v ?? null;
}
