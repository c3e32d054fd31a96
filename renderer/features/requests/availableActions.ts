/**
 * Which decisions the current user is offered on a request. This only decides what to show:
 * core enforces the same rules (and refuses, with a reason, whatever slips through).
 */
import type { Role } from '../../../electron/shared/domain';
import type { ChangeRequest, ImplementerOptions } from '../../../electron/shared/request-types';
import {
  implementerProblem, SECOND_REVIEWER_ROLES, type ApproverRole, type ImplementerProblem,
} from '../../../electron/shared/request-workflow';
import type { UserSummary } from '../../../electron/shared/types';
import { accountStatus } from './RequestSections';

export const COORDINATOR_ROLES: Role[] = ['security_officer', 'information_owner', 'supervisor'];

export interface RequestActions {
  submit: boolean;
  approveAs: ApproverRole[];
  cancel: boolean;
  designate: boolean;
  createEmergency: boolean;
  revoke: boolean;
  secondReview: boolean;
  markReviewed: boolean;
}

export function availableActions(r: ChangeRequest, me: Pick<UserSummary, 'id' | 'roles'>): RequestActions {
  const has = (...roles: Role[]) => roles.some((x) => me.roles.includes(x));
  const decidedByMe = r.decisions.some((d) => (d.decision === 'approve' || d.decision === 'reject') && d.actorId === me.id);
  const approveAs = r.state === 'in_review' && r.createdBy !== me.id && !decidedByMe
    ? r.requiredApprovals.filter((role) => me.roles.includes(role) && !r.approvals.some((a) => a.role === role))
    : [];
  const live = r.emergencyAccounts.some((a) => accountStatus(a) === 'live');
  return {
    submit: r.state === 'draft' && (r.createdBy === me.id || has('supervisor')),
    approveAs,
    cancel: r.allowedActions.includes('cancel') && (r.createdBy === me.id || has('supervisor', 'security_officer')),
    designate: r.state === 'approved' && r.emergencyAccounts.length === 0 && has(...COORDINATOR_ROLES),
    createEmergency: (r.state === 'approved' || r.state === 'in_implementation') && has('security_officer') && r.implementerId !== null
      && r.implementerId !== me.id && !live,
    revoke: has('security_officer') && live,
    secondReview: r.state === 'implemented' && r.controlAdicional && r.secondReview === null && r.implementerId !== me.id
      && has(...SECOND_REVIEWER_ROLES),
    markReviewed: r.state === 'implemented' && has('security_officer') && r.implementerId !== me.id,
  };
}

export interface IneligiblePerson {
  user: UserSummary;
  problem: ImplementerProblem;
}

/** Everyone in the directory who may not implement this request, and why (shared/request-workflow rule). */
export function ineligibleImplementers(r: ChangeRequest, directory: readonly UserSummary[], options: ImplementerOptions | null): IneligiblePerson[] {
  const rule = { registrantId: r.createdBy, approverIds: r.approvals.map((a) => a.actorId) };
  const fallback = new Set(options?.fallback.map((u) => u.id) ?? []);
  const out: IneligiblePerson[] = [];
  for (const user of directory) {
    if (fallback.has(user.id)) continue;
    const problem = implementerProblem(user, rule);
    if (problem) out.push({ user, problem });
  }
  return out;
}
