-- The change-request process through sync (server/commands/requests.ts): a request's decisions are
-- read by request, and pull finds whether a ticket has a request (then every branch sees it).
CREATE INDEX entities_request_ticket ON entities ((data->>'ticketId')) WHERE entity = 'change_request';
CREATE INDEX entities_decision_request ON entities ((data->>'requestId'), updated_seq) WHERE entity = 'change_request_decision';
