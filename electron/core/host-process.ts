/**
 * Core in a process of its own (issue 16): the desktop app runs the host in an Electron
 * `utilityProcess` (as VS Code and Actual Budget do), so whatever core does, Electron's main
 * process — and with it the window — never waits. Main only forwards each IPC call, already
 * checked for its sender, as a message and hands the answer back.
 *
 * The protocol, plain messages over the process's message port:
 *   parent → child  { open: { dataDir, nativeBinding } }            child → parent  { ready: true } | { failed: message }
 *   parent → child  { id, method, input, session }                  child → parent  { id, result }
 *   parent → child  { close: true }                                 child → parent  { closed: true }
 * Both halves are here, in plain Node: the child entry (host-child.ts) and tests drive them over
 * child_process.fork, whose message channel behaves like utilityProcess's for this protocol.
 */
import type { Result } from '../shared/errors';
import type { Host } from './host';

export interface OpenOptions {
  dataDir: string;
  /** better-sqlite3's Electron build (see electron/main/paths.ts). */
  nativeBinding?: string;
  /** The mail key, unwrapped by main with the OS secret store (electron/main/mail-key.ts); absent: core keeps its own key file. */
  mailKeyBase64?: string;
}

interface CallMessage {
  id: number;
  method: string;
  input: unknown;
  session: string | null;
}

/** The child's side of its channel to the parent. */
export interface ChildPort {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** The parent's side of its channel to the child, and the child's life. */
export interface ParentPort {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/**
 * The child: opens the host when asked, then answers each call with its Result, in the order the
 * host finishes them (calls may overlap: a job's start answers at once while its worker runs).
 */
export function serveHost(port: ChildPort, openHost: (opts: OpenOptions) => Host, exit: () => void = () => process.exit(0)): void {
  let host: Host | null = null;
  port.onMessage((raw) => {
    const message = raw as Partial<CallMessage> & { open?: OpenOptions; close?: true };
    if (message.open) {
      try {
        host = openHost(message.open);
        port.send({ ready: true });
      } catch (err) {
        port.send({ failed: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    if (message.close) {
      host?.close();
      host = null;
      port.send({ closed: true });
      exit();
      return;
    }
    if (typeof message.id !== 'number' || typeof message.method !== 'string') return;
    const { id, method, input, session } = message as CallMessage;
    const answer = (result: Result<unknown>) => port.send({ id, result });
    if (!host) return answer({ ok: false, error: { code: 'api.unavailable' } });
    host.call(method, input, session ?? null).then(answer, (err: unknown) => {
      console.error(`[core] ${method} threw`, err);
      answer({ ok: false, error: { code: 'errors.internal' } });
    });
  });
}

/** How long `close` waits for the child to close the workspace before it is killed. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * The parent: a call target for the IPC layer. Calls made before `open` resolves, or after the
 * child died, answer `api.unavailable` (the renderer shows its translated message) instead of hanging.
 */
export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private state: 'starting' | 'ready' | 'gone' = 'starting';
  private readonly waiters = new Set<(message: Record<string, unknown>) => void>();

  constructor(private readonly port: ParentPort, private readonly onUnexpectedExit?: (code: number | null) => void) {
    port.onMessage((raw) => {
      const message = (raw ?? {}) as Record<string, unknown>;
      if (typeof message.id === 'number') {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message.result as Result<unknown>);
        return;
      }
      for (const waiter of [...this.waiters]) waiter(message);
    });
    port.onExit((code) => {
      const wasUp = this.state !== 'gone';
      this.state = 'gone';
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'api.unavailable' } });
      this.pending.clear();
      for (const waiter of [...this.waiters]) waiter({ exited: code });
      if (wasUp) this.onUnexpectedExit?.(code);
    });
  }

  /** Opens the workspace in the child; rejects with the child's reason when it could not. */
  async open(opts: OpenOptions): Promise<void> {
    const answer = this.next((m) => 'ready' in m || 'failed' in m || 'exited' in m);
    this.port.send({ open: opts });
    const message = await answer;
    if (message.ready) {
      this.state = 'ready';
      return;
    }
    throw new Error(typeof message.failed === 'string' ? message.failed : `core process exited (${String(message.exited)})`);
  }

  call(method: string, input: unknown, session: string | null): Promise<Result<unknown>> {
    if (this.state !== 'ready') return Promise.resolve({ ok: false, error: { code: 'api.unavailable' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.send({ id, method, input, session });
    });
  }

  /** Closes the workspace in the child and lets it exit; kills it if it does not answer in time. */
  async close(): Promise<void> {
    if (this.state === 'gone') return;
    const done = this.next((m) => 'closed' in m || 'exited' in m);
    this.state = 'gone';
    this.port.send({ close: true });
    const timer = new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref());
    if ((await Promise.race([done.then(() => 'closed'), timer])) !== 'closed') this.port.kill();
  }

  private next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const waiter = (message: Record<string, unknown>) => {
        if (!match(message)) return;
        this.waiters.delete(waiter);
        resolve(message);
      };
      this.waiters.add(waiter);
    });
  }
}
