-- SLA clocks and escalation (issue 3). Clock inputs are timestamps kept on the ticket; the due
-- moments are derived from them and the matched policy, and recomputed on every change.

ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
ALTER TABLE tickets ADD COLUMN awaiting_response_since INTEGER;
ALTER TABLE tickets ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';   -- JSON [{from, to|null}] spent En espera
ALTER TABLE tickets ADD COLUMN sla_policy_id TEXT;
ALTER TABLE tickets ADD COLUMN first_response_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN next_response_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_warn_at INTEGER;                 -- next warning among running clocks
ALTER TABLE tickets ADD COLUMN sla_breach_at INTEGER;               -- next breach among running clocks
ALTER TABLE tickets ADD COLUMN sla_breached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_state TEXT NOT NULL DEFAULT 'none';
CREATE INDEX tickets_status_breach ON tickets(status, sla_breach_at);
CREATE INDEX tickets_tier_open ON tickets(tier, status, sla_breach_at);

-- Every breach, recorded once, for the SLA report.
CREATE TABLE sla_breaches (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  metric TEXT NOT NULL,                 -- first_response | next_response | resolution
  due_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  tier TEXT NOT NULL,
  severity INTEGER NOT NULL,
  channel TEXT NOT NULL,
  UNIQUE (ticket_id, metric, due_at)
) STRICT;
CREATE INDEX sla_breaches_due ON sla_breaches(due_at);

-- Messages queued for the customer (sent by the mail link when there is a network).
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  ticket_id TEXT REFERENCES tickets(id),
  kind TEXT NOT NULL,                   -- escalated | auto_closed | closed
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
) STRICT;
CREATE INDEX notifications_unsent ON notifications(created_at) WHERE sent_at IS NULL;
