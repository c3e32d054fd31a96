/**
 * The Español / English switch over a quick reply's preview: the same in the editor (sample data)
 * and in the composer's picker (the ticket's data; its customer's language until another is chosen, none while that loads).
 */
import { useTranslation } from 'react-i18next';
import { TEMPLATE_LANGUAGES, type TemplateLanguage } from '../../../electron/shared/mail-templates';

export function PreviewLanguage({ language, onChange }: { language: TemplateLanguage | null; onChange: (language: TemplateLanguage) => void }) {
  const { t } = useTranslation();
  return (
    <div className="segmented" role="group" aria-label={t('quickReplies.languageGroup')}>
      {TEMPLATE_LANGUAGES.map((l) => (
        <button key={l} type="button" className="btn btn--sm" aria-pressed={language === l} onClick={() => onChange(l)}>
          {t(`quickReplies.language.${l}`)}
        </button>
      ))}
    </div>
  );
}
