-- Sync (issue 11). The outbox's own seq may have holes (a compaction may delete rows), so the
-- server's "last + 1" rule uses push_seq: a gap-free per-device number stamped on a mutation the
-- first time it goes into a push batch, never changed afterwards. Each mutation also names who
-- made it, so the server re-checks that user's roles.
ALTER TABLE outbox ADD COLUMN actor_id TEXT;
ALTER TABLE outbox ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system';
ALTER TABLE outbox ADD COLUMN push_seq INTEGER;
CREATE UNIQUE INDEX outbox_push_seq ON outbox(push_seq) WHERE push_seq IS NOT NULL;
-- What the server answered for each pushed mutation: 'applied', or 'rejected' with its reason (shown in the app).
ALTER TABLE outbox ADD COLUMN push_status TEXT;
ALTER TABLE outbox ADD COLUMN push_reason TEXT;
