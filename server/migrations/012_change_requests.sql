-- The change-request process through sync (server/commands/requests.ts): a request's decisions are
-- read by request.
CREATE INDEX entities_decision_request ON entities ((data->>'requestId'), updated_seq) WHERE entity = 'change_request_decision';
-- A ticket a change request hangs from is shared (push.ts, shareTicket: its approvers sit at any
-- branch); requests a server already holds share their tickets from now on.
UPDATE entities t SET shared = true
WHERE t.entity = 'ticket' AND NOT t.shared
  AND EXISTS (SELECT 1 FROM entities r WHERE r.entity = 'change_request' AND r.data->>'ticketId' = t.entity_id);
