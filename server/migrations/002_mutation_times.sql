-- Pulled changes carry when the change was made on its device (a timeline entry keeps its moment).
ALTER TABLE mutations ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
