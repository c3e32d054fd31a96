-- Workspace schema. Sync-ready from the start: UUIDv7 text keys, every mutation recorded in
-- `outbox` with an HLC timestamp, every security-relevant event in the hash-chained `audit_log`.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE branch (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Per-site counters for tracking numbers (<SITE>-<sequence>).
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  full_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,               -- JSON array of Role
  locale TEXT NOT NULL DEFAULT 'es-MX',
  active INTEGER NOT NULL DEFAULT 1,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  rfc TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  tax_regime TEXT NOT NULL DEFAULT '',
  fiscal_address TEXT NOT NULL DEFAULT '{}',   -- JSON FiscalAddress
  registered_email TEXT NOT NULL,
  plan TEXT NOT NULL DEFAULT 'basic',
  service_status TEXT NOT NULL DEFAULT 'active',
  credit_package TEXT NOT NULL DEFAULT '',
  rfc_warnings TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX customers_name ON customers(name COLLATE NOCASE);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  is_legal_representative INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX contacts_customer ON contacts(customer_id);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  tracking_number TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  channel TEXT NOT NULL,
  request_type TEXT NOT NULL,
  support_type TEXT NOT NULL,
  category TEXT NOT NULL,
  priority TEXT NOT NULL,
  priority_rank INTEGER NOT NULL,      -- low=1 normal=2 high=3, for sorting
  severity INTEGER NOT NULL,
  tier TEXT NOT NULL,
  status TEXT NOT NULL,
  waiting_on TEXT,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  assignee_id TEXT REFERENCES users(id),
  created_by TEXT REFERENCES users(id),
  linked_ticket_id TEXT REFERENCES tickets(id),
  close_cause TEXT,
  close_solution TEXT,
  closed_at INTEGER,
  last_customer_message_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_status_tier_updated ON tickets(status, tier, updated_at);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX tickets_customer_status ON tickets(customer_id, status);
CREATE INDEX tickets_assignee_status ON tickets(assignee_id, status, updated_at);
CREATE INDEX tickets_status_waiting ON tickets(status, waiting_on, updated_at);

-- The ticket's timeline: messages, notes, contact attempts and every change (the history).
CREATE TABLE ticket_events (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',     -- JSON details (old/new values, contact method...)
  actor_id TEXT REFERENCES users(id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, created_at);

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  event_id TEXT REFERENCES ticket_events(id),
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,                 -- content address: files live in attachments/<sha256>
  created_by TEXT REFERENCES users(id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_ticket ON attachments(ticket_id);

-- Full-text search. Contentless: the text lives in tickets/ticket_events; rowids match theirs.
CREATE VIRTUAL TABLE ticket_fts USING fts5(
  tracking_number, subject, description, rfc, customer_name,
  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE event_fts USING fts5(
  body,
  content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);

-- Append-only, per-device SHA-256 hash chain over canonical JSON (see core/audit.ts).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  device_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_kind TEXT NOT NULL,             -- user | system | emergency
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  data TEXT NOT NULL,                   -- canonical JSON
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
CREATE INDEX audit_log_device ON audit_log(device_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Mutations waiting to be sent to the sync server, in HLC order.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  hlc TEXT NOT NULL,
  device_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL,                     -- insert | update
  payload TEXT NOT NULL,                -- JSON of the changed fields
  created_at INTEGER NOT NULL,
  sent_at INTEGER
) STRICT;
CREATE INDEX outbox_unsent ON outbox(sent_at) WHERE sent_at IS NULL;
