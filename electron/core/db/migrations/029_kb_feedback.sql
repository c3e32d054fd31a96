-- Knowledge base: "¿Te sirvió?" from the agents who read an article (one answer per person and
-- article, changeable), counted for the editors. Local to this workspace (not synced).
CREATE TABLE kb_article_feedback (
  article_id TEXT NOT NULL REFERENCES kb_articles(id),
  user_id TEXT NOT NULL,
  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
  at INTEGER NOT NULL,
  PRIMARY KEY (article_id, user_id)
) STRICT, WITHOUT ROWID;
