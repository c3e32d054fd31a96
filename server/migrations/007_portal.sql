-- Customer portal (issue 13). The portal writes tickets, customers and timeline entries into the
-- same change feed as the branches (mutations + entities), as one server-side device that never
-- authenticates: its site code prefixes the portal's tracking numbers.

-- The portal's own settings: its site code, the branch that takes tickets of unknown customers
-- (the central queue), and the key that signs its bot challenges. One row.
CREATE TABLE portal_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  site_code TEXT NOT NULL REFERENCES branches(code),
  device_id TEXT NOT NULL REFERENCES devices(id),
  central_branch TEXT REFERENCES branches(code),
  challenge_key TEXT NOT NULL,
  next_number BIGINT NOT NULL DEFAULT 1
);

-- The e-mail each portal ticket was opened with (lower case): with the folio, the key to its status.
CREATE TABLE portal_tickets (
  ticket_id TEXT PRIMARY KEY,
  tracking_number TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Evidence files, content-addressed: the same bytes are kept once, named by their SHA-256.
CREATE TABLE portal_files (
  sha256 TEXT PRIMARY KEY,
  mime_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  bytes BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

-- Bot challenges already answered (single use), until they would have expired anyway.
CREATE TABLE portal_challenges_used (
  challenge_hash TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);

-- Status look-ups find a ticket by its folio and its public timeline by ticket, among every synced row.
CREATE INDEX entities_ticket_tracking ON entities ((data->>'trackingNumber')) WHERE entity = 'ticket';
CREATE INDEX entities_event_ticket ON entities ((data->>'ticketId'), updated_seq) WHERE entity = 'ticket_event';
