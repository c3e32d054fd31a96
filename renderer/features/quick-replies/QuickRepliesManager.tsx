/**
 * The list of one kind of respuestas rápidas (the team's or the user's own) with add, edit and
 * delete, and the editor: name, Spanish and English texts, the data they may use between braces
 * (the notice templates' engine: unknown ones flagged here and refused by core), a live preview.
 * Used by the Respuestas rápidas screen and by Administración.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { placeholdersOutside, renderTemplate, sampleValues, type TemplateLanguage } from '../../../electron/shared/mail-templates';
import { QUICK_REPLY_PLACEHOLDERS, type QuickReply, type QuickReplyScope } from '../../../electron/shared/quick-replies';
import { call } from '../../app/api';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { Button, ConfirmDialog, EmptyState, ErrorBanner, formatRelative, Loading, StatusMessage, TextAreaField, TextField } from '../../components';
import { PreviewLanguage } from './PreviewLanguage';
import './quick-replies.css';
import './strings';

interface Draft {
  id: string | null;
  version: number | null;
  title: string;
  'es-MX': string;
  en: string;
}

export function QuickRepliesManager({ scope }: { scope: QuickReplyScope }) {
  const { t } = useTranslation();
  const list = useApiQuery('quickReplies.list', {});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<QuickReply | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const save = useApiAction(async (d: Draft) =>
    call('quickReplies.save', {
      scope, title: d.title, 'es-MX': d['es-MX'], en: d.en,
      ...(d.id ? { quickReplyId: d.id, expectedVersion: d.version ?? undefined } : {}),
    }),
  );
  const remove = useApiAction(async (id: string) => call('quickReplies.delete', { quickReplyId: id }));

  if (list.error) return <ErrorBanner error={list.error} />;
  if (!list.data) return <Loading />;
  const rows = list.data.rows.filter((r) => r.scope === scope);
  const mayAdd = scope === 'personal' || list.data.canEditTeam;

  const onSave = async () => {
    if (!draft) return;
    const saved = await save.run(draft);
    if (!saved) return;
    setDraft(null);
    setOutcome('quickReplies.saved');
    await list.reload();
  };
  const onDelete = async () => {
    if (!deleting) return;
    if ((await remove.run(deleting.id)) === undefined) return;
    setDeleting(null);
    setOutcome('quickReplies.deleted');
    await list.reload();
  };

  return (
    <div className="stack qr-manager">
      <p className="muted">{t(scope === 'team' ? 'quickReplies.teamIntro' : 'quickReplies.personalIntro')}</p>
      {scope === 'team' && !list.data.canEditTeam ? <p className="small muted">{t('quickReplies.teamReadOnly')}</p> : null}
      {outcome ? <StatusMessage>{t(outcome)}</StatusMessage> : null}
      {mayAdd && !draft ? (
        <div className="toolbar">
          <Button variant="primary" onClick={() => { setOutcome(null); save.reset(); setDraft({ id: null, version: null, title: '', 'es-MX': '', en: '' }); }}>
            {t('quickReplies.add')}
          </Button>
        </div>
      ) : null}
      {draft ? (
        <Editor draft={draft} onChange={setDraft} onSave={() => void onSave()} onCancel={() => { setDraft(null); save.reset(); }}
          pending={save.pending} error={save.error} />
      ) : null}
      {rows.length === 0 ? <EmptyState>{t('quickReplies.none')}</EmptyState> : (
        <ul className="qr-list" aria-label={t(`quickReplies.scope.${scope}`)}>
          {rows.map((r) => (
            <li key={r.id} className="card qr-item">
              <div className="qr-item__head">
                <h3 className="qr-item__title">{r.title}</h3>
                {r.canEdit ? (
                  <div className="toolbar">
                    <Button size="sm" aria-label={`${t('quickReplies.edit')} «${r.title}»`}
                      onClick={() => { setOutcome(null); save.reset(); setDraft({ id: r.id, version: r.version, title: r.title, 'es-MX': r['es-MX'], en: r.en }); }}>
                      {t('quickReplies.edit')}
                    </Button>
                    <Button size="sm" variant="ghost" aria-label={`${t('quickReplies.delete')} «${r.title}»`}
                      onClick={() => { remove.reset(); setDeleting(r); }}>
                      {t('quickReplies.delete')}
                    </Button>
                  </div>
                ) : null}
              </div>
              <p className="qr-item__text">{r['es-MX']}</p>
              <p className="small muted">
                {r.updatedByName
                  ? t('quickReplies.updatedBy', { when: formatRelative(r.updatedAt), name: r.updatedByName })
                  : t('quickReplies.updated', { when: formatRelative(r.updatedAt) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog open={deleting !== null} title={t('quickReplies.confirmDelete', { title: deleting?.title ?? '' })}
        message={t(scope === 'team' ? 'quickReplies.confirmDeleteTeam' : 'quickReplies.confirmDeletePersonal')}
        confirmLabel={t('quickReplies.delete')} danger pending={remove.pending} onConfirm={() => void onDelete()} onCancel={() => setDeleting(null)}>
        <ErrorBanner error={remove.error} />
      </ConfirmDialog>
    </div>
  );
}

function Editor({ draft, onChange, onSave, onCancel, pending, error }: {
  draft: Draft; onChange: (d: Draft) => void; onSave: () => void; onCancel: () => void; pending: boolean; error: ReturnType<typeof useApiAction>['error'];
}) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<TemplateLanguage>('es-MX');
  const unknown = useMemo(() => [...new Set([...placeholdersOutside(QUICK_REPLY_PLACEHOLDERS, draft['es-MX']), ...placeholdersOutside(QUICK_REPLY_PLACEHOLDERS, draft.en)])], [draft]);
  const previewText = language === 'en' && draft.en.trim() !== '' ? draft.en : draft['es-MX'];
  const preview = useMemo(() => renderTemplate(previewText, sampleValues(language)), [previewText, language]);
  const fieldError = (key: string) => error?.fields?.[key];
  return (
    <section className="card qr-editor" aria-labelledby="qr-editor-title">
      <h3 id="qr-editor-title">{draft.id ? t('quickReplies.editTitle', { title: draft.title }) : t('quickReplies.newTitle')}</h3>
      <div className="qr-editor__grid">
        <div className="stack">
          <TextField label={t('quickReplies.fieldTitle')} hint={t('quickReplies.fieldTitleHint')} value={draft.title} maxLength={120} required
            error={fieldError('title')} onChange={(e) => onChange({ ...draft, title: e.target.value })} />
          <TextAreaField label={t('quickReplies.fieldEs')} rows={7} value={draft['es-MX']} maxChars={10000} required spellCheck
            error={fieldError('es-MX')} onChange={(e) => onChange({ ...draft, 'es-MX': e.target.value })} />
          <TextAreaField label={t('quickReplies.fieldEn')} hint={t('quickReplies.fieldEnHint')} rows={4} value={draft.en} maxChars={10000} spellCheck
            error={fieldError('en')} onChange={(e) => onChange({ ...draft, en: e.target.value })} />
          <p className="small muted" data-testid="qr-placeholders">
            {t('quickReplies.placeholders')} {QUICK_REPLY_PLACEHOLDERS.map((p) => <code key={p} className="qr-ph">{`{{${p}}}`}</code>)}
          </p>
          <p className="small muted">{t('quickReplies.dropRule')}</p>
          {unknown.length > 0 ? (
            <p className="qr-warning" role="alert">{t('quickReplies.unknown', { names: unknown.map((n) => `{{${n}}}`).join(', ') })}</p>
          ) : null}
          <ErrorBanner error={error} hideFields />
          <div className="toolbar">
            <Button variant="primary" onClick={onSave} pending={pending} disabled={unknown.length > 0}>{t('quickReplies.save')}</Button>
            <Button onClick={onCancel}>{t('quickReplies.cancel')}</Button>
          </div>
        </div>
        <aside className="qr-editor__preview" aria-labelledby="qr-editor-preview">
          <div className="qr-picker__preview-head">
            <h4 id="qr-editor-preview">{t('quickReplies.preview')}</h4>
            <PreviewLanguage language={language} onChange={setLanguage} />
          </div>
          <p className="small muted">{t('quickReplies.previewHelp')}</p>
          <div className="qr-preview-text" data-testid="qr-editor-preview">{preview}</div>
        </aside>
      </div>
    </section>
  );
}
