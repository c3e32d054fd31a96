-- The outbox compacts superseded field changes (issue 16, storage): an update of an entity's
-- fields removes those fields from the same entity's earlier updates not yet numbered for a push
-- (see Workspace.appendOutbox). This index finds them: only unpushed updates are in it, and after
-- compaction an entity has few of those.
CREATE INDEX outbox_unsent_updates ON outbox(entity, entity_id, seq) WHERE push_seq IS NULL AND op = 'update';
