/**
 * Base de conocimiento: search (accent-insensitive, best match first), filter by classification,
 * status and audience, read an article, write or edit one with a preview, publish (supervisors
 * and administrators). Core checks every permission again.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORIES } from '../../../electron/shared/domain';
import { KB_PUBLISHERS, KB_STATUSES, KB_VISIBILITIES, KB_WRITERS, type KbArticle, type KbArticleSummary } from '../../../electron/shared/kb';
import { Button, EmptyState, ErrorBanner, Highlighted, Loading, PageHeader, SelectField, StatusMessage, TextField, formatRelative } from '../../components';
import { useSession } from '../../stores/session';
import { ArticleEditor } from './ArticleEditor';
import { ArticleHistory } from './ArticleHistory';
import { ArticleBody, KbBadges } from './parts';
import { useKb } from './kbStore';
import './kb.css';
import './strings';

const SEARCH_DELAY_MS = 150;

export function KnowledgeBaseScreen({ articleId }: { articleId?: string }) {
  const { t } = useTranslation();
  const canWrite = useSession((s) => s.hasRole(...KB_WRITERS));
  const { filters, setFilters, search, open, startNew, mode } = useKb();
  const first = useRef(true);

  // Search again shortly after the words or a filter change (the first time at once).
  useEffect(() => {
    const delay = first.current ? 0 : SEARCH_DELAY_MS;
    first.current = false;
    const timer = setTimeout(() => void search(), delay);
    return () => clearTimeout(timer);
  }, [filters, search]);

  useEffect(() => {
    if (articleId) void open(articleId);
  }, [articleId, open]);

  return (
    <section className="kb-screen">
      <PageHeader
        title={t('kb.title')}
        actions={canWrite && mode !== 'new' ? <Button variant="primary" onClick={startNew}>{t('kb.newArticle')}</Button> : null}
      >
        <p className="kb-intro">{t('kb.intro')}</p>
      </PageHeader>
      <div className="kb-layout">
        <div className="kb-list card">
          <TextField
            label={t('kb.search')}
            type="search"
            autoFocus
            value={filters.query}
            hint={t('kb.searchHint')}
            onChange={(e) => setFilters({ query: e.target.value })}
            maxLength={200}
          />
          <div className="kb-filters">
            <SelectField
              label={t('kb.category')}
              value={filters.category}
              onChange={(e) => setFilters({ category: e.target.value as typeof filters.category })}
              options={[{ value: '', label: t('kb.allCategories') }, ...CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))]}
            />
            <SelectField
              label={t('kb.statusFilter')}
              value={filters.status}
              onChange={(e) => setFilters({ status: e.target.value as typeof filters.status })}
              options={[{ value: '', label: t('kb.statusAll') }, ...KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))]}
            />
            <SelectField
              label={t('kb.visibilityFilter')}
              value={filters.visibility}
              onChange={(e) => setFilters({ visibility: e.target.value as typeof filters.visibility })}
              options={[{ value: '', label: t('kb.visibilityAll') }, ...KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))]}
            />
          </div>
          <ResultList />
        </div>
        <div className="kb-article">
          <ArticlePane />
        </div>
      </div>
    </section>
  );
}

function ResultList() {
  const { t } = useTranslation();
  const { rows, total, nextOffset, loading, listError, loadMore, open, article } = useKb();
  if (listError) return <ErrorBanner error={listError} />;
  if (loading && rows.length === 0) return <Loading />;
  return (
    <>
      <p className="kb-count" aria-live="polite">{t('kb.results', { count: total })}</p>
      {rows.length === 0 ? <EmptyState>{t('kb.none')}</EmptyState> : (
        <ul className="kb-results" aria-label={t('kb.title')}>
          {rows.map((r) => (
            <li key={r.id}>
              <ResultItem row={r} current={article?.id === r.id} onOpen={() => void open(r.id)} />
            </li>
          ))}
        </ul>
      )}
      {nextOffset !== null ? <Button onClick={() => void loadMore()}>{t('kb.more')}</Button> : null}
    </>
  );
}

function ResultItem({ row, current, onOpen }: { row: KbArticleSummary; current: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className={`kb-result${current ? ' is-current' : ''}`} aria-current={current || undefined} onClick={onOpen}>
      <span className="kb-result__title">{row.title}</span>
      <span className="kb-result__meta">
        <span>{t(`category.${row.category}`)}</span>
        <KbBadges status={row.status} visibility={row.visibility} />
      </span>
      <Highlighted className="kb-result__excerpt" text={row.excerpt} />
    </button>
  );
}

function ArticlePane() {
  const { t } = useTranslation();
  const { article, mode, actionError, flash, history } = useKb();
  if (mode === 'history' && history && article && history.articleId === article.id) return <ArticleHistory history={history} />;
  if (mode === 'new' || (mode === 'edit' && article)) return <ArticleEditor key={article?.id ?? 'new'} article={mode === 'edit' ? article : null} />;
  return (
    <>
      <ErrorBanner error={actionError} />
      {flash ? <StatusMessage>{t(flash)}</StatusMessage> : null}
      {article ? <ArticleView article={article} /> : <div className="card kb-empty"><EmptyState>{t('kb.pick')}</EmptyState></div>}
    </>
  );
}

function ArticleView({ article }: { article: KbArticle }) {
  const { t } = useTranslation();
  const { startEdit, setStatus, busy, openHistory, giveFeedback } = useKb();
  const canWrite = useSession((s) => s.hasRole(...KB_WRITERS));
  const canPublish = useSession((s) => s.hasRole(...KB_PUBLISHERS)) && article.canPublish;
  const when = formatRelative(article.updatedAt);
  return (
    <article className="card kb-view" aria-labelledby="kb-view-title">
      <header className="kb-view__header">
        <h2 id="kb-view-title">{article.title}</h2>
        <div className="kb-view__meta">
          <span>{t(`category.${article.category}`)}</span>
          <KbBadges status={article.status} visibility={article.visibility} />
          <span>{article.updatedByName ? t('kb.updatedBy', { when, name: article.updatedByName }) : t('kb.updated', { when })}</span>
          <span>{article.authorName ? t('kb.author', { name: article.authorName }) : t('kb.starter')}</span>
          <span>{t('kb.version', { version: article.version })}</span>
        </div>
        <div className="kb-view__actions">
          {article.canEdit ? <Button onClick={startEdit}>{t('kb.edit')}</Button> : null}
          {canWrite ? <Button variant="ghost" pending={busy} onClick={() => void openHistory()}>{t('kb.history.open')}</Button> : null}
          {canPublish && article.status !== 'published' ? (
            <Button variant="primary" pending={busy} onClick={() => void setStatus('published')}>{t('kb.publish')}</Button>
          ) : null}
          {canPublish && article.status === 'published' ? <Button pending={busy} onClick={() => void setStatus('draft')}>{t('kb.unpublish')}</Button> : null}
          {canPublish && article.status !== 'archived' ? <Button pending={busy} onClick={() => void setStatus('archived')}>{t('kb.archive')}</Button> : null}
          {canPublish && article.status === 'archived' ? <Button pending={busy} onClick={() => void setStatus('draft')}>{t('kb.restore')}</Button> : null}
        </div>
        {!article.canEdit && article.status === 'published' && article.visibility === 'public' ? <p className="field-hint">{t('kb.readOnlyPublic')}</p> : null}
      </header>
      <ArticleBody html={article.bodyHtml} />
      {article.status === 'published' ? (
        <footer className="kb-feedback" aria-label={t('kb.feedback.label')}>
          <span>{t('kb.feedback.question')}</span>
          <div className="segmented" role="group" aria-label={t('kb.feedback.question')}>
            <Button size="sm" aria-pressed={article.feedback.mine === true} onClick={() => void giveFeedback(true)}>{t('kb.feedback.yes')}</Button>
            <Button size="sm" aria-pressed={article.feedback.mine === false} onClick={() => void giveFeedback(false)}>{t('kb.feedback.no')}</Button>
          </div>
          {article.feedback.mine !== null ? <span className="small muted" role="status">{t('kb.feedback.thanks')}</span> : null}
          {article.feedback.helpful !== null ? (
            <span className="kb-feedback__counts" data-testid="kb-feedback-counts">
              {t('kb.feedback.counts', { yes: article.feedback.helpful, no: article.feedback.notHelpful })}
            </span>
          ) : null}
        </footer>
      ) : null}
    </article>
  );
}
