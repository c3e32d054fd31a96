/** Central sign-in (issue 11): users' password hashes, sent by their branches; a password checked for another branch. */
import type { Sql } from '../db';
import { verifyPassword } from '../credentials';
import { ServerError } from '../errors';
import type { DeviceRow } from './enrol';

/** Same cost as a real check, so the answer time does not tell which user names exist. */
const DUMMY = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Keeps the newest hash per user; users the server does not know (their creation not pushed or rejected) are skipped. */
export async function storeCredentials(sql: Sql, _device: DeviceRow, items: Array<{ userId: string; passwordHash: string; changedAt: number }>): Promise<{ stored: number }> {
  let stored = 0;
  for (const c of items) {
    const rows = await sql.query(
      `INSERT INTO user_credentials (user_id, password_hash, changed_at) SELECT id, $2, $3 FROM users WHERE id = $1
       ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, changed_at = excluded.changed_at
       WHERE user_credentials.changed_at <= excluded.changed_at RETURNING user_id`,
      [c.userId, c.passwordHash, c.changedAt],
    );
    stored += rows.length;
  }
  return { stored };
}

/** The active user whose name and password these are, or 401 auth.invalidCredentials. */
export async function verifyCredential(sql: Sql, username: string, password: string): Promise<{ userId: string }> {
  const rows = await sql.query<{ id: string; password_hash: string }>(
    'SELECT u.id, c.password_hash FROM users u JOIN user_credentials c ON c.user_id = u.id WHERE lower(u.username) = lower($1) AND u.active',
    [username],
  );
  if (rows.length === 0) await verifyPassword(password, DUMMY);
  for (const r of rows) if (await verifyPassword(password, r.password_hash)) return { userId: r.id };
  throw new ServerError(401, 'auth.invalidCredentials');
}
