-- Outgoing mail (issue 12, items 1 and 3): the customer notices of migration 002 are sent by the
-- background sender (core/mail/sender.ts) through the branch's mailbox. Each notice has a delivery
-- state, its own stable Message-ID and the ticket thread's id, the attempts made and the server's answer.
--   queued    waiting for its turn (next_attempt_at: not before; NULL = at once)
--   sending   handed to the server; if found so at start, the server may have accepted it: 'unconfirmed'
--   sent      accepted by the server (server_response, sent_at)
--   failed    refused for good (5xx, bad address): last_error, not retried unless someone asks
--   unconfirmed  a crash between sending and recording: not resent on its own (no duplicate); retry by hand
--   cancelled by an administrator
ALTER TABLE notifications ADD COLUMN status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE notifications ADD COLUMN last_error TEXT;
ALTER TABLE notifications ADD COLUMN last_error_detail TEXT;
ALTER TABLE notifications ADD COLUMN message_id TEXT;
ALTER TABLE notifications ADD COLUMN thread_id TEXT;
ALTER TABLE notifications ADD COLUMN server_response TEXT;
ALTER TABLE notifications ADD COLUMN updated_at INTEGER;
UPDATE notifications SET status = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX notifications_queue ON notifications(status, created_at);
CREATE INDEX notifications_ticket ON notifications(ticket_id, created_at);
