-- Incoming mailboxes remember when they were last checked and last connected, so Administración →
-- Correo shows it after a restart (it was kept in memory only and read "Nunca" until the next fetch).
-- Machine-local bookkeeping like last_uid: not audited, not synced.
ALTER TABLE mail_inboxes ADD COLUMN last_fetch_at INTEGER;
ALTER TABLE mail_inboxes ADD COLUMN last_connected_at INTEGER;
