/**
 * The background sender of customer notices (issue 12, item 3). The ticket commands queue a
 * notice in the same transaction as the change that caused it (tickets.ts, `notifications`);
 * this sends them, oldest first and one at a time, when a mailbox is configured and the server
 * answers.
 *
 * - A temporary failure (4xx, no network, timeout, TLS or sign-in refused) leaves the notice queued
 *   with a growing wait (backoff, capped); a failure about the mailbox or the network stops the run,
 *   since the next notices would fail the same way.
 * - A permanent failure (5xx, a malformed address) is recorded with the server's words and not retried.
 * - Never sent twice: the notice is marked `sending` in its own committed transaction before the
 *   server sees it, with a Message-ID fixed once for that notice; the server's answer is recorded
 *   in the next transaction. A notice found `sending` when the sender starts (the app stopped
 *   between the two) may have been accepted: it becomes `unconfirmed` and is not resent on its own;
 *   an administrator may send it again from the queue, with the same Message-ID, so a mail client
 *   that already has it shows it once.
 */
import { z } from 'zod';
import type { MailError, MailQueue, NoticeInfo, NoticeStatus, SenderStatus } from '../../shared/mail';
import { NOTICE_STATUSES } from '../../shared/mail';
import { AppError } from '../../shared/errors';
import type { Workspace, WriteTx } from '../workspace';
import { REAL_TIMERS, type SyncTimers } from '../sync/background';
import { composeNotice, mailDomain, noticeMessageId, ticketThreadId, type NoticeToSend } from './compose';
import { classifyMailError, isPermanent, type Mailbox } from './mailbox';

export interface MailSenderOptions {
  timers?: SyncTimers;
  /** The first wait after a temporary failure (default 1 min); doubles with each attempt… */
  firstRetryMs?: number;
  /** …up to this (default 1 h). */
  maxRetryMs?: number;
  /** How often the sender looks for due notices when nothing woke it (default 1 min). */
  pollMs?: number;
  /** After a local write, how long before the run (default 1 s): a burst of writes is one run. */
  debounceMs?: number;
  /** Tests: called after the server accepted a message and before it is recorded (a crash there must not resend). */
  afterAccepted?: (noticeId: string) => void;
}

const isEmail = (v: string) => z.email().safeParse(v).success;

const NOTICE_COLUMNS = `n.id, n.ticket_id AS ticketId, t.tracking_number AS trackingNumber, n.kind, n.recipient, n.subject, n.status,
  n.attempts, n.next_attempt_at AS nextAttemptAt, n.last_error AS lastError, n.last_error_detail AS lastErrorDetail,
  n.created_at AS createdAt, n.sent_at AS sentAt`;

/**
 * The queue's next due moment. NULL (due at once) sorts first in the index, so the first entry of
 * the range answers: one seek, not a read of every queued notice (2.4 million at 1M tickets when no
 * mailbox was ever configured — the sender ran that after each write).
 */
export const NEXT_ATTEMPT_SQL =
  "SELECT COALESCE(next_attempt_at, 0) FROM notifications INDEXED BY notifications_due WHERE status = 'queued' ORDER BY next_attempt_at LIMIT 1";

export class MailSender {
  private readonly timers: SyncTimers;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly pollMs: number;
  private readonly debounceMs: number;
  private running: Promise<number> | null = null;
  private timer: unknown = null;
  private started = false;
  private unsubscribe: (() => void) | null = null;
  private lastError: MailError | null = null;
  private lastErrorDetail: string | null = null;
  private lastSentAt: number | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly mailbox: Mailbox,
    private readonly opts: MailSenderOptions = {},
  ) {
    this.timers = opts.timers ?? REAL_TIMERS;
    this.firstRetryMs = opts.firstRetryMs ?? 60_000;
    this.maxRetryMs = opts.maxRetryMs ?? 60 * 60_000;
    this.pollMs = opts.pollMs ?? 60_000;
    this.debounceMs = opts.debounceMs ?? 1_000;
  }

  /** Recovers from a crash, then sends in the background: after writes that queued something, and periodically. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.recover();
    this.unsubscribe = this.ws.onOutboxCommit(() => this.plan(this.debounceMs));
    this.plan(0);
  }

  stop(): void {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Sends soon (after a retry or cancel from the queue, or a new mailbox). */
  kick(): void {
    this.plan(0);
  }

  private plan(ms: number): void {
    if (!this.started) return;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runOnce().catch((err) => console.error('[mail] send run failed', err)).finally(() => this.plan(this.nextWait()));
    }, ms);
  }

  /**
   * Until the next due notice, at most the poll interval. Without a mailbox nothing can be sent:
   * the poll interval (saving a mailbox kicks the sender) — not every second while notices wait.
   */
  private nextWait(): number {
    if (!this.mailbox.ready()) return this.pollMs;
    const next = this.nextAttemptAt();
    const now = this.ws.now();
    return next === null ? this.pollMs : Math.min(this.pollMs, Math.max(1_000, next - now));
  }

  /** The earliest due moment among queued notices (0: one is due at once), one seek of `notifications_due`. */
  private nextAttemptAt(): number | null {
    const row = this.ws.sql(NEXT_ATTEMPT_SQL).pluck().get() as number | undefined;
    return row ?? null;
  }

  /**
   * A notice left `sending` by a previous run that never recorded the server's answer: the server
   * may have accepted it, so it is not sent again on its own.
   */
  recover(): number {
    return this.ws.write({ kind: 'system' }, (tx) => {
      const stuck = tx.sql("SELECT id, ticket_id AS ticketId FROM notifications WHERE status = 'sending'").all() as Array<{ id: string; ticketId: string | null }>;
      for (const n of stuck) {
        tx.sql("UPDATE notifications SET status = 'unconfirmed', last_error = 'unknown', last_error_detail = NULL, updated_at = ? WHERE id = ?").run(tx.at, n.id);
        tx.audit('mail.unconfirmed', 'notification', n.id, { ticketId: n.ticketId });
      }
      return stuck.length;
    });
  }

  /** Sends every due notice, one at a time; returns how many the server accepted. Runs never overlap. */
  runOnce(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<number> {
    if (!this.mailbox.ready()) return 0;
    const from = this.mailbox.identity()!;
    let transport: ReturnType<Mailbox['transport']> = null;
    let sent = 0;
    try {
      for (;;) {
        const notice = this.claim(mailDomain(from.fromAddress));
        if (!notice) break;
        transport ??= this.mailbox.transport(true)!;
        let accepted: { response: string } | null = null;
        let failure: { error: MailError; detail: string } | null = null;
        try {
          const info = await transport.sendMail(composeNotice(notice, from));
          accepted = { response: String(info.response ?? '') };
        } catch (err) {
          failure = classifyMailError(err);
        }
        if (accepted) {
          this.opts.afterAccepted?.(notice.id);
          this.recordSent(notice, accepted.response);
          sent += 1;
          continue;
        }
        const f = failure!;
        if (isPermanent(f.error)) {
          this.recordFailed(notice, f.error, f.detail);
          continue;
        }
        this.recordDeferred(notice, f.error, f.detail);
        // The mailbox or the network: the next notices would fail the same way. A 4xx for one recipient: go on.
        if (f.error !== 'temporary') break;
      }
    } finally {
      transport?.close();
    }
    return sent;
  }

  /** Takes the oldest due notice and marks it `sending` (committed before the server sees it). */
  private claim(domain: string): NoticeToSend | null {
    return this.ws.write({ kind: 'system' }, (tx) => {
      for (;;) {
        const row = tx.sql(
          `SELECT n.id, n.ticket_id AS ticketId, n.recipient, n.subject, n.body, n.message_id AS messageId, t.tracking_number AS trackingNumber
           FROM notifications n INDEXED BY notifications_queue LEFT JOIN tickets t ON t.id = n.ticket_id
           WHERE n.status = 'queued' AND COALESCE(n.next_attempt_at, 0) <= ? ORDER BY n.created_at, n.rowid LIMIT 1`,
        ).get(tx.at) as { id: string; ticketId: string | null; recipient: string; subject: string; body: string; messageId: string | null; trackingNumber: string | null } | undefined;
        if (!row) return null;
        if (!isEmail(row.recipient)) {
          this.fail(tx, row.id, row.ticketId, 'badAddress', row.recipient);
          continue;
        }
        // Fixed at the first attempt and kept: every attempt of this notice carries the same Message-ID.
        const messageId = row.messageId ?? noticeMessageId(row.id, domain);
        let threadId: string | null = null;
        let earlier: string[] = [];
        if (row.ticketId) {
          threadId = (tx.sql('SELECT thread_id FROM notifications WHERE ticket_id = ? AND thread_id IS NOT NULL LIMIT 1').pluck().get(row.ticketId) as string | undefined)
            ?? ticketThreadId(row.ticketId, domain);
          earlier = tx.sql(
            "SELECT message_id FROM notifications WHERE ticket_id = ? AND status = 'sent' AND id <> ? ORDER BY sent_at, rowid",
          ).pluck().all(row.ticketId, row.id) as string[];
        }
        tx.sql(
          "UPDATE notifications SET status = 'sending', attempts = attempts + 1, message_id = ?, thread_id = ?, updated_at = ? WHERE id = ?",
        ).run(messageId, threadId, tx.at, row.id);
        return { ...row, messageId, threadId, earlier };
      }
    });
  }

  private recordSent(n: NoticeToSend, response: string): void {
    this.ws.write({ kind: 'system' }, (tx) => {
      tx.sql(
        "UPDATE notifications SET status = 'sent', sent_at = ?, server_response = ?, last_error = NULL, last_error_detail = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
      ).run(tx.at, response.slice(0, 500), tx.at, n.id);
      tx.audit('mail.sent', 'notification', n.id, { ticketId: n.ticketId, messageId: n.messageId, response: response.slice(0, 200) });
    });
    this.lastSentAt = this.ws.now();
    this.lastError = null;
    this.lastErrorDetail = null;
  }

  private recordFailed(n: NoticeToSend, error: MailError, detail: string): void {
    this.ws.write({ kind: 'system' }, (tx) => this.fail(tx, n.id, n.ticketId, error, detail));
  }

  private fail(tx: WriteTx, id: string, ticketId: string | null, error: MailError, detail: string): void {
    tx.sql("UPDATE notifications SET status = 'failed', last_error = ?, last_error_detail = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?")
      .run(error, detail.slice(0, 500), tx.at, id);
    tx.audit('mail.failed', 'notification', id, { ticketId, error, detail: detail.slice(0, 200) });
  }

  private recordDeferred(n: NoticeToSend, error: MailError, detail: string): void {
    this.ws.write({ kind: 'system' }, (tx) => {
      const attempts = tx.sql('SELECT attempts FROM notifications WHERE id = ?').pluck().get(n.id) as number;
      const wait = Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** Math.max(0, attempts - 1));
      tx.sql("UPDATE notifications SET status = 'queued', next_attempt_at = ?, last_error = ?, last_error_detail = ?, updated_at = ? WHERE id = ?")
        .run(tx.at + wait, error, detail.slice(0, 500), tx.at, n.id);
      tx.audit('mail.deferred', 'notification', n.id, { ticketId: n.ticketId, error, attempts, retryInMs: wait });
    });
    this.lastError = error;
    this.lastErrorDetail = detail.slice(0, 500);
  }

  status(): SenderStatus {
    const state: SenderStatus['state'] = !this.mailbox.ready() ? 'notConfigured'
      : this.running ? 'sending'
      : this.lastError ? 'waiting' : 'idle';
    return { state, lastError: this.lastError, lastErrorDetail: this.lastErrorDetail, lastSentAt: this.lastSentAt, nextAttemptAt: this.nextAttemptAt() };
  }

  queue(input: { status?: NoticeStatus; limit: number }): MailQueue {
    const items = (input.status
      ? this.ws.sql(`SELECT ${NOTICE_COLUMNS} FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id WHERE n.status = ? ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`)
        .all(input.status, input.limit)
      : this.ws.sql(`SELECT ${NOTICE_COLUMNS} FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id ORDER BY n.created_at DESC, n.rowid DESC LIMIT ?`)
        .all(input.limit)) as NoticeInfo[];
    const counts = Object.fromEntries(NOTICE_STATUSES.map((s) => [s, 0])) as Record<NoticeStatus, number>;
    for (const r of this.ws.sql('SELECT status, count(*) AS n FROM notifications GROUP BY status').all() as Array<{ status: NoticeStatus; n: number }>) {
      counts[r.status] = r.n;
    }
    return { items, counts, sender: this.status() };
  }

  ticketNotices(ticketId: string): NoticeInfo[] {
    return this.ws.sql(`SELECT ${NOTICE_COLUMNS} FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id WHERE n.ticket_id = ? ORDER BY n.created_at, n.rowid`)
      .all(ticketId) as NoticeInfo[];
  }

  /** Sends a failed or unconfirmed notice again (same Message-ID), or a queued one now. */
  retry(actorId: string, noticeId: string): NoticeInfo {
    const info = this.settle(actorId, noticeId, 'queued', 'mail.cannotRetry', 'mail.noticeRetried');
    this.kick();
    return info;
  }

  /** Gives up on a notice that has not been sent. */
  cancel(actorId: string, noticeId: string): NoticeInfo {
    return this.settle(actorId, noticeId, 'cancelled', 'mail.cannotCancel', 'mail.noticeCancelled');
  }

  /** An administrator's decision on a notice not sent (failed, unconfirmed or still queued), audited. */
  private settle(actorId: string, noticeId: string, to: 'queued' | 'cancelled', refusal: string, action: 'mail.noticeRetried' | 'mail.noticeCancelled'): NoticeInfo {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const status = this.statusOf(noticeId);
      if (!['failed', 'unconfirmed', 'queued'].includes(status)) throw new AppError(refusal, { status });
      tx.sql('UPDATE notifications SET status = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?').run(to, tx.at, noticeId);
      tx.audit(action, 'notification', noticeId, { from: status });
    });
    return this.notice(noticeId);
  }

  private statusOf(noticeId: string): NoticeStatus {
    const status = this.ws.sql('SELECT status FROM notifications WHERE id = ?').pluck().get(noticeId) as NoticeStatus | undefined;
    if (!status) throw new AppError('mail.noticeNotFound');
    return status;
  }

  private notice(noticeId: string): NoticeInfo {
    return this.ws.sql(`SELECT ${NOTICE_COLUMNS} FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id WHERE n.id = ?`).get(noticeId) as NoticeInfo;
  }
}
