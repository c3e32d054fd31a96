/**
 * The change-request process through sync (issue 11, item 5), decided on the server with the same
 * state machine and approval rules the branches use (shared/request-workflow.ts). A decision made
 * at one branch is replayed against the request as the server holds it: an approval that arrives
 * after the request was rejected, cancelled or decided elsewhere is refused with its reason, as is
 * a second decision in a role another branch already decided or a second approval by the same
 * person. The server itself moves the request to its next state when a decision completes a step
 * (two approvals made at two branches, neither knowing of the other, approve it), and after a
 * refusal it sends the request's state as it holds it, so the refused branch corrects itself at
 * its next pull. A registered request makes its ticket visible to every branch (the approvers sit
 * anywhere): the ticket as it stands goes into the feed just before the request.
 */
import { type Role } from '../../electron/shared/domain';
import {
  checklistProblems, nextState, requiredApprovals, type ChangeRequestKind, type RequestAction, type RequestState,
} from '../../electron/shared/request-workflow';
import { creditPackageChecklistSchema } from '../../electron/shared/contract';
import { mergeFields, type MergedRow } from '../../electron/shared/sync/merge';
import {
  changeRequestDecisionSchema, changeRequestInsertSchema, changeRequestUpdateSchema, emergencyAccountInsertSchema, emergencyAccountUpdateSchema,
  emergencyReviewSchema, type DecisionPayload,
} from '../../electron/shared/sync/payloads';
import type { Mutation } from '../../electron/shared/sync/protocol';
import type { Sql } from '../db';
import type { DeviceRow } from './enrol';
import { serverChange } from './identity';

/** Entities replayed through the request state machine (never through the bulk path). */
export const REQUEST_ENTITIES = new Set(['change_request', 'change_request_decision', 'emergency_account', 'emergency_review']);

/** Reasons of a refusal by the request rules (shown in the app's list of rejected changes). */
export const REQUEST_REASONS = {
  /** The request is no longer where this decision applies: rejected, cancelled or decided at another branch first. */
  decided: 'sync.requestDecided',
  /** Another person already decided in that role. */
  roleDecided: 'sync.requestRoleDecided',
  /** Two approvals of one request must come from two people. */
  samePerson: 'sync.requestSamePerson',
  /** Registrant approving, a role the person does not hold, a checklist not complete… */
  notAllowed: 'sync.requestNotAllowed',
  /** The server holds no such request (its registration was refused). */
  unknown: 'sync.requestUnknown',
  badPayload: 'sync.badPayload',
} as const;

interface HeldRequest {
  kind: ChangeRequestKind;
  state: RequestState;
  createdBy: string | null;
  ticketId: string;
  row: MergedRow;
}

async function heldRequest(sql: Sql, requestId: string): Promise<HeldRequest | null> {
  const [r] = await sql.query<MergedRow>("SELECT data, versions FROM entities WHERE entity = 'change_request' AND entity_id = $1 FOR UPDATE", [requestId]);
  if (!r) return null;
  return {
    kind: r.data.kind as ChangeRequestKind, state: r.data.state as RequestState, createdBy: (r.data.createdBy as string | undefined) ?? null,
    ticketId: String(r.data.ticketId), row: r,
  };
}

async function heldDecisions(sql: Sql, requestId: string): Promise<DecisionPayload[]> {
  const rows = await sql.query<{ data: DecisionPayload }>(
    "SELECT data FROM entities WHERE entity = 'change_request_decision' AND data->>'requestId' = $1 ORDER BY updated_seq", [requestId],
  );
  return rows.map((r) => r.data);
}

/** The request a mutation of these entities belongs to. */
function requestIdOf(m: Mutation): string | null {
  if (m.entity === 'change_request') return m.entityId;
  return typeof m.payload.requestId === 'string' ? m.payload.requestId : null;
}

/** Which state-machine action a decision is (the ones that move the request), and where it must stand for the others. */
const DECISION_ACTION: Partial<Record<DecisionPayload['decision'], RequestAction>> = {
  submit: 'submit', approve: 'approve', reject: 'reject', cancel: 'cancel', apply: 'complete', review: 'review',
};

/**
 * Why the request rules refuse this (already permitted) mutation, or null. `roles` are the acting
 * user's as the server knows them.
 */
export async function requestRefusal(sql: Sql, m: Mutation, roles: readonly Role[]): Promise<string | null> {
  switch (m.entity) {
    case 'change_request': {
      if (m.op === 'insert') {
        const p = changeRequestInsertSchema.safeParse(m.payload);
        return p.success && p.data.state === 'draft' ? null : REQUEST_REASONS.badPayload;
      }
      const p = changeRequestUpdateSchema.safeParse(m.payload);
      if (!p.success) return REQUEST_REASONS.badPayload;
      const req = await heldRequest(sql, m.entityId);
      if (!req) return REQUEST_REASONS.unknown;
      // The state follows the decisions, which the server replays first (they precede the state in
      // the outbox); a branch may only confirm it, or start the implementation (the emergency sign-in).
      if (p.data.state !== undefined && p.data.state !== req.state && nextState(req.state, 'start_implementation') !== p.data.state) {
        return REQUEST_REASONS.decided;
      }
      if (p.data.implementerId !== undefined && req.state !== 'approved' && req.state !== 'in_implementation') return REQUEST_REASONS.decided;
      return null;
    }
    case 'change_request_decision': {
      const p = changeRequestDecisionSchema.safeParse(m.payload);
      if (!p.success || m.op !== 'insert') return REQUEST_REASONS.badPayload;
      if (p.data.actorId !== m.actorId) return REQUEST_REASONS.notAllowed;
      const req = await heldRequest(sql, p.data.requestId);
      if (!req) return REQUEST_REASONS.unknown;
      return decisionRefusal(p.data, req, await heldDecisions(sql, p.data.requestId), roles, m);
    }
    case 'emergency_account': {
      const p = (m.op === 'insert' ? emergencyAccountInsertSchema : emergencyAccountUpdateSchema).safeParse(m.payload);
      if (!p.success) return REQUEST_REASONS.badPayload;
      if (m.op === 'update') return null; // an end (expiry, revocation, lockout) is always taken
      const req = await heldRequest(sql, (p.data as { requestId: string }).requestId);
      if (!req) return REQUEST_REASONS.unknown;
      return req.state === 'approved' || req.state === 'in_implementation' ? null : REQUEST_REASONS.decided;
    }
    case 'emergency_review': {
      const p = emergencyReviewSchema.safeParse(m.payload);
      if (!p.success || p.data.reviewerId !== m.actorId) return REQUEST_REASONS.badPayload;
      const [account] = await sql.query("SELECT 1 FROM entities WHERE entity = 'emergency_account' AND entity_id = $1", [p.data.accountId]);
      return account ? null : REQUEST_REASONS.unknown;
    }
    default:
      return null;
  }
}

/** The rules of Requests (core/requests.ts) for one decision, against the request and decisions the server holds. */
function decisionRefusal(d: DecisionPayload, req: HeldRequest, prior: DecisionPayload[], roles: readonly Role[], m: Mutation): string | null {
  const action = DECISION_ACTION[d.decision];
  if (action && nextState(startedIfApplied(d, req.state), action) === null) return REQUEST_REASONS.decided;
  switch (d.decision) {
    case 'submit':
      return d.actorId === req.createdBy || roles.includes('supervisor') ? null : REQUEST_REASONS.notAllowed;
    case 'approve':
    case 'reject': {
      const role = d.role as Role | null;
      if (role === null || !(requiredApprovals(req.kind) as Role[]).includes(role) || !roles.includes(role)) return REQUEST_REASONS.notAllowed;
      if (d.actorId === req.createdBy) return REQUEST_REASONS.notAllowed;
      const decided = prior.filter((x) => x.decision === 'approve' || x.decision === 'reject');
      if (decided.some((x) => x.role === role)) return REQUEST_REASONS.roleDecided;
      if (decided.some((x) => x.actorId === d.actorId)) return REQUEST_REASONS.samePerson;
      if (d.decision === 'approve' && role === 'it_head') {
        const checklist = creditPackageChecklistSchema.safeParse(d.data.checklist);
        if (!checklist.success || checklistProblems(checklist.data).length > 0) return REQUEST_REASONS.notAllowed;
      }
      return null;
    }
    case 'cancel':
      return d.actorId === req.createdBy || roles.includes('supervisor') || roles.includes('security_officer') ? null : REQUEST_REASONS.notAllowed;
    case 'designate':
      return req.state === 'approved' || req.state === 'in_implementation' ? null : REQUEST_REASONS.decided;
    case 'apply':
      return m.actorKind === 'emergency' ? null : REQUEST_REASONS.notAllowed;
    case 'second_review':
      if (req.state !== 'implemented') return REQUEST_REASONS.decided;
      return prior.some((x) => x.decision === 'second_review') ? REQUEST_REASONS.roleDecided : null;
    case 'review':
      return null;
  }
}

/**
 * The state a decision is replayed from. The implementation starts when the implementer first signs
 * in with the emergency account, which records no decision — only the request's state, and a
 * branch's outbox keeps just the last unsent value of a field (core/workspace.ts): "en
 * implementación" may never reach the server before "implementada". So an application made with
 * the account of an approved request starts its implementation too.
 */
function startedIfApplied(d: Pick<DecisionPayload, 'decision'>, state: RequestState): RequestState {
  return d.decision === 'apply' && state === 'approved' ? nextState(state, 'start_implementation')! : state;
}

/**
 * After a request mutation was applied: who registered it is kept beside the request (the rules
 * need it), and a decision that completes a step moves the request on the server, which tells
 * every branch.
 */
export async function afterRequestApplied(sql: Sql, device: DeviceRow, m: Mutation, now: number): Promise<void> {
  if (m.entity === 'change_request' && m.op === 'insert') {
    await sql.query("UPDATE entities SET data = data || jsonb_build_object('createdBy', $2::text) WHERE entity = 'change_request' AND entity_id = $1", [m.entityId, m.actorId]);
    return;
  }
  if (m.entity !== 'change_request_decision') return;
  const d = m.payload as DecisionPayload;
  const req = await heldRequest(sql, d.requestId);
  if (!req) return;
  let to: RequestState | null = null;
  const action = DECISION_ACTION[d.decision];
  if (d.decision === 'approve') {
    const approved = new Set((await heldDecisions(sql, d.requestId)).filter((x) => x.decision === 'approve').map((x) => x.role));
    if (requiredApprovals(req.kind).every((r) => approved.has(r))) to = nextState(req.state, 'approve');
  } else if (action) {
    to = nextState(startedIfApplied(d, req.state), action);
  }
  if (to === null || to === req.state) return;
  await setState(sql, m, d.requestId, req.row, to);
  await serverChange(sql, device, m, 'change_request', d.requestId, 'update', { state: to }, now);
}

async function setState(sql: Sql, m: Mutation, requestId: string, row: MergedRow, state: RequestState): Promise<void> {
  const merged = mergeFields(row, { state }, m.hlc);
  await sql.query("UPDATE entities SET data = $2, versions = $3 WHERE entity = 'change_request' AND entity_id = $1",
    [requestId, JSON.stringify(merged.data), JSON.stringify(merged.versions)]);
}

/**
 * After the request rules refused a mutation: the request as the server holds it goes to every
 * branch, so the one whose decision was refused takes the state the organization agreed on.
 */
export async function afterRequestRefused(sql: Sql, device: DeviceRow, m: Mutation, now: number): Promise<void> {
  const requestId = requestIdOf(m);
  if (!requestId) return;
  const req = await heldRequest(sql, requestId);
  if (req) await serverChange(sql, device, m, 'change_request', requestId, 'update', { state: req.state }, now);
}
