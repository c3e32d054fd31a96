/**
 * Background sync (issue 11): while the device is enrolled, core syncs on its own — at start, on
 * an interval, and shortly after local writes (coalesced, so a burst of writes is one run) — and
 * after a failure it waits longer each time (exponential backoff, capped). Runs never overlap: a
 * run asked for while one is going joins it (SyncClient.syncNow). A failure only the administrator
 * can fix (device revoked, not enrolled) stops the retries until someone syncs or enrols again.
 * Besides, it keeps a live stream open to the server (live.ts) and runs at once when the server
 * says another device pushed something, so a change elsewhere arrives within a second; polling
 * stays as the fallback. The clock and timers are injected, so tests drive it without waiting.
 */
import type { Workspace } from '../workspace';
import { NEEDS_ADMIN, type SyncClient } from './client';
import { LiveChanges, type LiveChangesOptions } from './live';

export interface SyncTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: SyncTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref(); // a pending sync never keeps the process alive
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BackgroundSyncOptions {
  /** Between successful runs (default 1 min). */
  intervalMs?: number;
  /** How long after a local write the run starts (default 2 s): writes within it share one run. */
  debounceMs?: number;
  /** The first wait after a failure (default 5 s); each further failure doubles it… */
  firstRetryMs?: number;
  /** …up to this (default 5 min). */
  maxRetryMs?: number;
  timers?: SyncTimers;
  /**
   * The live stream: on by default with the real timers; with injected timers (tests) only when
   * given (`{}` for the defaults). `false`: polling only.
   */
  live?: Partial<Pick<LiveChangesOptions, 'firstRetryMs' | 'maxRetryMs' | 'silenceMs'>> | false;
}

export class BackgroundSync {
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly timers: SyncTimers;
  private timer: unknown = null;
  private dueAt: number | null = null;
  private failures = 0;
  /** Waiting for the administrator (device revoked, credential refused). */
  private blocked = false;
  private started = false;
  private readonly stops: Array<() => void> = [];
  private readonly live: LiveChanges | null;
  /** The server announced a change while a run was going: run again when it ends. */
  private remoteWaiting = false;

  constructor(
    private readonly ws: Workspace,
    private readonly client: SyncClient,
    opts: BackgroundSyncOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 60_000;
    this.debounceMs = opts.debounceMs ?? 2_000;
    this.firstRetryMs = opts.firstRetryMs ?? 5_000;
    this.maxRetryMs = opts.maxRetryMs ?? 5 * 60_000;
    this.timers = opts.timers ?? REAL_TIMERS;
    const live = opts.live ?? (opts.timers ? false : {});
    this.live = live === false ? null : new LiveChanges({
      ...live,
      endpoint: () => client.liveEndpoint(),
      onChange: () => this.remoteChange(),
      timers: this.timers,
      fetchImpl: client.fetcher,
    });
  }

  /** Whether the live stream is open (the server will tell this device about changes). */
  liveConnected(): boolean {
    return this.live?.connected ?? false;
  }

  /** Starts listening to local writes and run outcomes; syncs at once when enrolled. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stops.push(this.ws.onOutboxCommit(() => this.localWrite()));
    this.stops.push(this.client.onRun((error) => this.ran(error)));
    if (this.enrolled()) {
      this.plan(0);
      this.live?.start();
    }
  }

  stop(): void {
    this.started = false;
    this.clear();
    this.live?.stop();
    for (const fn of this.stops.splice(0)) fn();
  }

  /** When the next run is planned (null: none). */
  nextAttemptAt(): number | null {
    return this.dueAt;
  }

  /** Consecutive failed runs (the backoff's exponent). */
  failureCount(): number {
    return this.failures;
  }

  /** The device was just enrolled: start afresh now. */
  enrolledNow(): void {
    this.failures = 0;
    this.blocked = false;
    if (this.started) {
      this.plan(0);
      this.live?.stop();
      this.live?.start();
    }
  }

  /** The device left the server: nothing more to plan. */
  unenrolledNow(): void {
    this.failures = 0;
    this.blocked = false;
    this.clear();
    this.live?.stop();
  }

  private enrolled(): boolean {
    return this.ws.db.open && this.client.isEnrolled();
  }

  /** A local change committed: sync soon, unless a run is planned sooner or we are backing off. */
  private localWrite(): void {
    if (!this.started || this.blocked || this.failures > 0 || !this.enrolled()) return;
    const want = this.timers.now() + this.debounceMs;
    if (this.dueAt !== null && this.dueAt <= want) return;
    this.plan(this.debounceMs);
  }

  /** The server says another device pushed something: pull now (after the run going, if one is). */
  private remoteChange(): void {
    if (!this.started || this.blocked || this.failures > 0 || !this.enrolled()) return;
    if (this.client.isRunning()) {
      this.remoteWaiting = true;
      return;
    }
    this.plan(0);
  }

  /** Every run, background or "Sincronizar ahora", lands here with its outcome. */
  private ran(error: string | null): void {
    if (!this.started) return;
    if (error === null) {
      this.failures = 0;
      this.blocked = false;
      // Changes written while the run was going wait only the debounce, not the whole interval.
      const waiting = this.ws.db.open && (this.ws.sql('SELECT EXISTS (SELECT 1 FROM outbox WHERE push_status IS NULL AND push_seq IS NULL)').pluck().get() as number) === 1;
      const remote = this.remoteWaiting;
      this.remoteWaiting = false;
      this.plan(remote ? 0 : waiting ? this.debounceMs : this.intervalMs);
      // Enrolled by "Sincronizar ahora" before background sync knew: open the stream now.
      this.live?.start();
      return;
    }
    this.remoteWaiting = false;
    if (NEEDS_ADMIN.has(error)) {
      this.blocked = true;
      this.clear();
      this.live?.stop();
      return;
    }
    this.failures++;
    this.plan(Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** (this.failures - 1)));
  }

  private plan(delayMs: number): void {
    this.clear();
    this.dueAt = this.timers.now() + delayMs;
    this.timer = this.timers.setTimeout(() => this.fire(), delayMs);
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  private fire(): void {
    this.timer = null;
    this.dueAt = null;
    if (!this.started || !this.enrolled()) return;
    // The outcome arrives through onRun (ran); a failure is already recorded for the indicator.
    this.client.syncNow().catch(() => undefined);
  }
}
