/**
 * Respuestas rápidas (issue 12, item 6): the team's and each agent's own reply texts, in
 * `quick_replies`. Every change is one Workspace.write with its audit entry; a team one also goes
 * to the outbox (entity 'quick_reply', applied at other branches by core/sync/apply.ts), a
 * personal one stays here. Who may change what is checked here, whatever the UI shows. A quick
 * reply is rendered for one ticket with the notice templates' engine (shared/mail-templates.ts).
 */
import type { z } from 'zod';
import type { Role } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { placeholdersOutside, renderTemplate, type PlaceholderValues, type TemplateLanguage } from '../../shared/mail-templates';
import {
  QUICK_REPLY_ENTITY, QUICK_REPLY_PLACEHOLDERS, QUICK_REPLY_TEAM_EDITORS,
  type QuickReply, type QuickReplyList, type QuickReplyScope, type quickReplySaveSchema, type RenderedQuickReply,
} from '../../shared/quick-replies';
import type { SlaEngine } from '../sla';
import type { Workspace, WriteTx } from '../workspace';
import type { NoticeTemplates } from './templates';
import { slaValues } from './templates';

interface Row {
  id: string;
  scope: QuickReplyScope;
  owner_id: string | null;
  title: string;
  body_es: string;
  body_en: string;
  created_by: string | null;
  updated_by: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Who is asking. */
export interface QuickReplyViewer {
  userId: string;
  roles: readonly Role[];
}

/** The fields a team quick reply carries in the outbox (and a pulled one is applied from). */
export const QUICK_REPLY_COLUMNS: Record<string, string> = {
  title: 'title', 'es-MX': 'body_es', en: 'body_en', createdBy: 'created_by', updatedBy: 'updated_by',
  version: 'version', createdAt: 'created_at', updatedAt: 'updated_at', deletedAt: 'deleted_at',
};

const canEditTeam = (roles: readonly Role[]) => roles.some((r) => QUICK_REPLY_TEAM_EDITORS.includes(r));

export class QuickReplies {
  constructor(
    private readonly ws: Workspace,
    private readonly sla: SlaEngine,
    private readonly templates: NoticeTemplates,
  ) {}

  /** The team's quick replies and the caller's own, by title. */
  list(viewer: QuickReplyViewer): QuickReplyList {
    const rows = this.ws.db
      .prepare(
        `SELECT q.*, u.full_name AS updated_by_name FROM quick_replies q LEFT JOIN users u ON u.id = q.updated_by
         WHERE q.deleted_at IS NULL AND (q.scope = 'team' OR q.owner_id = ?) ORDER BY q.title COLLATE NOCASE, q.id`,
      )
      .all(viewer.userId) as Array<Row & { updated_by_name: string | null }>;
    return {
      rows: rows.map((r) => this.toQuickReply(r, r.updated_by_name, viewer)),
      language: this.templates.get().language,
      canEditTeam: canEditTeam(viewer.roles),
    };
  }

  /** Creates or changes one; unknown placeholders are refused by name, with the ones it may use. */
  save(viewer: QuickReplyViewer, input: z.output<typeof quickReplySaveSchema>): QuickReply {
    for (const language of ['es-MX', 'en'] as const) {
      const unknown = placeholdersOutside(QUICK_REPLY_PLACEHOLDERS, input[language]);
      if (unknown.length > 0) {
        throw new AppError('mailTemplates.unknownPlaceholder', {
          names: unknown.map((n) => `{{${n}}}`).join(', '),
          allowed: QUICK_REPLY_PLACEHOLDERS.map((n) => `{{${n}}}`).join(', '),
        }, { [language]: 'mailTemplates.unknownPlaceholderField' });
      }
    }
    const id = this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      if (input.quickReplyId === undefined) return this.insert(tx, viewer, input);
      const before = this.editable(viewer, input.quickReplyId);
      if (before.scope !== input.scope) throw new AppError('validation.invalid', {}, { scope: 'validation.invalid' });
      if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) throw new AppError('quickReplies.staleVersion');
      const after = { title: input.title, body_es: input['es-MX'], body_en: input.en };
      const changed = (['title', 'body_es', 'body_en'] as const).filter((k) => before[k] !== after[k]);
      if (changed.length === 0) return before.id;
      const version = before.version + 1;
      tx.sql('UPDATE quick_replies SET title = ?, body_es = ?, body_en = ?, updated_by = ?, updated_at = ?, version = ? WHERE id = ?').run(
        after.title, after.body_es, after.body_en, viewer.userId, tx.at, version, before.id,
      );
      tx.audit('quickReply.saved', QUICK_REPLY_ENTITY, before.id, {
        scope: before.scope, title: after.title, version,
        before: { title: before.title, 'es-MX': before.body_es, en: before.body_en },
        after: { title: after.title, 'es-MX': after.body_es, en: after.body_en },
      });
      if (before.scope === 'team') {
        const payload: Record<string, unknown> = { version, updatedBy: viewer.userId, updatedAt: tx.at };
        if (changed.includes('title')) payload.title = after.title;
        if (changed.includes('body_es')) payload['es-MX'] = after.body_es;
        if (changed.includes('body_en')) payload.en = after.body_en;
        tx.outbox(QUICK_REPLY_ENTITY, before.id, 'update', payload);
      }
      return before.id;
    });
    return this.one(viewer, id);
  }

  private insert(tx: WriteTx, viewer: QuickReplyViewer, input: z.output<typeof quickReplySaveSchema>): string {
    if (input.scope === 'team' && !canEditTeam(viewer.roles)) throw new AppError('quickReplies.teamNotAllowed');
    const id = tx.id();
    const owner = input.scope === 'personal' ? viewer.userId : null;
    tx.sql(
      `INSERT INTO quick_replies (id, scope, owner_id, title, body_es, body_en, created_by, updated_by, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    ).run(id, input.scope, owner, input.title, input['es-MX'], input.en, viewer.userId, viewer.userId, tx.at, tx.at);
    tx.audit('quickReply.saved', QUICK_REPLY_ENTITY, id, {
      scope: input.scope, title: input.title, version: 1, created: true, after: { title: input.title, 'es-MX': input['es-MX'], en: input.en },
    });
    if (input.scope === 'team') {
      tx.outbox(QUICK_REPLY_ENTITY, id, 'insert', {
        scope: 'team', title: input.title, 'es-MX': input['es-MX'], en: input.en,
        createdBy: viewer.userId, updatedBy: viewer.userId, version: 1, createdAt: tx.at, updatedAt: tx.at,
      });
    }
    return id;
  }

  /** Deletes one (kept as deleted, so the deletion of a team one reaches the other branches). */
  remove(viewer: QuickReplyViewer, quickReplyId: string): null {
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      const before = this.editable(viewer, quickReplyId);
      const version = before.version + 1;
      tx.sql('UPDATE quick_replies SET deleted_at = ?, updated_by = ?, updated_at = ?, version = ? WHERE id = ?').run(tx.at, viewer.userId, tx.at, version, before.id);
      tx.audit('quickReply.deleted', QUICK_REPLY_ENTITY, before.id, {
        scope: before.scope, title: before.title, before: { title: before.title, 'es-MX': before.body_es, en: before.body_en },
      });
      if (before.scope === 'team') tx.outbox(QUICK_REPLY_ENTITY, before.id, 'update', { deletedAt: tx.at, updatedBy: viewer.userId, updatedAt: tx.at, version });
    });
    return null;
  }

  /**
   * The text to insert in a ticket's reply: the chosen language's text (the Spanish one when the
   * English one is empty) with the ticket's customer, folio, subject, the caller as the agent and
   * the SLA's committed times. A line whose value does not apply (no clock) is left out.
   */
  render(viewer: QuickReplyViewer, input: { quickReplyId: string; ticketId: string; language?: TemplateLanguage }): RenderedQuickReply {
    const row = this.visible(viewer, input.quickReplyId);
    const language = input.language ?? this.templates.get().language;
    const ticket = this.ws.db
      .prepare('SELECT t.tracking_number AS folio, t.subject AS asunto, c.name AS cliente FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ?')
      .get(input.ticketId) as { folio: string; asunto: string; cliente: string } | undefined;
    if (!ticket) throw new AppError('tickets.notFound');
    const agente = (this.ws.db.prepare('SELECT full_name FROM users WHERE id = ?').pluck().get(viewer.userId) as string | undefined) ?? null;
    const timeZone = (this.ws.db.prepare('SELECT time_zone FROM branch LIMIT 1').pluck().get() as string | undefined) ?? 'America/Mexico_City';
    const values: PlaceholderValues = { ...ticket, agente, ...slaValues(this.sla.status(input.ticketId).sla, timeZone, language) };
    const text = language === 'en' && row.body_en.trim() !== '' ? row.body_en : row.body_es;
    return { text: renderTemplate(text, values), language };
  }

  private one(viewer: QuickReplyViewer, id: string): QuickReply {
    const row = this.visible(viewer, id);
    const name = row.updated_by ? ((this.ws.db.prepare('SELECT full_name FROM users WHERE id = ?').pluck().get(row.updated_by) as string | undefined) ?? null) : null;
    return this.toQuickReply(row, name, viewer);
  }

  /** One the caller can see (the team's, or their own); another agent's personal one does not exist for them. */
  private visible(viewer: QuickReplyViewer, id: string): Row {
    const row = this.ws.db.prepare('SELECT * FROM quick_replies WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
    if (!row || (row.scope === 'personal' && row.owner_id !== viewer.userId)) throw new AppError('quickReplies.notFound');
    return row;
  }

  /** One the caller may change: a team one for its editors, a personal one for its author. */
  private editable(viewer: QuickReplyViewer, id: string): Row {
    const row = this.ws.db.prepare('SELECT * FROM quick_replies WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
    if (!row) throw new AppError('quickReplies.notFound');
    if (row.scope === 'team' && !canEditTeam(viewer.roles)) throw new AppError('quickReplies.teamNotAllowed');
    if (row.scope === 'personal' && row.owner_id !== viewer.userId) throw new AppError('quickReplies.notYours');
    return row;
  }

  private toQuickReply(r: Row, updatedByName: string | null, viewer: QuickReplyViewer): QuickReply {
    return {
      id: r.id, scope: r.scope, title: r.title, 'es-MX': r.body_es, en: r.body_en, ownerId: r.owner_id,
      updatedByName, updatedAt: r.updated_at, version: r.version,
      canEdit: r.scope === 'team' ? canEditTeam(viewer.roles) : r.owner_id === viewer.userId,
    };
  }
}
