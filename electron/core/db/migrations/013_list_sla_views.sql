-- The list's SLA views (issue 14): Vencidos (breached: marked breached, or a running clock past due)
-- and Por vencer (a running clock past its warning moment, not yet due). Both are ranges of the
-- SLA-due index once it also keys on `breached`:
--   Vencidos  = (open = 1, breached = 1, any due)  ∪  (open = 1, breached = 0, due < now)
--   Por vencer ⊂ (open = 1, breached = 0, due ≥ now), walked from the soonest due
-- and the SLA-due sort of any view merges the two `breached` ranges of each `open` range.
-- The key must be written exactly like this in queries for SQLite to use the index.
DROP INDEX ticket_sla_due;
CREATE INDEX ticket_sla_due ON ticket_sla(open, breached, coalesce(breach_at, 9007199254740991));
