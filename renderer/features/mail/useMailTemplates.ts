/**
 * Administración → Correo → Plantillas: the template being edited, its live preview (the same
 * renderTemplate core uses, with invented sample data), the placeholders it may use and the ones
 * it uses that do not exist (core refuses those too), save, reset, and the notices' settings.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  KIND_PLACEHOLDERS, renderTemplate, sampleValues, unknownPlaceholders,
  type MailTemplates, type NoticeTemplate, type TemplateKind, type TemplateLanguage,
} from '../../../electron/shared/mail-templates';
import { call } from '../../app/api';
import { useApiAction, useApiQuery } from '../../app/useApiAction';

export function useMailTemplates() {
  const templates = useApiQuery('mail.templates', {});
  const [kind, setKind] = useState<TemplateKind>('acknowledged');
  const [language, setLanguage] = useState<TemplateLanguage>('es-MX');
  const [draft, setDraft] = useState<NoticeTemplate | null>(null);
  const [settings, setSettings] = useState<{ language: TemplateLanguage; waitingReminderDays: number } | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const data = templates.data;
  useEffect(() => {
    if (data) setDraft(structuredClone(data.templates[kind]));
  }, [data, kind]);
  useEffect(() => {
    if (data) setSettings({ language: data.language, waitingReminderDays: data.waitingReminderDays });
  }, [data]);

  const text = draft?.[language] ?? { subject: '', body: '' };
  const preview = useMemo(() => {
    const values = sampleValues(language);
    return { subject: renderTemplate(text.subject, values), body: renderTemplate(text.body, values) };
  }, [text.subject, text.body, language]);
  const unknown = useMemo(
    () => [...new Set([...unknownPlaceholders(kind, text.subject), ...unknownPlaceholders(kind, text.body)])],
    [kind, text.subject, text.body],
  );
  const dirty = Boolean(draft && data && JSON.stringify(draft) !== JSON.stringify(data.templates[kind]));

  const edit = (part: 'subject' | 'body', value: string) => {
    setOutcome(null);
    setDraft((d) => (d ? { ...d, [language]: { ...d[language], [part]: value } } : d));
  };
  const setEnabled = (enabled: boolean) => {
    setOutcome(null);
    setDraft((d) => (d ? { ...d, enabled } : d));
  };

  const applied = (next: MailTemplates | undefined, message: string) => {
    if (!next) return;
    templates.setData(next);
    setOutcome(message);
  };
  const save = useApiAction(async () => call('mail.saveTemplate', { kind, ...draft! }));
  const reset = useApiAction(async () => call('mail.resetTemplate', { kind }));
  const saveSettings = useApiAction(async () => call('mail.saveTemplateSettings', settings!));

  return {
    templates, kind, setKind: (k: TemplateKind) => { setOutcome(null); save.reset(); setKind(k); },
    language, setLanguage, draft, text, edit, setEnabled, preview, unknown, dirty,
    placeholders: KIND_PLACEHOLDERS[kind],
    onSave: async () => applied(await save.run(), 'mailUi.templates.saved'),
    savePending: save.pending, saveError: save.error,
    onReset: async () => applied(await reset.run(), 'mailUi.templates.resetDone'),
    resetPending: reset.pending, resetError: reset.error,
    settings, setSettings,
    onSaveSettings: async () => applied(await saveSettings.run(), 'mailUi.templates.settingsSaved'),
    settingsPending: saveSettings.pending, settingsError: saveSettings.error,
    outcome,
  };
}
