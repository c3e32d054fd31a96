-- The mail sender's "when is the next notice due" (mail/sender.ts NEXT_ATTEMPT_SQL): one seek of this
-- index instead of reading every queued notice. Partial: only queued notices are ever asked about.
CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE status = 'queued';
