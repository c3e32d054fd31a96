/**
 * Administración → Correo → "Textos de los avisos" (issue 12, item 3): each customer notice's
 * subject and text in Spanish and English, turned on or off, with the data it may use between
 * braces and a live preview with invented data; plus the notices' language and the reminder delay.
 */
import { useTranslation } from 'react-i18next';
import { TEMPLATE_KINDS, TEMPLATE_LANGUAGES } from '../../../electron/shared/mail-templates';
import { Button, CheckboxField, ErrorBanner, Loading, SelectField, StatusMessage, TextAreaField, TextField } from '../../components';
import { useMailTemplates } from './useMailTemplates';

type Tpl = ReturnType<typeof useMailTemplates>;

export function TemplatesSection() {
  const { t } = useTranslation();
  const m = useMailTemplates();
  if (!m.templates.data || !m.draft) return <section aria-labelledby="mail-tpl-title"><Loading /></section>;
  return (
    <section className="stack" aria-labelledby="mail-tpl-title">
      <h2 id="mail-tpl-title" className="section-title">{t('mailUi.templates.title')}</h2>
      <p className="muted">{t('mailUi.templates.help', { example: '{{folio}}' })}</p>
      {m.outcome ? <StatusMessage>{t(m.outcome)}</StatusMessage> : null}
      <NoticeSettings m={m} />
      <div className="mail-tpl">
        <div className="stack mail-tpl__edit">
          <div className="mail-tpl__head">
            <SelectField label={t('mailUi.templates.kind')} value={m.kind} onChange={(e) => m.setKind(e.target.value as typeof m.kind)}
              options={TEMPLATE_KINDS.map((k) => ({ value: k, label: t(`mailUi.kind.${k}`) }))} />
            <CheckboxField label={t('mailUi.templates.enabled')} checked={m.draft.enabled} onChange={(e) => m.setEnabled(e.target.checked)} />
          </div>
          <div className="segmented" role="group" aria-label={t('mailUi.templates.editLanguage')}>
            {TEMPLATE_LANGUAGES.map((l) => (
              <button key={l} type="button" className="btn btn--sm" aria-pressed={m.language === l} onClick={() => m.setLanguage(l)}>
                {t(`mailUi.templates.language.${l}`)}
              </button>
            ))}
          </div>
          <TextField label={t('mailUi.templates.subject')} value={m.text.subject} onChange={(e) => m.edit('subject', e.target.value)} spellCheck />
          <TextAreaField label={t('mailUi.templates.body')} value={m.text.body} rows={10} onChange={(e) => m.edit('body', e.target.value)} spellCheck />
          <p className="small muted" data-testid="mail-tpl-placeholders">
            {t('mailUi.templates.placeholders')} {m.placeholders.map((p) => <code key={p} className="mail-tpl__ph">{`{{${p}}}`}</code>)}
          </p>
          <p className="small muted">{t('mailUi.templates.dropRule')}</p>
          {m.unknown.length > 0 ? (
            <p className="mail-warning" role="alert" data-testid="mail-tpl-unknown">
              {t('mailUi.templates.unknown', { names: m.unknown.map((n) => `{{${n}}}`).join(', ') })}
            </p>
          ) : null}
          <ErrorBanner error={m.saveError} hideFields />
          <ErrorBanner error={m.resetError} />
          <div className="toolbar">
            <Button variant="primary" onClick={() => void m.onSave()} pending={m.savePending} disabled={!m.dirty || m.unknown.length > 0}>
              {t('mailUi.templates.save')}
            </Button>
            <Button onClick={() => void m.onReset()} pending={m.resetPending}>{t('mailUi.templates.reset')}</Button>
          </div>
        </div>
        <Preview m={m} />
      </div>
    </section>
  );
}

function Preview({ m }: { m: Tpl }) {
  const { t } = useTranslation();
  return (
    <aside className="mail-tpl__preview card" aria-labelledby="mail-tpl-preview-title" data-testid="mail-tpl-preview">
      <h3 id="mail-tpl-preview-title">{t('mailUi.templates.preview')}</h3>
      <p className="small muted">{t('mailUi.templates.previewHelp')}</p>
      {!m.draft?.enabled ? <p className="small mail-tpl__off">{t('mailUi.templates.off')}</p> : null}
      <p className="mail-tpl__subject"><span className="muted">{t('mailUi.templates.subject')}:</span> {m.preview.subject}</p>
      <div className="mail-tpl__body">{m.preview.body}</div>
    </aside>
  );
}

function NoticeSettings({ m }: { m: Tpl }) {
  const { t } = useTranslation();
  const s = m.settings;
  if (!s) return null;
  return (
    <div className="stack">
      <div className="mail-checks">
        <SelectField label={t('mailUi.templates.noticeLanguage')} value={s.language}
          onChange={(e) => m.setSettings({ ...s, language: e.target.value as typeof s.language })}
          options={TEMPLATE_LANGUAGES.map((l) => ({ value: l, label: t(`mailUi.templates.language.${l}`) }))} />
        <TextField label={t('mailUi.templates.reminderDays')} hint={t('mailUi.templates.reminderHint')} type="number" min={0} max={30}
          value={String(s.waitingReminderDays)} onChange={(e) => m.setSettings({ ...s, waitingReminderDays: Number(e.target.value) })} />
        <Button onClick={() => void m.onSaveSettings()} pending={m.settingsPending}>{t('mailUi.templates.saveSettings')}</Button>
      </div>
      <ErrorBanner error={m.settingsError} />
    </div>
  );
}
