/** Data shapes of change requests, emergency accounts and the audit log API. Times are epoch ms (UTC). */
import type { Role } from './domain';
import type {
  AccessOperation, ApproverRole, ChangeRequestKind, CreditPackageChecklist, EmergencyReviewOutcome, RequestAction,
  RequestState, ServiceStatus,
} from './request-workflow';
import type { AttachmentInfo, FiscalAddress, UserSummary } from './types';

/** What a request proposes, normalized (only the fields that really change). */
export interface ProposedValues {
  rfc?: string;
  name?: string;
  fiscalAddress?: FiscalAddress;
  /** The phone of the requesting legal representative. */
  phone?: string;
  registeredEmail?: string;
  serviceStatus?: ServiceStatus;
  creditPackage?: string;
  access?: { operation: AccessOperation; portalUsername: string };
}

/** One line of the before/after diff. */
export interface FieldDiff {
  field: string;
  before: unknown;
  after: unknown;
}

export type RequestDecisionKind = 'submit' | 'approve' | 'reject' | 'cancel' | 'designate' | 'apply' | 'second_review' | 'review';

export interface RequestDecision {
  id: string;
  decision: RequestDecisionKind;
  role: Role | null;
  actorId: string;
  actorName: string | null;
  comment: string;
  data: Record<string, unknown>;
  createdAt: number;
}

export interface EmergencyAccountInfo {
  id: string;
  requestId: string;
  /**
   * Null for whoever does not need it (issue 10, finding 8): only the person it is issued to and
   * the approvers who review it (information owner, security officer, IT head) see it.
   */
  username: string | null;
  implementerId: string;
  implementerName: string | null;
  createdBy: string;
  startsAt: number;
  endsAt: number;
  /** Set when the account stopped working before or at its end: expired, revoked, locked or signed out ("Terminar sesión"). */
  disabledAt: number | null;
  disabledReason: 'expired' | 'revoked' | 'locked' | 'signed_out' | null;
  firstUsedAt: number | null;
  /** The latest review by the security officer, if any. */
  review: { outcome: EmergencyReviewOutcome; comment: string; reviewerId: string; reviewedAt: number } | null;
  createdAt: number;
}

export interface ChangeRequestSummary {
  id: string;
  kind: ChangeRequestKind;
  state: RequestState;
  customerId: string;
  customerName: string;
  rfc: string;
  ticketId: string;
  trackingNumber: string;
  createdBy: string;
  createdByName: string | null;
  controlAdicional: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ChangeRequest extends ChangeRequestSummary {
  requesterContactId: string;
  requesterName: string;
  fromEmail: string;
  reason: string;
  signedForm: AttachmentInfo | null;
  proposed: ProposedValues;
  /** Before: the customer's values now (or, once applied, the values it had just before). After: the proposal. */
  diff: FieldDiff[];
  checklist: CreditPackageChecklist | null;
  requiredApprovals: ApproverRole[];
  approvals: Array<{ role: ApproverRole; actorId: string; actorName: string | null; comment: string; at: number }>;
  implementerId: string | null;
  implementerName: string | null;
  secondReview: { actorId: string; actorName: string | null; comment: string; at: number } | null;
  decisions: RequestDecision[];
  emergencyAccounts: EmergencyAccountInfo[];
  allowedActions: RequestAction[];
  implementedAt: number | null;
  reviewedAt: number | null;
}

export interface ChangeRequestPage {
  total: number;
  rows: ChangeRequestSummary[];
}

export interface ImplementerOptions {
  /** People who satisfy every rule. */
  eligible: UserSummary[];
  /** True when nobody does: someone from Development may implement, with control adicional. */
  controlAdicional: boolean;
  /** Who may be designated under control adicional (empty when `eligible` is not). */
  fallback: UserSummary[];
}

/** What `auth.me` adds while signed in with an emergency account (the UI shows a persistent banner). */
export interface EmergencySessionInfo {
  accountId: string;
  requestId: string;
  username: string;
  endsAt: number;
}

/** The password is returned once, here; only its scrypt hash is stored. */
export interface EmergencyAccountCreated {
  account: EmergencyAccountInfo & { username: string };
  password: string;
}

export interface EmergencySettings {
  maxHours: number;
}

/** An audit entry as the API shows it: `data` parsed, the actor's name resolved, the hashes kept. */
export interface AuditRecord {
  seq: number;
  id: string;
  deviceId: string;
  at: number;
  actorId: string | null;
  actorName: string | null;
  actorKind: string;
  action: string;
  entity: string;
  entityId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  rows: AuditRecord[];
  /** Where the next page starts (pass it as `cursor`), or null on the last page. */
  nextCursor: string | null;
  /** With the first page only: exact up to 10,000; beyond it the bound, with `totalCapped`. */
  total: number | null;
  totalCapped: boolean;
}

/** Per device chain in an export: where it starts and ends, so a third party can check nothing is missing. */
export interface AuditExportChain {
  deviceId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  /** prev_hash of the first exported entry (the genesis hash when the export starts the chain). */
  startPrevHash: string;
  endHash: string;
}

export interface AuditExportFile {
  fileName: string;
  format: 'csv' | 'jsonl';
  mimeType: string;
  content: string;
  count: number;
  sha256: string;
  chains: AuditExportChain[];
}

/** `sign_in_after_end`: a correct password for an account already over (signed out, revoked, expired). */
export type EmergencyAnomalyKind = 'out_of_scope' | 'after_expiry' | 'failed_sign_in' | 'lockout' | 'sign_in_after_end';

export interface EmergencyReviewItem {
  account: EmergencyAccountInfo;
  request: ChangeRequestSummary;
  timeline: AuditRecord[];
  changes: FieldDiff[];
  anomalies: Array<{ kind: EmergencyAnomalyKind; seq: number; at: number; detail: Record<string, unknown> }>;
}

export interface OverdueEmergencyReview {
  account: EmergencyAccountInfo;
  request: ChangeRequestSummary;
  endedAt: number;
  daysWaiting: number;
}
