/**
 * The growing wait between failed sign-ins (issue 10, finding 8) for the accounts a lock would
 * turn into a weapon: the last active administrator (nobody could unlock them) and emergency
 * accounts (their names were visible, and three guesses used to disable them mid-emergency).
 * After BACKOFF_FREE_ATTEMPTS consecutive failures each further attempt waits
 * BACKOFF_BASE_MS × 2^(failures − BACKOFF_FREE_ATTEMPTS), at most BACKOFF_MAX_MS; an attempt inside
 * the wait is refused without checking the password, and audited.
 */
export const BACKOFF_FREE_ATTEMPTS = 3;
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 15 * 60_000;
/** An emergency account is locked (disabled, audited) only after this many consecutive failures. */
export const EMERGENCY_LOCK_ATTEMPTS = 10;

/** How long to wait after `failures` consecutive failures before the next attempt is checked. */
export function backoffMs(failures: number): number {
  if (failures < BACKOFF_FREE_ATTEMPTS) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - BACKOFF_FREE_ATTEMPTS));
}

/** Milliseconds left before an attempt may be checked (0 = now). */
export function waitLeft(failures: number, lastFailedAt: number | null, now: number): number {
  if (lastFailedAt === null) return 0;
  return Math.max(0, lastFailedAt + backoffMs(failures) - now);
}
