-- Attachments through sync (issue 11): evidence bytes, content-addressed and kept once for the
-- whole organization, in PostgreSQL itself (the shared state of every stateless server process).
-- A blob is received in chunks (resumable: an upload continues at `received`) and becomes
-- readable when every byte is in and its SHA-256 was checked against its name.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size BIGINT NOT NULL CHECK (size > 0),
  mime_type TEXT NOT NULL DEFAULT 'application/octet-stream',
  received BIGINT NOT NULL DEFAULT 0,
  complete_at BIGINT,
  created_at BIGINT NOT NULL,
  -- The device that started it (NULL: the server, e.g. portal evidence).
  device_id TEXT
);
-- Chunks in order: the bytes at [offset, offset + length(bytes)).
CREATE TABLE blob_chunks (
  sha256 TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
  "offset" BIGINT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (sha256, "offset")
);

-- Which blobs a device may see: those of the attachments of tickets its branch may see.
CREATE INDEX entities_attachment_sha ON entities ((data->>'sha256')) WHERE entity = 'attachment';

-- The portal's evidence moves into the one store.
INSERT INTO blobs (sha256, size, mime_type, received, complete_at, created_at)
  SELECT sha256, size, mime_type, size, created_at, created_at FROM portal_files WHERE size > 0 ON CONFLICT DO NOTHING;
INSERT INTO blob_chunks (sha256, "offset", bytes)
  SELECT sha256, 0, bytes FROM portal_files WHERE size > 0 ON CONFLICT DO NOTHING;
DROP TABLE portal_files;
