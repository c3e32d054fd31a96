-- The server's administration pages (issue 11, items 2, 6 and 7): the organization's name and the
-- first-run token, browser sessions with their CSRF token and idle expiry, and the log of every
-- administrator's write (hash-chained, append-only).

CREATE TABLE server_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- A browser session: the cookie's token and the CSRF token are stored as SHA-256 only. It ends at
-- expires_at (absolute) or after idle_ms without a request, whichever comes first.
ALTER TABLE admin_sessions ADD COLUMN csrf_hash TEXT;
ALTER TABLE admin_sessions ADD COLUMN created_at BIGINT;
ALTER TABLE admin_sessions ADD COLUMN last_used_at BIGINT;
CREATE INDEX admin_sessions_expiry ON admin_sessions(expires_at);

-- Every administrator's write and sign-in, in order. hash = SHA-256(prev_hash + "\n" + canonical
-- entry), so an edit or a removed entry shows when the log is verified.
CREATE TABLE admin_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  admin_id TEXT REFERENCES server_admins(id),
  action TEXT NOT NULL,
  target TEXT,
  data JSONB NOT NULL,
  ip TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION admin_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'admin_log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER admin_log_append_only BEFORE UPDATE OR DELETE ON admin_log
FOR EACH ROW EXECUTE FUNCTION admin_log_append_only();

-- The rejected mutations page lists each device's refusals, newest first.
CREATE INDEX mutations_rejected ON mutations(device_id, server_seq) WHERE status = 'rejected';
