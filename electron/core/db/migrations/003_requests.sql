-- Access-control and sensitive-data change requests (seed 001 §04/§05), their decisions, the
-- emergency accounts that implement them and the security officer's reviews of those accounts.

CREATE TABLE change_requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                    -- access_control | sensitive_change | service_suspension | credit_package_change
  state TEXT NOT NULL,                   -- see electron/shared/request-workflow.ts
  customer_id TEXT NOT NULL REFERENCES customers(id),
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  requester_contact_id TEXT NOT NULL,    -- a legal representative of the customer when registered
  requester_name TEXT NOT NULL,
  from_email TEXT NOT NULL,              -- equal to the registered e-mail when registered
  reason TEXT NOT NULL,
  signed_form_id TEXT NOT NULL REFERENCES attachments(id),
  proposed TEXT NOT NULL,                -- JSON ProposedValues
  before_values TEXT NOT NULL,           -- JSON: the same fields as registered
  applied_before TEXT,                   -- JSON: the same fields just before the change was applied
  checklist TEXT,                        -- JSON CreditPackageChecklist (IT head)
  implementer_id TEXT REFERENCES users(id),
  control_adicional INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  implemented_at INTEGER,
  reviewed_at INTEGER
) STRICT;
CREATE INDEX change_requests_state ON change_requests(state, updated_at);
CREATE INDEX change_requests_customer ON change_requests(customer_id, created_at);

-- Every decision with its comment: submit, approve/reject (per role), cancel, designate, apply, second_review, review.
CREATE TABLE change_request_decisions (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES change_requests(id),
  decision TEXT NOT NULL,
  role TEXT,
  actor_id TEXT NOT NULL REFERENCES users(id),
  comment TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX change_request_decisions_request ON change_request_decisions(request_id, created_at);

CREATE TABLE emergency_accounts (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES change_requests(id),
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,           -- scrypt (core/passwords.ts); the password is shown once
  implementer_id TEXT NOT NULL REFERENCES users(id),
  created_by TEXT NOT NULL REFERENCES users(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  disabled_at INTEGER,
  disabled_reason TEXT,                  -- expired | revoked | locked
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  first_used_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX emergency_accounts_request ON emergency_accounts(request_id);
CREATE INDEX emergency_accounts_live ON emergency_accounts(ends_at) WHERE disabled_at IS NULL;

CREATE TABLE emergency_reviews (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES emergency_accounts(id),
  reviewer_id TEXT NOT NULL REFERENCES users(id),
  outcome TEXT NOT NULL,                 -- signed_off | finding
  comment TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX emergency_reviews_account ON emergency_reviews(account_id, created_at);

-- Audit queries by request and by emergency account (timelines, filters).
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_request ON audit_log(json_extract(data, '$.requestId')) WHERE json_extract(data, '$.requestId') IS NOT NULL;
CREATE INDEX audit_log_emergency ON audit_log(json_extract(data, '$.emergency.requestId'), json_extract(data, '$.emergency.accountId'))
  WHERE actor_kind = 'emergency';
