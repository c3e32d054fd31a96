-- Respuestas rápidas (issue 12, item 6): texts agents insert into replies. scope 'team': the
-- team's, changed by supervisors and administrators, synced as the outbox entity 'quick_reply'
-- (a deletion is an update setting deleted_at, so it reaches every branch); scope 'personal': one
-- agent's own (owner_id), never pushed. Texts carry the notice templates' placeholders.
CREATE TABLE quick_replies (
  id TEXT PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('team', 'personal')),
  owner_id TEXT,                  -- personal: its author; team: null
  title TEXT NOT NULL,
  body_es TEXT NOT NULL,
  body_en TEXT NOT NULL DEFAULT '',
  created_by TEXT,
  updated_by TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  CHECK ((scope = 'personal') = (owner_id IS NOT NULL))
) STRICT;
CREATE INDEX quick_replies_visible ON quick_replies(scope, owner_id) WHERE deleted_at IS NULL;
