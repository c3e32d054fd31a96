/** The user's own preferences: which notifications to receive (issue 14). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_KINDS, type NotificationPreferences } from '../../../electron/shared/notifications';
import { call } from '../../app/api';
import { useApiAction } from '../../app/useApiAction';
import { Button, CheckboxField, ErrorBanner, Loading, PageHeader, StatusMessage } from '../../components';
import './notifications.css';
import './strings';

export function PreferencesScreen() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<NotificationPreferences | null>(null);
  const [draft, setDraft] = useState<NotificationPreferences | null>(null);
  const [done, setDone] = useState(false);
  const load = useApiAction(() => call('notifications.preferences', {}));
  const save = useApiAction((next: NotificationPreferences) => call('notifications.setPreferences', next));
  useEffect(() => {
    void load.run().then((p) => {
      if (p) {
        setSaved(p);
        setDraft(p);
      }
    });
    // Once, on opening the screen.
  }, []);
  const changed = saved && draft ? NOTIFICATION_KINDS.some((k) => saved[k] !== draft[k]) : false;
  return (
    <section className="prefs">
      <PageHeader title={t('notif.prefs.title')} />
      {load.error ? <ErrorBanner error={load.error} /> : null}
      {!draft ? (
        load.error ? null : <Loading />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save.run(draft).then((p) => {
              if (!p) return;
              setSaved(p);
              setDraft(p);
              setDone(true);
            });
          }}
        >
          <fieldset>
            <legend>{t('notif.prefs.section')}</legend>
            <p>{t('notif.prefs.intro')}</p>
            <div className="prefs__kinds">
              {NOTIFICATION_KINDS.map((kind) => (
                <CheckboxField
                  key={kind}
                  label={t(`notif.kind.${kind}`)}
                  checked={draft[kind]}
                  onChange={(e) => {
                    setDone(false);
                    setDraft({ ...draft, [kind]: e.target.checked });
                  }}
                />
              ))}
            </div>
            <p className="field__hint">{t('notif.prefs.desktop')}</p>
            {save.error ? <ErrorBanner error={save.error} /> : null}
            <Button type="submit" variant="primary" pending={save.pending} disabled={!changed}>{t('notif.prefs.save')}</Button>
            {done ? <StatusMessage>{t('notif.prefs.saved')}</StatusMessage> : null}
          </fieldset>
        </form>
      )}
    </section>
  );
}
