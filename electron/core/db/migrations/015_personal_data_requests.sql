-- Personal-data requests (derechos ARCO, LFPDPPP): the register of requests per customer with their
-- 20-business-day deadline, and the block of a customer (kept for legal retention, hidden elsewhere).

CREATE TABLE personal_data_requests (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL,                    -- access | rectification | cancellation | opposition
  channel TEXT NOT NULL,                 -- email | in_person | mail | phone | web_form
  requester_name TEXT NOT NULL,
  requester_role TEXT NOT NULL,          -- holder | legal_representative
  identity_method TEXT NOT NULL,         -- official_id | power_of_attorney | e_signature | registered_email
  identity_notes TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,               -- end of the 20th business day after receipt (branch calendar)
  status TEXT NOT NULL DEFAULT 'received', -- received | in_progress | answered | rejected | withdrawn
  status_reason TEXT NOT NULL DEFAULT '',
  responded_at INTEGER,
  change_request_id TEXT REFERENCES change_requests(id),
  created_by TEXT REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX personal_data_requests_customer ON personal_data_requests(customer_id, received_at);
CREATE INDEX personal_data_requests_pending_due ON personal_data_requests(due_at) WHERE status IN ('received', 'in_progress');

-- A blocked customer: still stored, hidden from lists and search (see ticket-list.ts).
ALTER TABLE customers ADD COLUMN blocked_at INTEGER;
ALTER TABLE customers ADD COLUMN blocked_by_request_id TEXT;
CREATE INDEX customers_blocked ON customers(id) WHERE blocked_at IS NOT NULL;
