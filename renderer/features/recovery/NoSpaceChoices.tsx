/**
 * No room on the disk for the backup before an update: free space (or move the backups folder)
 * and try again — or, as an administrator, update without the backup (recorded in the audit log).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import { useApiAction } from '../../app/useApiAction';
import { Button, CheckboxField, ErrorBanner, TextField } from '../../components';

export function NoSpaceChoices({ folder, missing }: { folder: string; missing: string }) {
  const { t } = useTranslation();
  const setStatus = useBoot((s) => s.setStatus);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [acknowledge, setAcknowledge] = useState(false);
  const retry = useApiAction(async () => setStatus(await call('app.retryOpen', {})));
  const skip = useApiAction(async () => setStatus(await call('app.migrateWithoutBackup', { username, password, acknowledge: acknowledge as true })));
  const busy = retry.pending || skip.pending;
  return (
    <>
      <h2 className="section-title">{t('recovery.noSpaceWhatToDo')}</h2>
      <ol>
        <li>{t('recovery.noSpaceFree', { missing })}</li>
        <li>
          {t('recovery.noSpaceMove')} <span className="mono">{folder}</span>
        </li>
      </ol>
      <ErrorBanner error={retry.error} />
      <div className="card__footer">
        <Button variant="primary" pending={retry.pending} disabled={busy} onClick={() => void retry.run()}>
          {t('recovery.retry')}
        </Button>
      </div>
      <details className="details">
        <summary>{t('recovery.skipTitle')}</summary>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void skip.run();
          }}
        >
          <p>{t('recovery.skipBody')}</p>
          <TextField label={t('recovery.skipUser')} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          <TextField label={t('recovery.skipPassword')} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <CheckboxField label={t('recovery.skipAcknowledge')} checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} />
          <ErrorBanner error={skip.error} />
          <div>
            <Button type="submit" variant="danger" pending={skip.pending} disabled={busy || !acknowledge}>
              {t('recovery.skipButton')}
            </Button>
          </div>
        </form>
      </details>
    </>
  );
}
