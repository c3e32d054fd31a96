/**
 * Respuestas rápidas (issue 12, item 6; seed 003): texts an agent inserts into a reply from the
 * ticket's composer. The team's (every agent sees them; supervisors and administrators change
 * them, and they travel to every branch by sync) and each agent's own (personal: only their author
 * sees and changes them; they stay on this workspace). Each has a Spanish text and, optionally, an
 * English one, with the notice templates' placeholders ({{cliente}}, {{folio}}, {{agente}}, the
 * SLA's committed dates), rendered in core for the ticket it is inserted in. Pure.
 */
import { z } from 'zod';
import type { Role } from './domain';
import { QUICK_REPLY_PLACEHOLDERS, TEMPLATE_LANGUAGES, type TemplateLanguage } from './mail-templates';
import { str, uuid } from './text';

export const QUICK_REPLY_SCOPES = ['team', 'personal'] as const;
export type QuickReplyScope = (typeof QUICK_REPLY_SCOPES)[number];

/** Who uses quick replies (the contract's access): the people who answer customers, and the administrator. */
export const QUICK_REPLY_USERS: readonly Role[] = ['agent', 'operations', 'development', 'supervisor', 'administrator'];
/** Who changes the team's quick replies (checked in core and, for pushed changes, on the server). */
export const QUICK_REPLY_TEAM_EDITORS: readonly Role[] = ['supervisor', 'administrator'];

/** The outbox entity of a team quick reply (personal ones are never pushed). */
export const QUICK_REPLY_ENTITY = 'quick_reply';

export const QUICK_REPLY_TITLE_MAX = 120;
export const QUICK_REPLY_BODY_MAX = 10_000;

export { QUICK_REPLY_PLACEHOLDERS };

const title = str().trim().min(1, 'validation.required').max(QUICK_REPLY_TITLE_MAX, 'validation.tooLong');
const bodyEs = str().trim().min(1, 'validation.required').max(QUICK_REPLY_BODY_MAX, 'validation.tooLong');
/** The English text is optional: empty means the Spanish one is used. */
const bodyEn = str().trim().max(QUICK_REPLY_BODY_MAX, 'validation.tooLong').default('');

export const quickReplySaveSchema = z.object({
  /** Absent: a new quick reply. */
  quickReplyId: uuid().optional(),
  /** Fixed at creation: a save of an existing one with another scope is refused. */
  scope: z.enum(QUICK_REPLY_SCOPES),
  title,
  'es-MX': bodyEs,
  en: bodyEn,
  /** The version the editor started from (an existing one): a save over a newer one is refused. */
  expectedVersion: z.number().int().min(1).optional(),
});
export const quickReplyIdSchema = z.object({ quickReplyId: uuid() });
export const quickReplyRenderSchema = z.object({
  quickReplyId: uuid(),
  ticketId: uuid(),
  language: z.enum(TEMPLATE_LANGUAGES).optional(),
});

/** A team quick reply as another branch pushed it (checked before it is applied here; fields of an update are partial). */
export const pulledQuickReplySchema = z.object({
  scope: z.literal('team'),
  title,
  'es-MX': bodyEs,
  en: str().max(QUICK_REPLY_BODY_MAX),
  createdBy: uuid().nullable(),
  updatedBy: uuid().nullable(),
  version: z.number().int().min(1),
  createdAt: z.number().int().min(0),
  updatedAt: z.number().int().min(0),
  deletedAt: z.number().int().min(0).nullable(),
}).partial();

export interface QuickReply {
  id: string;
  scope: QuickReplyScope;
  title: string;
  'es-MX': string;
  en: string;
  /** The author of a personal one; null for the team's. */
  ownerId: string | null;
  updatedByName: string | null;
  updatedAt: number;
  version: number;
  /** Whether the caller may change or delete it. */
  canEdit: boolean;
}

export interface QuickReplyList {
  rows: QuickReply[];
  /** The language the customer notices are written in: the picker's default. */
  language: TemplateLanguage;
  /** Whether the caller may add team quick replies. */
  canEditTeam: boolean;
}

export interface RenderedQuickReply {
  text: string;
  language: TemplateLanguage;
}

/** Lowercase, without accents: "facturación" is found by "facturacion". */
export function foldForSearch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The quick replies matching what was typed in the picker: every word must appear in the title or
 * a text; those with the words in the title first, then personal before team, then by title.
 */
export function filterQuickReplies(rows: readonly QuickReply[], query: string): QuickReply[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  const scored: Array<{ r: QuickReply; inTitle: boolean }> = [];
  for (const r of rows) {
    const t = foldForSearch(r.title);
    const all = `${t}\n${foldForSearch(r['es-MX'])}\n${foldForSearch(r.en)}`;
    if (!words.every((w) => all.includes(w))) continue;
    scored.push({ r, inTitle: words.every((w) => t.includes(w)) });
  }
  return scored
    .sort((a, b) => Number(b.inTitle) - Number(a.inTitle) || (a.r.scope === b.r.scope ? 0 : a.r.scope === 'personal' ? -1 : 1) || a.r.title.localeCompare(b.r.title, 'es'))
    .map((x) => x.r);
}

/**
 * Whether the `t` key in the reply box should open the picker rather than type: only when
 * nothing is written yet (a Spanish reply starts with a capital; Shift+T still types). Inside
 * text the letter always types.
 */
export function tOpensPicker(value: string): boolean {
  return value.trim().length === 0;
}
