/**
 * The knowledge base (issue 12, item 5): articles in `kb_articles`, searched with FTS5
 * (`kb_articles_fts`, accent-insensitive, bm25 with the title weighing more than the body). Every
 * change is one Workspace.write: the row, its previous version in `kb_article_revisions` (the
 * history), an audit entry and an outbox record (entity 'kb_article'). Who may do what is checked
 * here (shared/kb.ts: writers, publishers), whatever the UI shows.
 */
import type { z } from 'zod';
import type { Category, Role } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import {
  KB_ENTITY, kbCanEdit, kbCanPublish, kbPortalUrl,
  type KbArticle, type KbArticleSummary, type KbFeedback, type KbHistory, type KbPage, type KbStatus, type KbVisibility,
  type kbCreateSchema, type kbListSchema, type kbRestoreSchema, type kbStatusSchema, type kbUpdateSchema,
} from '../../shared/kb';
import { articleExcerpt, articlePlainText, renderArticleHtml } from '../../shared/kb-markdown';
import { KB_STARTER_ARTICLES, KB_STARTER_VERSION } from '../../shared/kb-starter';
import { fold, highlight, matchExpression, searchTerms } from '../search';
import type { Workspace, WriteTx } from '../workspace';

interface ArticleRow {
  id: string;
  category: Category;
  title: string;
  body: string;
  visibility: KbVisibility;
  status: KbStatus;
  author_id: string | null;
  updated_by: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

/** Who is asking: their id and roles (the permission rules need both). */
export interface KbViewer {
  userId: string;
  roles: readonly Role[];
}

/** Weights of title and body in bm25: a word in the title counts as much as many in the body. */
const BM25 = 'bm25(kb_articles_fts, 8.0, 1.0)';
/** How much more an article of the ticket's own category weighs among the suggestions. */
const SAME_CATEGORY_BOOST = 1.5;
/** Words too common to tell articles apart (a ticket's text is full of them). */
const STOPWORDS = new Set(
  ('a al algo algun alguna ante antes aun asi aqui bien cada como con contra cual cuando de del desde donde dos el ella ellos en ' +
    'entre era es esa ese eso esta estan este esto estoy fue ha hace hay hola la las le les lo los mas me mi mis mucho muy ' +
    'nada ni no nos o otra otro para pero poco por porque puedo puede que quiero se sea ser si sin sobre solo su sus tambien ' +
    'te tengo tiene todo todos tu un una uno unos usted y ya favor gracias buen buenos buenas dias tardes saludos ayuda ' +
    'necesito me podrian podria apoyo cliente')
    .split(' '),
);

/** Plain texts kept in memory (an article changes rarely; Markdown parsing was most of a search page's time). */
const PLAIN_CACHE_MAX = 5_000;

export class KnowledgeBase {
  private readonly plainCache = new Map<string, { plain: string; folded: string }>();

  constructor(
    private readonly ws: Workspace,
    /** The central server's address when the device is enrolled (the portal's public links hang from it). */
    private readonly serverUrl: () => string | null = () => null,
    /** Whether installStarter installs anything (unit tests that count rows turn it off). */
    private readonly starter = true,
  ) {}

  list(input: z.output<typeof kbListSchema>): KbPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (input.category) {
      where.push('a.category = ?');
      params.push(input.category);
    }
    if (input.visibility) {
      where.push('a.visibility = ?');
      params.push(input.visibility);
    }
    const statuses = input.status.length > 0 ? input.status : (['draft', 'published'] as KbStatus[]);
    where.push(`a.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
    const terms = searchTerms(input.query);
    const filter = where.join(' AND ');
    if (terms.length === 0) {
      const total = this.ws.db.prepare(`SELECT COUNT(*) FROM kb_articles a WHERE ${filter}`).pluck().get(...params) as number;
      const rows = this.ws.db
        .prepare(`SELECT a.* FROM kb_articles a WHERE ${filter} ORDER BY a.updated_at DESC, a.id LIMIT ? OFFSET ?`)
        .all(...params, input.limit, input.offset) as ArticleRow[];
      return this.page(rows, total, input, []);
    }
    // Every word, the last also as a prefix (search as you type); when that finds nothing (a
    // question in the customer's words), any of the meaningful words, best first.
    const all = matchExpression(terms, true)!;
    let found = this.search(all, filter, params, input.limit, input.offset);
    if (found.total === 0) {
      const meaningful = terms.filter((t) => !STOPWORDS.has(t));
      if (meaningful.length > 1) found = this.search(anyOf(meaningful), filter, params, input.limit, input.offset);
    }
    return this.page(found.rows, found.total, input, terms);
  }

  private search(match: string, filter: string, params: unknown[], limit: number, offset: number): { rows: ArticleRow[]; total: number } {
    const from = `FROM kb_articles_fts JOIN kb_articles a ON a.rowid = kb_articles_fts.rowid WHERE kb_articles_fts MATCH ? AND ${filter}`;
    const total = this.ws.db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(match, ...params) as number;
    // Rank with the narrow columns only, then read the page's rows: sorting whole rows (bodies) cost most of a page.
    const rows = this.ws.db
      .prepare(
        `SELECT a.* FROM (SELECT a.rowid AS r, ${BM25} AS rank, a.updated_at AS u ${from} ORDER BY rank, u DESC LIMIT ? OFFSET ?) top
         JOIN kb_articles a ON a.rowid = top.r ORDER BY top.rank, top.u DESC`,
      )
      .all(match, ...params, limit, offset) as ArticleRow[];
    return { rows, total };
  }

  private page(rows: ArticleRow[], total: number, input: { offset: number; limit: number }, terms: string[]): KbPage {
    const names = this.userNames(rows.map((r) => r.updated_by));
    const next = input.offset + rows.length;
    return { rows: rows.map((r) => this.summary(r, names, terms)), total, nextOffset: next < total ? next : null };
  }

  get(viewer: KbViewer, articleId: string): KbArticle {
    const row = this.row(articleId);
    const names = this.userNames([row.updated_by, row.author_id]);
    const bodyText = this.text(row).plain;
    return {
      ...this.summary(row, names, []),
      version: row.version,
      body: row.body,
      bodyHtml: renderArticleHtml(row.body),
      bodyText,
      authorName: row.author_id ? (names.get(row.author_id) ?? null) : null,
      createdAt: row.created_at,
      publishedAt: row.published_at,
      publicUrl: row.status === 'published' && row.visibility === 'public' ? kbPortalUrl(this.serverUrl(), row.id) : null,
      canEdit: kbCanEdit(viewer.roles, row),
      canPublish: kbCanPublish(viewer.roles),
      feedback: this.feedbackOf(viewer, row),
    };
  }

  /** The article's versions, newest first (the current one, then what each save replaced). */
  history(viewer: KbViewer, articleId: string): KbHistory {
    const row = this.row(articleId);
    const old = this.ws.sql('SELECT * FROM kb_article_revisions WHERE article_id = ? ORDER BY version DESC').all(articleId) as Array<{
      version: number; category: Category; title: string; body: string; visibility: KbVisibility; status: KbStatus; edited_by: string | null; edited_at: number;
    }>;
    const names = this.userNames([row.updated_by, ...old.map((r) => r.edited_by)]);
    const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
    return {
      articleId,
      revisions: [
        { version: row.version, category: row.category, title: row.title, body: row.body, visibility: row.visibility, status: row.status,
          editedByName: name(row.updated_by), editedAt: row.updated_at, current: true },
        ...old.map((r) => ({ version: r.version, category: r.category, title: r.title, body: r.body, visibility: r.visibility, status: r.status,
          editedByName: name(r.edited_by), editedAt: r.edited_at, current: false })),
      ],
      canRestore: this.mayRestore(viewer, row),
    };
  }

  /**
   * Brings an old version's category, title and text back as a new version, in draft: the history
   * keeps everything, and the restored text goes out again only when a publisher publishes it.
   */
  restore(viewer: KbViewer, input: z.output<typeof kbRestoreSchema>): KbArticle {
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      const before = this.row(input.articleId);
      if (!this.mayRestore(viewer, before)) throw new AppError(kbCanEdit(viewer.roles, before) ? 'kb.publishForbidden' : 'kb.editForbidden');
      if (before.version !== input.expectedVersion) throw new AppError('kb.staleVersion');
      const old = tx.sql('SELECT category, title, body FROM kb_article_revisions WHERE article_id = ? AND version = ?').get(before.id, input.version) as
        { category: Category; title: string; body: string } | undefined;
      if (!old) throw new AppError('kb.revisionNotFound');
      this.save(tx, viewer.userId, before, { ...before, ...old, status: 'draft' });
      tx.audit('kb.articleRestored', KB_ENTITY, before.id, {
        article: old.title, restoredVersion: input.version, version: before.version + 1, articleStatus: { from: before.status, to: 'draft' },
      });
    });
    return this.get(viewer, input.articleId);
  }

  /** An agent's "¿Te sirvió?" (one answer per person; a new one replaces theirs). */
  giveFeedback(viewer: KbViewer, articleId: string, helpful: boolean): KbArticle {
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      const row = this.row(articleId);
      if (row.status !== 'published') throw new AppError('kb.notPublished');
      tx.sql(
        `INSERT INTO kb_article_feedback (article_id, user_id, helpful, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
      ).run(articleId, viewer.userId, helpful ? 1 : 0, tx.at);
      tx.audit('kb.feedbackGiven', KB_ENTITY, articleId, { article: row.title, helpful });
    });
    return this.get(viewer, articleId);
  }

  /** Editors of the article see the counts; everyone sees their own answer. */
  private feedbackOf(viewer: KbViewer, row: ArticleRow): KbFeedback {
    const mine = this.ws.sql('SELECT helpful FROM kb_article_feedback WHERE article_id = ? AND user_id = ?').pluck().get(row.id, viewer.userId) as number | undefined;
    if (!kbCanEdit(viewer.roles, { status: 'draft', visibility: row.visibility })) return { helpful: null, notHelpful: null, mine: mine === undefined ? null : mine === 1 };
    const counts = this.ws.sql('SELECT COALESCE(SUM(helpful), 0) AS yes, COUNT(*) - COALESCE(SUM(helpful), 0) AS no FROM kb_article_feedback WHERE article_id = ?')
      .get(row.id) as { yes: number; no: number };
    return { helpful: counts.yes, notHelpful: counts.no, mine: mine === undefined ? null : mine === 1 };
  }

  /** Restoring makes a draft: whoever may edit the article, and for a published one only who may take it back to draft. */
  private mayRestore(viewer: KbViewer, row: ArticleRow): boolean {
    return kbCanEdit(viewer.roles, row) && (row.status === 'draft' || kbCanPublish(viewer.roles));
  }

  /** A new article starts as a draft: nobody reads it in suggestions or the portal until it is published. */
  create(viewer: KbViewer, input: z.output<typeof kbCreateSchema>): KbArticle {
    const id = this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      const articleId = tx.id();
      const row: ArticleRow = {
        id: articleId, category: input.category, title: input.title, body: input.body, visibility: input.visibility, status: 'draft',
        author_id: viewer.userId, updated_by: viewer.userId, version: 1, created_at: tx.at, updated_at: tx.at, published_at: null,
      };
      insertRow(tx, row);
      tx.audit('kb.articleCreated', KB_ENTITY, articleId, { article: row.title, category: row.category, visibility: row.visibility });
      tx.outbox(KB_ENTITY, articleId, 'insert', outboxPayload(row));
      return articleId;
    });
    return this.get(viewer, id);
  }

  update(viewer: KbViewer, input: z.output<typeof kbUpdateSchema>): KbArticle {
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      const before = this.row(input.articleId);
      const after: ArticleRow = {
        ...before,
        category: input.category ?? before.category,
        title: input.title ?? before.title,
        body: input.body ?? before.body,
        visibility: input.visibility ?? before.visibility,
      };
      // A writer never touches what customers read (the dispatcher records the refusal).
      if (!kbCanEdit(viewer.roles, before) || !kbCanEdit(viewer.roles, after)) throw new AppError('kb.editForbidden');
      if (before.version !== input.expectedVersion) throw new AppError('kb.staleVersion');
      const changed = (['category', 'title', 'body', 'visibility'] as const).filter((k) => before[k] !== after[k]);
      if (changed.length === 0) return;
      this.save(tx, viewer.userId, before, after);
      // What changed; the body itself is in the article's history, not in the log.
      tx.audit('kb.articleUpdated', KB_ENTITY, before.id, {
        article: after.title, version: before.version + 1, bodyChanged: changed.includes('body'),
        ...Object.fromEntries(changed.filter((k) => k !== 'body').map((k) => [k, { from: before[k], to: after[k] }])),
      });
    });
    return this.get(viewer, input.articleId);
  }

  /** Publish, take back to draft, archive (publishers only: the contract's access list, and checked again here). */
  setStatus(viewer: KbViewer, input: z.output<typeof kbStatusSchema>): KbArticle {
    this.ws.write({ kind: 'user', userId: viewer.userId }, (tx) => {
      // The dispatcher records the refusal in the audit log (api.refused with this code).
      if (!kbCanPublish(viewer.roles)) throw new AppError('kb.publishForbidden');
      const before = this.row(input.articleId);
      if (before.status === input.status) return;
      const after: ArticleRow = { ...before, status: input.status, published_at: input.status === 'published' ? tx.at : before.published_at };
      this.save(tx, viewer.userId, before, after);
      tx.audit('kb.articleStatusChanged', KB_ENTITY, before.id, {
        article: after.title, articleStatus: { from: before.status, to: after.status }, visibility: after.visibility,
      });
    });
    return this.get(viewer, input.articleId);
  }

  /**
   * Published articles for a ticket: its subject and description as a question (any of their
   * meaningful words, bm25), the ticket's own category weighing more. Internal articles are
   * included: the suggestions are for the agent, who decides what reaches the customer.
   */
  suggest(ticketId: string, limit: number): KbArticleSummary[] {
    const ticket = this.ws.sql('SELECT subject, description, category FROM tickets WHERE id = ?').get(ticketId) as
      | { subject: string; description: string; category: Category }
      | undefined;
    if (!ticket) throw new AppError('tickets.notFound');
    // The subject first: its words are kept when a long description would pass the limit.
    const terms = [...new Set(fold(`${ticket.subject} ${ticket.description.slice(0, 4000)}`).split(/[^\p{L}\p{N}]+/u))]
      .filter((t) => t.length > 2 && !STOPWORDS.has(t))
      .slice(0, 30);
    if (terms.length === 0) return [];
    const rows = this.ws.db
      .prepare(
        `SELECT a.*, top.rank FROM (SELECT a.rowid AS r, ${BM25} AS rank FROM kb_articles_fts JOIN kb_articles a ON a.rowid = kb_articles_fts.rowid
         WHERE kb_articles_fts MATCH ? AND a.status = 'published' ORDER BY rank LIMIT 50) top JOIN kb_articles a ON a.rowid = top.r`,
      )
      .all(anyOf(terms)) as Array<ArticleRow & { rank: number }>;
    // bm25 is negative, smaller is better: the same category multiplies it away from zero.
    rows.sort((a, b) => score(a) - score(b));
    function score(r: ArticleRow & { rank: number }): number {
      return r.rank * (r.category === ticket!.category ? SAME_CATEGORY_BOOST : 1);
    }
    const top = rows.slice(0, limit);
    const names = this.userNames(top.map((r) => r.updated_by));
    return top.map((r) => this.summary(r, names, terms));
  }

  /** A body rendered as the article view will show it (the editor's preview). */
  preview(body: string): { html: string } {
    return { html: renderArticleHtml(body) };
  }

  /**
   * Installs the articles the app ships with that this workspace does not have yet (by id), as
   * published articles of the app. Runs when a workspace opens and right after the first setup;
   * a later app version with more articles adds only those.
   */
  installStarter(): number {
    if (!this.starter || Number(this.ws.getSetting('kb.starterVersion') ?? 0) >= KB_STARTER_VERSION) return 0;
    return this.ws.write({ kind: 'system' }, (tx) => {
      const exists = tx.sql('SELECT 1 FROM kb_articles WHERE id = ?');
      let added = 0;
      for (const a of KB_STARTER_ARTICLES) {
        if (exists.get(a.id)) continue;
        const row: ArticleRow = {
          id: a.id, category: a.category, title: a.title, body: a.body, visibility: a.visibility, status: 'published',
          author_id: null, updated_by: null, version: 1, created_at: tx.at, updated_at: tx.at, published_at: tx.at,
        };
        insertRow(tx, row);
        tx.outbox(KB_ENTITY, a.id, 'insert', outboxPayload(row));
        added++;
      }
      tx.setSetting('kb.starterVersion', String(KB_STARTER_VERSION));
      if (added > 0) tx.audit('kb.starterInstalled', KB_ENTITY, null, { articles: added, version: KB_STARTER_VERSION });
      return added;
    });
  }

  /** Writes the new version: the previous one into the history, the row, the outbox record of the fields that changed. */
  private save(tx: WriteTx, userId: string, before: ArticleRow, after: ArticleRow): void {
    tx.sql(
      `INSERT INTO kb_article_revisions (id, article_id, version, category, title, body, visibility, status, edited_by, edited_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(tx.id(), before.id, before.version, before.category, before.title, before.body, before.visibility, before.status, before.updated_by, before.updated_at);
    const next: ArticleRow = { ...after, version: before.version + 1, updated_by: userId, updated_at: tx.at };
    tx.sql(
      `UPDATE kb_articles SET category = ?, title = ?, body = ?, visibility = ?, status = ?, updated_by = ?, version = ?, updated_at = ?, published_at = ?
       WHERE id = ?`,
    ).run(next.category, next.title, next.body, next.visibility, next.status, next.updated_by, next.version, next.updated_at, next.published_at, next.id);
    const payload = outboxPayload(next);
    const fields: Record<string, unknown> = { version: payload.version, updatedBy: payload.updatedBy, updatedAt: payload.updatedAt };
    for (const k of ['category', 'title', 'body', 'visibility', 'status', 'publishedAt'] as const) {
      if (outboxPayload(before)[k] !== payload[k]) fields[k] = payload[k];
    }
    tx.outbox(KB_ENTITY, next.id, 'update', fields);
  }

  private row(articleId: string): ArticleRow {
    const row = this.ws.sql('SELECT * FROM kb_articles WHERE id = ?').get(articleId) as ArticleRow | undefined;
    if (!row) throw new AppError('kb.notFound');
    return row;
  }

  /** The body as plain text (and folded, to find matches), cached per article version (a pulled change moves updated_at too). */
  private text(row: ArticleRow): { plain: string; folded: string } {
    const key = `${row.id}:${row.version}:${row.updated_at}`;
    let text = this.plainCache.get(key);
    if (text === undefined) {
      const plain = articlePlainText(row.body);
      text = { plain, folded: fold(plain) };
      if (this.plainCache.size >= PLAIN_CACHE_MAX) this.plainCache.clear();
      this.plainCache.set(key, text);
    }
    return text;
  }

  /** The excerpt around the first match, matches marked: highlighted on a window of the text, not the whole body. */
  private excerpt(row: ArticleRow, terms: string[]): string {
    const { plain, folded } = this.text(row);
    let at = -1;
    for (const t of terms) {
      const i = folded.indexOf(t);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    const from = Math.max(0, at - 80);
    const marked = at < 0 ? null : highlight(plain.slice(from, at + 300), terms, 180);
    return marked ? (from > 0 && !marked.startsWith('…') ? `…${marked}` : marked) : articleExcerpt(plain);
  }

  private summary(row: ArticleRow, names: Map<string, string>, terms: string[]): KbArticleSummary {
    return {
      id: row.id,
      category: row.category,
      title: row.title,
      visibility: row.visibility,
      status: row.status,
      excerpt: terms.length > 0 ? this.excerpt(row, terms) : articleExcerpt(this.text(row).plain),
      updatedAt: row.updated_at,
      updatedByName: row.updated_by ? (names.get(row.updated_by) ?? null) : null,
    };
  }

  private userNames(ids: Array<string | null>): Map<string, string> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const names = new Map<string, string>();
    const stmt = this.ws.sql('SELECT full_name FROM users WHERE id = ?').pluck();
    for (const id of wanted) {
      const name = stmt.get(id) as string | undefined;
      if (name) names.set(id, name);
    }
    return names;
  }
}

function insertRow(tx: WriteTx, r: ArticleRow): void {
  tx.sql(
    `INSERT INTO kb_articles (id, category, title, body, visibility, status, author_id, updated_by, version, created_at, updated_at, published_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.category, r.title, r.body, r.visibility, r.status, r.author_id, r.updated_by, r.version, r.created_at, r.updated_at, r.published_at);
}

/** The outbox record of an article: what the central server keeps and the portal serves (camelCase fields). */
function outboxPayload(r: ArticleRow) {
  return {
    category: r.category, title: r.title, body: r.body, visibility: r.visibility, status: r.status,
    authorId: r.author_id, updatedBy: r.updated_by, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at, publishedAt: r.published_at,
  };
}

/** An FTS5 expression matching any of the terms. */
function anyOf(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}
