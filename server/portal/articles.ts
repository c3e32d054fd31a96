/**
 * Public knowledge-base articles on the portal (issue 13, item 5): the articles the branches push
 * as `kb_article` rows, only those published AND public, searchable (accent- and case-insensitive,
 * title over body) and suggested while the customer types a ticket's subject. Bodies are rendered
 * to safe HTML with the desk's own renderer (shared/kb-markdown.ts: markdown-it + sanitize-html).
 *
 * Deflection: each read is recorded with the page's visit id; a ticket opened in the same visit
 * marks that visit's reads. A visit that read an article and opened no ticket was deflected.
 */
import { articleExcerpt, articlePlainText, renderArticleHtml } from '../../electron/shared/kb-markdown';
import type { PortalArticle, PortalArticleHit, PortalDeflection } from '../../electron/shared/portal';
import type { Sql } from '../db';
import { ServerError } from '../errors';

interface Cached {
  id: string;
  title: string;
  category: string;
  body: string;
  plain: string;
  foldedTitle: string;
  foldedPlain: string;
  updatedAt: number | null;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Words too common to say anything about what the customer needs. */
const STOP = new Set(['de', 'la', 'el', 'los', 'las', 'un', 'una', 'y', 'o', 'en', 'no', 'que', 'con', 'por', 'para', 'mi', 'me', 'se', 'al', 'del', 'lo', 'a', 'es', 'su', 'the', 'to', 'of', 'and', 'i', 'my', 'is', 'in']);

/**
 * The public articles, kept per process and read again when any article changed (the greatest
 * `updated_seq` of kb_article rows moved): a few hundred articles are searched in memory.
 */
export class PublicArticles {
  private seq = -1;
  private articles: Cached[] = [];

  constructor(private readonly db: Sql) {}

  private async load(): Promise<Cached[]> {
    const [top] = await this.db.query<{ seq: string | null }>("SELECT max(updated_seq)::text AS seq FROM entities WHERE entity = 'kb_article'");
    const seq = Number(top?.seq ?? 0);
    if (seq === this.seq) return this.articles;
    const rows = await this.db.query<{ entity_id: string; data: { title?: string; category?: string; body?: string; updatedAt?: number } }>(
      "SELECT entity_id, data FROM entities WHERE entity = 'kb_article' AND data->>'status' = 'published' AND data->>'visibility' = 'public' ORDER BY data->>'title'",
    );
    this.articles = rows.map(({ entity_id, data }) => {
      const plain = articlePlainText(data.body ?? '');
      return {
        id: entity_id, title: data.title ?? '', category: data.category ?? 'other', body: data.body ?? '', plain,
        foldedTitle: fold(data.title ?? ''), foldedPlain: fold(plain), updatedAt: data.updatedAt ?? null,
      };
    });
    this.seq = seq;
    return this.articles;
  }

  /** The best matches of a search or a subject being typed: every word found scores, in the title three times as much. */
  async search(query: string, limit: number): Promise<PortalArticleHit[]> {
    const words = [...new Set(fold(query).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w)))].slice(0, 12);
    const articles = await this.load();
    if (words.length === 0) return articles.slice(0, limit).map((a) => hit(a));
    const scored: Array<{ a: Cached; score: number }> = [];
    for (const a of articles) {
      let score = 0;
      let found = 0;
      for (const w of words) {
        const inTitle = a.foldedTitle.includes(w);
        const inBody = a.foldedPlain.includes(w);
        if (inTitle || inBody) found++;
        score += (inTitle ? 3 : 0) + (inBody ? 1 : 0);
      }
      // A subject is a few words: most of them must be there (one of two, two of three…).
      if (found > 0 && found >= Math.ceil(words.length / 2)) scored.push({ a, score: score + found * 2 });
    }
    return scored.sort((x, y) => y.score - x.score || x.a.title.localeCompare(y.a.title, 'es')).slice(0, limit).map(({ a }) => hit(a));
  }

  /** One public article, or the same 404 for a draft, an internal one, or none. */
  async get(id: string): Promise<PortalArticle> {
    const a = (await this.load()).find((x) => x.id === id);
    if (!a) throw new ServerError(404, 'portal.articleNotFound');
    return { id: a.id, title: a.title, category: a.category, html: renderArticleHtml(a.body), updatedAt: a.updatedAt };
  }
}

function hit(a: Cached): PortalArticleHit {
  return { id: a.id, title: a.title, category: a.category, excerpt: articleExcerpt(a.plain) };
}

/** A read of an article in a visit (once per visit and article). */
export async function recordView(sql: Sql, visit: string, articleId: string, now: number): Promise<void> {
  await sql.query('INSERT INTO portal_article_views (visit_id, article_id, viewed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [visit, articleId, now]);
}

/** A ticket opened in a visit: the articles read in it did not settle the matter. */
export async function markTicketOpened(sql: Sql, visit: string): Promise<void> {
  await sql.query('UPDATE portal_article_views SET ticket_opened = true WHERE visit_id = $1', [visit]);
}

/** Deflection since `since`: visits that read an article, and how many of them opened no ticket; by article too. */
export async function deflection(sql: Sql, since: number): Promise<PortalDeflection> {
  const [total] = await sql.query<{ visits: string; deflected: string }>(
    `SELECT count(*)::text AS visits, count(*) FILTER (WHERE NOT opened)::text AS deflected FROM
       (SELECT visit_id, bool_or(ticket_opened) AS opened FROM portal_article_views WHERE viewed_at >= $1 GROUP BY visit_id) v`,
    [since],
  );
  const rows = await sql.query<{ article_id: string; title: string | null; reads: string; deflected: string }>(
    `SELECT v.article_id, e.data->>'title' AS title, count(*)::text AS reads, count(*) FILTER (WHERE NOT v.ticket_opened)::text AS deflected
     FROM portal_article_views v LEFT JOIN entities e ON e.entity = 'kb_article' AND e.entity_id = v.article_id
     WHERE v.viewed_at >= $1 GROUP BY v.article_id, e.data->>'title' ORDER BY count(*) DESC LIMIT 50`,
    [since],
  );
  return {
    since,
    visitsWithReads: Number(total?.visits ?? 0),
    deflectedVisits: Number(total?.deflected ?? 0),
    articles: rows.map((r) => ({ articleId: r.article_id, title: r.title ?? '', reads: Number(r.reads), deflected: Number(r.deflected) })),
  };
}
