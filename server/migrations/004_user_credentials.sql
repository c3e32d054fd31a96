-- Central sign-in (issue 11): a user created at one branch signs in at another. Password hashes
-- never travel in the outbox or in pulled rows; each branch hands its users' hashes to the server in
-- their own authenticated call, and another branch asks the server to check a password once, then
-- keeps its own hash of it for offline sign-ins. The newest change of a user's password wins.
CREATE TABLE user_credentials (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  password_hash TEXT NOT NULL,
  changed_at BIGINT NOT NULL
);
