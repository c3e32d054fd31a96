-- User names are the organization's (issue 11): one name, one person, at every branch. A user
-- created at a branch under a name the server already holds for another user is renamed by the
-- server to <name>.<branch> (as directory services do with conflicting names), so nothing that user
-- did is lost and both sign in. Names repeated across branches before this rule get the same suffix.
UPDATE users u SET username = u.username || '.' || lower(u.home_branch)
  WHERE EXISTS (SELECT 1 FROM users o WHERE lower(o.username) = lower(u.username) AND o.updated_seq < u.updated_seq);
DROP INDEX users_branch_username;
CREATE UNIQUE INDEX users_username ON users (lower(username));
