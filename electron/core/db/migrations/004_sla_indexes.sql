-- Indexes that make the SLA work scale (issue 3).
--
-- The sweep asks every minute for open tickets whose next warning or breach has come. With no
-- index for that it scanned every ticket; this partial expression index holds only open tickets,
-- keyed by their next SLA moment (the earlier of the stored warning and breach moments).
CREATE INDEX tickets_sla_next ON tickets(coalesce(min(sla_warn_at, sla_breach_at), sla_warn_at, sla_breach_at))
  WHERE status != 'closed';

-- Every SLA recompute rewrites sla_breach_at; two indexes containing it doubled the cost of a
-- policy edit. The board only seeks by tier (and sorts by breach state itself), so it keeps
-- (tier, status); the sweep uses tickets_sla_next above.
DROP INDEX tickets_status_breach;
DROP INDEX tickets_tier_open;
CREATE INDEX tickets_tier_status ON tickets(tier, status);
