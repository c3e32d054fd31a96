-- Central sync server schema (issue 11), PostgreSQL (also PGlite).

-- People who administer the server itself (not desk users): create branches, enrolment codes, revoke devices.
CREATE TABLE server_admins (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  admin_id TEXT NOT NULL REFERENCES server_admins(id),
  expires_at BIGINT NOT NULL
);

-- One row per branch; its code is the site code prefixing its tracking numbers, so it is unique.
CREATE TABLE branches (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- One-time enrolment codes (only their hash is kept): used once, before they expire.
CREATE TABLE enrolment_codes (
  code_hash TEXT PRIMARY KEY,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  created_by TEXT NOT NULL REFERENCES server_admins(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by_device TEXT
);

-- Enrolled devices. last_push_seq is the device's gap-free push sequence the server has reached;
-- audit_seq/audit_hash the tip of its audit chain as uploaded.
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  enrolled_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_push_seq BIGINT NOT NULL DEFAULT 0,
  audit_seq BIGINT NOT NULL DEFAULT 0,
  audit_hash TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  last_seen_at BIGINT
);

-- Every pushed mutation, applied or rejected, exactly once per (device, push_seq). server_seq orders
-- the applied ones for pull (the change feed).
CREATE TABLE mutations (
  server_seq BIGSERIAL PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices(id),
  push_seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  hlc TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL,
  payload JSONB NOT NULL,
  branch_code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason TEXT,
  received_at BIGINT NOT NULL,
  UNIQUE (device_id, push_seq)
);
CREATE INDEX mutations_applied ON mutations(server_seq) WHERE status = 'applied';

-- The merged state of every synced row: data holds its fields, versions the HLC that last wrote
-- each field (per-field last writer wins; an HLC ends with its device id, so ties break by device).
CREATE TABLE entities (
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  branch_code TEXT NOT NULL,
  data JSONB NOT NULL,
  versions JSONB NOT NULL,
  updated_seq BIGINT NOT NULL,
  PRIMARY KEY (entity, entity_id)
);

-- Users are central: their roles decide what each pushed mutation may do. Never a password hash here.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  home_branch TEXT NOT NULL REFERENCES branches(code),
  username TEXT NOT NULL,
  roles JSONB NOT NULL,
  active BOOLEAN NOT NULL DEFAULT true,
  updated_seq BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_branch_username ON users(home_branch, lower(username));

-- Every device's audit chain, uploaded intact and checked, appended to one server-wide chain in
-- commit order: chain_hash = SHA-256(chain_prev_hash + "\n" + device_id + "\n" + seq + "\n" + hash).
CREATE TABLE audit_entries (
  chain_seq BIGINT PRIMARY KEY,
  device_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor_id TEXT,
  actor_kind TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  chain_prev_hash TEXT NOT NULL,
  chain_hash TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  UNIQUE (device_id, seq)
);
-- The server chain's tip: one row, locked by each upload so appends are in commit order.
CREATE TABLE audit_chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION refuse_change();
