/**
 * The background fetcher of incoming mail (issue 12, item 1): one connection per enabled mailbox
 * (imapflow), which fetches what arrived since the last UID imported, then waits — IDLE where the
 * server supports it (new mail wakes it at once), a poll otherwise — and reconnects with a growing
 * wait (backoff, capped) when the network or the server is down or the password is refused. Each
 * message is imported in its own transaction with its UID (importer.ts), so a stop at any moment
 * loses nothing and duplicates nothing. Plain Node, started by the hosts like the sender.
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { InboxStatus } from '../../shared/mail-intake';
import type { MailError } from '../../shared/mail';
import type { Workspace } from '../workspace';
import { REAL_TIMERS, type SyncTimers } from '../sync/background';
import type { InboxConnection, Inboxes } from './inboxes';
import type { MailImporter } from './importer';
import { classifyMailError } from './mailbox';

export interface MailFetcherOptions {
  timers?: SyncTimers;
  /** The first wait after a failure (default 30 s); doubles with each failure… */
  firstRetryMs?: number;
  /** …up to this (default 30 min). */
  maxRetryMs?: number;
  /** How often to look for new mail when the server has no IDLE (default 2 min; with IDLE, a safety poll every 10 min). */
  pollMs?: number;
  /** Messages larger than this are imported from their headers only, and stay on the server (default 40 MB). */
  maxMessageBytes?: number;
  /** Extra trusted certificates (tests: the local server's self-signed one). */
  ca?: string | Buffer;
  /** Connection and greeting timeouts (default 15 s). */
  timeoutMs?: number;
}

interface Runner {
  stopped: boolean;
  client: ImapFlow | null;
  wake: (() => void) | null;
  timer: unknown;
  failures: number;
}

const IDLE_POLL_MS = 10 * 60_000;
/** Messages fetched per FETCH command, and their bytes held in memory until imported, at most. */
const FETCH_BATCH = 50;
const FETCH_BATCH_BYTES = 16 * 1024 * 1024;

/** Consecutive runs of messages for one FETCH each: up to FETCH_BATCH of them and FETCH_BATCH_BYTES (an oversize one counts nothing: only its headers are read). */
function batches<T extends { size: number }>(items: T[], max: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = item.size > max ? 0 : item.size;
    if (current.length > 0 && (current.length >= FETCH_BATCH || bytes + size > FETCH_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class MailFetcher {
  private readonly timers: SyncTimers;
  private readonly runners = new Map<string, Runner>();
  private readonly statuses = new Map<string, InboxStatus>();
  private started = false;

  constructor(
    private readonly ws: Workspace,
    private readonly inboxes: Inboxes,
    private readonly importer: MailImporter,
    private readonly opts: MailFetcherOptions = {},
  ) {
    this.timers = opts.timers ?? REAL_TIMERS;
  }

  /** Starts one background loop per enabled mailbox. */
  start(): void {
    this.started = true;
    this.reload();
  }

  stop(): void {
    this.started = false;
    for (const id of [...this.runners.keys()]) this.stopRunner(id);
  }

  /** After a mailbox was saved or removed: restarts every loop with the stored settings. */
  reload(): void {
    for (const id of [...this.runners.keys()]) this.stopRunner(id);
    if (!this.started) return;
    for (const inbox of this.inboxes.connections()) {
      const runner: Runner = { stopped: false, client: null, wake: null, timer: null, failures: 0 };
      this.runners.set(inbox.id, runner);
      void this.loop(inbox, runner);
    }
  }

  status(inboxId: string): InboxStatus {
    const known = this.statuses.get(inboxId);
    if (known) return known;
    // Nothing happened since this process started: the last check and connection stored before it.
    const stored = this.ws.sql('SELECT last_fetch_at AS lastFetchAt, last_connected_at AS lastConnectedAt FROM mail_inboxes WHERE id = ?').get(inboxId) as
      { lastFetchAt: number | null; lastConnectedAt: number | null } | undefined;
    return {
      state: this.runners.has(inboxId) ? 'connecting' : 'disabled', error: null, detail: null,
      lastFetchAt: stored?.lastFetchAt ?? null, lastConnectedAt: stored?.lastConnectedAt ?? null, idle: false, nextAttemptAt: null,
    };
  }

  /** Connects, imports everything new, and signs out (tests, the bench, "Revisar ahora" without a loop). Returns how many were imported. */
  async fetchOnce(inboxId: string): Promise<number> {
    const inbox = this.inboxes.connections().find((i) => i.id === inboxId);
    if (!inbox) return 0;
    const client = this.client(inbox);
    try {
      await client.connect();
      this.setStatus(inbox.id, { state: 'connected', error: null, detail: null, lastConnectedAt: this.timers.now() });
      return await this.fetchNew(client, inbox);
    } catch (err) {
      this.failed(inbox.id, err);
      throw err;
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** Wakes a mailbox's loop now ("Revisar ahora"). */
  kick(inboxId: string): void {
    const r = this.runners.get(inboxId);
    if (!r) return;
    if (r.timer !== null) this.timers.clearTimeout(r.timer);
    r.timer = null;
    r.wake?.();
  }

  private stopRunner(id: string): void {
    const r = this.runners.get(id);
    if (!r) return;
    r.stopped = true;
    if (r.timer !== null) this.timers.clearTimeout(r.timer);
    r.wake?.();
    r.client?.close();
    this.runners.delete(id);
    this.statuses.delete(id);
  }

  private async loop(inbox: InboxConnection, r: Runner): Promise<void> {
    while (!r.stopped) {
      const client = this.client(inbox);
      r.client = client;
      client.on('exists', () => r.wake?.());
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.on('error', () => undefined); // reported through the failed command or 'close'
      try {
        this.setStatus(inbox.id, { state: 'connecting' });
        await client.connect();
        if (r.stopped) break;
        const idle = client.capabilities.has('IDLE');
        this.setStatus(inbox.id, { state: 'connected', error: null, detail: null, lastConnectedAt: this.timers.now(), idle, nextAttemptAt: null });
        r.failures = 0;
        for (;;) {
          await this.fetchNew(client, inbox);
          if (r.stopped || !client.usable) break;
          // imapflow IDLEs on its own between commands where the server supports it; 'exists' wakes us.
          await Promise.race([this.sleep(r, idle ? IDLE_POLL_MS : (this.opts.pollMs ?? 120_000)), closed]);
          if (r.stopped || !client.usable) break;
        }
        if (!r.stopped) throw Object.assign(new Error('connection closed'), { code: 'ECONNRESET' });
      } catch (err) {
        if (r.stopped) break;
        this.failed(inbox.id, err);
        r.failures += 1;
        const wait = Math.min(this.opts.maxRetryMs ?? 30 * 60_000, (this.opts.firstRetryMs ?? 30_000) * 2 ** (r.failures - 1));
        this.setStatus(inbox.id, { nextAttemptAt: this.timers.now() + wait });
        client.close();
        await this.sleep(r, wait);
      }
    }
    r.client?.close();
  }

  private sleep(r: Runner, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (r.timer !== null) this.timers.clearTimeout(r.timer);
        r.timer = null;
        r.wake = null;
        resolve();
      };
      r.wake = done;
      r.timer = this.timers.setTimeout(done, ms);
    });
  }

  /** Imports every message after the last UID imported, oldest first, one transaction each. */
  private async fetchNew(client: ImapFlow, inbox: InboxConnection): Promise<number> {
    const lock = await client.getMailboxLock(inbox.folder);
    let imported = 0;
    try {
      const box = client.mailbox;
      if (!box) return 0;
      const uidValidity = String(box.uidValidity);
      const stored = this.ws.sql('SELECT uid_validity AS uidValidity, last_uid AS lastUid FROM mail_inboxes WHERE id = ?').get(inbox.id) as
        { uidValidity: string | null; lastUid: number };
      // A new UIDVALIDITY renumbers the folder: start over; Message-IDs keep what was imported from coming in twice.
      const after = stored.uidValidity === uidValidity ? stored.lastUid : 0;
      if (box.exists > 0) {
        const pending: Array<{ uid: number; size: number }> = [];
        for await (const m of client.fetch(`${after + 1}:*`, { uid: true, size: true }, { uid: true })) {
          if (m.uid > after) pending.push({ uid: m.uid, size: m.size ?? 0 });
        }
        pending.sort((a, b) => a.uid - b.uid);
        const max = this.opts.maxMessageBytes ?? 40 * 1024 * 1024;
        // In batches: one FETCH for many messages saves a round trip each; each is still imported in its own transaction, in UID order.
        for (const group of batches(pending, max)) {
          const batch = group.filter((p) => !this.importer.seen(inbox.id, uidValidity, p.uid));
          const whole = batch.filter((p) => p.size <= max).map((p) => p.uid);
          const sources = new Map<number, Buffer>();
          if (whole.length > 0) {
            for await (const msg of client.fetch(whole.join(','), { uid: true, source: true }, { uid: true })) {
              if (msg.source) sources.set(msg.uid, msg.source);
            }
          }
          for (const p of batch) {
            const oversize = p.size > max;
            let raw = sources.get(p.uid);
            if (oversize) {
              const head = await client.fetchOne(String(p.uid), { uid: true, headers: true }, { uid: true });
              raw = head && head.headers ? Buffer.concat([head.headers, Buffer.from('\r\n')]) : undefined;
            }
            if (!raw) continue;
            const result = await this.importer.import({ inboxId: inbox.id, uidValidity, uid: p.uid, raw, ...(oversize ? { oversizeBytes: p.size } : {}) }, inbox.purpose);
            if (result.outcome !== 'skipped') imported += 1;
          }
        }
      }
      this.setStatus(inbox.id, { lastFetchAt: this.timers.now() });
    } finally {
      lock.release();
    }
    return imported;
  }

  private client(inbox: InboxConnection): ImapFlow {
    const options = {
      host: inbox.host,
      port: inbox.port,
      secure: inbox.security === 'tls',
      doSTARTTLS: inbox.security === 'starttls' ? true : inbox.security === 'none' ? false : undefined,
      auth: { user: inbox.username, pass: inbox.password },
      logger: false,
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(this.opts.ca ? { ca: this.opts.ca } : {}) },
      connectionTimeout: this.opts.timeoutMs ?? 15_000,
      greetingTimeout: this.opts.timeoutMs ?? 15_000,
      emitLogs: false,
      // Into IDLE a second after the last command (imapflow's default waits 15 s): new mail arrives at once.
      autoIdleDelay: 1_000,
    } as ImapFlowOptions;
    return new ImapFlow(options);
  }

  private failed(inboxId: string, err: unknown): void {
    const { error, detail } = classifyImapError(err);
    this.setStatus(inboxId, { state: error === 'auth' ? 'authFailed' : error === 'connection' || error === 'timeout' ? 'offline' : 'error', error, detail });
  }

  private setStatus(inboxId: string, patch: Partial<InboxStatus>): void {
    const before = this.status(inboxId);
    this.statuses.set(inboxId, { ...before, ...patch });
    // Kept across restarts (machine-local bookkeeping, like last_uid).
    if (patch.lastFetchAt !== undefined || patch.lastConnectedAt !== undefined) {
      this.ws.sql('UPDATE mail_inboxes SET last_fetch_at = COALESCE(?, last_fetch_at), last_connected_at = COALESCE(?, last_connected_at) WHERE id = ?')
        .run(patch.lastFetchAt ?? null, patch.lastConnectedAt ?? null, inboxId);
    }
  }
}

/** imapflow's and Node's errors as the reasons the UI translates. */
export function classifyImapError(err: unknown): { error: MailError; detail: string } {
  const e = err as { authenticationFailed?: boolean; serverResponseCode?: string; responseText?: string; code?: string; message?: string };
  const detail = String(e?.responseText || e?.message || err).slice(0, 500);
  // A refused password says AUTHENTICATIONFAILED (RFC 5530); UNAVAILABLE is the server's own trouble: retry.
  if (e?.authenticationFailed && e.serverResponseCode !== 'UNAVAILABLE') return { error: 'auth', detail };
  if (e?.code === 'NoConnection' || e?.code === 'ClosedAfterConnectText' || e?.code === 'ClosedAfterConnectTLS') return { error: 'connection', detail };
  if (e?.code === 'CONNECT_TIMEOUT' || e?.code === 'GREETING_TIMEOUT' || e?.code === 'ETIMEOUT') return { error: 'timeout', detail };
  return classifyMailError(err);
}
