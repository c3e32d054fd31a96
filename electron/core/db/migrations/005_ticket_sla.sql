-- The stored SLA outcome of each ticket moves out of the wide tickets row into a narrow table
-- (issue 3). A policy or calendar edit rewrites the outcome of every open ticket: rewriting
-- ~60-byte rows instead of whole ticket rows (subject, description…) halved the time of the
-- update and cut its commit from ~150 ms to ~10 ms at 100,000 open tickets.
--
-- Keyed by the ticket's rowid, like the full-text tables (backups copy pages, so rowids hold).
-- The clock inputs (created_at, pauses, closed_at…) stay on tickets: they are facts of the
-- ticket; this table only holds what is derived from them and the matched policy.
CREATE TABLE ticket_sla (
  ticket_rowid INTEGER PRIMARY KEY,
  open INTEGER NOT NULL DEFAULT 1,        -- 0 once the ticket is closed (closed_at set)
  policy_id TEXT,
  first_response_due_at INTEGER,
  next_response_due_at INTEGER,
  resolution_due_at INTEGER,
  warn_at INTEGER,                         -- next warning among running clocks
  breach_at INTEGER,                       -- next breach among running clocks
  state TEXT NOT NULL DEFAULT 'none',
  breached INTEGER NOT NULL DEFAULT 0,     -- once breached, stays 1
  -- Bits of the clocks whose breach is recorded (1 first response, 2 next response, 4 resolution):
  -- a clock breaches once, so a policy edit that moves its due moment does not record it again.
  recorded INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO ticket_sla (ticket_rowid, open, policy_id, first_response_due_at, next_response_due_at, resolution_due_at, warn_at,
  breach_at, state, breached, recorded)
SELECT t.rowid, t.closed_at IS NULL, t.sla_policy_id, t.first_response_due_at, t.next_response_due_at, t.resolution_due_at, t.sla_warn_at,
  t.sla_breach_at, t.sla_state, t.sla_breached,
  -- Until now a breach was recorded per due moment; the running next-response clock's is the one at its current due moment.
  -- (SQLite gives << and | the same precedence, hence the parentheses.)
  (SELECT coalesce(max(b.metric = 'first_response'), 0) | (coalesce(max(b.metric = 'next_response' AND b.due_at = t.next_response_due_at), 0) << 1)
      | (coalesce(max(b.metric = 'resolution'), 0) << 2)
    FROM sla_breaches b WHERE b.ticket_id = t.id)
FROM tickets t;

-- The sweep asks every minute for open tickets whose next warning or breach has come.
CREATE INDEX ticket_sla_next ON ticket_sla(coalesce(min(warn_at, breach_at), warn_at, breach_at)) WHERE open;
-- A recompute walks the open tickets in rowid order, a step at a time, without visiting closed ones.
CREATE INDEX ticket_sla_open ON ticket_sla(ticket_rowid) WHERE open;

DROP INDEX tickets_sla_next;
ALTER TABLE tickets DROP COLUMN sla_policy_id;
ALTER TABLE tickets DROP COLUMN first_response_due_at;
ALTER TABLE tickets DROP COLUMN next_response_due_at;
ALTER TABLE tickets DROP COLUMN resolution_due_at;
ALTER TABLE tickets DROP COLUMN sla_warn_at;
ALTER TABLE tickets DROP COLUMN sla_breach_at;
ALTER TABLE tickets DROP COLUMN sla_state;
ALTER TABLE tickets DROP COLUMN sla_breached;

-- The sweep asks every minute which tickets waiting on the customer have waited long enough to
-- close by themselves: the open pause is the last one, so index its start, for waiting tickets only.
CREATE INDEX tickets_waiting_customer_since ON tickets(json_extract(pauses, '$[#-1].from'))
  WHERE status = 'waiting' AND waiting_on = 'customer';
