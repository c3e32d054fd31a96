/**
 * The API contract: every method that crosses a process boundary (IPC, HTTP), its zod input
 * schema (parsed on the trusted side) and who may call it. Core implements `Handlers`; the
 * preload and the web client are generated from `METHODS`, so a method exists in one place.
 * Validation messages are i18n keys (renderer/i18n).
 */
import { z } from 'zod';
import {
  CATEGORIES, CHANNELS, CLOSED_TICKET_POLICIES, CONTACT_METHODS, LOCALES, PLANS, PRIORITIES,
  REQUEST_TYPES, ROLES, SEARCH_ORDERS, STATUSES, SUPPORT_TYPES, TICKET_SORTS, TICKET_VIEWS, TIERS, WAITING_ON, type Role,
} from './domain';
import { listColumnsSchema, savedViewIdSchema, savedViewName, savedViewPinSchema } from './list-prefs';
import { METHOD_NAMES, type MethodName } from './methods';
import { str, uuid } from './text';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH, passwordBytes, passwordProblem, passwordText } from './password-policy';
import { slaConfigSchema, type SlaConfig } from './sla';
import {
  ACCESS_OPERATIONS, APPROVER_ROLES, CHANGE_MODIFIERS, EMERGENCY_REVIEW_OUTCOMES, REQUEST_STATES, SERVICE_STATUSES,
} from './request-workflow';
import type {
  AuditExportFile, AuditPage, ChangeRequest, ChangeRequestPage, EmergencyAccountCreated, EmergencyAccountInfo,
  EmergencyReviewItem, EmergencySettings, ImplementerOptions, OverdueEmergencyReview,
} from './request-types';
import type { Board, SlaReport, SupervisorHome, TicketSla } from './types';
import {
  PERSONAL_DATA_HANDLERS, personalDataBlockSchema, personalDataCreateSchema, personalDataExportSchema, personalDataLinkSchema,
  personalDataListSchema, personalDataStatusSchema, type PersonalDataExport, type PersonalDataRegister, type PersonalDataRequest,
} from './personal-data';
import type { RejectedMutation, SyncRunSummary, SyncStatus } from './sync/types';
import {
  notificationListSchema, notificationPreferencesSchema, notificationReadSchema,
  type NotificationPage, type NotificationPreferences, type UnreadCount,
} from './notifications';
import {
  mailboxSaveSchema, mailQueueSchema, mailTestSchema, noticeIdSchema,
  type MailboxInfo, type MailCheckResult, type MailQueue, type NoticeInfo,
} from './mail';
import {
  KB_PUBLISHERS, KB_WRITERS, kbCreateSchema, kbFeedbackSchema, kbListSchema, kbPreviewSchema, kbRestoreSchema, kbStatusSchema, kbSuggestSchema, kbUpdateSchema,
  type KbArticle, type KbArticleSummary, type KbHistory, type KbPage, type KbPreview,
} from './kb';
import {
  inboxIdSchema, inboxSaveSchema, linkSenderSchema, mailViewSchema, receivedMailSchema,
  type InboxInfo, type MailView, type OriginalMail, type ReceivedMail, type TicketSender,
} from './mail-intake';
import { surveyRecordSchema, type SurveyAnswer } from './survey';
import { reportRunSchema, type PeriodReport } from './reports';
import { brandingUpdateSchema, type BrandingInfo } from './branding';
import {
  QUICK_REPLY_USERS, quickReplyIdSchema, quickReplyRenderSchema, quickReplySaveSchema,
  type QuickReply, type QuickReplyList, type RenderedQuickReply,
} from './quick-replies';
import { mailTemplateResetSchema, mailTemplateSaveSchema, mailTemplateSettingsSchema, type MailTemplates } from './mail-templates';
import type {
  AppStatus, AttachmentInfo, AuditVerification, BackupInfo, BackupPreview, BackupStatus, BulkResult, Customer, CustomerSummary,
  JobFileChunk, JobInfo, ListPrefs, OrgSettings, SavedView,
  SessionInfo, Ticket, TicketDetail, TicketPage, UserSummary,
} from './types';

// Every string below is built on str() (shared/text.ts): well-formed Unicode, refused otherwise
// with 'validation.invalidText'. Keys made by Workspace.newId are UUIDs (uuid()).
const required = 'validation.required';
const text = (max: number) => str().trim().min(1, required).max(max, 'validation.tooLong');
const optionalText = (max: number) => str().trim().max(max, 'validation.tooLong').default('');
const id = uuid();
const email = str().trim().toLowerCase().pipe(z.email('validation.email'));
/** Mexican numbers are 10 digits; the lada (area code) is part of them. Spaces, dashes and +52 are tolerated. */
const phone = str()
  .trim()
  .transform((v) => v.replace(/[\s().-]/g, '').replace(/^\+?52/, ''))
  .pipe(z.string().regex(/^\d{10}$/, 'validation.phone'));
const rfc = str()
  .trim()
  .toUpperCase()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .pipe(z.string().min(12, 'rfc.length').max(13, 'rfc.length'));
/** A new password: the shared rule (shared/password-policy.ts); the user name and the common-password list are checked with it. */
const password = str()
  .refine((v) => passwordBytes(v) <= PASSWORD_MAX_BYTES, { message: 'validation.passwordTooLong', abort: true })
  .refine((v) => [...passwordText(v)].length >= PASSWORD_MIN_LENGTH, { message: 'validation.passwordLength' });
/** A password typed to sign in or to confirm who you are: any length up to the hashing cap. */
const currentPassword = str().min(1, required).refine((v) => passwordBytes(v) <= PASSWORD_MAX_BYTES, { message: 'validation.passwordTooLong' });
/** Refuses, on `password`, a password that is or contains the user name of the same form. */
function withoutUsername<T extends { username: string; password: string }>(v: T, ctx: z.RefinementCtx): void {
  if (passwordProblem(v.password, v.username) === 'validation.passwordHasUsername') {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'validation.passwordHasUsername' });
  }
}
const username = str()
  .trim()
  .toLowerCase()
  .pipe(z.string().regex(/^[a-z0-9._-]{3,40}$/, 'validation.username'));

const MIME_TOKEN = '[A-Za-z0-9!#$&^_.+-]+';
const MIME_TYPE = new RegExp(`^$|^${MIME_TOKEN}/${MIME_TOKEN}(\\s*;\\s*${MIME_TOKEN}=${MIME_TOKEN})*$`);

export const attachmentUploadSchema = z.object({
  fileName: text(255),
  /** A media type (`type/subtype`, optional `;name=value`): it goes into headers and Blob types, so no CR/LF or quotes. Empty = unknown. */
  mimeType: str().trim().max(127).regex(MIME_TYPE, 'validation.invalid').default('application/octet-stream'),
  /** File content, base64; the size limit is checked in core against the organization setting. */
  contentBase64: str().max(80 * 1024 * 1024, 'attachments.tooLarge'),
});
const attachments = z.array(attachmentUploadSchema).max(20, 'validation.tooMany').default([]);

export const fiscalAddressSchema = z.object({
  street: optionalText(200),
  exteriorNumber: optionalText(20),
  interiorNumber: optionalText(20),
  neighborhood: optionalText(120),
  city: optionalText(120),
  state: optionalText(120),
  postalCode: str()
    .trim()
    .regex(/^(\d{5})?$/, 'validation.postalCode')
    .default(''),
});

export const contactSchema = z.object({
  id: id.optional(),
  name: text(200),
  email: email.or(z.literal('')).default(''),
  phone: phone.or(z.literal('')).default(''),
  isLegalRepresentative: z.boolean().default(false),
});

export const setupSchema = z
  .object({
    branchCode: str()
      .trim()
      .toUpperCase()
      .pipe(z.string().regex(/^[A-Z0-9]{2,6}$/, 'validation.branchCode')),
    branchName: text(120),
    timeZone: str().trim().min(1, required).default('America/Mexico_City'),
    username,
    fullName: text(120),
    password,
    confirmPassword: str(),
    locale: z.enum(LOCALES).default('es-MX'),
  })
  .superRefine(withoutUsername)
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'validation.passwordMismatch' });

export const signInSchema = z.object({
  username: str().trim().toLowerCase().min(1, required).max(200, 'validation.tooLong'),
  password: currentPassword,
});

/** A user changes their own password: the current one proves it is them (issue 10, finding 7). */
export const changePasswordSchema = z
  .object({ currentPassword, newPassword: password, confirmPassword: str() })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'validation.passwordMismatch' });

export const userCreateSchema = z
  .object({
    username,
    fullName: text(120),
    password,
    confirmPassword: str(),
    roles: z.array(z.enum(ROLES)).min(1, 'validation.roles'),
    locale: z.enum(LOCALES).default('es-MX'),
  })
  .superRefine(withoutUsername)
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'validation.passwordMismatch' });

export const userUpdateSchema = z.object({
  userId: id,
  fullName: text(120).optional(),
  roles: z.array(z.enum(ROLES)).min(1, 'validation.roles').optional(),
  active: z.boolean().optional(),
  locale: z.enum(LOCALES).optional(),
});

export const customerCreateSchema = z.object({
  rfc,
  name: text(250),
  taxRegime: optionalText(10),
  fiscalAddress: fiscalAddressSchema.default({
    street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '',
  }),
  registeredEmail: email,
  plan: z.enum(PLANS).default('basic'),
  contacts: z.array(contactSchema).max(50, 'validation.tooMany').default([]),
});

/** Only the non-protected fields: RFC, razón social, domicilio fiscal, correo registrado, service
 * status and credit package change through an approved sensitive-change request (seed 001).
 * `registeredEmail` is accepted only to set the first one, while it is empty. */
export const customerUpdateSchema = z.object({
  customerId: id,
  registeredEmail: email.optional(),
  taxRegime: optionalText(10).optional(),
  plan: z.enum(PLANS).optional(),
  contacts: z.array(contactSchema).max(50, 'validation.tooMany').optional(),
});

/**
 * The intake's look-up. A generic RFC (público en general, extranjeros) finds a customer only
 * together with the same name and the same e-mail or phone: it never identifies anyone by itself.
 */
export const customerLookupSchema = z.object({
  rfc,
  name: str().trim().max(250, 'validation.tooLong').optional(),
  email: str().trim().toLowerCase().max(254, 'validation.tooLong').optional(),
  phone: str().trim().max(40, 'validation.tooLong').optional(),
});

/** Intake: an existing customer by id, or a new one registered by the same form (seed 003). */
export const ticketCreateSchema = z.object({
  customer: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('existing'), customerId: id }),
    z.object({ kind: z.literal('new'), rfc, name: text(250), email, phone: phone.or(z.literal('')).default('') }),
  ]),
  channel: z.enum(CHANNELS),
  requestType: z.enum(REQUEST_TYPES),
  supportType: z.enum(SUPPORT_TYPES),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES).default('normal'),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  subject: text(200),
  description: text(20000),
  attachments,
});

export const ticketListSchema = z.object({
  query: str().trim().max(200).default(''),
  view: z.enum(TICKET_VIEWS).default('all'),
  status: z.array(z.enum(STATUSES)).default([]),
  waitingOn: z.array(z.enum(WAITING_ON)).default([]),
  requestType: z.array(z.enum(REQUEST_TYPES)).default([]),
  severity: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).default([]),
  tier: z.array(z.enum(TIERS)).default([]),
  channel: z.array(z.enum(CHANNELS)).default([]),
  priority: z.array(z.enum(PRIORITIES)).default([]),
  assigneeId: id.optional(),
  customerId: id.optional(),
  /** Tickets whose satisfaction survey got one of these ratings (1–5)… */
  rating: z.array(z.number().int().min(1).max(5)).max(5).default([]),
  /** …answered at or after this instant (the supervisor home's weeks). */
  ratedSince: z.number().int().min(0).optional(),
  sort: z.enum(TICKET_SORTS).default('updatedAt'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  /** With a search query, the order of the results (sort and direction then do not apply). */
  searchOrder: z.enum(SEARCH_ORDERS).default('relevance'),
  /** Keyset paging: the `nextCursor` of the previous page; absent for the first page. */
  cursor: str().max(200).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

/** What a saved view keeps of the list's question: everything but the page (cursor, limit). */
export const savedQuestionSchema = ticketListSchema.omit({ cursor: true, limit: true });
export type SavedQuestion = z.output<typeof savedQuestionSchema>;
export const savedViewSaveSchema = z.object({ name: savedViewName, pinned: z.boolean().default(true), question: savedQuestionSchema });
export const listPrefsSaveSchema = z.object({ columns: listColumnsSchema });

const ticketRef = { ticketId: id };
export const ticketMessageSchema = z.object({ ...ticketRef, body: text(20000), attachments });
export const contactAttemptSchema = z.object({
  ...ticketRef,
  method: z.enum(CONTACT_METHODS),
  reached: z.boolean(),
  body: optionalText(5000),
});
/** Merge `ticketId` (closed, its timeline shown in the target) into `intoTicketId`, an open ticket of the same customer. */
export const ticketMergeSchema = z.object({ ...ticketRef, intoTicketId: id });
export const ticketAssignSchema = z.object({ ...ticketRef, assigneeId: id.nullable() });
export const ticketStatusSchema = z.discriminatedUnion('status', [
  z.object({ ...ticketRef, status: z.literal('open') }),
  z.object({ ...ticketRef, status: z.literal('waiting'), waitingOn: z.enum(WAITING_ON) }),
]);
export const ticketCloseSchema = z.object({ ...ticketRef, cause: text(5000), solution: text(10000) });

/**
 * One action over many tickets of the list (issue 14): each ticket goes through the same command
 * as alone (its own transaction, audit entry, rules and permissions); the answer says which failed.
 */
export const BULK_MAX = 500;
export const ticketBulkSchema = z.object({
  ticketIds: z.array(id).min(1, required).max(BULK_MAX, 'validation.tooMany')
    .refine((ids) => new Set(ids).size === ids.length, 'validation.invalid'),
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('assign'), assigneeId: id.nullable() }),
    z.object({ kind: z.literal('open') }),
    z.object({ kind: z.literal('waiting'), waitingOn: z.enum(WAITING_ON) }),
    z.object({ kind: z.literal('close'), cause: text(5000), solution: text(10000) }),
    z.object({ kind: z.literal('moveTier'), toTier: z.enum(TIERS), reason: text(2000) }),
  ]),
});
export const ticketUpdateSchema = z.object({
  ...ticketRef,
  subject: text(200).optional(),
  category: z.enum(CATEGORIES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  requestType: z.enum(REQUEST_TYPES).optional(),
  supportType: z.enum(SUPPORT_TYPES).optional(),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
});

export const ticketMoveTierSchema = z.object({
  ...ticketRef,
  toTier: z.enum(TIERS),
  reason: text(2000),
  /** Optionally re-grade the severity while moving (seed 002: severity decides the tier). */
  severity: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
});
export const ticketHandBackSchema = z.object({ ...ticketRef, cause: text(5000), solution: text(10000) });
export const boardLoadSchema = z.object({
  severity: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).default([]),
  category: z.array(z.enum(CATEGORIES)).default([]),
  assigneeId: id.optional(),
  perColumn: z.number().int().min(1).max(1000).default(200),
});
const REPORT_RANGE_MAX_MS = 10 * 366 * 86_400_000;

export const slaReportSchema = z
  .object({
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    period: z.enum(['day', 'week', 'month']).default('week'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((v) => v.to > v.from, { path: ['to'], message: 'validation.range' })
  // Bounded: period keys follow the branch's time zone through every offset change in the range.
  .refine((v) => v.to - v.from <= REPORT_RANGE_MAX_MS, { path: ['to'], message: 'validation.rangeTooLong' });

export const settingsUpdateSchema = z.object({
  closedTicketPolicy: z.enum(CLOSED_TICKET_POLICIES).optional(),
  reopenWithinDays: z.number().int().min(1, 'validation.min').max(365, 'validation.max').optional(),
  maxAttachmentBytes: z.number().int().min(1024, 'validation.min').max(50 * 1024 * 1024, 'validation.max').optional(),
  defaultLocale: z.enum(LOCALES).optional(),
  keepBackups: z.number().int().min(1, 'validation.min').max(100, 'validation.max').optional(),
  dailyBackups: z.boolean().optional(),
  keepBackupDays: z.number().int().min(1, 'validation.min').max(365, 'validation.max').optional(),
});

// --- Change requests, emergency accounts and the audit log API (issue 4) ---
const comment = text(5000);
const requestBase = {
  customerId: id,
  ticketId: id,
  /** A contact of the customer marked as legal representative. */
  requesterContactId: id,
  /** The address the request came from; must be the customer's registered e-mail. */
  fromEmail: email,
  reason: text(5000),
  signedForm: attachmentUploadSchema,
};
export const requestCreateSchema = z.discriminatedUnion('kind', [
  z.object({
    ...requestBase,
    kind: z.literal('access_control'),
    access: z.object({ operation: z.enum(ACCESS_OPERATIONS), portalUsername: text(80) }),
  }),
  z.object({
    ...requestBase,
    kind: z.literal('sensitive_change'),
    changes: z
      .object({
        rfc: rfc.optional(),
        name: text(250).optional(),
        fiscalAddress: fiscalAddressSchema.optional(),
        phone: phone.optional(),
        registeredEmail: email.optional(),
      })
      .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'requests.noChange' }),
  }),
  z.object({ ...requestBase, kind: z.literal('service_suspension'), serviceStatus: z.enum(SERVICE_STATUSES).default('suspended') }),
  z.object({ ...requestBase, kind: z.literal('credit_package_change'), creditPackage: text(100) }),
]);
export const requestListSchema = z.object({
  state: z.array(z.enum(REQUEST_STATES)).default([]),
  customerId: id.optional(),
  ticketId: id.optional(),
  view: z.enum(['all', 'mine', 'awaiting_me']).default('all'),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export const requestCommentSchema = z.object({ requestId: id, comment });
export const requestDecisionSchema = z.object({ requestId: id, role: z.enum(APPROVER_ROLES), comment });
export const creditPackageChecklistSchema = z.object({
  licenseAllows: z.boolean(),
  modifiedBy: z.enum(CHANGE_MODIFIERS),
  impactEvaluated: z.boolean(),
  impact: optionalText(5000),
  originalKept: z.boolean(),
  changeDocumented: z.boolean(),
});
export const requestApproveSchema = requestDecisionSchema.extend({ checklist: creditPackageChecklistSchema.optional() });
export const requestDesignateSchema = z.object({ requestId: id, implementerId: id, comment });
export const emergencyCreateSchema = z.object({
  requestId: id,
  /** Designates the implementer when the request has none yet. */
  implementerId: id.optional(),
  /** Defaults to now; the window may be scheduled ahead. */
  startsAt: z.number().int().min(0).optional(),
  /**
   * Or the start as the security officer reads it: a date (AAAA-MM-DD) and a time (hh:mm, 24 h) on the
   * branch's clock; core turns them into an instant in the branch's time zone and checks both.
   */
  startDate: str().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date').optional(),
  startTime: str().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'validation.time').optional(),
  /** At most the organization's maximum (emergency.settings), checked in core. */
  durationMinutes: z.number().int().min(1, 'validation.min').max(7 * 24 * 60, 'validation.max'),
  comment,
});
export const emergencyRevokeSchema = z.object({ accountId: id, comment });
export const emergencyReviewSchema = z.object({ accountId: id, outcome: z.enum(EMERGENCY_REVIEW_OUTCOMES), comment });
export const emergencyOverdueSchema = z.object({ days: z.number().int().min(0, 'validation.min').max(365, 'validation.max').default(3) });
export const emergencySettingsSchema = z.object({ maxHours: z.number().int().min(1, 'validation.min').max(72, 'validation.max') });
export const auditListSchema = z.object({
  actorId: id.optional(),
  requestId: id.optional(),
  /** An action prefix: 'emergency.' finds the whole emergency-account lifecycle. */
  action: str().trim().max(100).default(''),
  entity: str().trim().max(64).optional(),
  from: z.number().int().min(0).optional(),
  to: z.number().int().min(0).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Keyset paging: the `nextCursor` of the previous page; absent for the first page. */
  cursor: str().max(200).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export const auditExportSchema = z
  .object({ from: z.number().int().min(0), to: z.number().int().min(0), format: z.enum(['csv', 'jsonl']) })
  .refine((v) => v.to > v.from, { path: ['to'], message: 'validation.range' });

const empty = z.object({}).default({});
/** Job ids are made by core/jobs.ts ('job-…'), not by Workspace.newId. */
const jobId = str().trim().min(1, required).max(64, 'validation.tooLong');
export const jobIdSchema = z.object({ jobId });
export const jobFileSchema = z.object({ jobId, offset: z.number().int().min(0).default(0) });

/** Who may call a method: anyone (before sign-in), any signed-in user, or the listed roles. */
export type Access = 'public' | 'session' | readonly Role[];

const STAFF: readonly Role[] = ['agent', 'operations', 'development', 'supervisor'];
const ADMIN: readonly Role[] = ['administrator'];
const CUSTOMER_EDITORS: readonly Role[] = ['agent', 'operations', 'supervisor', 'administrator'];
const AUDITORS: readonly Role[] = ['supervisor', 'security_officer', 'administrator'];
/** Who registers change requests received from customers (issue 4). */
const REQUEST_REGISTRARS: readonly Role[] = ['agent', 'operations', 'supervisor'];
const APPROVERS: readonly Role[] = APPROVER_ROLES;
const IMPLEMENTATION_COORDINATORS: readonly Role[] = ['security_officer', 'information_owner', 'supervisor'];

/** Declares a method: `method(schema, access).returns<Result>()`. */
function method<S extends z.ZodType>(input: S, access: Access) {
  return { returns: <R>() => ({ input, access, result: undefined as unknown as R }) };
}

const byId = <K extends string>(key: K) => z.object({ [key]: id } as { [P in K]: typeof id });

/** Enrolment with the sync server: its address and the one-time code from its administrator. */
export const syncEnrolSchema = z.object({
  url: str().trim().min(1, 'validation.required').max(500, 'validation.tooLong'),
  code: str().trim().toUpperCase().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'sync.badCode'),
  /** An explicit choice to allow an http:// address on the local network (secrets would travel in clear). */
  allowLanHttp: z.boolean().default(false),
});

/** A backup by its file name in the backups folder (never a path). */
export const backupFileSchema = z.object({
  fileName: text(255),
});

/**
 * An administrator's explicit choice to update the database without the backup that would not
 * fit on the disk: their user name and password (checked against the database as it is) and the
 * acknowledgement, typed.
 */
export const migrateWithoutBackupSchema = z.object({
  username: str().trim().toLowerCase().min(1, required).max(200, 'validation.tooLong'),
  password: currentPassword,
  acknowledge: z.literal(true, { message: 'backup.acknowledgeRequired' }),
});

export const METHODS = {
  'app.status': method(empty, 'public').returns<AppStatus>(),
  'app.resetDatabase': method(empty, 'public').returns<AppStatus>(),
  'app.restoreBackup': method(backupFileSchema, 'public').returns<AppStatus>(),
  /** Recovery mode only: what a backup holds, before restoring it. */
  'app.previewBackup': method(backupFileSchema, 'public').returns<BackupPreview>(),
  /** Recovery mode only: open the workspace again (after space was freed on the disk). */
  'app.retryOpen': method(empty, 'public').returns<AppStatus>(),
  /** Recovery mode `noSpace` only: an administrator updates the database without the backup (audited as backup.skipped). */
  'app.migrateWithoutBackup': method(migrateWithoutBackupSchema, 'public').returns<AppStatus>(),
  'auth.setup': method(setupSchema, 'public').returns<SessionInfo>(),
  'auth.signIn': method(signInSchema, 'public').returns<SessionInfo>(),
  'auth.signOut': method(empty, 'session').returns<null>(),
  'auth.me': method(empty, 'session').returns<UserSummary>(),
  /** The signed-in user's own password; the only call (with auth.me and auth.signOut) a session that must change it may make. */
  'auth.changePassword': method(changePasswordSchema, 'session').returns<SessionInfo>(),
  'users.directory': method(empty, 'session').returns<UserSummary[]>(),
  'users.list': method(empty, ADMIN).returns<UserSummary[]>(),
  'users.create': method(userCreateSchema, ADMIN).returns<UserSummary>(),
  'users.update': method(userUpdateSchema, ADMIN).returns<UserSummary>(),
  'users.unlock': method(byId('userId'), ADMIN).returns<UserSummary>(),
  'users.resetPassword': method(z.object({ userId: id, password }), ADMIN).returns<UserSummary>(),
  'customers.list': method(
    z.object({ query: str().trim().max(200).default(''), limit: z.number().int().min(1).max(200).default(50) }),
    'session',
  ).returns<CustomerSummary[]>(),
  'customers.get': method(byId('customerId'), 'session').returns<Customer>(),
  'customers.findByRfc': method(customerLookupSchema, 'session').returns<Customer | null>(),
  'customers.create': method(customerCreateSchema, CUSTOMER_EDITORS).returns<Customer>(),
  'customers.update': method(customerUpdateSchema, CUSTOMER_EDITORS).returns<Customer>(),
  'tickets.list': method(ticketListSchema, 'session').returns<TicketPage>(),
  'tickets.get': method(byId('ticketId'), 'session').returns<TicketDetail>(),
  'tickets.create': method(ticketCreateSchema, STAFF).returns<Ticket>(),
  'tickets.update': method(ticketUpdateSchema, STAFF).returns<Ticket>(),
  'tickets.reply': method(ticketMessageSchema, STAFF).returns<TicketDetail>(),
  'tickets.note': method(ticketMessageSchema, STAFF).returns<TicketDetail>(),
  'tickets.customerMessage': method(ticketMessageSchema, STAFF).returns<TicketDetail>(),
  'tickets.contactAttempt': method(contactAttemptSchema, STAFF).returns<TicketDetail>(),
  'tickets.assign': method(ticketAssignSchema, STAFF).returns<TicketDetail>(),
  'tickets.setStatus': method(ticketStatusSchema, STAFF).returns<TicketDetail>(),
  'tickets.close': method(ticketCloseSchema, STAFF).returns<TicketDetail>(),
  /** Returns the target's detail (the merged ticket's entries joined into its timeline). */
  'tickets.merge': method(ticketMergeSchema, STAFF).returns<TicketDetail>(),
  // The list (issue 14): bulk actions, saved views and the columns, per user.
  'tickets.bulk': method(ticketBulkSchema, STAFF).returns<BulkResult>(),
  'listViews.list': method(empty, 'session').returns<SavedView[]>(),
  'listViews.save': method(savedViewSaveSchema, 'session').returns<SavedView>(),
  'listViews.pin': method(savedViewPinSchema, 'session').returns<SavedView>(),
  'listViews.delete': method(savedViewIdSchema, 'session').returns<null>(),
  'listPrefs.get': method(empty, 'session').returns<ListPrefs>(),
  'listPrefs.save': method(listPrefsSaveSchema, 'session').returns<ListPrefs>(),
  'attachments.read': method(byId('attachmentId'), 'session').returns<AttachmentInfo & { contentBase64: string }>(),
  'settings.get': method(empty, 'session').returns<OrgSettings>(),
  'settings.update': method(settingsUpdateSchema, ADMIN).returns<OrgSettings>(),
  /** The organization's branding on the customer portal (issue 13): name, logo, colours checked for contrast. */
  'branding.get': method(empty, ADMIN).returns<BrandingInfo>(),
  'branding.update': method(brandingUpdateSchema, ADMIN).returns<BrandingInfo>(),
  'backup.create': method(empty, ['administrator', 'supervisor']).returns<BackupInfo>(),
  'backup.list': method(empty, ['administrator', 'supervisor']).returns<BackupInfo[]>(),
  /** The same backup as a job (issue 16): progress in pages, cancellable; follow it with jobs.status. */
  'backup.start': method(empty, ['administrator', 'supervisor']).returns<JobInfo>(),
  /** How old the newest backup is (the warning when it is too old). */
  'backup.status': method(empty, ['administrator', 'supervisor']).returns<BackupStatus>(),
  /** What a backup holds, read from the file without restoring it (issue 15). */
  'backup.preview': method(backupFileSchema, ADMIN).returns<BackupPreview>(),
  /**
   * Starts replacing the workspace with a backup, as a job (followed with jobs.status, stopped with
   * jobs.cancel until the swap): copy and check on a worker, then the current database set aside,
   * the workspace reopened and everyone signed in again. The finished job carries `restored`.
   */
  'backup.restore': method(backupFileSchema, ADMIN).returns<JobInfo>(),
  'audit.verify': method(empty, AUDITORS).returns<AuditVerification>(),
  // Service levels, escalation board and SLA report (issue 3).
  'tickets.moveTier': method(ticketMoveTierSchema, STAFF).returns<TicketDetail>(),
  'tickets.handBack': method(ticketHandBackSchema, STAFF).returns<TicketDetail>(),
  'tickets.sla': method(byId('ticketId'), 'session').returns<TicketSla>(),
  'board.load': method(boardLoadSchema, 'session').returns<Board>(),
  'board.version': method(empty, 'session').returns<string>(),
  'sla.config': method(empty, 'session').returns<SlaConfig>(),
  'sla.saveConfig': method(slaConfigSchema, ADMIN).returns<{ config: SlaConfig; recomputed: number }>(),
  'reports.sla': method(slaReportSchema, ['supervisor', 'administrator']).returns<SlaReport>(),
  /** The supervisor's home (issue 15): backlog, service levels, workload, this week; each number with its list question. */
  'reports.home': method(empty, ['supervisor', 'administrator']).returns<SupervisorHome>(),
  /** The reports screen (issue 15): every report for one period and branch, as data or CSV. */
  'reports.run': method(reportRunSchema, ['supervisor', 'administrator']).returns<PeriodReport>(),
  // Change requests, emergency accounts and the audit log API (issue 4). Separation of duties
  // beyond these role lists (self-approval, same person, implementer rules, emergency scope) is
  // enforced in core/requests.ts and core/emergency.ts.
  'requests.list': method(requestListSchema, 'session').returns<ChangeRequestPage>(),
  'requests.get': method(byId('requestId'), 'session').returns<ChangeRequest>(),
  'requests.create': method(requestCreateSchema, REQUEST_REGISTRARS).returns<ChangeRequest>(),
  'requests.submit': method(byId('requestId'), REQUEST_REGISTRARS).returns<ChangeRequest>(),
  'requests.approve': method(requestApproveSchema, APPROVERS).returns<ChangeRequest>(),
  'requests.reject': method(requestDecisionSchema, APPROVERS).returns<ChangeRequest>(),
  'requests.cancel': method(requestCommentSchema, [...REQUEST_REGISTRARS, 'security_officer']).returns<ChangeRequest>(),
  'requests.implementerOptions': method(byId('requestId'), IMPLEMENTATION_COORDINATORS).returns<ImplementerOptions>(),
  'requests.designateImplementer': method(requestDesignateSchema, IMPLEMENTATION_COORDINATORS).returns<ChangeRequest>(),
  /** Only from a session opened with an emergency account of this request (checked in core). */
  'requests.apply': method(requestCommentSchema, 'session').returns<ChangeRequest>(),
  'requests.secondReview': method(requestCommentSchema, ['security_officer', 'supervisor']).returns<ChangeRequest>(),
  'requests.markReviewed': method(requestCommentSchema, ['security_officer']).returns<ChangeRequest>(),
  'emergency.create': method(emergencyCreateSchema, ['security_officer']).returns<EmergencyAccountCreated>(),
  'emergency.signIn': method(signInSchema, 'public').returns<SessionInfo>(),
  'emergency.revoke': method(emergencyRevokeSchema, ['security_officer']).returns<EmergencyAccountInfo>(),
  'emergency.reviewQueue': method(empty, ['security_officer']).returns<EmergencyReviewItem[]>(),
  'emergency.review': method(emergencyReviewSchema, ['security_officer']).returns<EmergencyAccountInfo>(),
  'emergency.overdueReviews': method(emergencyOverdueSchema, AUDITORS).returns<OverdueEmergencyReview[]>(),
  'emergency.settings': method(empty, 'session').returns<EmergencySettings>(),
  'emergency.updateSettings': method(emergencySettingsSchema, ['administrator', 'security_officer']).returns<EmergencySettings>(),
  'audit.list': method(auditListSchema, AUDITORS).returns<AuditPage>(),
  'audit.export': method(auditExportSchema, AUDITORS).returns<AuditExportFile>(),
  /** The same export as a job (issue 16): streamed to a file by a worker thread; follow it with jobs.status. */
  'audit.exportStart': method(auditExportSchema, AUDITORS).returns<JobInfo>(),
  /** A job's progress; only the user who started it sees it. */
  'jobs.status': method(jobIdSchema, 'session').returns<JobInfo>(),
  'jobs.cancel': method(jobIdSchema, 'session').returns<JobInfo>(),
  /** A finished job's file, one slice (a few MB) at a time, so neither side holds it whole. */
  'jobs.file': method(jobFileSchema, 'session').returns<JobFileChunk>(),
  // Sync (issue 11): everyone sees the state and may sync now; the administrator enrols the device.
  'sync.status': method(empty, 'session').returns<SyncStatus>(),
  'sync.enrol': method(syncEnrolSchema, ADMIN).returns<SyncStatus>(),
  'sync.now': method(empty, 'session').returns<SyncRunSummary>(),
  'sync.rejected': method(empty, ['administrator', 'supervisor']).returns<RejectedMutation[]>(),
  /** Leaves the server: this device works alone again (the server's administrator revokes it there). */
  'sync.unenrol': method(empty, ADMIN).returns<SyncStatus>(),
  // Notifications (issue 14): every signed-in user has their own; core answers only the caller's rows.
  'notifications.list': method(notificationListSchema, 'session').returns<NotificationPage>(),
  'notifications.unreadCount': method(empty, 'session').returns<UnreadCount>(),
  'notifications.markRead': method(notificationReadSchema, 'session').returns<UnreadCount>(),
  'notifications.markAllRead': method(empty, 'session').returns<UnreadCount>(),
  'notifications.preferences': method(empty, 'session').returns<NotificationPreferences>(),
  'notifications.setPreferences': method(notificationPreferencesSchema, 'session').returns<NotificationPreferences>(),
  'personalData.list': method(personalDataListSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRegister>(),
  'personalData.create': method(personalDataCreateSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRequest>(),
  'personalData.setStatus': method(personalDataStatusSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRequest>(),
  'personalData.linkChangeRequest': method(personalDataLinkSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRequest>(),
  'personalData.block': method(personalDataBlockSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRequest>(),
  'personalData.unblock': method(personalDataBlockSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataRequest>(),
  /** Acceso: everything kept about the customer; audited. */
  'personalData.export': method(personalDataExportSchema, PERSONAL_DATA_HANDLERS).returns<PersonalDataExport>(),
  // Outgoing mail (issue 12): administrators configure the mailbox and look after the queue; anyone sees a ticket's notices.
  'mail.mailbox': method(empty, ADMIN).returns<MailboxInfo | null>(),
  'mail.saveMailbox': method(mailboxSaveSchema, ADMIN).returns<MailboxInfo>(),
  'mail.verify': method(empty, ADMIN).returns<MailCheckResult>(),
  'mail.sendTest': method(mailTestSchema, ADMIN).returns<MailCheckResult>(),
  'mail.queue': method(mailQueueSchema, ADMIN).returns<MailQueue>(),
  'mail.retry': method(noticeIdSchema, ADMIN).returns<NoticeInfo>(),
  'mail.cancel': method(noticeIdSchema, ADMIN).returns<NoticeInfo>(),
  'mail.ticketNotices': method(byId('ticketId'), 'session').returns<NoticeInfo[]>(),
  // Knowledge base (issue 12, item 5): every signed-in user reads; core also refuses a writer's edit of a published public article.
  'kb.list': method(kbListSchema, 'session').returns<KbPage>(),
  'kb.get': method(byId('articleId'), 'session').returns<KbArticle>(),
  'kb.create': method(kbCreateSchema, KB_WRITERS).returns<KbArticle>(),
  'kb.update': method(kbUpdateSchema, KB_WRITERS).returns<KbArticle>(),
  'kb.setStatus': method(kbStatusSchema, KB_PUBLISHERS).returns<KbArticle>(),
  'kb.suggest': method(kbSuggestSchema, 'session').returns<KbArticleSummary[]>(),
  'kb.preview': method(kbPreviewSchema, KB_WRITERS).returns<KbPreview>(),
  'kb.history': method(byId('articleId'), KB_WRITERS).returns<KbHistory>(),
  'kb.restore': method(kbRestoreSchema, KB_WRITERS).returns<KbArticle>(),
  'kb.feedback': method(kbFeedbackSchema, 'session').returns<KbArticle>(),
  'mail.inboxes': method(empty, ADMIN).returns<InboxInfo[]>(),
  'mail.saveInbox': method(inboxSaveSchema, ADMIN).returns<InboxInfo[]>(),
  'mail.removeInbox': method(inboxIdSchema, ADMIN).returns<InboxInfo[]>(),
  'mail.fetchNow': method(inboxIdSchema, ADMIN).returns<null>(),
  'mail.received': method(receivedMailSchema, [...STAFF, 'administrator']).returns<ReceivedMail[]>(),
  'mail.view': method(mailViewSchema, 'session').returns<MailView>(),
  'mail.ticketMail': method(byId('ticketId'), 'session').returns<TicketSender[]>(),
  'mail.linkSender': method(linkSenderSchema, CUSTOMER_EDITORS).returns<TicketDetail>(),
  /** The received message as it arrived (.eml): the people who work tickets; audited; a blocked customer's only to who keeps that register. */
  'mail.original': method(byId('mailId'), [...STAFF, 'administrator']).returns<OriginalMail>(),
  // The notices' texts: administrators edit them; unknown placeholders are refused in core.
  'mail.templates': method(empty, ADMIN).returns<MailTemplates>(),
  'mail.saveTemplate': method(mailTemplateSaveSchema, ADMIN).returns<MailTemplates>(),
  'mail.resetTemplate': method(mailTemplateResetSchema, ADMIN).returns<MailTemplates>(),
  'mail.saveTemplateSettings': method(mailTemplateSettingsSchema, ADMIN).returns<MailTemplates>(),
  'surveys.record': method(surveyRecordSchema, STAFF).returns<SurveyAnswer>(),
  // Respuestas rápidas: core also checks who changes the team's (supervisors, administrators) and whose a personal one is.
  'quickReplies.list': method(empty, QUICK_REPLY_USERS).returns<QuickReplyList>(),
  'quickReplies.save': method(quickReplySaveSchema, QUICK_REPLY_USERS).returns<QuickReply>(),
  'quickReplies.delete': method(quickReplyIdSchema, QUICK_REPLY_USERS).returns<null>(),
  'quickReplies.render': method(quickReplyRenderSchema, QUICK_REPLY_USERS).returns<RenderedQuickReply>(),
} as const satisfies Record<MethodName, { input: z.ZodType; access: Access; result: unknown }>;

export type Methods = typeof METHODS;
// Compile-time check that METHODS declares every name in METHOD_NAMES and nothing else.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const namesMatch: Exact<keyof Methods, MethodName> = true;
void namesMatch;
export { METHOD_NAMES, type MethodName };

/** What the caller passes (before defaults are applied). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What the handler receives (parsed, defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = Methods[M]['result'];

/** The transport envelope every call carries. */
export const callEnvelopeSchema = z.object({
  input: z.unknown().optional(),
  session: str().max(200).nullish(),
});
export type CallEnvelope = z.infer<typeof callEnvelopeSchema>;
