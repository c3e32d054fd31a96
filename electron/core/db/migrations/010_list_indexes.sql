-- Every list the UI shows is an index walk (issue 16). A list page walks one index per status
-- (open, waiting, closed) in the order the user asked for, merged by SQLite (a compound SELECT
-- with ORDER BY merges its arms) and cut at the page size; the next page starts after the last
-- row's sort value and rowid (keyset), so the last page costs what the first does.
--
-- Indexes cost on every ticket write, so the set is small: one (status, sort) index per sort for
-- the views over statuses (Todos, Abiertos, Cerrados, En espera, Vencidos), and one
-- (assignee, status, sort) per sort for the views over an assignee (Mis tickets, Sin asignar).
-- The (status, updated_at) index replaces the lone updated_at one: its three partitions give the
-- same order merged, and MAX(updated_at) is three seeks.
DROP INDEX tickets_updated;
CREATE INDEX tickets_status_updated ON tickets(status, updated_at);
CREATE INDEX tickets_status_created ON tickets(status, created_at);
CREATE INDEX tickets_status_priority ON tickets(status, priority_rank);
CREATE INDEX tickets_status_severity ON tickets(status, severity);
CREATE INDEX tickets_status_tracking ON tickets(status, tracking_number);

-- tickets_assignee_status (assignee_id, status, updated_at) already serves the last-update sort.
CREATE INDEX tickets_assignee_created ON tickets(assignee_id, status, created_at);
CREATE INDEX tickets_assignee_priority ON tickets(assignee_id, status, priority_rank);
CREATE INDEX tickets_assignee_severity ON tickets(assignee_id, status, severity);
CREATE INDEX tickets_assignee_tracking ON tickets(assignee_id, status, tracking_number);

-- A customer's tickets by last update (the customer page, intake); still answers "open tickets of
-- this customer" as the (customer_id, status) index it replaces did.
DROP INDEX tickets_customer_status;
CREATE INDEX tickets_customer_status_updated ON tickets(customer_id, status, updated_at);

-- The SLA-due sort: the next breach among running clocks, tickets without one last, in two ranges:
-- tickets not closed (open = 1) and closed ones, so the views of open work never walk the closed.
-- The key must be written exactly like this in queries for SQLite to use the index.
CREATE INDEX ticket_sla_due ON ticket_sla(open, coalesce(breach_at, 9007199254740991));

-- The Bitácora (audit.list) lists by time, newest first, filtered by actor, action, entity and
-- period: each filter is a range of an (…, at) index, walked in order (audit_log_actor and
-- audit_log_at exist). An action prefix ("emergency.") is a few exact actions, merged.
CREATE INDEX audit_log_action ON audit_log(action, at);
CREATE INDEX audit_log_entity_at ON audit_log(entity, at);
