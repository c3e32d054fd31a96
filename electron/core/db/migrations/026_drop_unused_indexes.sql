-- Storage (issue 16 item 6): two indexes no statement reads any more. outbox_unsent (sent_at IS NULL)
-- was the pending-records index before push_status and outbox_pending (018); notifications_unsent
-- (sent_at IS NULL) was the mail queue's before notifications_queue and notifications_due (016, 023).
-- Every outbox record and every queued notice still paid for an entry in them (0.23 KB per ticket on
-- a generated workspace). Dropping an index only frees its pages: quick at any size.
DROP INDEX IF EXISTS outbox_unsent;
DROP INDEX IF EXISTS notifications_unsent;
