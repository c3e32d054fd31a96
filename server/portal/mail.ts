/**
 * The central server's outgoing mail (issue 13): sign-in links and the acknowledgement of tickets
 * opened on the portal. SMTP settings come from the environment (or `npm run server -- --smtp-…`),
 * see `smtpSettingsFromEnv` and the README.
 *
 * Exactly once: a message is queued in `portal_mail` inside the transaction that causes it, under a
 * `dedupe_key` (a second queueing of the same notice is a no-op). A process claims a due row
 * (`FOR UPDATE SKIP LOCKED`, status 'sending' in its own committed transaction) before the SMTP
 * server sees it, so two processes never send one row; the answer is recorded afterwards. A row
 * found still 'sending' after its lease (the process stopped between the two) may have been
 * accepted: it becomes 'unconfirmed' and is not sent again. Every message has a Message-ID fixed
 * when it is queued.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTransport, type Transporter } from 'nodemailer';
import { z } from 'zod';
import { SIGN_IN_LINK_TTL_MS } from '../../electron/shared/portal';
import type { Sql } from '../db';

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;

export interface SmtpSettings {
  host: string;
  port: number;
  security: (typeof SMTP_SECURITY)[number];
  user: string | null;
  password: string | null;
  /** The From header: `Mesa de Ayuda <soporte@empresa.mx>`. */
  from: string;
  /** Extra trusted certificate (PEM), for a server with its own CA. */
  ca?: string | Buffer;
}

const envSchema = z.object({
  SMTP_HOST: z.string().trim().min(1),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SMTP_SECURITY: z.enum(SMTP_SECURITY).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().trim().min(3).max(300),
  SMTP_CA_FILE: z.string().optional(),
});

/**
 * The SMTP settings in `env`: SMTP_HOST, SMTP_PORT (465 means implicit TLS, else STARTTLS),
 * SMTP_SECURITY (tls | starttls | none), SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_CA_FILE.
 * Null without SMTP_HOST (mail is queued and sent once it is set); an error naming the bad variable otherwise.
 */
export function smtpSettingsFromEnv(env: NodeJS.ProcessEnv): SmtpSettings | null {
  if (!env.SMTP_HOST) return null;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`SMTP settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const port = e.SMTP_PORT ?? (e.SMTP_SECURITY === 'tls' ? 465 : 587);
  return {
    host: e.SMTP_HOST, port, security: e.SMTP_SECURITY ?? (port === 465 ? 'tls' : 'starttls'),
    user: e.SMTP_USER || null, password: e.SMTP_PASSWORD || null, from: e.SMTP_FROM,
    ...(e.SMTP_CA_FILE ? { ca: readFileSync(e.SMTP_CA_FILE) } : {}),
  };
}

export interface QueuedMail {
  /** The same key twice queues one message. */
  dedupeKey: string;
  kind: 'sign_in' | 'acknowledged';
  to: string;
  subject: string;
  body: string;
  ticketId?: string | null;
}

/** The domain part of the From address, for Message-IDs. */
function fromDomain(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'mesa-de-ayuda.local';
}

/** Queues a message in the caller's transaction. Returns false when it was already queued. */
export async function queueMail(sql: Sql, mail: QueuedMail, now: number, from = 'portal@mesa-de-ayuda.local'): Promise<boolean> {
  const messageId = `<portal.${randomBytes(12).toString('hex')}@${fromDomain(from)}>`;
  const rows = await sql.query(
    `INSERT INTO portal_mail (dedupe_key, kind, recipient, subject, body, ticket_id, message_id, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [mail.dedupeKey, mail.kind, mail.to, mail.subject, mail.body, mail.ticketId ?? null, messageId, now],
  );
  return rows.length > 0;
}

interface MailRow {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  message_id: string;
  attempts: number;
  created_at: number;
}

export interface ServerMailerOptions {
  smtp: SmtpSettings | null;
  now: () => number;
  /** How often a process looks for due mail when nothing woke it (default 5 s). */
  pollMs?: number;
  /** How long a claim lasts before the row counts as unconfirmed (default 2 min). */
  leaseMs?: number;
  /** Tests: after the SMTP server accepted a message, before it is recorded. */
  afterAccepted?: (id: number) => Promise<void> | void;
}

const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 60 * 60_000;
const MAX_ATTEMPTS = 12;

/** A refusal the SMTP server would give again (mailbox unknown, address malformed). */
function permanent(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  return e.code === 'EENVELOPE' || (typeof e.responseCode === 'number' && e.responseCode >= 550 && e.responseCode <= 554);
}

/** Sends the queued mail of this database, one message at a time, from any number of server processes. */
export class ServerMailer {
  private transport: Transporter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: { query: Sql['query']; tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> },
    private readonly opts: ServerMailerOptions,
  ) {}

  get from(): string {
    return this.opts.smtp?.from ?? 'portal@mesa-de-ayuda.local';
  }

  start(): void {
    if (!this.opts.smtp || !this.stopped) return;
    this.stopped = false;
    const poll = () => {
      this.timer = setTimeout(() => {
        this.kick();
        poll();
      }, this.opts.pollMs ?? 5_000);
      this.timer.unref();
    };
    poll();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
    this.transport = null;
  }

  /** Something was queued (or the poll came round): send what is due, soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().catch((err) => console.error('[portal mail] run failed', err)).finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Sends every due message (tests await it). */
  async drain(): Promise<void> {
    for (;;) {
      const row = await this.claim();
      if (!row) return;
      await this.send(row);
    }
  }

  private async claim(): Promise<MailRow | null> {
    const now = this.opts.now();
    const lease = this.opts.leaseMs ?? 120_000;
    return this.db.tx(async (sql) => {
      // A claim that outlived its lease: the process stopped mid-send. It may have gone out: never resent.
      await sql.query("UPDATE portal_mail SET status = 'unconfirmed', claimed_until = NULL WHERE status = 'sending' AND claimed_until < $1", [now]);
      const [row] = await sql.query<MailRow>(
        `UPDATE portal_mail SET status = 'sending', claimed_until = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM portal_mail WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, recipient, subject, body, message_id, attempts, created_at`,
        [now, now + lease],
      );
      return row ?? null;
    });
  }

  private async send(row: MailRow): Promise<void> {
    const smtp = this.opts.smtp!;
    this.transport ??= createTransport({
      host: smtp.host, port: smtp.port, secure: smtp.security === 'tls', requireTLS: smtp.security === 'starttls', ignoreTLS: smtp.security === 'none',
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      ...(smtp.ca ? { tls: { ca: smtp.ca } } : {}),
      connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000,
    });
    try {
      await this.transport.sendMail({
        from: smtp.from, to: row.recipient, subject: row.subject, text: row.body, messageId: row.message_id,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (err) {
      const e = err as { message?: string; response?: string };
      const detail = String(e.response || e.message || err).slice(0, 500);
      const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (row.attempts - 1));
      // A sign-in link that cannot arrive before it expires is not worth sending later.
      const stale = row.kind === 'sign_in' && this.opts.now() + wait > Number(row.created_at) + SIGN_IN_LINK_TTL_MS;
      const giveUp = permanent(err) || stale || row.attempts >= MAX_ATTEMPTS;
      await this.db.query(
        'UPDATE portal_mail SET status = $2, claimed_until = NULL, last_error = $3, next_attempt_at = $4 WHERE id = $1',
        [row.id, giveUp ? 'failed' : 'queued', detail, this.opts.now() + wait],
      );
      return;
    }
    await this.opts.afterAccepted?.(row.id);
    // A sent sign-in link's text (its token) is not kept.
    await this.db.query(
      "UPDATE portal_mail SET status = 'sent', claimed_until = NULL, sent_at = $2, last_error = NULL, body = CASE WHEN kind = 'sign_in' THEN '' ELSE body END WHERE id = $1",
      [row.id, this.opts.now()],
    );
  }
}
