-- Customer portal, second part (issue 13): rate limits shared by every server process, the
-- server's outgoing mail (acknowledgements, sign-in links), sign-in links and customer sessions,
-- survey answers given on the portal, and the indexes their look-ups need.

-- Fixed-window counters, one row per limit and key (IP, folio, e-mail): every process counts in the same row.
CREATE TABLE portal_rate_limits (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits INTEGER NOT NULL
);
CREATE INDEX portal_rate_limits_window ON portal_rate_limits(window_start);

-- Mail the server sends (SMTP settings in the environment). Queued in the transaction that causes
-- it; `dedupe_key` makes a second queueing of the same notice a no-op; a process claims a row
-- before sending (status 'sending'), so two processes never send the same row.
CREATE TABLE portal_mail (
  id BIGSERIAL PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  ticket_id TEXT,
  message_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX portal_mail_due ON portal_mail(next_attempt_at) WHERE status IN ('queued', 'sending');

-- Sign-in links: only the SHA-256 of the token is kept; single use, expiring.
CREATE TABLE portal_sign_in_links (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX portal_sign_in_links_expiry ON portal_sign_in_links(expires_at);

-- A customer's session opened by a sign-in link (the cookie holds the token; the SHA-256 is kept).
CREATE TABLE portal_sessions (
  token_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX portal_sessions_expiry ON portal_sessions(expires_at);

-- One survey answer per ticket from the portal (the answer itself travels as a satisfaction_survey entity).
CREATE TABLE portal_survey_answers (
  ticket_id TEXT PRIMARY KEY,
  answered_at BIGINT NOT NULL
);

-- Article reads and whether a ticket followed in the same visit (deflection).
CREATE TABLE portal_article_views (
  visit_id TEXT NOT NULL,
  article_id TEXT NOT NULL,
  viewed_at BIGINT NOT NULL,
  ticket_opened BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (visit_id, article_id)
);
CREATE INDEX portal_article_views_at ON portal_article_views(viewed_at);

-- A customer's tickets, the customers an e-mail names (registered e-mail or a contact's), the
-- change requests and survey answers of a ticket, and a closing entry by its survey token.
CREATE INDEX entities_ticket_customer ON entities ((data->>'customerId'), updated_seq) WHERE entity = 'ticket';
CREATE INDEX entities_customer_email ON entities (lower(data->>'registeredEmail')) WHERE entity = 'customer';
CREATE INDEX entities_customer_contacts ON entities USING GIN ((data->'contacts') jsonb_path_ops) WHERE entity = 'customer';
CREATE INDEX entities_ticket_ref ON entities ((data->>'ticketId')) WHERE entity IN ('change_request', 'satisfaction_survey');
CREATE INDEX entities_survey_token ON entities ((data->'data'->>'surveyTokenHash')) WHERE entity = 'ticket_event' AND data->>'kind' = 'closed';
