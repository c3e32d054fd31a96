/**
 * The payloads of the synced change-request process, personal-data register, knowledge base and
 * attachment records, as they travel (issue 11): one zod schema per entity and operation. The
 * server parses a pushed one before it replays it through the state machine (a payload it cannot
 * read is refused), and a branch parses every pulled one before it writes a row. Pure.
 */
import { z } from 'zod';
import { CHANGE_REQUEST_KINDS, EMERGENCY_REVIEW_OUTCOMES, REQUEST_STATES } from '../request-workflow';
import { CATEGORIES, ROLES } from '../domain';
import { IDENTITY_METHODS, PERSONAL_DATA_CHANNELS, PERSONAL_DATA_KINDS, PERSONAL_DATA_STATUSES, REQUESTER_ROLES } from '../personal-data';
import { KB_BODY_MAX, KB_STATUSES, KB_TITLE_MAX, KB_VISIBILITIES } from '../kb';
import { str, uuid } from '../text';

const text = (max: number) => str().max(max);
const at = z.number().int().min(0);
const json = z.record(z.string(), z.unknown());

/** The decisions recorded on a request (shared/request-types.ts RequestDecisionKind). */
export const DECISION_KINDS = ['submit', 'approve', 'reject', 'cancel', 'designate', 'apply', 'second_review', 'review'] as const;

/** A change request as registered (Requests.create). */
export const changeRequestInsertSchema = z.object({
  requestId: uuid(),
  kind: z.enum(CHANGE_REQUEST_KINDS),
  state: z.enum(REQUEST_STATES),
  customerId: uuid(),
  ticketId: uuid(),
  requesterContactId: uuid(),
  requesterName: text(250),
  fromEmail: text(320),
  reason: text(5000),
  proposed: json,
  before: json,
  signedForm: z.object({ id: uuid(), fileName: text(255), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/** What later changes of a request carry: its state, the implementer, the values just before it was applied. */
export const changeRequestUpdateSchema = z.object({
  state: z.enum(REQUEST_STATES).optional(),
  implementerId: uuid().optional(),
  controlAdicional: z.boolean().optional(),
  appliedBefore: json.optional(),
});

export const changeRequestDecisionSchema = z.object({
  requestId: uuid(),
  decision: z.enum(DECISION_KINDS),
  role: z.enum(ROLES).nullable(),
  actorId: uuid(),
  comment: text(5000),
  data: json,
});
export type DecisionPayload = z.infer<typeof changeRequestDecisionSchema>;

/** An emergency account as issued (never its password or hash: those stay at the branch that issued it). */
export const emergencyAccountInsertSchema = z.object({
  requestId: uuid(),
  accountId: uuid(),
  username: text(60),
  implementerId: uuid(),
  startsAt: at,
  endsAt: at,
  comment: text(5000),
});
export const emergencyAccountUpdateSchema = z.object({
  disabledAt: at.nullable().optional(),
  disabledReason: z.enum(['expired', 'revoked', 'locked', 'signed_out']).nullable().optional(),
});
export const emergencyReviewSchema = z.object({
  requestId: uuid(),
  accountId: uuid(),
  outcome: z.enum(EMERGENCY_REVIEW_OUTCOMES),
  comment: text(5000),
  reviewerId: uuid(),
});

/** The register of personal-data requests (derechos ARCO), with the deadline computed where it was received. */
export const personalDataInsertSchema = z.object({
  customerId: uuid(),
  kind: z.enum(PERSONAL_DATA_KINDS),
  channel: z.enum(PERSONAL_DATA_CHANNELS),
  requesterName: text(250),
  requesterRole: z.enum(REQUESTER_ROLES),
  identityMethod: z.enum(IDENTITY_METHODS),
  identityNotes: text(5000),
  details: text(5000),
  receivedAt: at,
  dueAt: at,
  status: z.enum(PERSONAL_DATA_STATUSES),
});
export const personalDataUpdateSchema = z.object({
  status: z.enum(PERSONAL_DATA_STATUSES).optional(),
  statusReason: text(5000).optional(),
  respondedAt: at.nullable().optional(),
  changeRequestId: uuid().nullable().optional(),
  updatedAt: at.optional(),
});

/** A knowledge-base article (kb.md): inserts carry every field, updates the changed ones. */
export const kbArticleSchema = z.object({
  category: z.enum(CATEGORIES).optional(),
  title: text(KB_TITLE_MAX).optional(),
  body: text(KB_BODY_MAX).optional(),
  visibility: z.enum(KB_VISIBILITIES).optional(),
  status: z.enum(KB_STATUSES).optional(),
  authorId: uuid().nullable().optional(),
  updatedBy: uuid().nullable().optional(),
  version: z.number().int().min(1).optional(),
  createdAt: at.optional(),
  updatedAt: at.optional(),
  publishedAt: at.nullable().optional(),
});
export const kbArticleInsertSchema = kbArticleSchema.required({ category: true, title: true, body: true, visibility: true, status: true });

/** An evidence file's record (the bytes are fetched by content address). */
export const attachmentInsertSchema = z.object({
  ticketId: uuid(),
  eventId: uuid().nullable(),
  fileName: text(255),
  mimeType: text(200),
  sizeBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

