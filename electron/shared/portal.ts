/**
 * The customer portal's forms (issue 13), parsed by the portal in the browser and again by the
 * server: the same field schemas as the desk's intake (shared/contract.ts ticketCreateSchema) and
 * the shared RFC rule, plus what only the portal has — evidence rules, the bot challenge and the
 * public timeline. Pure: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { attachmentUploadSchema, ticketCreateSchema } from './contract';
import type { EventKind, Priority, RequestType, Status, Tier, WaitingOn } from './domain';
import { checkRfc } from './rfc';
import { str } from './text';

/** The intake's own field schemas: a new customer's RFC, name and e-mail, subject, message, request type and priority. */
const intake = ticketCreateSchema.shape;
const newCustomer = intake.customer.options[1].shape;

/** The RFC as the desk checks it: format, date and inconvenient words block; a wrong check digit only warns. */
export const portalRfc = newCustomer.rfc.superRefine((v, ctx) => {
  const check = checkRfc(v);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error ?? 'rfc.format' });
});

/** Evidence: at most this many files per form, each at most this size (decoded). */
export const MAX_EVIDENCE_FILES = 3;
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
/** The largest JSON body a portal form may send: every file in base64 plus the text fields. */
export const MAX_PORTAL_BODY_BYTES = Math.ceil(MAX_EVIDENCE_FILES * MAX_EVIDENCE_BYTES * 4 / 3) + 256 * 1024;

/** What kinds of evidence the portal takes, by content (the name's extension must agree). */
export const EVIDENCE_TYPES = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'application/xml': ['xml'],
  'text/plain': ['txt', 'log', 'csv'],
} as const satisfies Record<string, readonly string[]>;
export type EvidenceType = keyof typeof EVIDENCE_TYPES;

const evidence = z
  .array(attachmentUploadSchema.extend({ contentBase64: str().max(Math.ceil(MAX_EVIDENCE_BYTES * 4 / 3) + 4, 'portal.fileTooLarge') }))
  .max(MAX_EVIDENCE_FILES, 'portal.tooManyFiles')
  .default([]);

/** The answer to a bot challenge: the token the server signed and a nonce whose hash clears the difficulty. */
export const challengeAnswerSchema = z.object({
  token: str().max(300, 'portal.challenge').regex(/^\d{13}\.[0-9a-f]{32}\.[0-9a-f]{64}$/, 'portal.challenge'),
  nonce: str().max(40, 'portal.challenge').regex(/^\d{1,20}$/, 'portal.challenge'),
});

/** The web ticket form of seed 000 plus request type and evidence. `website` is the honeypot: people leave it empty. */
export const portalTicketSchema = z.object({
  email: newCustomer.email,
  rfc: portalRfc,
  name: newCustomer.name,
  subject: intake.subject,
  message: intake.description,
  priority: intake.priority,
  requestType: intake.requestType,
  attachments: evidence,
  website: str().max(200).default(''),
  challenge: challengeAnswerSchema,
  /** The page's visit id: a ticket opened after reading articles in the same visit was not deflected. */
  visit: z.lazy(() => visitId).optional(),
});
export type PortalTicketInput = z.input<typeof portalTicketSchema>;

/** A folio as the customer types it: trimmed, upper case, `<SITE>-<number>`. */
export const trackingNumberField = str()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(/^[A-Z0-9]{2,8}-\d{1,12}$/, 'portal.trackingNumber'));

/** Status by tracking number: the folio and the e-mail on the ticket. */
export const portalStatusSchema = z.object({ trackingNumber: trackingNumberField, email: newCustomer.email });

/** More information or evidence for a ticket, sent with the same folio and e-mail. */
export const portalMessageSchema = portalStatusSchema.extend({ message: intake.description, attachments: evidence });

/** Timeline kinds a customer sees. Notes, contact attempts, assignments, field changes and SLA entries stay inside. */
export const PUBLIC_EVENT_KINDS = ['created', 'reply', 'customer_message', 'status_change', 'closed', 'reopened', 'escalated', 'deescalated'] as const satisfies readonly EventKind[];
/** Of those, the kinds whose text the customer reads. */
export const PUBLIC_TEXT_KINDS: readonly string[] = ['reply', 'customer_message'];

/** Leading zero bits of a digest: the proof of work must reach the challenge's difficulty. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** The text whose SHA-256 must start with `difficulty` zero bits. */
export const powInput = (token: string, nonce: string) => `${token}:${nonce}`;

export interface PortalChallenge {
  token: string;
  difficulty: number;
  /** The earliest the form may be sent (ms since epoch): people take longer than bots to fill a form. */
  notBefore: number;
}

export interface PortalFileRef {
  sha256: string;
  fileName: string;
  mimeType: EvidenceType;
  size: number;
}

export interface PortalTimelineEntry {
  kind: (typeof PUBLIC_EVENT_KINDS)[number];
  at: number;
  /** Text of replies and customer messages; empty otherwise. */
  body: string;
  /** Status and tier the entry moved to (status changes, escalations). */
  to?: Status | Tier | null;
  files: Array<Pick<PortalFileRef, 'fileName' | 'size'>>;
}

export interface PortalTicketStatus {
  trackingNumber: string;
  subject: string;
  status: Status;
  waitingOn: WaitingOn | null;
  requestType: RequestType;
  priority: Priority;
  tier: Tier;
  createdAt: number;
  closedAt: number | null;
  /** Business minutes the policy gives for the first response and for resolution (null: attended at once). */
  expected: { firstResponseMinutes: number | null; resolutionMinutes: number };
  solution: string;
  timeline: PortalTimelineEntry[];
}

export interface PortalTicketCreated {
  trackingNumber: string;
  expected: PortalTicketStatus['expected'];
}

// ---------------------------------------------------------------------------
// Signing in by a link sent to the customer's e-mail (seed 004: all of a customer's tickets)
// ---------------------------------------------------------------------------

/** A sign-in link works once and for this long. */
export const SIGN_IN_LINK_TTL_MS = 30 * 60_000;
/** A session opened by a link lasts this long (then the customer asks for another link). */
export const PORTAL_SESSION_TTL_MS = 12 * 60 * 60_000;
/** Where links land in the portal page: `<server>/portal/#acceso=<token>`, `#encuesta=<token>` (the fragment never reaches a server log). */
export const SIGN_IN_FRAGMENT = 'acceso';
export const SURVEY_FRAGMENT = 'encuesta';

/** A token as links carry it: 32 random bytes in base64url. */
export const linkToken = str().regex(/^[A-Za-z0-9_-]{43}$/, 'portal.linkInvalid');

/** The e-mail a customer asks a sign-in link for. */
export const signInLinkSchema = z.object({ email: newCustomer.email });
/** The token of the link the customer opened. */
export const signInSchema = z.object({ token: linkToken });

export const ACCOUNT_STATUS_FILTERS = ['all', 'open', 'waiting', 'closed'] as const;
export const ACCOUNT_TYPE_FILTERS = ['all', 'general', 'technical'] as const;
/** The signed-in ticket list's filters (seed 004: by status and by type). */
export const accountTicketsSchema = z.object({
  status: z.enum(ACCOUNT_STATUS_FILTERS).default('all'),
  requestType: z.enum(ACCOUNT_TYPE_FILTERS).default('all'),
});
/** One of the signed-in customer's tickets, by folio. */
export const accountTicketSchema = z.object({ trackingNumber: trackingNumberField });
/** More information for one of the signed-in customer's tickets. */
export const accountMessageSchema = accountTicketSchema.extend({ message: intake.description, attachments: evidence });

export interface PortalAccountTicket {
  trackingNumber: string;
  subject: string;
  status: Status;
  waitingOn: WaitingOn | null;
  requestType: RequestType;
  customerName: string;
  /** An account or sensitive-data request (only a legal representative sees these). */
  sensitive: boolean;
  updatedAt: number | null;
}

export interface PortalAccount {
  email: string;
  /** The customers this e-mail speaks for, and whether it is their legal representative's. */
  customers: Array<{ name: string; legalRepresentative: boolean }>;
  tickets: PortalAccountTicket[];
  /** More tickets matched than are listed (the newest are). */
  truncated: boolean;
}

// ---------------------------------------------------------------------------
// The satisfaction survey answered from the closing e-mail's link
// ---------------------------------------------------------------------------

export const surveyAnswerSchema = z.object({
  token: linkToken,
  rating: z.number().int().min(1, 'portal.surveyRating').max(5, 'portal.surveyRating'),
  comment: str().trim().max(2000, 'validation.tooLong').default(''),
});

export interface PortalSurvey {
  trackingNumber: string;
  subject: string;
  /** The answer already given (one per ticket), if any. */
  answered: { rating: number; comment: string } | null;
}

// ---------------------------------------------------------------------------
// Public knowledge-base articles (published AND public only) and deflection
// ---------------------------------------------------------------------------

/** A random id the page makes once per visit (tab), sent with article reads and the ticket form. */
export const visitId = str().regex(/^[A-Za-z0-9_-]{16,64}$/, 'validation.invalid');

export const articleSearchSchema = z.object({
  q: str().trim().max(200, 'validation.tooLong').default(''),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});
export const articleReadSchema = z.object({ id: z.string().uuid('portal.articleNotFound'), visit: visitId.optional() });

export interface PortalArticleHit {
  id: string;
  title: string;
  category: string;
  excerpt: string;
}

export interface PortalArticle {
  id: string;
  title: string;
  category: string;
  /** Safe HTML rendered on the server from the article's Markdown (sanitized). */
  html: string;
  updatedAt: number | null;
}

export interface PortalDeflection {
  since: number;
  /** Visits that read at least one article. */
  visitsWithReads: number;
  /** Of those, the visits in which no ticket was opened. */
  deflectedVisits: number;
  articles: Array<{ articleId: string; title: string; reads: number; deflected: number }>;
}
