/**
 * tickets.list: the views, filters and sorts of the ticket list, and full-text search.
 *
 * A list page is an index walk. Each view is a union of ordered index ranges, one per status
 * (and per assignee, tier or waiting reason when those narrow it): SQLite merges the ranges of a
 * compound SELECT with ORDER BY without sorting, and stops at the page size. The next page starts
 * after the last row's (sort value, rowid) — keyset paging — so the last page costs what the first
 * does ("go to the last page" is the first page in the other direction). `INDEXED BY` pins each
 * walk so a change in the planner's guesses cannot turn it back into a sort of every match.
 *
 * Search has no cap: the matching tickets (their own text or their timeline's) are scored once
 * per question and data version and kept in a small cache; pages are slices of that ranking.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { ticketListSchema } from '../shared/contract';
import { SEARCH_ORDERS, STATUSES, type SearchOrder, type Status, type TicketSort, type TicketView } from '../shared/domain';
import type { SlaPolicy } from '../shared/sla';
import type { TicketListRow, TicketPage } from '../shared/types';
import { boundedCount, COUNT_BOUND, decodeCursor, mergedWalk, pageEnd, type Condition, type Cursor } from './keyset';
import { highlight, matchExpression, searchTerms } from './search';
import { rewrittenSince, textMark } from './ticket-text';
import { slaAt } from './sla';
import { anyBlocked, HIDDEN_TICKET_ROWIDS } from './personal-data/visibility';
import type { Workspace } from './workspace';

export type ListInput = z.output<typeof ticketListSchema>;

/** The SLA-due key of a ticket without a running clock: after every real moment (see 010_list_indexes.sql). */
const NO_DUE = 9007199254740991;

const SORT_KEYS: Record<TicketSort, string> = {
  updatedAt: 't.updated_at',
  createdAt: 't.created_at',
  priority: 't.priority_rank',
  severity: 't.severity',
  trackingNumber: 't.tracking_number',
  slaDue: `coalesce(s.breach_at, ${NO_DUE})`,
};
type TicketSortOnTickets = Exclude<TicketSort, 'slaDue'>;
/** (status, sort) indexes: the views over statuses. */
const STATUS_INDEX: Record<TicketSortOnTickets, string> = {
  updatedAt: 'tickets_status_updated',
  createdAt: 'tickets_status_created',
  priority: 'tickets_status_priority',
  severity: 'tickets_status_severity',
  trackingNumber: 'tickets_status_tracking',
};
/** (assignee_id, status, sort) indexes: Mis tickets, Sin asignar, the assignee filter. */
const ASSIGNEE_INDEX: Record<TicketSortOnTickets, string> = {
  updatedAt: 'tickets_assignee_status',
  createdAt: 'tickets_assignee_created',
  priority: 'tickets_assignee_priority',
  severity: 'tickets_assignee_severity',
  trackingNumber: 'tickets_assignee_tracking',
};

export const SUMMARY_COLUMNS = `t.rowid AS rowid, t.id, t.tracking_number AS trackingNumber, t.customer_id AS customerId,
  c.name AS customerName, c.rfc, t.subject, t.channel, t.request_type AS requestType, t.support_type AS supportType,
  t.category, t.priority, t.severity, t.tier, t.status, t.waiting_on AS waitingOn, t.assignee_id AS assigneeId,
  u.full_name AS assigneeName, t.created_at AS createdAt, t.updated_at AS updatedAt`;
export const SUMMARY_FROM = 'FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id';

/** One ordered walk: an index and the equality prefix that selects one of its ranges (null index: the planner's choice). */
export interface ListArm {
  index: string | null;
  prefix: Condition[];
}

/** How a list question is answered: what every row satisfies, and the walks whose merge delivers them in order. */
export interface ListPlan {
  where: Condition[];
  arms: ListArm[];
  /** The sort key is in ticket_sla: walk its index, then each ticket by rowid. */
  fromSla: boolean;
  /** A condition reads ticket_sla (Vencidos, Por vencer). */
  joinSla: boolean;
  /** For the SLA views, the disjoint ranges of ticket_sla_due that hold the view: counted there, whatever the sort. */
  slaRanges: ListArm[] | null;
  /**
   * Conditions of `where` that the SLA ranges already hold (Vencidos' own condition, and "not
   * closed": ticket_sla.open is 1 exactly while the ticket is not closed). With nothing else to
   * check, a count reads the ranges of ticket_sla_due alone and never a ticket row.
   */
  slaImplied: Condition[];
  /** No ticket can match (e.g. Cerrados with the status filter "Abierto"). */
  empty: boolean;
  /**
   * A view whose tickets are few however many the workspace holds, and that no index delivers in
   * the sort's order: Por vencer (a range of ticket_sla_warning, for every sort), En espera by SLA
   * due (its paused clocks sit after every running one in ticket_sla_due). The FROM clause that
   * reads the whole set; `smallSet` orders it in memory when it holds at most SMALL_SET tickets.
   */
  smallSet: string | null;
}

const DUE_KEY = SORT_KEYS.slaDue;
/** Vencidos: what the board shows as breached (liveState): marked breached, or a breach moment already past. */
const OVERDUE = (now: number): Condition => ({ sql: 's.open = 1 AND (s.breached = 1 OR s.breach_at < ?)', params: [now] });
/**
 * Por vencer: what the board shows as "Por vencer" (liveState): a running clock past its warning
 * moment (the policy's warningPercent of the target; stored as state 'warning' by the sweep, or a
 * warning moment already past), not breached, not paused. "State 'warning' or warned by now" is
 * WARNING_KEY <= now (a stored warning is key 0), the key of ticket_sla_warning (030), so the view
 * is a range of that index whatever the sort.
 */
const WARNING_KEY = "CASE s.state WHEN 'warning' THEN 0 ELSE s.warn_at END";
const DUE_SOON = (now: number): Condition => ({
  sql: `s.open = 1 AND s.breached = 0 AND ${WARNING_KEY} <= ? AND s.breach_at >= ?`, params: [now, now],
});
/** Por vencer's tickets: the warned range of ticket_sla_warning, each ticket then read by rowid. */
const WARNING_SET = 'FROM ticket_sla s INDEXED BY ticket_sla_warning CROSS JOIN tickets t ON t.rowid = s.ticket_rowid';
/** En espera's tickets: the waiting range of tickets_status_updated, each with its clocks. */
const WAITING_SET = 'FROM tickets t INDEXED BY tickets_status_updated CROSS JOIN ticket_sla s ON s.ticket_rowid = t.rowid';
/**
 * Up to this many tickets, a view with a set of its own is read whole and ordered in memory (1,460
 * Por vencer tickets at 1M: ~2 ms); beyond it the view is walked in the sort's order as any other.
 */
export const SMALL_SET = 5_000;
const eq = (sql: string, value: unknown): Condition => ({ sql: `${sql} = ?`, params: [value] });

/** The ranges of ticket_sla_due (open, breached, due) that an `open` range of a view covers, disjoint. */
function slaDueRanges(view: TicketView, open: number, now: number): Condition[][] {
  if (view === 'overdue') {
    return [[eq('s.open', 1), eq('s.breached', 1)], [eq('s.open', 1), eq('s.breached', 0), { sql: `${DUE_KEY} < ?`, params: [now] }]];
  }
  if (view === 'dueSoon') {
    return [[eq('s.open', 1), eq('s.breached', 0), { sql: `${DUE_KEY} >= ? AND ${DUE_KEY} < ${NO_DUE}`, params: [now] }]];
  }
  return [[eq('s.open', open), eq('s.breached', 0)], [eq('s.open', open), eq('s.breached', 1)]];
}

/**
 * The view and filters as conditions, and the index walks for the sort. Exported for the plan test.
 * `hideBlocked`: some customer is blocked (derechos ARCO), so its tickets are left out of every view.
 */
export function planList(actorId: string, input: ListInput, now: number, hideBlocked = false): ListPlan {
  const where: Condition[] = [];
  if (hideBlocked) where.push({ sql: `t.rowid NOT IN (${HIDDEN_TICKET_ROWIDS})`, params: [] });
  const inList = (column: string, values: readonly unknown[]) => {
    if (values.length > 0) where.push({ sql: `${column} IN (${values.map(() => '?').join(',')})`, params: [...values] });
  };
  const view = input.view;
  let statuses: Status[] = [...STATUSES];
  const keep = (allowed: readonly Status[]) => {
    statuses = statuses.filter((s) => allowed.includes(s));
  };
  if (view === 'open' || view === 'closed' || view === 'waiting') keep([view]);
  if (view === 'work' || view === 'unassigned' || view === 'overdue') keep(['open', 'waiting']);
  // A waiting ticket's clocks are paused: nothing of it is about to fall due.
  if (view === 'dueSoon') keep(['open']);
  if (input.status.length > 0) keep(input.status);
  if (input.waitingOn.length > 0) keep(['waiting']);
  const slaImplied: Condition[] = [];
  if (statuses.length < STATUSES.length) {
    inList('t.status', statuses);
    // Exactly the statuses that are not closed: what ticket_sla.open = 1 says.
    if (view === 'overdue' && statuses.length === STATUSES.length - 1 && !statuses.includes('closed')) slaImplied.push(where.at(-1)!);
  }

  // The assignee ranges a view walks: Mis tickets, Sin asignar, or both (Mi trabajo).
  const mine: Condition = { sql: 't.assignee_id = ?', params: [actorId] };
  const nobody: Condition = { sql: 't.assignee_id IS NULL', params: [] };
  let assignees: Condition[] | null = null;
  if (view === 'mine') assignees = [mine];
  else if (view === 'unassigned') assignees = [nobody];
  else if (view === 'work') assignees = [mine, nobody];
  if (assignees) where.push(assignees.length === 1 ? assignees[0]! : { sql: '(t.assignee_id = ? OR t.assignee_id IS NULL)', params: [actorId] });
  if (input.assigneeId) {
    const byFilter = { sql: 't.assignee_id = ?', params: [input.assigneeId] };
    where.push(byFilter);
    assignees = [byFilter];
  }
  const customer = input.customerId ? { sql: 't.customer_id = ?', params: [input.customerId] } : null;
  if (customer) where.push(customer);
  // Rated tickets (the supervisor home's CSAT numbers): few, found through the survey's index, then each ticket by id.
  const rated = input.rating.length > 0;
  if (rated) {
    const since = input.ratedSince !== undefined ? ' AND v.answered_at >= ?' : '';
    where.push({
      sql: `t.id IN (SELECT v.ticket_id FROM satisfaction_surveys v WHERE v.rating IN (${input.rating.map(() => '?').join(',')})${since})`,
      params: [...input.rating, ...(input.ratedSince !== undefined ? [input.ratedSince] : [])],
    });
  }
  inList('t.waiting_on', input.waitingOn);
  inList('t.request_type', input.requestType);
  inList('t.severity', input.severity);
  inList('t.tier', input.tier);
  inList('t.channel', input.channel);
  inList('t.priority', input.priority);
  const slaView = view === 'overdue' || view === 'dueSoon';
  if (view === 'overdue') {
    where.push(OVERDUE(now));
    slaImplied.push(where.at(-1)!);
  }
  if (view === 'dueSoon') where.push(DUE_SOON(now));

  const byStatus = (index: string | null, extra: Condition[][] = [[]]): ListArm[] =>
    statuses.flatMap((status) => extra.map((e) => ({ index, prefix: [{ sql: 't.status = ?', params: [status] }, ...e] })));
  // ticket_sla.open is 1 exactly while the ticket is not closed: one range for open work, one for the closed.
  const openRanges = [statuses.some((st) => st !== 'closed') ? 1 : null, statuses.includes('closed') ? 0 : null].filter((o) => o !== null);
  const slaArms = openRanges.flatMap((open) => slaDueRanges(view, open, now).map((prefix) => ({ index: 'ticket_sla_due', prefix })));
  const sort = input.sort;
  let arms: ListArm[];
  if (sort === 'slaDue') arms = slaArms;
  else if (rated) arms = [{ index: null, prefix: [] }];
  else if (assignees) arms = byStatus(ASSIGNEE_INDEX[sort], assignees.map((a) => [a]));
  else if (customer) {
    // One customer's tickets are few: by last update it is a walk; other sorts order them in memory.
    arms = sort === 'updatedAt' ? byStatus('tickets_customer_status_updated', [[customer]]) : [{ index: null, prefix: [] }];
  } else if (sort === 'updatedAt' && input.tier.length > 0) {
    arms = byStatus('tickets_status_tier_updated', input.tier.map((tier) => [{ sql: 't.tier = ?', params: [tier] }]));
  } else if (sort === 'updatedAt' && input.waitingOn.length > 0) {
    arms = byStatus('tickets_status_waiting', input.waitingOn.map((w) => [{ sql: 't.waiting_on = ?', params: [w] }]));
  } else arms = byStatus(STATUS_INDEX[sort]);
  let smallSet: string | null = null;
  if (view === 'dueSoon') smallSet = WARNING_SET;
  else if (sort === 'slaDue' && statuses.length === 1 && statuses[0] === 'waiting' && !slaView) smallSet = WAITING_SET;
  return {
    where, arms, fromSla: sort === 'slaDue', joinSla: slaView, slaRanges: slaView ? slaArms : null, slaImplied, empty: statuses.length === 0, smallSet,
  };
}

/** The statement that walks a plan: (r = ticket rowid, k = sort value) in order, limit+1 rows. Exported for the plan test. */
export function keyQuery(plan: ListPlan, sort: TicketSort, direction: 'asc' | 'desc', cursor: Cursor | null): Condition {
  const walks = plan.arms.map((arm) => ({ from: armFrom(plan, arm), conditions: [...arm.prefix, ...plan.where] }));
  return mergedWalk(walks, SORT_KEYS[sort], plan.fromSla ? 's.ticket_rowid' : 't.rowid', direction, cursor);
}

function armFrom(plan: ListPlan, arm: ListArm): string {
  return plan.fromSla
    ? `FROM ticket_sla s INDEXED BY ${arm.index} CROSS JOIN tickets t ON t.rowid = s.ticket_rowid`
    : `FROM tickets t${arm.index ? ` INDEXED BY ${arm.index}` : ''}${plan.joinSla ? SLA_JOIN : ''}`;
}

/**
 * How many tickets a plan holds (at most COUNT_BOUND + 1 counted). The SLA views are counted on
 * their ticket_sla_due ranges (few rows, whatever the sort); the others on the tickets table.
 */
export function countPlan(ws: Workspace, plan: ListPlan): { total: number; totalCapped: boolean } {
  let n = 0;
  for (const { from, where } of countWalks(plan)) {
    if (n > COUNT_BOUND) break;
    const c = boundedCount(ws.db, from, where);
    n += c.totalCapped ? COUNT_BOUND + 1 : c.total;
  }
  return n > COUNT_BOUND ? { total: COUNT_BOUND, totalCapped: true } : { total: n, totalCapped: false };
}

/**
 * What `countPlan` reads: the tickets table for most views; for the SLA views their ranges of
 * ticket_sla_due, joined to the tickets only when a condition the ranges do not hold is left
 * (plain Vencidos — tens of thousands at 1M tickets — is counted on the index alone: 13 → ~1 ms).
 * Exported for the plan test.
 */
export function countWalks(plan: ListPlan): Array<{ from: string; where: Condition[] }> {
  if (plan.smallSet === WARNING_SET) return [{ from: WARNING_SET, where: plan.where }];
  if (!plan.slaRanges) return [{ from: `FROM tickets t${plan.joinSla ? SLA_JOIN : ''}`, where: plan.where }];
  const rest = plan.where.filter((c) => !plan.slaImplied.includes(c));
  return plan.slaRanges.map((arm) => ({
    from: `FROM ticket_sla s INDEXED BY ${arm.index}${rest.length > 0 ? ' CROSS JOIN tickets t ON t.rowid = s.ticket_rowid' : ''}`,
    where: [...arm.prefix, ...rest],
  }));
}

/**
 * How many tickets of a plan each assignee holds (key null: unassigned) — what `countPlan` gives
 * for the same plan with the assignee filter added, for every assignee at once (the supervisor
 * home's "Vencidos" per person). The plan's tickets are walked by the ranges (assignee, status) of
 * tickets_assignee_status, which already come grouped by assignee and carry every column the views'
 * conditions read on tickets (status, assignee, rowid), so no ticket row is read — only the narrow
 * ticket_sla row of each for the SLA views. At 1M tickets the walk of the Vencidos ranges that read
 * each overdue ticket's row for its assignee took 192 ms of CPU (30,332 tickets); this one ~20 ms.
 * Not bounded: the caller caps each count as countPlan does.
 */
export function countPlanByAssignee(ws: Workspace, plan: ListPlan): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  if (plan.empty) return counts;
  const from = `FROM tickets t INDEXED BY tickets_assignee_status${plan.joinSla ? SLA_JOIN : ''}`;
  const params = plan.where.flatMap((c) => c.params);
  const rest = plan.where.map((c) => ` AND ${c.sql}`).join('');
  const assigned = ws.db.prepare(`SELECT t.assignee_id, count(*) ${from} WHERE t.assignee_id IN (SELECT id FROM users)${rest} GROUP BY t.assignee_id`)
    .raw().all(...params) as Array<[string, number]>;
  for (const [a, n] of assigned) counts.set(a, n);
  const nobody = ws.db.prepare(`SELECT count(*) ${from} WHERE t.assignee_id IS NULL${rest}`).pluck().get(...params) as number;
  if (nobody > 0) counts.set(null, nobody);
  return counts;
}

const SLA_JOIN = ' CROSS JOIN ticket_sla s ON s.ticket_rowid = t.rowid';

/** The list page for `input` (the signed-in user is `actorId`, for Mis tickets). */
export function listTickets(ws: Workspace, policies: readonly SlaPolicy[], actorId: string, input: ListInput): TicketPage {
  const now = ws.now();
  const plan = planList(actorId, input, now, anyBlocked(ws));
  if (searchTerms(input.query).length > 0) return searchTickets(ws, policies, plan, input);
  if (plan.empty) return { now, rows: [], nextCursor: null, total: 0, totalCapped: false };
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  const whole = plan.smallSet ? smallSetKeys(ws, plan, plan.smallSet, input.sort) : null;
  let keys: Key[];
  if (whole) keys = pageOfSet(whole, input.direction, cursor, input.limit + 1);
  else {
    const q = keyQuery(plan, input.sort, input.direction, cursor);
    keys = ws.sql(q.sql).all(...q.params, input.limit + 1) as Key[];
  }
  const nextCursor = pageEnd(keys, input.limit);
  return {
    now,
    rows: withoutRowids(summaries(ws, policies, keys.map((k) => k.r))),
    nextCursor,
    ...(cursor ? { total: null, totalCapped: false } : whole ? { total: whole.length, totalCapped: false } : countPlan(ws, plan)),
  };
}

type Key = { r: number; k: number | string };

/** The statement that reads a small set whole: (r, k) of every ticket of the plan, SMALL_SET + 1 at most. Exported for the plan test. */
export function smallSetQuery(plan: ListPlan, from: string, sort: TicketSort): Condition {
  const where = plan.where.length > 0 ? ` WHERE ${plan.where.map((c) => c.sql).join(' AND ')}` : '';
  return { sql: `SELECT t.rowid AS r, ${SORT_KEYS[sort]} AS k ${from}${where} LIMIT ${SMALL_SET + 1}`, params: plan.where.flatMap((c) => c.params) };
}

/** Every (rowid, key) of a small set, or null when it holds more than SMALL_SET (then it is walked). */
function smallSetKeys(ws: Workspace, plan: ListPlan, from: string, sort: TicketSort): Key[] | null {
  const q = smallSetQuery(plan, from, sort);
  // Arrays, not objects: better-sqlite3 builds an object per row through N-API (~1 µs a value).
  const pairs = ws.sql(q.sql).raw().all(...q.params) as Array<[number, number | string]>;
  return pairs.length > SMALL_SET ? null : pairs.map(([r, k]) => ({ r, k }));
}

/** (key, rowid) order, as the walks' ORDER BY k, r (keys of one sort are all numbers or all strings). */
function compareKeys(a: Key, b: Key): number {
  return a.k < b.k ? -1 : a.k > b.k ? 1 : a.r - b.r;
}

/** The `count` keys after the cursor in the direction, from a whole set (sorted here). */
function pageOfSet(keys: Key[], direction: 'asc' | 'desc', cursor: Cursor | null, count: number): Key[] {
  const sign = direction === 'asc' ? 1 : -1;
  keys.sort((a, b) => sign * compareKeys(a, b));
  const at: Key | null = cursor ? { r: cursor.rowid, k: cursor.value } : null;
  const start = at ? keys.findIndex((key) => sign * compareKeys(key, at) > 0) : 0;
  return start < 0 ? [] : keys.slice(start, start + count);
}

type SummaryRow = TicketListRow & { rowid?: number };
type SlaColumns = { breached: number | null; breachAt: number | null; resolutionDueAt: number | null; policyId: string | null };

/** Ticket list rows for rowids, in the given order (with their rowid until `withoutRowids`), with their SLA at `now`. */
function summaries(ws: Workspace, policies: readonly SlaPolicy[], rowids: number[]): SummaryRow[] {
  if (rowids.length === 0) return [];
  const rows = ws.db.prepare(
    `SELECT ${SUMMARY_COLUMNS}, s.breached, s.breach_at AS breachAt, s.warn_at AS warnAt, s.resolution_due_at AS resolutionDueAt,
       s.policy_id AS policyId, (SELECT MIN(b.due_at) FROM sla_breaches b WHERE b.ticket_id = t.id) AS firstBreachDueAt
     ${SUMMARY_FROM} LEFT JOIN ticket_sla s ON s.ticket_rowid = t.rowid WHERE t.rowid IN (${rowids.join(',')})`,
  ).all() as Array<SummaryRow & SlaColumns>;
  const now = ws.now();
  const byRowid = new Map(rows.map(({ breached, breachAt, resolutionDueAt, policyId, ...row }) =>
    [row.rowid, { ...row, ...slaAt({ breached, breachAt, warnAt: row.warnAt, resolutionDueAt, policyId, status: row.status }, now, policies) }]));
  return rowids.flatMap((r) => byRowid.get(r) ?? []);
}

function withoutRowids(rows: SummaryRow[]): TicketListRow[] {
  for (const r of rows) delete r.rowid;
  return rows;
}

// ---- Search ----------------------------------------------------------------------------------

/** One matching ticket: its rowid and its ranking key (lower first; ties: newer first). */
interface Hit {
  r: number;
  k: number;
}

interface MatchSet {
  version: string;
  /** Relevance of each matching ticket, in (0, 1]: its best bm25 relative to the best match of the same index. */
  score: Map<number, number>;
  /** The best relevance of each ticket's timeline alone (a rewrite of its own text falls back to it). */
  eventScore: Map<number, number>;
  /** The newest matching timeline event of each ticket, for the highlight. */
  eventOf: Map<number, number>;
  /** The best bm25 of each index when every match was scored: later matches are taken relative to them. */
  bestOwn: number;
  bestEvent: number;
  /** The recency boost's scale (the newest match when every match was scored). */
  maxRowid: number;
  /** What the set has seen: tickets and timeline events up to these rowids, text rewrites up to this mark. */
  ticketMax: number;
  eventMax: number;
  mark: number;
  ranked: Partial<Record<SearchOrder, Hit[]>>;
}

const MATCH_CACHE_SIZE = 4;
const matchCache = new WeakMap<Database.Database, Map<string, MatchSet>>();
/** How many times every match of a question was scored (the plan test and the bench read it). */
export const searchStats = { fullScorings: 0 };

/** Changes with every write (each writes an audit entry) and with tickets or events added any other way. */
function dataVersion(ws: Workspace): string {
  const max = (sql: string) => (ws.sql(sql).pluck().get() as number | null) ?? 0;
  return `${max('SELECT MAX(seq) FROM audit_chain')}:${max('SELECT MAX(rowid) FROM tickets')}:${max('SELECT MAX(rowid) FROM ticket_events')}`;
}

const maxRowidOf = (ws: Workspace, table: 'tickets' | 'ticket_events') => (ws.sql(`SELECT MAX(rowid) FROM ${table}`).pluck().get() as number | null) ?? 0;
const EVENT_MATCHES = `SELECT f.rowid, t.rowid, bm25(event_fts) FROM event_fts f JOIN ticket_events e ON e.rowid = f.rowid JOIN tickets t ON t.id = e.ticket_id
  WHERE event_fts MATCH ?`;

/**
 * Every ticket whose own text or whose timeline matches, scored; cached per expression. After a
 * write the cached set is brought up to date (`refresh`) rather than scored again.
 */
function matchSet(ws: Workspace, match: string): MatchSet {
  let cache = matchCache.get(ws.db);
  if (!cache) matchCache.set(ws.db, (cache = new Map()));
  const version = dataVersion(ws);
  const cached = cache.get(match);
  if (cached && (cached.version === version || refresh(ws, cached, match, version))) {
    cache.delete(match);
    cache.set(match, cached); // most recently used last
    return cached;
  }
  searchStats.fullScorings++;
  const mark = textMark(ws.db);
  const ticketMax = maxRowidOf(ws, 'tickets');
  const eventMax = maxRowidOf(ws, 'ticket_events');
  // bm25 is comparable only within one index (its statistics differ per index), so each index's
  // scores are taken relative to its best match; a match in the conversation counts half.
  const own = ws.sql('SELECT rowid, bm25(ticket_fts) FROM ticket_fts WHERE ticket_fts MATCH ?').raw().all(match) as Array<[number, number]>;
  const events = ws.sql(EVENT_MATCHES).raw().all(match) as Array<[number, number, number]>;
  // A loop, not Math.min(...spread): a common word matches hundreds of thousands of rows at 1M
  // tickets, more arguments than a call's stack holds ("Maximum call stack size exceeded").
  let bestOwn = -1e-9;
  for (const [, rank] of own) if (rank < bestOwn) bestOwn = rank;
  let bestEvent = -1e-9;
  for (const [, , rank] of events) if (rank < bestEvent) bestEvent = rank;
  const set: MatchSet = {
    version, score: new Map(), eventScore: new Map(), eventOf: new Map(), bestOwn, bestEvent, maxRowid: 0, ticketMax, eventMax, mark, ranked: {},
  };
  for (const [r, rank] of own) {
    set.score.set(r, rank / bestOwn);
    if (r > set.maxRowid) set.maxRowid = r;
  }
  for (const [e, r, rank] of events) {
    addEventMatch(set, e, r, rank);
    if (r > set.maxRowid) set.maxRowid = r;
  }
  cache.delete(match);
  cache.set(match, set);
  while (cache.size > MATCH_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return set;
}

function addEventMatch(set: MatchSet, e: number, r: number, rank: number): void {
  const relevance = Math.min(1, (0.5 * rank) / set.bestEvent);
  if ((set.eventScore.get(r) ?? 0) < relevance) set.eventScore.set(r, relevance);
  if ((set.score.get(r) ?? 0) < relevance) set.score.set(r, relevance);
  if ((set.eventOf.get(r) ?? 0) < e) set.eventOf.set(r, e);
}

/** Above this many changed tickets the rankings are sorted again rather than patched. */
const PATCH_LIMIT = 2_000;

/**
 * Brings a cached match set up to date after writes: the tickets and timeline events added since
 * (rowids above what it has seen, read through the full-text indexes' rowid ranges) and the tickets
 * whose own text was rewritten (the journal, each read again by rowid); the rankings are patched in
 * place. Scores keep the best matches of the full scoring as their scale. False when the journal
 * no longer reaches back to the set: then everything is scored again.
 */
function refresh(ws: Workspace, set: MatchSet, match: string, version: string): boolean {
  const rewritten = rewrittenSince(ws.db, set.mark);
  if (!rewritten) return false;
  const mark = textMark(ws.db);
  const ticketMax = maxRowidOf(ws, 'tickets');
  const eventMax = maxRowidOf(ws, 'ticket_events');
  const before = new Map<number, number | undefined>();
  const touch = (r: number) => {
    if (!before.has(r)) before.set(r, set.score.get(r));
  };
  const ownOf = ws.sql('SELECT bm25(ticket_fts) FROM ticket_fts WHERE ticket_fts MATCH ? AND rowid = ?').pluck();
  for (const r of new Set(rewritten)) {
    if (r > set.ticketMax) continue; // a new ticket: read below
    touch(r);
    const rank = ownOf.get(match, r) as number | undefined;
    const relevance = Math.max(rank === undefined ? 0 : Math.min(1, rank / set.bestOwn), set.eventScore.get(r) ?? 0);
    if (relevance > 0) set.score.set(r, relevance);
    else set.score.delete(r);
  }
  const added = ws.sql('SELECT rowid, bm25(ticket_fts) FROM ticket_fts WHERE ticket_fts MATCH ? AND rowid > ?').raw().all(match, set.ticketMax) as Array<[number, number]>;
  for (const [r, rank] of added) {
    touch(r);
    set.score.set(r, Math.max(Math.min(1, rank / set.bestOwn), set.eventScore.get(r) ?? 0));
  }
  const events = ws.sql(`${EVENT_MATCHES} AND f.rowid > ?`).raw().all(match, set.eventMax) as Array<[number, number, number]>;
  for (const [e, r, rank] of events) {
    touch(r);
    addEventMatch(set, e, r, rank);
  }
  for (const order of SEARCH_ORDERS) {
    const hits = set.ranked[order];
    if (!hits) continue;
    if (before.size > PATCH_LIMIT) {
      delete set.ranked[order];
      continue;
    }
    for (const [r, old] of before) {
      const now = set.score.get(r);
      if (old === now) continue;
      if (old !== undefined) {
        const gone = hitOf(set, order, r, old);
        const i = lowerBound(hits, gone);
        if (hits[i]?.r === r && hits[i]?.k === gone.k) hits.splice(i, 1);
      }
      if (now !== undefined) {
        const hit = hitOf(set, order, r, now);
        hits.splice(lowerBound(hits, hit), 0, hit);
      }
    }
  }
  Object.assign(set, { version, mark, ticketMax, eventMax });
  return true;
}

function compareHits(a: Hit, b: Hit): number {
  return a.k - b.k || b.r - a.r;
}

/** How much more the newest ticket's relevance weighs than the oldest's. */
const RECENCY_BOOST = 0.25;

/**
 * A match's place in an order. Relevance: the relevance raised by up to RECENCY_BOOST for the
 * newest tickets (rowids grow with creation), so among similar matches the recent ones come first.
 * Recent: newest ticket first.
 */
function hitOf(set: MatchSet, order: SearchOrder, r: number, relevance: number): Hit {
  return { r, k: order === 'recent' ? -r : -relevance * (1 + RECENCY_BOOST * Math.min(1, r / Math.max(1, set.maxRowid))) };
}

/** The matches in the chosen order (sorted once per set and order, then patched by `refresh`). */
function ranked(set: MatchSet, order: SearchOrder): Hit[] {
  const done = set.ranked[order];
  if (done) return done;
  const hits: Hit[] = [];
  for (const [r, relevance] of set.score) hits.push(hitOf(set, order, r, relevance));
  hits.sort(compareHits);
  set.ranked[order] = hits;
  return hits;
}

/** Index of the first hit not before `at`. */
function lowerBound(hits: Hit[], at: Hit): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareHits(hits[mid]!, at) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first hit after the cursor (binary search over the ranking). */
function startAfter(hits: Hit[], cursor: Cursor | null): number {
  if (!cursor) return 0;
  const at: Hit = { r: cursor.rowid, k: Number(cursor.value) };
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareHits(hits[mid]!, at) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const FILTER_CHUNK = 1000;

function searchTickets(ws: Workspace, policies: readonly SlaPolicy[], plan: ListPlan, input: ListInput): TicketPage {
  const terms = searchTerms(input.query);
  const exact = matchExpression(terms);
  if (!exact || plan.empty) return { now: ws.now(), rows: [], nextCursor: null, total: 0, totalCapped: false };
  let set = matchSet(ws, exact);
  // No whole-word hit: the last term is probably still being typed, so widen it to a prefix.
  // (Only then: a prefix query merges every word that starts with it, ~20× slower.)
  if (set.score.size === 0) set = matchSet(ws, matchExpression(terms, true)!);
  const hits = ranked(set, input.searchOrder);
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;

  // The view and filters, applied to the ranking a chunk at a time (none: every match is in).
  const filtered = plan.where.length === 0 ? null : (chunk: Hit[]): Hit[] => {
    const from = `FROM tickets t${plan.joinSla ? SLA_JOIN : ''}`;
    const pass = new Set(ws.db.prepare(`SELECT t.rowid ${from} WHERE t.rowid IN (${chunk.map((h) => h.r).join(',')}) AND ${plan.where.map((c) => c.sql).join(' AND ')}`)
      .pluck().all(...plan.where.flatMap((c) => c.params)) as number[]);
    return chunk.filter((h) => pass.has(h.r));
  };
  const page: Hit[] = [];
  for (let i = startAfter(hits, cursor); i < hits.length && page.length <= input.limit; i += FILTER_CHUNK) {
    const chunk = hits.slice(i, i + FILTER_CHUNK);
    page.push(...(filtered ? filtered(chunk) : chunk));
  }
  const nextCursor = pageEnd(page, input.limit);
  const rows = summaries(ws, policies, page.map((h) => h.r));
  addHighlights(ws, rows, terms, set.eventOf);
  let count: { total: number | null; totalCapped: boolean } = { total: null, totalCapped: false };
  if (!cursor) {
    if (!filtered) count = { total: hits.length, totalCapped: false };
    else {
      let n = 0;
      for (let i = 0; i < hits.length && n <= COUNT_BOUND; i += FILTER_CHUNK) n += filtered(hits.slice(i, i + FILTER_CHUNK)).length;
      count = n > COUNT_BOUND ? { total: COUNT_BOUND, totalCapped: true } : { total: n, totalCapped: false };
    }
  }
  return { now: ws.now(), rows: withoutRowids(rows), nextCursor, ...count };
}

/** A fragment around the first match: from the ticket's own text, else from its newest matching timeline event. */
function addHighlights(ws: Workspace, rows: SummaryRow[], terms: string[], eventOf: Map<number, number>): void {
  const descriptionOf = ws.sql('SELECT description FROM tickets WHERE id = ?').pluck();
  const bodyOf = ws.sql('SELECT body FROM ticket_events WHERE rowid = ?').pluck();
  for (const row of rows) {
    const fromTicket =
      highlight(`${row.trackingNumber} · ${row.subject}`, terms) ??
      highlight(descriptionOf.get(row.id) as string, terms) ??
      highlight(`${row.rfc} · ${row.customerName}`, terms);
    const eventRowid = eventOf.get(row.rowid!);
    const fragment = fromTicket ?? (eventRowid !== undefined ? highlight(bodyOf.get(eventRowid) as string, terms) : null);
    if (fragment) row.highlight = fragment;
  }
}
