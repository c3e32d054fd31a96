/**
 * The supervisor's home (issue 15, item 2): the branch in numbers. Every number a click opens as a
 * ticket list is counted with the list's own planner (`planList` + `countPlan`) on the very
 * question the click opens, so the number on the home and the count on the list cannot disagree
 * (test/unit/core/supervisor-home.test.ts checks it over random workspaces through the API).
 * The rest are read from the audit log's time index (one week of entries) and the SLA report.
 */
import { savedQuestionSchema } from '../../shared/contract';
import { zoneOffsetMs } from '../../shared/calendar';
import { TIERS, type Severity, type Status } from '../../shared/domain';
import type { ListQuestion, SupervisorHome, SupervisorNumber } from '../../shared/types';
import type { Emergency } from '../emergency';
import type { CsatRow } from '../../shared/reports';
import { csatByWeek, csatSql } from './period';
import { periodKeySql, slaTrendByWeek } from './sla';
import { anyBlocked } from '../personal-data/visibility';
import { COUNT_BOUND } from '../keyset';
import { countPlan, countPlanByAssignee, planList } from '../ticket-list';
import type { Users } from '../users';
import type { Workspace } from '../workspace';

const DAY_MS = 24 * 3600_000;
/** Not closed: the backlog. */
const OPEN_WORK: Status[] = ['open', 'waiting'];
const SEVERITIES: Severity[] = [1, 2, 3];
/** Roles whose open tickets make the workload table. */
const WORKLOAD_ROLES = ['agent', 'operations', 'development'] as const;
/** Weeks in the compliance trend, the current one included. */
export const TREND_WEEKS = 8;

/** Monday 00:00 of the week holding `now`, in the branch's time zone. */
export function weekStart(now: number, timeZone: string): number {
  const offset = zoneOffsetMs(timeZone, now);
  const local = new Date(now + offset);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  const mondayWall = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - daysSinceMonday);
  return mondayWall - zoneOffsetMs(timeZone, mondayWall - offset);
}

export function supervisorHome(
  ws: Workspace, users: Users, emergency: Emergency, actorId: string, timeZone: string,
): SupervisorHome {
  const now = ws.now();
  // Blocked customers' tickets (derechos ARCO) are left out, as the list leaves them out.
  const hideBlocked = anyBlocked(ws);
  /** A number and the list question that shows exactly those tickets. */
  const counted = (fields: Partial<ListQuestion>): SupervisorNumber => {
    const question = savedQuestionSchema.parse(fields);
    const { total, totalCapped } = countPlan(ws, planList(actorId, { ...question, limit: 1 }, now, hideBlocked));
    return { count: total, capped: totalCapped, question };
  };

  const backlog = TIERS.flatMap((tier) => SEVERITIES.map((severity) => ({
    tier, severity, ...counted({ view: 'all', status: OPEN_WORK, tier: [tier], severity: [severity] }),
  })));
  // "Vencidos" per person: the Vencidos plan walked once and grouped by assignee — the same count as
  // the plan with the person's filter (countPlan), which read every overdue ticket once per person.
  const overdueQuestion = savedQuestionSchema.parse({ view: 'overdue', sort: 'slaDue', direction: 'asc' });
  const overdueBy = countPlanByAssignee(ws, planList(actorId, { ...overdueQuestion, limit: 1 }, now, hideBlocked));
  const bounded = (n: number, question: ListQuestion): SupervisorNumber => ({ count: Math.min(n, COUNT_BOUND), capped: n > COUNT_BOUND, question });
  const overdueOf = (userId: string) => bounded(overdueBy.get(userId) ?? 0, savedQuestionSchema.parse({ ...overdueQuestion, assigneeId: userId }));
  const workload = users.directory()
    .filter((u) => u.roles.some((r) => (WORKLOAD_ROLES as readonly string[]).includes(r)))
    .map((u) => ({
      userId: u.id,
      name: u.fullName,
      open: counted({ view: 'all', status: OPEN_WORK, assigneeId: u.id, sort: 'slaDue', direction: 'asc' }),
      overdue: overdueOf(u.id),
    }))
    .sort((a, b) => b.open.count - a.open.count || a.name.localeCompare(b.name, 'es'));

  const since = weekStart(now, timeZone);
  const actionsSince = (action: string) =>
    ws.sql('SELECT COUNT(*) FROM audit_chain WHERE at >= ? AND action = ?').pluck().get(since, action) as number;
  const trendFrom = since - (TREND_WEEKS - 1) * 7 * DAY_MS;
  // Only the weekly compliance: the full report's other groupings and breach list are not shown here.
  const trend = slaTrendByWeek(ws.db, trendFrom, now + 1, now, timeZone);

  const satisfaction = csatSince(ws, trendFrom, now, timeZone);
  const rated = (rating: number[]) => counted({ view: 'all', rating, ratedSince: trendFrom, sort: 'updatedAt', direction: 'desc' });

  return {
    now,
    weekStart: since,
    backlog,
    openTotal: counted({ view: 'all', status: OPEN_WORK }),
    unassigned: counted({ view: 'unassigned', sort: 'slaDue', direction: 'asc' }),
    // Everyone's Vencidos, assigned or not: the same walk's sum.
    overdue: bounded([...overdueBy.values()].reduce((a, b) => a + b, 0), overdueQuestion),
    dueSoon: counted({ view: 'dueSoon', sort: 'slaDue', direction: 'asc' }),
    breachesThisWeek: ws.sql('SELECT COUNT(*) FROM sla_breaches WHERE due_at >= ? AND due_at <= ?').pluck().get(since, now) as number,
    closedThisWeek: actionsSince('ticket.closed') + actionsSince('ticket.autoClosed'),
    autoClosedThisWeek: actionsSince('ticket.autoClosed'),
    reopenedThisWeek: actionsSince('ticket.reopened'),
    unreviewedEmergencySessions: emergency.reviewQueue().length,
    workload,
    trend,
    csat: { ...satisfaction, satisfied: rated([4, 5]), dissatisfied: rated([1, 2]), since: trendFrom },
  };
}

/**
 * The satisfaction trend since `from`: answers by local day (satisfaction_surveys_answered range)
 * folded into ISO weeks, and the tickets closed since then (audit_log_action ranges) — the
 * surveys sent — for the response rate.
 */
function csatSince(ws: Workspace, from: number, now: number, timeZone: string): Omit<SupervisorHome['csat'], 'satisfied' | 'dissatisfied' | 'since'> {
  const days = ws.db.prepare(csatSql(periodKeySql('day', timeZone, from, now + 1, 'v.answered_at'), false)).all({ from, to: now + 1 }) as CsatRow[];
  const trend = csatByWeek(days).map(({ key, answered, ratingSum, satisfied, dissatisfied }) => ({ key, answered, ratingSum, satisfied, dissatisfied }));
  const closed = ws.sql("SELECT COUNT(*) FROM audit_chain WHERE action IN ('ticket.closed', 'ticket.autoClosed') AND at >= ? AND at <= ?").pluck().get(from, now) as number;
  return { trend, answered: trend.reduce((n, w) => n + w.answered, 0), closed };
}
