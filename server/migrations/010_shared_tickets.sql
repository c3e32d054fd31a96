-- A ticket escalated past the service desk is seen by every branch (their Operación and Desarrollo
-- specialists serve it) and stays seen after it is handed back: the branches that took part keep
-- following it. `shared` is set once, when its tier first leaves the service desk (push.ts), and the
-- pull's visibility rule reads it (pull.ts), instead of the tier it has now.
ALTER TABLE entities ADD COLUMN shared BOOLEAN NOT NULL DEFAULT false;
UPDATE entities SET shared = true WHERE entity = 'ticket' AND data->>'tier' IN ('operations', 'development');
-- Where a shared ticket's creation is found (push.ts, shareTicket): ticket inserts only, a small index.
CREATE INDEX mutations_ticket_insert ON mutations (entity_id) WHERE entity = 'ticket' AND op = 'insert';
