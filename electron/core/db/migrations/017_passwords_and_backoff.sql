-- Passwords and sign-in attempts (issue 10, findings 7 and 8).
-- must_change_password: set by an administrator's reset; until the user picks their own password
-- the session may only change it or sign out (checked in core, core/api.ts).
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
-- When the last failed sign-in happened: with failed_attempts it gives the growing wait before the
-- next attempt is even checked (core/backoff.ts), for the last administrator and emergency accounts.
ALTER TABLE users ADD COLUMN last_failed_at INTEGER;
ALTER TABLE emergency_accounts ADD COLUMN last_failed_at INTEGER;
