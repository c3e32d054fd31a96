-- Sync status without reading the whole outbox (issue 16): on a workspace that was never enrolled
-- every record is pending, and counting them row by row took seconds at 100,000 tickets — on
-- every write (background sync asked the status to know whether it was enrolled) and at every
-- poll of the header's sync indicator. The count is now bounded and walks these partial indexes.
CREATE INDEX outbox_pending ON outbox(push_status) WHERE push_status IS NULL;
CREATE INDEX outbox_rejected ON outbox(push_status, push_seq) WHERE push_status = 'rejected';
