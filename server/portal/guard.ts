/**
 * What keeps the portal's public forms from being abused: fixed-window rate limits (per IP, per
 * folio, per e-mail; shared by every server process), the CSRF double-submit token, and the bot challenge — a signed, single-use token that
 * must be answered with a proof of work and not before a person could have filled the form.
 * No third-party service is involved.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { leadingZeroBits, powInput, type PortalChallenge } from '../../electron/shared/portal';
import type { Sql } from '../db';
import { ServerError } from '../errors';

/** Zero bits the proof of work needs: about 16,000 hashes, a second or two in a phone's browser. */
export const POW_DIFFICULTY = 14;
/** A person needs at least this long between opening the form and sending it. */
export const MIN_FILL_MS = 3_000;
/** A challenge older than this is refused (the form asks for a new one). */
export const CHALLENGE_TTL_MS = 2 * 60 * 60 * 1000;

/** The limits of each portal action: [hits, window]. */
export const LIMITS = {
  /** Ticket form posts per IP. */
  ticketPerIp: [5, 10 * 60_000],
  /** Status look-ups and messages per IP. */
  lookupPerIp: [30, 10 * 60_000],
  /** Look-ups and messages per folio, whoever asks: guessing e-mails for one folio stops here. */
  lookupPerFolio: [10, 60 * 60_000],
  /** Challenges per IP (each costs the server an HMAC only). */
  challengePerIp: [60, 10 * 60_000],
  /** Sign-in links asked per IP. */
  signInPerIp: [10, 60 * 60_000],
  /** Sign-in links per e-mail, whoever asks: nobody fills a customer's mailbox with links. */
  signInPerEmail: [3, 60 * 60_000],
  /** Sign-in link and survey token attempts per IP (guessing a token stops here). */
  tokenPerIp: [30, 10 * 60_000],
  /** Signed-in pages (ticket list, a ticket) per session. */
  accountPerSession: [300, 10 * 60_000],
  /** Article searches, reads and suggestions per IP. */
  articlesPerIp: [300, 10 * 60_000],
} as const satisfies Record<string, readonly [number, number]>;
export type LimitName = keyof typeof LIMITS;
const LONGEST_WINDOW = Math.max(...Object.values(LIMITS).map(([, w]) => w));

/**
 * Fixed-window rate limits kept in PostgreSQL, so every server process on one database counts in
 * the same row (one upsert per check, outside the request's transaction: a refused request still
 * counts). Keys are stored as SHA-256 digests: the table holds no IP or e-mail in clear.
 */
export class RateLimits {
  private checks = 0;

  constructor(private readonly db: Sql) {}

  /** Counts one hit of `name` for `key`; throws 429 'portal.tooManyRequests' past the limit. */
  async hit(name: LimitName, key: string, now: number): Promise<void> {
    const [hits, windowMs] = LIMITS[name];
    const [row] = await this.db.query<{ hits: number }>(
      `INSERT INTO portal_rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         window_start = CASE WHEN portal_rate_limits.window_start + $3 <= $2 THEN $2 ELSE portal_rate_limits.window_start END,
         hits = CASE WHEN portal_rate_limits.window_start + $3 <= $2 THEN 1 ELSE portal_rate_limits.hits + 1 END
       RETURNING hits`,
      [`${name}:${createHash('sha256').update(key).digest('base64url').slice(0, 27)}`, now, windowMs],
    );
    // Now and then, windows long over are removed (any process may do it).
    if (++this.checks % 1000 === 0) await this.db.query('DELETE FROM portal_rate_limits WHERE window_start < $1', [now - LONGEST_WINDOW]);
    if (row!.hits > hits) throw new ServerError(429, 'portal.tooManyRequests');
  }
}

/**
 * Counts hits per key in fixed windows, in memory, per server process (the administration pages'
 * sign-in uses it; the portal's own limits are `RateLimits`, shared in PostgreSQL).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Counts one hit; false when `key` already used its `limit` in the current window. */
  hit(key: string, limit: number, windowMs: number, now: number): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (this.windows.size >= this.maxKeys) this.sweep(now, windowMs);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= limit;
  }

  private sweep(now: number, windowMs: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= windowMs) this.windows.delete(k);
    // Still full (a flood of distinct keys): start over rather than grow without bound.
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}

/** The cookie that carries the CSRF token (the page sends the same value in a header). */
export const CSRF_COOKIE = 'portal_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Double submit: the header must equal the cookie, which another site can neither read nor set. */
export function checkCsrf(cookieHeader: string | undefined, headerToken: string | undefined): void {
  const cookie = cookieValue(cookieHeader, CSRF_COOKIE);
  if (!cookie || !headerToken || !/^[A-Za-z0-9_-]{32}$/.test(cookie)) throw new ServerError(403, 'portal.csrf');
  const a = Buffer.from(cookie);
  const b = Buffer.from(headerToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ServerError(403, 'portal.csrf');
}

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

/** A new challenge: `<issuedAt>.<random>.<HMAC of both>`, signed with the portal's key. */
export function issueChallenge(key: string, now: number): PortalChallenge {
  const body = `${String(now).padStart(13, '0')}.${randomBytes(16).toString('hex')}`;
  return { token: `${body}.${hmac(key, body)}`, difficulty: POW_DIFFICULTY, notBefore: now + MIN_FILL_MS };
}

/**
 * Checks an answer and spends the challenge (a second use is refused). Every failure is the same
 * 'portal.challenge' refusal: a bot learns nothing about which part it got wrong.
 */
export async function spendChallenge(sql: Sql, key: string, answer: { token: string; nonce: string }, now: number): Promise<void> {
  const [issued, random, mac] = answer.token.split('.');
  const issuedAt = Number(issued);
  const expected = Buffer.from(hmac(key, `${issued}.${random}`), 'hex');
  const given = Buffer.from(mac ?? '', 'hex');
  const signed = given.length === expected.length && timingSafeEqual(given, expected);
  const fresh = issuedAt + MIN_FILL_MS <= now && now - issuedAt <= CHALLENGE_TTL_MS;
  const worked = leadingZeroBits(createHash('sha256').update(powInput(answer.token, answer.nonce)).digest()) >= POW_DIFFICULTY;
  if (!signed || !fresh || !worked) throw new ServerError(400, 'portal.challenge');
  await sql.query('DELETE FROM portal_challenges_used WHERE expires_at < $1', [now]);
  const spent = await sql.query(
    'INSERT INTO portal_challenges_used (challenge_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
    [createHash('sha256').update(answer.token).digest('hex'), issuedAt + CHALLENGE_TTL_MS],
  );
  if (spent.length === 0) throw new ServerError(400, 'portal.challenge');
}
