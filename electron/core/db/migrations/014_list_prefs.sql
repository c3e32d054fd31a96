-- The ticket list's per-user settings (issue 14): saved views (a named question — view, filters,
-- search, sort — pinned beside the views or not) and the chosen columns with their widths. They
-- belong to one user on this machine: not synced (each machine's list is its own screen).
CREATE TABLE list_views (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 1,
  question TEXT NOT NULL,                 -- JSON, validated by savedQuestionSchema both ways
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, name)
) STRICT;

CREATE TABLE list_prefs (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  columns TEXT NOT NULL,                  -- JSON [{ id, width }], validated by listColumnsSchema both ways
  updated_at INTEGER NOT NULL
) STRICT;
