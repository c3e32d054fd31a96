-- Incoming mail (issue 12, items 1–2): the branch's IMAP mailboxes and every message fetched from them.
-- mail_inboxes belongs to this machine like the outgoing mailbox (its password is sealed with the
-- machine's mail key, secret.ts): not synced. The fetch position (uid_validity, last_uid) moves in
-- the same transaction as the import of the message that advanced it.
CREATE TABLE mail_inboxes (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  security TEXT NOT NULL,               -- tls | starttls | none
  username TEXT NOT NULL,
  password_sealed TEXT,                 -- secret.ts; never returned, audited or synced
  folder TEXT NOT NULL DEFAULT 'INBOX',
  purpose TEXT NOT NULL DEFAULT 'support', -- support → channel Correo; complaint → Quejas y sugerencias
  enabled INTEGER NOT NULL DEFAULT 1,
  uid_validity TEXT,
  last_uid INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- One row per fetched message, written in the same transaction as what it became (exactly once:
-- UNIQUE (inbox, uid_validity, uid), and one accepted row per Message-ID).
--   outcome: ticket (a new ticket) | reply (a customer message on a ticket) | auto (auto-reply) |
--            bounce | loop (too many from one sender) | duplicate (same Message-ID seen before)
CREATE TABLE mail_messages (
  id TEXT PRIMARY KEY,
  inbox_id TEXT NOT NULL REFERENCES mail_inboxes(id),
  uid_validity TEXT NOT NULL,
  uid INTEGER NOT NULL,
  message_id TEXT,
  from_address TEXT NOT NULL DEFAULT '',
  from_name TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  size_bytes INTEGER NOT NULL,
  raw_sha256 TEXT NOT NULL,             -- the message as received, in the evidence store (<dataDir>/attachments)
  html TEXT,                            -- the HTML part as received; sanitized every time it is shown
  outcome TEXT NOT NULL,
  reason TEXT,
  ticket_id TEXT REFERENCES tickets(id),
  event_id TEXT,
  sender_unknown INTEGER NOT NULL DEFAULT 0,
  refused_attachments TEXT NOT NULL DEFAULT '[]', -- [{ fileName, sizeBytes }] over the size limit
  created_at INTEGER NOT NULL,
  UNIQUE (inbox_id, uid_validity, uid)
) STRICT;
CREATE UNIQUE INDEX mail_messages_message_id ON mail_messages(message_id) WHERE message_id IS NOT NULL AND outcome <> 'duplicate';
CREATE INDEX mail_messages_from ON mail_messages(from_address, sent_at);
CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX mail_messages_created ON mail_messages(created_at);

-- Matching a sender to a customer by a contact's or the registered e-mail, whatever its letter case.
CREATE INDEX contacts_email_lower ON contacts(lower(email));
CREATE INDEX customers_registered_email_lower ON customers(lower(registered_email));
-- A notice's Message-ID, which a customer's reply carries back in In-Reply-To / References.
CREATE INDEX notifications_message_id ON notifications(message_id) WHERE message_id IS NOT NULL;
