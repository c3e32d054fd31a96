-- Attachments through sync (issue 11): evidence bytes travel apart from their rows. One row per
-- file (by content) still to move: 'up' — made here, the central server does not have it yet;
-- 'down' — pulled from another branch, its bytes not here yet ("pendiente de descargar"). The row
-- goes when the transfer is done; the file itself is the truth (attachments/<sha256>).
CREATE TABLE blob_transfers (
  sha256 TEXT PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
  size_bytes INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX blob_transfers_direction ON blob_transfers(direction, sha256);

-- Files attached before sync existed: sent once this device is enrolled.
INSERT OR IGNORE INTO blob_transfers (sha256, direction, size_bytes, updated_at)
  SELECT sha256, 'up', MAX(size_bytes), 0 FROM attachments GROUP BY sha256;
