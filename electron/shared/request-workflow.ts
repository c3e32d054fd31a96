/**
 * Access-control and sensitive-data change requests (seed 001 §04 and §05) as data: the kinds, the
 * state machine, who must approve, the credit-package checklist, who may implement and what an
 * emergency account may call. Pure: core enforces these rules, the UI reads them to show what
 * comes next. No Node, DOM or Electron imports.
 */
import type { Role } from './domain';

/** accessRequest, sensitiveChangeRequest, service suspension, creditPackageChange (PRODUCT.md glossary). */
export const CHANGE_REQUEST_KINDS = ['access_control', 'sensitive_change', 'service_suspension', 'credit_package_change'] as const;
export type ChangeRequestKind = (typeof CHANGE_REQUEST_KINDS)[number];

/** Alta, baja and cambio de clave of a user of the customer's portal. */
export const ACCESS_OPERATIONS = ['grant', 'revoke', 'reset_password'] as const;
export type AccessOperation = (typeof ACCESS_OPERATIONS)[number];

/** The fields a sensitive-change request may propose (seed 001 §04: RFC, razón social, dirección, teléfono, correo). */
export const SENSITIVE_FIELDS = ['rfc', 'name', 'fiscalAddress', 'phone', 'registeredEmail'] as const;
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

export const SERVICE_STATUSES = ['active', 'suspended'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** borrador, en revisión, aprobada, rechazada, en implementación, implementada, revisada, cancelada. */
export const REQUEST_STATES = [
  'draft',
  'in_review',
  'approved',
  'rejected',
  'in_implementation',
  'implemented',
  'reviewed',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const REQUEST_ACTIONS = ['submit', 'approve', 'reject', 'start_implementation', 'complete', 'review', 'cancel'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/**
 * The whole state machine: from each state, the actions allowed and where they lead. Anything not
 * listed is refused. `approve` fires once every required approval is in (see requiredApprovals);
 * `start_implementation` when the implementer first signs in with the emergency account;
 * `complete` when the change is applied. Cancelable only before implementation starts.
 */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestState, Readonly<Partial<Record<RequestAction, RequestState>>>>> = {
  draft: { submit: 'in_review', cancel: 'cancelled' },
  in_review: { approve: 'approved', reject: 'rejected', cancel: 'cancelled' },
  approved: { start_implementation: 'in_implementation', cancel: 'cancelled' },
  rejected: {},
  in_implementation: { complete: 'implemented' },
  implemented: { review: 'reviewed' },
  reviewed: {},
  cancelled: {},
};

/** The state `action` leads to from `from`, or null when the table does not allow it. */
export function nextState(from: RequestState, action: RequestAction): RequestState | null {
  return REQUEST_TRANSITIONS[from]?.[action] ?? null;
}

export function allowedActions(from: RequestState): RequestAction[] {
  return REQUEST_ACTIONS.filter((a) => nextState(from, a) !== null);
}

export function isFinal(state: RequestState): boolean {
  return allowedActions(state).length === 0;
}

export const APPROVER_ROLES = ['information_owner', 'security_officer', 'it_head'] as const satisfies readonly Role[];
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** The information owner and the security officer always; the IT head too for a credit-package change (seed 001 §05). */
export function requiredApprovals(kind: ChangeRequestKind): ApproverRole[] {
  return kind === 'credit_package_change' ? ['information_owner', 'security_officer', 'it_head'] : ['information_owner', 'security_officer'];
}

/** Who makes a credit-package change: the organization's own staff, the provider or a third party (seed 001 §05 b). */
export const CHANGE_MODIFIERS = ['own_staff', 'provider', 'third_party'] as const;
export type ChangeModifier = (typeof CHANGE_MODIFIERS)[number];

/** The IT head's checklist for a credit-package change (seed 001 §05 a–c, plus keeping the original). */
export interface CreditPackageChecklist {
  /** a) the licence terms allow the modification */
  licenseAllows: boolean;
  /** b) who will make it */
  modifiedBy: ChangeModifier;
  /** c) the impact was evaluated, and what it is */
  impactEvaluated: boolean;
  impact: string;
  /** the original package was kept and the change documented */
  originalKept: boolean;
  changeDocumented: boolean;
}

/** The checklist items that are not affirmative; all four must be for the IT head to authorize. */
export function checklistProblems(c: CreditPackageChecklist): Array<keyof CreditPackageChecklist> {
  const problems: Array<keyof CreditPackageChecklist> = [];
  if (!c.licenseAllows) problems.push('licenseAllows');
  if (!(CHANGE_MODIFIERS as readonly string[]).includes(c.modifiedBy)) problems.push('modifiedBy');
  if (!c.impactEvaluated) problems.push('impactEvaluated');
  if (c.impact.trim() === '') problems.push('impact');
  if (!c.originalKept) problems.push('originalKept');
  if (!c.changeDocumented) problems.push('changeDocumented');
  return problems;
}

export type ImplementerProblem =
  | 'requests.implementerInactive'
  | 'requests.implementerFromDevelopment'
  | 'requests.implementerIsApprover'
  | 'requests.implementerIsRegistrant';

/**
 * Why a person may not implement a request (seed 001 §04 d), or null: the implementer is active,
 * is not from Development, and neither approved nor registered the request.
 */
export function implementerProblem(
  candidate: { id: string; roles: readonly Role[]; active: boolean },
  request: { registrantId: string; approverIds: readonly string[] },
): ImplementerProblem | null {
  if (!candidate.active) return 'requests.implementerInactive';
  if (request.approverIds.includes(candidate.id)) return 'requests.implementerIsApprover';
  if (candidate.id === request.registrantId) return 'requests.implementerIsRegistrant';
  if (candidate.roles.includes('development')) return 'requests.implementerFromDevelopment';
  return null;
}

/** Where the implementer could not be separated from Development, a second reviewer with one of these roles signs off. */
export const SECOND_REVIEWER_ROLES = ['security_officer', 'supervisor'] as const satisfies readonly Role[];

/** Everything a session opened with an emergency account may call — and only for its own request. */
export const EMERGENCY_SCOPE = ['requests.get', 'requests.apply', 'customers.get', 'auth.me', 'auth.signOut'] as const;

/** The longest validity window of an emergency account unless the organization sets another. */
export const DEFAULT_EMERGENCY_MAX_HOURS = 8;
export const EMERGENCY_REVIEW_OUTCOMES = ['signed_off', 'finding'] as const;
export type EmergencyReviewOutcome = (typeof EMERGENCY_REVIEW_OUTCOMES)[number];
