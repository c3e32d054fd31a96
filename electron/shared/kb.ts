/**
 * Knowledge base (issue 12, item 5): articles the desk answers from, classified with the same
 * categories as tickets (Clasificación del requerimiento), written in Markdown, internal (the desk
 * only) or public (also the customer portal once published). The contract's schemas, what crosses
 * the boundary, and who may do what. Pure: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { CATEGORIES, type Category, type Role } from './domain';
import { str, uuid } from './text';

/** draft: being written (never suggested, never on the portal) · published · archived: kept, out of search and suggestions. */
export const KB_STATUSES = ['draft', 'published', 'archived'] as const;
export type KbStatus = (typeof KB_STATUSES)[number];
/** internal: the desk only · public: also the customers (portal), once published. */
export const KB_VISIBILITIES = ['internal', 'public'] as const;
export type KbVisibility = (typeof KB_VISIBILITIES)[number];

/**
 * Who writes articles: the people who answer customers (every tier and the supervisor) and the
 * administrator. They create drafts and edit every article except a published public one.
 */
export const KB_WRITERS: readonly Role[] = ['agent', 'operations', 'development', 'supervisor', 'administrator'];
/**
 * Who publishes: what customers read goes out under the supervisor's or the administrator's
 * review (as a help desk's knowledge manager does). They publish, unpublish and archive, and are
 * the only ones who edit an article that customers can read (published and public).
 */
export const KB_PUBLISHERS: readonly Role[] = ['supervisor', 'administrator'];

export const KB_TITLE_MAX = 200;
export const KB_BODY_MAX = 50_000;

/** The outbox entity of an article (sync; the central server's portal serves the public ones). */
export const KB_ENTITY = 'kb_article';
/** Where the customer portal shows a public article, under the central server's address. */
export const KB_PORTAL_PATH = '/portal/articulos/';

const title = str().trim().min(1, 'validation.required').max(KB_TITLE_MAX, 'validation.tooLong');
const body = str().trim().min(1, 'validation.required').max(KB_BODY_MAX, 'validation.tooLong');

export const kbListSchema = z.object({
  query: str().trim().max(200, 'validation.tooLong').default(''),
  category: z.enum(CATEGORIES).optional(),
  /** Empty: drafts and published (archived only when asked for). */
  status: z.array(z.enum(KB_STATUSES)).max(KB_STATUSES.length).default([]),
  visibility: z.enum(KB_VISIBILITIES).optional(),
  offset: z.number().int().min(0).max(100_000).default(0),
  limit: z.number().int().min(1).max(100).default(30),
});

export const kbCreateSchema = z.object({
  category: z.enum(CATEGORIES),
  title,
  body,
  visibility: z.enum(KB_VISIBILITIES).default('internal'),
});

export const kbUpdateSchema = z.object({
  articleId: uuid(),
  /** The version the editor started from: a save over someone else's newer save is refused. */
  expectedVersion: z.number().int().min(1),
  category: z.enum(CATEGORIES).optional(),
  title: title.optional(),
  body: body.optional(),
  visibility: z.enum(KB_VISIBILITIES).optional(),
});

export const kbStatusSchema = z.object({
  articleId: uuid(),
  status: z.enum(KB_STATUSES),
});

export const kbSuggestSchema = z.object({ ticketId: uuid(), limit: z.number().int().min(1).max(10).default(5) });
export const kbPreviewSchema = z.object({ body: str().max(KB_BODY_MAX, 'validation.tooLong') });

export const kbRestoreSchema = z.object({
  articleId: uuid(),
  /** The revision whose text comes back. */
  version: z.number().int().min(1),
  /** The article's version the history was read at: a restore over a newer save is refused. */
  expectedVersion: z.number().int().min(1),
});
export const kbFeedbackSchema = z.object({ articleId: uuid(), helpful: z.boolean() });

/** One saved version of an article (the current one is the article itself). */
export interface KbRevision {
  version: number;
  category: Category;
  title: string;
  body: string;
  visibility: KbVisibility;
  status: KbStatus;
  editedByName: string | null;
  editedAt: number;
  /** Whether this is the article as it is now. */
  current: boolean;
}

export interface KbHistory {
  articleId: string;
  /** Newest first; the first is the current version. */
  revisions: KbRevision[];
  /** Whether the caller may bring an old version back (as a draft). */
  canRestore: boolean;
}

/** "¿Te sirvió?": the counts for the editors (null for who may not edit it) and the caller's own answer. */
export interface KbFeedback {
  helpful: number | null;
  notHelpful: number | null;
  mine: boolean | null;
}

export interface KbArticleSummary {
  id: string;
  category: Category;
  title: string;
  visibility: KbVisibility;
  status: KbStatus;
  /** A fragment of the text; with a search, around the first match and with matches in [[ ]]. */
  excerpt: string;
  updatedAt: number;
  updatedByName: string | null;
}

export interface KbArticle extends KbArticleSummary {
  version: number;
  /** The Markdown source (what the editor edits). */
  body: string;
  /** The body rendered and sanitized (safe to put in the page as it is). */
  bodyHtml: string;
  /** The body as plain text, to insert into a reply. */
  bodyText: string;
  /** null: one of the articles the app ships with. */
  authorName: string | null;
  createdAt: number;
  publishedAt: number | null;
  /** The customer portal's address of the article: only for a published public article on an enrolled device. */
  publicUrl: string | null;
  /** What the caller may do with it (core checks again on every call). */
  canEdit: boolean;
  canPublish: boolean;
  feedback: KbFeedback;
}

export interface KbPage {
  rows: KbArticleSummary[];
  total: number;
  nextOffset: number | null;
}

export interface KbPreview {
  html: string;
}

/**
 * May a user with these roles change this article's content? Writers edit what customers cannot
 * read yet; only publishers touch an article that is (or would become) published and public.
 */
export function kbCanEdit(roles: readonly Role[], article: { status: KbStatus; visibility: KbVisibility }): boolean {
  if (!roles.some((r) => KB_WRITERS.includes(r))) return false;
  if (article.status === 'published' && article.visibility === 'public') return kbCanPublish(roles);
  return true;
}

export function kbCanPublish(roles: readonly Role[]): boolean {
  return roles.some((r) => KB_PUBLISHERS.includes(r));
}

/** The portal address of an article under the central server's address (null when there is none). */
export function kbPortalUrl(serverUrl: string | null, articleId: string): string | null {
  if (!serverUrl) return null;
  try {
    return new URL(KB_PORTAL_PATH + articleId, serverUrl).toString();
  } catch {
    return null;
  }
}
