-- The satisfaction survey (issue 12, item 4): one answer per ticket, a rating from 1 to 5 and a
-- comment, given by replying to the closing notice (source 'email') or told to an agent ('agent').
-- The ticket's agent, tier and channel when it was answered are kept with it, so CSAT by agent,
-- tier, channel and period reads this table alone (and stays what it was if the ticket moves later).
CREATE TABLE satisfaction_surveys (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL UNIQUE REFERENCES tickets(id),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  message_id TEXT,
  recorded_by TEXT REFERENCES users(id),
  agent_id TEXT REFERENCES users(id),
  tier TEXT NOT NULL,
  channel TEXT NOT NULL,
  answered_at INTEGER NOT NULL
) STRICT;
CREATE INDEX satisfaction_surveys_answered ON satisfaction_surveys(answered_at);
