-- Notifications in the app (issue 14): what concerns one user — a ticket assigned to them, a
-- ticket escalated to their tier, a customer message on their ticket, a change request waiting for
-- their approval, a ticket of theirs about to breach, an emergency session waiting for review.
-- Written in the transaction of the event that causes them, one row per recipient. They only say
-- that something changed, with the item's folio and title; the answer lives in the item.
-- Local to this device (not in the outbox): each device derives them from the events it records.
-- (`notifications` is the customers' outgoing notice queue of migration 002.)
CREATE TABLE user_notifications (
  id TEXT PRIMARY KEY,
  recipient_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,                 -- NotificationKind (shared/notifications.ts)
  entity TEXT NOT NULL,               -- 'ticket' | 'change_request' | 'emergency_account'
  entity_id TEXT NOT NULL,
  folio TEXT NOT NULL,                -- the tracking number the item is known by
  title TEXT NOT NULL DEFAULT '',     -- the ticket's subject, or '' (the UI names the item from kind and data)
  data TEXT NOT NULL DEFAULT '{}',    -- codes only (tier, role, metric, request kind), never customer data
  actor_id TEXT REFERENCES users(id), -- who caused it (null: the system, e.g. the SLA sweep)
  once_key TEXT,                      -- set for notifications that happen once per recipient (a threshold, a review)
  created_at INTEGER NOT NULL,
  read_at INTEGER
) STRICT;
-- The panel: a recipient's notifications newest first, a keyset page at a time (created_at, rowid).
CREATE INDEX user_notifications_recipient ON user_notifications(recipient_id, created_at);
-- The bell: the unread count is a count of one range of this partial index (read ones leave it),
-- bounded to 100 entries (the bell says "99+"); the unread-only page walks it newest first.
CREATE INDEX user_notifications_unread ON user_notifications(recipient_id, created_at) WHERE read_at IS NULL;
-- Once per recipient and key: the SLA warning of one clock, the review of one emergency session.
CREATE UNIQUE INDEX user_notifications_once ON user_notifications(recipient_id, once_key) WHERE once_key IS NOT NULL;

-- Per-user on/off per kind; a kind without a row is on.
CREATE TABLE notification_preferences (
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind)
) STRICT;
