-- The supervisor home's backlog (issue 15): open and waiting tickets counted per tier and severity,
-- nine counts on every load. With (tier, status) each count read every matching ticket's row for its
-- severity (~110 ms per count at 100,000 tickets under load); with this index each count is one
-- covering range.
CREATE INDEX tickets_status_tier_severity ON tickets(status, tier, severity);
