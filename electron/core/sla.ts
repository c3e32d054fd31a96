/**
 * The SLA engine: the organization's calendars and policies, per-ticket recomputation inside the
 * caller's transaction, the sweep that records breaches and auto-closes tickets left waiting on
 * the customer, and the board and report queries. Everything derives from stored timestamps and
 * the injected clock, never from timers' memory.
 */
import { compileCalendar, nextBusinessStart, type BusinessCalendar, type CompiledCalendar, type Pause } from '../shared/calendar';
import { type Tier, TIERS } from '../shared/domain';
import { AppError } from '../shared/errors';
import {
  computeSla, DEFAULT_SLA_CONFIG, FALLBACK_POLICY, matchPolicy, slaConfigSchema,
  type SlaClockInput, type SlaComputation, type SlaConfig, type SlaPolicy, type SlaState,
} from '../shared/sla';
import type { BoardCard } from '../shared/types';
import type { Workspace, WriteTx } from './workspace';

export const AUTO_CLOSE_CAUSE = 'Sin respuesta del cliente';
const DAY_MS = 86_400_000;

interface ClockRow {
  id: string;
  status: string;
  waiting_on: string | null;
  channel: string;
  severity: number;
  priority: string;
  tier: string;
  plan: string;
  created_at: number;
  first_response_at: number | null;
  awaiting_response_since: number | null;
  pauses: string;
  closed_at: number | null;
  sla_breached: number;
  // What the last recompute stored, so an unchanged ticket is not written again.
  sla_policy_id: string | null;
  first_response_due_at: number | null;
  next_response_due_at: number | null;
  resolution_due_at: number | null;
  sla_warn_at: number | null;
  sla_breach_at: number | null;
  sla_state: string;
}

const CLOCK_COLUMNS = `t.id, t.status, t.waiting_on, t.channel, t.severity, t.priority, t.tier, c.plan, t.created_at, t.first_response_at,
  t.awaiting_response_since, t.pauses, t.closed_at, t.sla_breached, t.sla_policy_id, t.first_response_due_at, t.next_response_due_at,
  t.resolution_due_at, t.sla_warn_at, t.sla_breach_at, t.sla_state`;


export class SlaEngine {
  private compiled = new Map<string, CompiledCalendar>();
  private cachedConfig: { raw: string | undefined; config: SlaConfig } | null = null;

  constructor(private readonly ws: Workspace) {}

  config(): SlaConfig {
    const raw = this.ws.getSetting('sla');
    if (this.cachedConfig && this.cachedConfig.raw === raw) return this.cachedConfig.config;
    const config = raw ? slaConfigSchema.parse(JSON.parse(raw)) : DEFAULT_SLA_CONFIG;
    this.cachedConfig = { raw, config };
    this.compiled.clear();
    return config;
  }

  calendar(id: string): CompiledCalendar {
    let compiled = this.compiled.get(id);
    if (!compiled) {
      const cfg = this.config();
      const cal = cfg.calendars.find((c) => c.id === id) ?? cfg.calendars.find((c) => c.id === FALLBACK_POLICY.calendarId) ?? cfg.calendars[0]!;
      compiled = compileCalendar(cal);
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  /** Saves calendars and policies and recomputes every open ticket in the same transaction. */
  saveConfig(actorId: string, input: SlaConfig): { config: SlaConfig; recomputed: number } {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.config();
      tx.setSetting('sla', JSON.stringify(input));
      tx.audit('sla.configChanged', 'settings', 'sla', { before, after: input });
      tx.outbox('settings', 'sla', 'update', input);
      const recomputed = this.recomputeOpen(tx);
      return { config: this.config(), recomputed };
    });
  }

  /** Recomputes one ticket's clocks after a change, inside the caller's transaction. */
  recompute(tx: WriteTx, ticketId: string): SlaComputation {
    const row = tx.sql(`SELECT ${CLOCK_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?`).get(ticketId) as ClockRow;
    return this.apply(tx, row);
  }

  /** Every open ticket (after a policy or calendar edit). */
  recomputeOpen(tx: WriteTx): number {
    // Read once per pass, not per ticket: the configuration cannot change inside this transaction.
    const policies = this.config().policies;
    // .all(), not .iterate(): the updates below cannot run while a read cursor is open.
    const rows = tx.sql(
      `SELECT ${CLOCK_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.status IN ('open', 'waiting')`,
    ).all() as ClockRow[];
    for (const row of rows) this.apply(tx, row, policies);
    return rows.length;
  }

  /** The policy, clocks and state of a ticket now (for the ticket screen). */
  status(ticketId: string): { policy: SlaPolicy; sla: SlaComputation } {
    const row = this.ws.sql(`SELECT ${CLOCK_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?`).get(ticketId) as ClockRow | undefined;
    if (!row) throw new AppError('tickets.notFound');
    const policy = matchPolicy(this.config().policies, row);
    return { policy, sla: computeSla(clockInput(row), policy, this.calendar(policy.calendarId), this.ws.now()) };
  }

  private apply(tx: WriteTx, row: ClockRow, policies = this.config().policies): SlaComputation {
    const policy = matchPolicy(policies, row);
    const sla = computeSla(clockInput(row), policy, this.calendar(policy.calendarId), tx.at);
    const due = (m: string) => sla.metrics.find((x) => x.metric === m)?.dueAt ?? null;
    const next = {
      sla_policy_id: policy.id, first_response_due_at: due('first_response'), next_response_due_at: due('next_response'),
      resolution_due_at: due('resolution'), sla_warn_at: sla.nextWarnAt, sla_breach_at: sla.nextBreachAt, sla_state: sla.state,
      sla_breached: sla.breaches.length > 0 || row.sla_breached === 1 ? 1 : 0,
    };
    // Most recomputes change nothing; writing 100,000 identical rows would dominate the cost.
    if ((Object.keys(next) as Array<keyof typeof next>).some((k) => next[k] !== row[k])) {
      tx.sql(
        `UPDATE tickets SET sla_policy_id = ?, first_response_due_at = ?, next_response_due_at = ?, resolution_due_at = ?,
           sla_warn_at = ?, sla_breach_at = ?, sla_state = ?, sla_breached = ? WHERE id = ?`,
      ).run(next.sla_policy_id, next.first_response_due_at, next.next_response_due_at, next.resolution_due_at, next.sla_warn_at,
        next.sla_breach_at, next.sla_state, next.sla_breached, row.id);
    }
    if (sla.breaches.length > 0) {
      const recorded = row.sla_breached === 1
        ? new Set((tx.sql('SELECT metric, due_at FROM sla_breaches WHERE ticket_id = ?').all(row.id) as Array<{ metric: string; due_at: number }>)
          .map((b) => `${b.metric}@${b.due_at}`))
        : new Set<string>();
      for (const b of sla.breaches) if (!recorded.has(`${b.metric}@${b.dueAt}`)) this.recordBreach(tx, row, b.metric, b.dueAt);
    }
    return sla;
  }

  private recordBreach(tx: WriteTx, row: ClockRow, metric: string, dueAt: number): void {
    const id = tx.id();
    const inserted = tx.sql(
      'INSERT OR IGNORE INTO sla_breaches (id, ticket_id, metric, due_at, recorded_at, tier, severity, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, row.id, metric, dueAt, tx.at, row.tier, row.severity, row.channel);
    if (inserted.changes === 0) return;
    tx.sql("INSERT INTO ticket_events (id, ticket_id, kind, body, data, actor_id, created_at) VALUES (?, ?, 'sla_breach', '', ?, NULL, ?)").run(
      tx.id(), row.id, JSON.stringify({ metric, dueAt }), tx.at,
    );
    tx.audit('sla.breached', 'ticket', row.id, { metric, dueAt });
    tx.outbox('sla_breach', id, 'insert', { ticketId: row.id, metric, dueAt });
  }

  /**
   * Catches up with the clock: records breaches that became certain and auto-closes tickets
   * waiting on the customer for longer than the configured days. Safe to run any number of times.
   */
  sweep(closeTicket: (tx: WriteTx, ticketId: string, cause: string, solution: string) => void): { breaches: number; autoClosed: number } {
    const now = this.ws.now();
    return this.ws.write({ kind: 'system' }, (tx) => {
      const before = tx.sql('SELECT COUNT(*) FROM sla_breaches').pluck().get() as number;
      const due = tx.db.prepare(
        `SELECT ${CLOCK_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
         WHERE t.status != 'closed' AND ((t.sla_breach_at IS NOT NULL AND t.sla_breach_at <= ?) OR (t.sla_warn_at IS NOT NULL AND t.sla_warn_at <= ?))`,
      ).all(now, now) as ClockRow[];
      for (const row of due) this.apply(tx, row);
      let autoClosed = 0;
      const { autoClose } = this.config();
      if (autoClose.enabled) {
        const waiting = tx.db.prepare(
          `SELECT ${CLOCK_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.status = 'waiting' AND t.waiting_on = 'customer'`,
        ).all() as ClockRow[];
        for (const row of waiting) {
          const since = openPause(row)?.from;
          if (since === undefined || now <= this.autoCloseDeadline(since, row)) continue;
          closeTicket(
            tx, row.id, AUTO_CLOSE_CAUSE,
            `Cierre automático: el cliente no respondió en ${autoClose.days} días ${autoClose.unit === 'business' ? 'hábiles' : 'naturales'}.`,
          );
          autoClosed++;
        }
      }
      const after = tx.sql('SELECT COUNT(*) FROM sla_breaches').pluck().get() as number;
      return { breaches: after - before, autoClosed };
    });
  }

  /** When a ticket waiting on the customer since `since` closes by itself. */
  autoCloseDeadline(since: number, row: { channel: string; severity: number; priority: string; plan: string }): number {
    const { autoClose, policies } = this.config();
    if (autoClose.unit === 'natural') return since + autoClose.days * DAY_MS;
    // N business days: each day counts once the next business day has begun after a full day.
    const cal = this.calendar(matchPolicy(policies, row).calendarId);
    let t = since;
    for (let i = 0; i < autoClose.days; i++) t = nextBusinessStart(cal, t + DAY_MS);
    return t;
  }

  /** Open tickets per tier for the escalation board, with counts and SLA countdown data. */
  board(filters: { severity: number[]; assigneeId?: string; category: string[] }, perColumn: number): {
    now: number;
    columns: Array<{ tier: Tier; count: number; cards: BoardCard[] }>;
  } {
    const now = this.ws.now();
    const where: string[] = ["t.status != 'closed'"];
    const params: unknown[] = [];
    if (filters.severity.length) {
      where.push(`t.severity IN (${filters.severity.map(() => '?').join(',')})`);
      params.push(...filters.severity);
    }
    if (filters.category.length) {
      where.push(`t.category IN (${filters.category.map(() => '?').join(',')})`);
      params.push(...filters.category);
    }
    if (filters.assigneeId) {
      where.push('t.assignee_id = ?');
      params.push(filters.assigneeId);
    }
    const cardsOf = this.ws.db.prepare(
      `SELECT t.id, t.tracking_number AS trackingNumber, c.name AS customerName, t.subject, t.severity, t.tier, t.category, t.status,
         t.waiting_on AS waitingOn, t.assignee_id AS assigneeId, u.full_name AS assigneeName, t.sla_breached AS breached,
         t.sla_breach_at AS breachAt, t.sla_warn_at AS warnAt, t.resolution_due_at AS resolutionDueAt, t.sla_policy_id AS policyId,
         (SELECT MIN(b.due_at) FROM sla_breaches b WHERE b.ticket_id = t.id) AS firstBreachDueAt
       FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id
       WHERE ${where.join(' AND ')} AND t.tier = ?
       ORDER BY t.sla_breached DESC, t.sla_breach_at IS NULL, t.sla_breach_at, t.rowid LIMIT ?`,
    );
    const countOf = this.ws.db.prepare(`SELECT COUNT(*) FROM tickets t WHERE ${where.join(' AND ')} AND t.tier = ?`).pluck();
    const columns = TIERS.map((tier) => {
      const rows = cardsOf.all(...params, tier, perColumn) as Array<Omit<BoardCard, 'slaState' | 'dueAt' | 'calendarId'> & {
        breached: number; breachAt: number | null; resolutionDueAt: number | null; policyId: string | null;
      }>;
      const policies = this.config().policies;
      const cards = rows.map(({ breached, breachAt, resolutionDueAt, policyId, ...card }) => ({
        ...card,
        slaState: liveState({ breached, breachAt, warnAt: card.warnAt, status: card.status }, now),
        dueAt: breachAt ?? resolutionDueAt,
        calendarId: (policies.find((p) => p.id === policyId) ?? FALLBACK_POLICY).calendarId,
      }));
      return { tier, count: countOf.get(...params, tier) as number, cards };
    });
    return { now, columns };
  }
}

/** The state at `now` from the stored moments, without recomputing the clocks. */
export function liveState(t: { breached: number; breachAt: number | null; warnAt: number | null; status: string }, now: number): SlaState {
  if (t.breached === 1 || (t.breachAt !== null && t.breachAt <= now)) return 'breached';
  if (t.status === 'waiting') return 'paused';
  if (t.warnAt !== null && t.warnAt <= now) return 'warning';
  return t.breachAt === null ? 'none' : 'ok';
}

function clockInput(row: ClockRow): SlaClockInput {
  return {
    createdAt: row.created_at,
    firstResponseAt: row.first_response_at,
    awaitingResponseSince: row.awaiting_response_since,
    pauses: JSON.parse(row.pauses) as Pause[],
    closedAt: row.closed_at,
  };
}

function openPause(row: ClockRow): Pause | undefined {
  return (JSON.parse(row.pauses) as Pause[]).find((p) => p.to === null);
}

export type { BusinessCalendar };
