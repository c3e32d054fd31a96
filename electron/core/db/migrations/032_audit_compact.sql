-- The audit log's compact stored form (issue 16, item 6): the same chain in about half the bytes.
--
-- audit_chain holds each entry once: its hash as 32 bytes (not 64 hex characters); no prev_hash (it is
-- the hash of the previous entry of the same device chain: verification reads it from there, so an
-- edit, deletion, insertion or reordering still breaks a hash, see core/audit.ts); the device as a
-- small integer (audit_devices names it once); and every id that is a canonical (lowercase) UUID as
-- its 16 bytes — any other text stays text, so the conversion is exact both ways and the hashed text
-- is unchanged. The old unique index on id is gone (no statement looks an entry up by id).
--
-- audit_log becomes a view with the old columns and text (prev_hash included, one index seek), for
-- readers that show or export entries; filters that must be index walks read audit_chain, with ids
-- converted by core/audit-store.ts. An entry whose stored prev_hash did not match its predecessor
-- (a chain already broken) stays broken: its hash covered the prev_hash it stored.
CREATE TABLE audit_devices (
  n INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO audit_devices (device_id) SELECT device_id FROM audit_log GROUP BY device_id ORDER BY MIN(seq);

CREATE TABLE audit_chain (
  seq INTEGER PRIMARY KEY,
  id ANY NOT NULL,                      -- 16 bytes (a UUID) or text
  device INTEGER NOT NULL REFERENCES audit_devices(n),
  at INTEGER NOT NULL,
  actor_id ANY,                         -- 16 bytes (a UUID), text or NULL
  actor_kind TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id ANY,                        -- 16 bytes (a UUID), text or NULL
  data TEXT NOT NULL,                   -- canonical JSON
  hash BLOB NOT NULL                    -- SHA-256, 32 bytes
) STRICT;

INSERT INTO audit_chain (seq, id, device, at, actor_id, actor_kind, action, entity, entity_id, data, hash)
SELECT a.seq, CASE WHEN a.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(a.id, '-') ELSE a.id END, d.n, a.at,
  CASE WHEN a.actor_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(a.actor_id, '-') ELSE a.actor_id END, a.actor_kind, a.action, a.entity,
  CASE WHEN a.entity_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(a.entity_id, '-') ELSE a.entity_id END, a.data,
  COALESCE(CASE WHEN a.hash = lower(a.hash) THEN unhex(a.hash) END, CAST(a.hash AS BLOB))
FROM audit_log a JOIN audit_devices d ON d.device_id = a.device_id ORDER BY a.seq;

DROP TABLE audit_log;

CREATE VIEW audit_log AS SELECT
  a.seq,
  CASE WHEN typeof(a.id) = 'blob' THEN lower(substr(hex(a.id), 1, 8) || '-' || substr(hex(a.id), 9, 4) || '-' || substr(hex(a.id), 13, 4) || '-' || substr(hex(a.id), 17, 4) || '-' || substr(hex(a.id), 21)) ELSE a.id END AS id,
  (SELECT d.device_id FROM audit_devices d WHERE d.n = a.device) AS device_id,
  a.at,
  CASE WHEN typeof(a.actor_id) = 'blob' THEN lower(substr(hex(a.actor_id), 1, 8) || '-' || substr(hex(a.actor_id), 9, 4) || '-' || substr(hex(a.actor_id), 13, 4) || '-' || substr(hex(a.actor_id), 17, 4) || '-' || substr(hex(a.actor_id), 21)) ELSE a.actor_id END AS actor_id,
  a.actor_kind, a.action, a.entity,
  CASE WHEN typeof(a.entity_id) = 'blob' THEN lower(substr(hex(a.entity_id), 1, 8) || '-' || substr(hex(a.entity_id), 9, 4) || '-' || substr(hex(a.entity_id), 13, 4) || '-' || substr(hex(a.entity_id), 17, 4) || '-' || substr(hex(a.entity_id), 21)) ELSE a.entity_id END AS entity_id,
  a.data,
  COALESCE((SELECT lower(hex(p.hash)) FROM audit_chain p WHERE p.device = a.device AND p.seq < a.seq ORDER BY p.seq DESC LIMIT 1),
    '0000000000000000000000000000000000000000000000000000000000000000') AS prev_hash,
  lower(hex(a.hash)) AS hash
FROM audit_chain a;

-- The indexes keep their names (plans and INDEXED BY name them); each covers what a reader filters on.
CREATE INDEX audit_log_at ON audit_chain(at);                      -- Bitácora, no filter; reports by period
CREATE INDEX audit_log_actor ON audit_chain(actor_id, at);         -- Bitácora by person
CREATE INDEX audit_log_action ON audit_chain(action, at);          -- Bitácora by action; reports
CREATE INDEX audit_log_entity_at ON audit_chain(entity, at);       -- Bitácora by kind of entity
CREATE INDEX audit_log_entity ON audit_chain(entity, entity_id);   -- an entity's entries (personal data, emergency accounts)
CREATE INDEX audit_log_device ON audit_chain(device, seq);         -- a device chain in order (verification, upload, prev_hash)
CREATE INDEX audit_log_request ON audit_chain(json_extract(data, '$.requestId')) WHERE json_extract(data, '$.requestId') IS NOT NULL;
CREATE INDEX audit_log_emergency ON audit_chain(json_extract(data, '$.emergency.requestId'), json_extract(data, '$.emergency.accountId'))
  WHERE actor_kind = 'emergency';

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
