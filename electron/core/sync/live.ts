/**
 * The device's live connection to the sync server (issue 11): it keeps `GET /v1/events` open
 * (Server-Sent Events) and calls `onChange` when the server says another device pushed something
 * — and once after each reconnection, for what happened while it was away. Dropped, refused or
 * silent streams (no heartbeat for `silenceMs`) are reopened after a wait that doubles up to
 * `maxRetryMs`. A credential the server refuses stops it until `start` is called again. The
 * timers are injected (tests); the stream itself is a real HTTP request.
 */
import type { SyncTimers } from './background';

export interface LiveEndpoint {
  url: string;
  authorization: string;
}

export interface LiveChangesOptions {
  /** Where to connect and with what credential (null: not enrolled, stay off). */
  endpoint(): LiveEndpoint | null;
  /** Another device changed something this one may pull (or the stream just (re)opened). */
  onChange(): void;
  /** The server refused the credential (revoked, forged): nothing more until start(). */
  onRefused?(status: number): void;
  timers: SyncTimers;
  fetchImpl?: typeof fetch;
  /** First wait after a failed or dropped stream (default 1 s), doubling… */
  firstRetryMs?: number;
  /** …up to this (default 60 s). */
  maxRetryMs?: number;
  /** A stream silent this long is taken for dead (the server sends a heartbeat every 15 s; default 45 s). */
  silenceMs?: number;
}

export class LiveChanges {
  private abort: AbortController | null = null;
  private retryTimer: unknown = null;
  private silenceTimer: unknown = null;
  private failures = 0;
  private running = false;
  private connectedOnce = false;
  /** Whether a stream is open and has said "ready". */
  connected = false;

  constructor(private readonly o: LiveChangesOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.connectedOnce = false;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.connected = false;
    this.abort?.abort();
    this.abort = null;
    this.clearTimer('retryTimer');
    this.clearTimer('silenceTimer');
  }

  private clearTimer(which: 'retryTimer' | 'silenceTimer'): void {
    if (this[which] !== null) this.o.timers.clearTimeout(this[which]);
    this[which] = null;
  }

  private async connect(): Promise<void> {
    const endpoint = this.o.endpoint();
    if (!this.running || !endpoint) return;
    const abort = (this.abort = new AbortController());
    try {
      const res = await (this.o.fetchImpl ?? fetch)(`${endpoint.url}/v1/events`, {
        headers: { authorization: endpoint.authorization, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel().catch(() => undefined);
        this.running = false;
        this.o.onRefused?.(res.status);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`live stream refused: ${res.status}`);
      await this.read(res.body, abort);
    } catch {
      // dropped, refused or never reached: retried below
    }
    if (this.abort === abort) this.abort = null;
    this.connected = false;
    this.clearTimer('silenceTimer');
    if (!this.running) return;
    this.failures++;
    const wait = Math.min(this.o.maxRetryMs ?? 60_000, (this.o.firstRetryMs ?? 1_000) * 2 ** (this.failures - 1));
    this.retryTimer = this.o.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, wait);
  }

  private async read(body: ReadableStream<Uint8Array>, abort: AbortController): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    this.heard(abort);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      this.heard(abort);
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: *(.+)$/m.exec(block)?.[1]?.trim();
        if (event === 'ready') {
          this.connected = true;
          this.failures = 0;
          // The first stream opens as background sync starts (which syncs anyway); a reopened one pulls what it missed.
          if (this.connectedOnce) this.o.onChange();
          this.connectedOnce = true;
        } else if (event === 'change') {
          this.o.onChange();
        }
      }
    }
  }

  /** Bytes arrived: the stream is alive; a silence longer than silenceMs aborts it (and it reconnects). */
  private heard(abort: AbortController): void {
    this.clearTimer('silenceTimer');
    this.silenceTimer = this.o.timers.setTimeout(() => abort.abort(), this.o.silenceMs ?? 45_000);
  }
}
