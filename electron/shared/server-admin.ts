/**
 * The central server's administration pages (issue 11): the forms' schemas, shared by the pages
 * (admin/) and the server's routes (server/admin/), so both refuse the same input with the same
 * translated message keys; and the shapes the routes answer with. The password rule is the app's
 * (shared/password-policy.ts, plus the common-password list the server checks); user names and
 * site codes follow the app's setup so every branch can take what the server creates.
 */
import { z } from 'zod';
import { signInSchema, userCreateSchema } from './contract';
import type { Role } from './domain';
import { passwordProblem } from './password-policy';
import { str, uuid } from './text';

const required = 'validation.required';
const text = (max: number) => str().trim().min(1, required).max(max, 'validation.tooLong');
/** The app's own rules for a new password and a user name (its user form): the same names and passwords work at every branch. */
const password = userCreateSchema.shape.password;
const adminUsername = userCreateSchema.shape.username;
/** The app's site-code rule (its first-run setup): a branch's device must be able to carry it. */
export const branchCode = str().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{2,6}$/, 'validation.branchCode'));

function newPasswordRules<T extends { username: string; password: string; confirmPassword: string }>(v: T, ctx: z.RefinementCtx): void {
  if (passwordProblem(v.password, v.username) === 'validation.passwordHasUsername') ctx.addIssue({ code: 'custom', path: ['password'], message: 'validation.passwordHasUsername' });
  if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'validation.passwordMismatch' });
}

/** First run: the organization and its first server administrator; the setup code printed by the server proves who is at it. */
export const firstRunSchema = z
  .object({
    setupCode: str().trim().min(1, required).max(100, 'validation.tooLong'),
    organizationName: text(120),
    username: adminUsername,
    password,
    confirmPassword: str(),
  })
  .superRefine(newPasswordRules);

/** Signing in to the server's pages: the app's own sign-in form. */
export const adminSignInSchema = signInSchema;

/** IANA time-zone names the runtime knows (the branch's SLA calendars use them). */
const timeZone = str().trim().min(1, required).max(64, 'validation.tooLong').refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'validation.timeZone');

export const branchCreateSchema = z.object({ code: branchCode, name: text(120), timeZone });

/** Hours an enrolment code stays valid: one hour to thirty days. */
export const enrolmentCodeSchema = z.object({
  branchCode,
  ttlHours: z.coerce.number({ message: 'validation.number' }).int('validation.number').min(1, 'admin.ttlRange').max(24 * 30, 'admin.ttlRange').default(72),
});

export const deviceIdSchema = z.object({ deviceId: str().pipe(z.uuid('validation.invalid')) });

/** A central user: the app's own user form (shared/contract.ts userCreateSchema's rules) and the branch they belong to. */
export const centralUserCreateSchema = userCreateSchema.safeExtend({ homeBranch: branchCode });

export const centralUserActiveSchema = z.object({ userId: uuid(), active: z.boolean() });

export const centralUserPasswordSchema = z
  .object({ userId: uuid(), username: adminUsername, password, confirmPassword: str() })
  .superRefine(newPasswordRules);

export const rejectedListSchema = z.object({
  deviceId: str().pipe(z.uuid('validation.invalid')).optional(),
  before: z.coerce.number().int().positive().optional(),
});

// ---- What the routes answer with ----

export interface AdminSession {
  /** null: no administrator yet (the first-run page); otherwise who is signed in (null when nobody). */
  setUp: boolean;
  organizationName: string | null;
  admin: { id: string; username: string } | null;
  csrfToken: string | null;
  expiresAt: number | null;
}

export interface BranchInfo {
  code: string;
  name: string;
  timeZone: string;
  createdAt: number;
  devices: number;
  /** The customer portal's own branch (its site code prefixes web tickets): no devices enrol there. */
  portal: boolean;
}

export interface EnrolmentCodeInfo {
  /** The code's hash prefix: names it in the list without revealing it. */
  ref: string;
  branchCode: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedByDevice: string | null;
}

/** A new code: its text is shown once and never stored. */
export interface EnrolmentCodeCreated {
  code: string;
  branchCode: string;
  expiresAt: number;
}

export interface DeviceSummary {
  id: string;
  branchCode: string;
  name: string;
  enrolledAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
  lastPushAt: number | null;
  lastPushSeq: number;
  auditSeq: number;
  rejected: number;
}

export interface CentralUser {
  id: string;
  username: string;
  fullName: string;
  homeBranch: string;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
}

export interface ChainResult {
  ok: boolean;
  checked: number;
  /** The first entry that does not verify, and why. */
  firstBroken: { seq: number; reason: string; at: number | null } | null;
}

export interface AuditReport {
  verifiedAt: number;
  server: ChainResult & { devices: number; deviceId: string | null };
  devices: Array<ChainResult & { deviceId: string; name: string; branchCode: string }>;
  adminLog: ChainResult;
}

export interface RejectedMutationInfo {
  serverSeq: number;
  deviceId: string;
  deviceName: string;
  branchCode: string;
  pushSeq: number | null;
  entity: string;
  entityId: string;
  op: string;
  actorName: string | null;
  reason: string;
  receivedAt: number;
  /** Field names the mutation would have changed (values stay on the server). */
  fields: string[];
}

export interface AdminLogEntry {
  seq: number;
  at: number;
  admin: string | null;
  action: string;
  target: string | null;
}
