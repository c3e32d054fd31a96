-- Por vencer at a million tickets (issue 16): the view is "a running clock past its warning moment,
-- not breached". Its tickets were found by walking every open ticket in the sort's order (or every
-- running clock in ticket_sla_due) and checking each one's clocks until a page matched: 5–42 ms of
-- CPU for 1,460 of 34,316 open tickets. Keyed on "warned by now" (a stored warning is 0, otherwise
-- the next warning moment), the view is one range of this index whatever the sort, and breach_at
-- beside the key tells the not-yet-due ones without reading the row. Only open, not-breached clocks.
CREATE INDEX ticket_sla_warning ON ticket_sla(CASE state WHEN 'warning' THEN 0 ELSE warn_at END, breach_at) WHERE open = 1 AND breached = 0;
