import { describe, expect, it } from 'vitest';
import type { Role } from '../../../electron/shared/domain';
import {
  allowedActions, checklistProblems, implementerProblem, isFinal, nextState, REQUEST_ACTIONS, REQUEST_STATES, requiredApprovals,
  type CreditPackageChecklist, type RequestAction, type RequestState,
} from '../../../electron/shared/request-workflow';

/**
 * The state machine written out by hand from issue 4 (not derived from REQUEST_TRANSITIONS):
 * borrador → en revisión → aprobada | rechazada → en implementación → implementada → revisada,
 * cancelable before implementation. Every pair not listed must be refused.
 */
const ALLOWED: Array<[RequestState, RequestAction, RequestState]> = [
  ['draft', 'submit', 'in_review'],
  ['draft', 'cancel', 'cancelled'],
  ['in_review', 'approve', 'approved'],
  ['in_review', 'reject', 'rejected'],
  ['in_review', 'cancel', 'cancelled'],
  ['approved', 'start_implementation', 'in_implementation'],
  ['approved', 'cancel', 'cancelled'],
  ['in_implementation', 'complete', 'implemented'],
  ['implemented', 'review', 'reviewed'],
];

const ALL_PAIRS = REQUEST_STATES.flatMap((s) => REQUEST_ACTIONS.map((a) => [s, a] as const));

describe('request state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, action, to) => {
    expect(nextState(from, action)).toBe(to);
  });

  const forbidden = ALL_PAIRS.filter(([s, a]) => !ALLOWED.some(([fs, fa]) => fs === s && fa === a));
  it.each(forbidden)('%s refuses %s', (from, action) => {
    expect(nextState(from, action)).toBeNull();
  });

  it('covers all 8 states × 7 actions: 9 allowed, 47 forbidden', () => {
    expect(ALL_PAIRS).toHaveLength(56);
    expect(forbidden).toHaveLength(47);
  });

  it('rejected, reviewed and cancelled are final; nothing is cancelable once implementation starts', () => {
    expect(REQUEST_STATES.filter(isFinal)).toEqual(['rejected', 'reviewed', 'cancelled']);
    expect(REQUEST_STATES.filter((s) => nextState(s, 'cancel') !== null)).toEqual(['draft', 'in_review', 'approved']);
    expect(allowedActions('in_implementation')).toEqual(['complete']);
  });
});

describe('approvals required', () => {
  it('information owner and security officer; the IT head too for a credit-package change', () => {
    expect(requiredApprovals('sensitive_change')).toEqual(['information_owner', 'security_officer']);
    expect(requiredApprovals('access_control')).toEqual(['information_owner', 'security_officer']);
    expect(requiredApprovals('service_suspension')).toEqual(['information_owner', 'security_officer']);
    expect(requiredApprovals('credit_package_change')).toEqual(['information_owner', 'security_officer', 'it_head']);
  });
});

describe('credit-package checklist (seed 001 §05)', () => {
  const complete: CreditPackageChecklist = {
    licenseAllows: true, modifiedBy: 'provider', impactEvaluated: true, impact: 'Sin impacto en timbrado', originalKept: true, changeDocumented: true,
  };

  it('all affirmative passes', () => {
    expect(checklistProblems(complete)).toEqual([]);
    expect(checklistProblems({ ...complete, modifiedBy: 'own_staff' })).toEqual([]);
    expect(checklistProblems({ ...complete, modifiedBy: 'third_party' })).toEqual([]);
  });

  it.each([
    [{ licenseAllows: false }, ['licenseAllows']],
    [{ impactEvaluated: false }, ['impactEvaluated']],
    [{ impact: '   ' }, ['impact']],
    [{ originalKept: false }, ['originalKept']],
    [{ changeDocumented: false }, ['changeDocumented']],
    [{ modifiedBy: 'nobody' }, ['modifiedBy']],
    [{ licenseAllows: false, originalKept: false }, ['licenseAllows', 'originalKept']],
  ] as Array<[Partial<CreditPackageChecklist>, string[]]>)('%j is refused for %j', (change, problems) => {
    expect(checklistProblems({ ...complete, ...change })).toEqual(problems);
  });
});

describe('who may implement (seed 001 §04 d)', () => {
  const request = { registrantId: 'agent-1', approverIds: ['owner-1', 'officer-1'] };
  const person = (id: string, roles: Role[], active = true) => ({ id, roles, active });

  it.each([
    ['an operations specialist', person('ops-1', ['operations']), null],
    ['a supervisor', person('sup-1', ['supervisor']), null],
    ['someone from Development', person('dev-1', ['development']), 'requests.implementerFromDevelopment'],
    ['Development among other roles', person('dev-2', ['operations', 'development']), 'requests.implementerFromDevelopment'],
    ['an approver', person('owner-1', ['information_owner']), 'requests.implementerIsApprover'],
    ['the registrant', person('agent-1', ['agent']), 'requests.implementerIsRegistrant'],
    ['an inactive user', person('ops-2', ['operations'], false), 'requests.implementerInactive'],
  ] as const)('%s → %s', (_label, candidate, problem) => {
    expect(implementerProblem(candidate, request)).toBe(problem);
  });
});
