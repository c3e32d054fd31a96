-- The SLA board at a million tickets (issue 16): its urgency order put overdue cards first by the
-- first deadline missed, MIN(due_at) of the ticket's sla_breaches, so every open ticket of a column
-- was read, each breached one looked up in sla_breaches, and all sorted: 640–710 ms of CPU per call
-- at 41,146 open tickets. The first breach's due moment is now kept with the ticket's clocks (set
-- where a breach is recorded, the one place sla_breaches rows are written), and the board walks
-- this index: its key is the card's place in the order ("first deadline missed, else the running
-- deadline"): at or before now, the overdue band in order; after it, the running clocks in order.
ALTER TABLE ticket_sla ADD COLUMN first_breach_due_at INTEGER;
UPDATE ticket_sla SET first_breach_due_at = f.due
  FROM (SELECT t.rowid AS r, MIN(b.due_at) AS due FROM sla_breaches b JOIN tickets t ON t.id = b.ticket_id GROUP BY b.ticket_id) AS f
  WHERE ticket_sla.ticket_rowid = f.r;
CREATE INDEX ticket_sla_board ON ticket_sla(coalesce(first_breach_due_at, breach_at, resolution_due_at)) WHERE open = 1;
