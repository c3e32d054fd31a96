-- Knowledge base (issue 12, item 5): articles the desk answers from. Category is the ticket
-- classification (shared/domain.ts CATEGORIES); body is Markdown (rendered and sanitized on read,
-- shared/kb-markdown.ts). Synced as the outbox entity 'kb_article' with the fields of
-- core/kb/knowledge-base.ts; the starter set (shared/kb-starter.ts) is installed by core when the
-- workspace opens, with fixed ids, so every branch has the same rows.
CREATE TABLE kb_articles (
  id TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'public')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  author_id TEXT,                 -- null: an article the app ships with
  updated_by TEXT,                -- null: the app
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  published_at INTEGER
) STRICT;
CREATE INDEX kb_articles_updated ON kb_articles(updated_at);
CREATE INDEX kb_articles_category ON kb_articles(category, updated_at);

-- Each saved version's content before it was replaced (the article's history).
CREATE TABLE kb_article_revisions (
  id TEXT PRIMARY KEY,
  article_id TEXT NOT NULL REFERENCES kb_articles(id),
  version INTEGER NOT NULL,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  visibility TEXT NOT NULL,
  status TEXT NOT NULL,
  edited_by TEXT,
  edited_at INTEGER NOT NULL,
  UNIQUE (article_id, version)
) STRICT;

-- Full-text search over title and body, accent-insensitive ("cancelacion" finds "cancelación"),
-- kept by triggers so rows written by sync are indexed too.
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
  title, body,
  content='kb_articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF title, body ON kb_articles BEGIN
  INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO kb_articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
