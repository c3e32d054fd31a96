/** Writing or editing an article: title, classification, audience, Markdown body with a preview rendered by core. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORIES } from '../../../electron/shared/domain';
import { KB_BODY_MAX, KB_TITLE_MAX, KB_VISIBILITIES, type KbArticle } from '../../../electron/shared/kb';
import { call } from '../../app/api';
import { Button, ErrorBanner, SelectField, TabPanel, Tabs, TextAreaField, TextField } from '../../components';
import { useKb, type ArticleDraft } from './kbStore';
import { ArticleBody } from './parts';
import './strings';

const PREVIEW_DELAY_MS = 250;

export function ArticleEditor({ article }: { article: KbArticle | null }) {
  const { t } = useTranslation();
  const { save, cancelEdit, busy, actionError, fieldErrors } = useKb();
  const [draft, setDraft] = useState<ArticleDraft>(() => ({
    title: article?.title ?? '',
    category: article?.category ?? 'issue_invoice',
    visibility: article?.visibility ?? 'internal',
    body: article?.body ?? '',
  }));
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const preview = usePreview(tab === 'preview' ? draft.body : null);
  const change = (patch: Partial<ArticleDraft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <form
      className="card kb-editor"
      aria-labelledby="kb-editor-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(draft);
      }}
    >
      <h2 id="kb-editor-title">{t(article ? 'kb.editor.titleEdit' : 'kb.editor.titleNew')}</h2>
      <ErrorBanner error={actionError} />
      <TextField label={t('kb.editor.title')} value={draft.title} maxLength={KB_TITLE_MAX} maxChars={KB_TITLE_MAX} required
        error={fieldErrors.title} onChange={(e) => change({ title: e.target.value })} />
      <div className="kb-editor__row">
        <SelectField label={t('kb.editor.category')} value={draft.category} error={fieldErrors.category}
          onChange={(e) => change({ category: e.target.value as ArticleDraft['category'] })}
          options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
        <SelectField label={t('kb.editor.visibility')} value={draft.visibility} error={fieldErrors.visibility}
          onChange={(e) => change({ visibility: e.target.value as ArticleDraft['visibility'] })}
          options={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))} />
      </div>
      <Tabs idBase="kb-editor" label={t('kb.editor.body')} value={tab} onChange={setTab}
        items={[{ value: 'write', label: t('kb.editor.write') }, { value: 'preview', label: t('kb.editor.preview') }]} />
      <TabPanel idBase="kb-editor" value={tab}>
        {tab === 'write' ? (
          <TextAreaField label={t('kb.editor.body')} rows={16} value={draft.body} maxChars={KB_BODY_MAX} required
            hint={t('kb.editor.bodyHint')} error={fieldErrors.body} onChange={(e) => change({ body: e.target.value })} />
        ) : draft.body.trim() === '' ? (
          <p className="field-hint">{t('kb.editor.previewEmpty')}</p>
        ) : (
          <ArticleBody className="kb-preview" html={preview ?? ''} />
        )}
      </TabPanel>
      <div className="actions">
        <Button type="submit" variant="primary" pending={busy}>{t(article ? 'kb.editor.save' : 'kb.editor.create')}</Button>
        <Button onClick={cancelEdit}>{t('kb.editor.cancel')}</Button>
      </div>
    </form>
  );
}

/** The body rendered by core (the same safe rendering the article view gets), shortly after typing stops. */
function usePreview(body: string | null): string | null {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    if (body === null || body.trim() === '') return;
    let current = true;
    const timer = setTimeout(() => {
      call('kb.preview', { body }).then((r) => current && setHtml(r.html), () => current && setHtml(null));
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [body]);
  return html;
}
