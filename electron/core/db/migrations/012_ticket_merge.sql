-- Merging duplicates (issue 14): a ticket merged into another of the same customer is closed and
-- points at it; the target's timeline shows the merged ones' entries (read through this column).
ALTER TABLE tickets ADD COLUMN merged_into_id TEXT REFERENCES tickets(id);
CREATE INDEX tickets_merged_into ON tickets(merged_into_id) WHERE merged_into_id IS NOT NULL;
