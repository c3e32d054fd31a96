/**
 * The ticket's side of the knowledge base: the articles suggested from its subject and description,
 * and the composer's "Insertar artículo" picker. Either inserts an article's text, or its portal
 * link when the article is public, into the reply being written.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbArticle, KbArticleSummary } from '../../../electron/shared/kb';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { Button, Dialog, EmptyState, ErrorBanner, Highlighted, Loading, TextField } from '../../components';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { useNav } from '../../stores/nav';
import { useComposerInsert } from './composerInsert';
import { ArticleBody, KbBadges } from './parts';
import './kb.css';
import './strings';

/** Loads one article when `articleId` is set. */
function useArticle(articleId: string | null): { article: KbArticle | null; error: ErrorInfo | null } {
  const [state, setState] = useState<{ article: KbArticle | null; error: ErrorInfo | null }>({ article: null, error: null });
  useEffect(() => {
    if (!articleId) return;
    let current = true;
    setState({ article: null, error: null });
    call('kb.get', { articleId }).then(
      (article) => current && setState({ article, error: null }),
      (err: unknown) => current && setState({ article: null, error: toErrorInfo(err) }),
    );
    return () => {
      current = false;
    };
  }, [articleId]);
  return state;
}

/** Insert text / link buttons for a loaded article. */
function InsertActions({ article, disabled, onInserted, explainNoLink }: { article: KbArticle; disabled?: boolean; onInserted?: () => void; explainNoLink?: boolean }) {
  const { t } = useTranslation();
  const insert = useComposerInsert((s) => s.insert);
  const [done, setDone] = useState(false);
  const put = (text: string) => {
    insert(text);
    setDone(true);
    onInserted?.();
  };
  return (
    <div className="kb-insert">
      {article.visibility === 'internal' ? <p className="field-hint">{t('kb.suggested.internalNote')}</p> : null}
      <div className="actions">
        <Button size="sm" disabled={disabled} onClick={() => put(article.bodyText)}>{t('kb.suggested.insertText')}</Button>
        {article.publicUrl ? (
          <Button size="sm" disabled={disabled} onClick={() => put(`${article.title}: ${article.publicUrl}`)}>{t('kb.suggested.insertLink')}</Button>
        ) : null}
      </div>
      {explainNoLink && !article.publicUrl ? <p className="field-hint">{t('kb.picker.noLink')}</p> : null}
      {done ? <p className="kb-insert__done" role="status">{t('kb.suggested.inserted')}</p> : null}
    </div>
  );
}

/** Side panel of the ticket: suggested articles, each readable in place and insertable into the reply. */
export function SuggestedArticles({ ticketId, closed }: { ticketId: string; closed: boolean }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const [rows, setRows] = useState<KbArticleSummary[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const { article, error: articleError } = useArticle(openId);
  useEffect(() => {
    let current = true;
    call('kb.suggest', { ticketId }).then(
      (r) => current && setRows(r),
      (err: unknown) => current && setError(toErrorInfo(err)),
    );
    return () => {
      current = false;
    };
  }, [ticketId]);
  return (
    <section className="card kb-suggested" aria-labelledby="kb-suggested-title">
      <h2 id="kb-suggested-title">{t('kb.suggested.title')}</h2>
      {error ? <ErrorBanner error={error} /> : rows === null ? <Loading /> : rows.length === 0 ? <p className="field-hint">{t('kb.suggested.none')}</p> : (
        <ul className="kb-suggested__list">
          {rows.map((r) => (
            <li key={r.id}>
              <div className="kb-suggested__head">
                <span className="kb-suggested__title">{r.title}</span>
                <Button size="sm" variant="ghost" aria-expanded={openId === r.id} onClick={() => setOpenId(openId === r.id ? null : r.id)}>
                  {t(openId === r.id ? 'kb.suggested.hide' : 'kb.suggested.open')}
                </Button>
              </div>
              <span className="kb-result__meta"><span>{t(`category.${r.category}`)}</span><KbBadges status={r.status} visibility={r.visibility} /></span>
              {openId === r.id ? (
                articleError ? <ErrorBanner error={articleError} /> : article?.id === r.id ? (
                  <div className="kb-suggested__article">
                    <ArticleBody className="kb-body--compact" html={article.bodyHtml} />
                    <InsertActions article={article} disabled={closed} />
                  </div>
                ) : <Loading />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Button size="sm" variant="ghost" onClick={() => go({ name: 'kb' })}>{t('kb.suggested.all')}</Button>
    </section>
  );
}

/** The composer's "Insertar artículo": search published articles, read one, insert its text or link. */
export function ArticlePicker() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>{t('kb.picker.open')}</Button>
      {open ? <PickerDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function PickerDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<KbArticleSummary[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const { article, error } = useArticle(selected);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('kb.list', { query, status: ['published'], limit: 20 }).then((p) => current && setRows(p.rows), () => current && setRows([]));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return (
    <Dialog open title={t('kb.picker.title')} onClose={onClose} size="lg">
      <div className="kb-picker">
        <div className="kb-picker__list">
          <TextField label={t('kb.picker.search')} type="search" autoFocus value={query} maxLength={200} onChange={(e) => setQuery(e.target.value)} />
          {rows === null ? <Loading /> : rows.length === 0 ? <EmptyState>{t('kb.none')}</EmptyState> : (
            <ul className="kb-results">
              {rows.map((r) => (
                <li key={r.id}>
                  <button type="button" className={`kb-result${selected === r.id ? ' is-current' : ''}`} aria-current={selected === r.id || undefined} onClick={() => setSelected(r.id)}>
                    <span className="kb-result__title">{r.title}</span>
                    <span className="kb-result__meta"><span>{t(`category.${r.category}`)}</span><KbBadges status={r.status} visibility={r.visibility} /></span>
                    <Highlighted className="kb-result__excerpt" text={r.excerpt} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="kb-picker__article">
          {error ? <ErrorBanner error={error} /> : article ? (
            <>
              <h3>{article.title}</h3>
              <InsertActions article={article} onInserted={onClose} explainNoLink />
              <ArticleBody className="kb-body--compact" html={article.bodyHtml} />
            </>
          ) : selected ? <Loading /> : <EmptyState>{t('kb.pick')}</EmptyState>}
        </div>
      </div>
    </Dialog>
  );
}
