/**
 * The window: asks core for its status, then shows recovery, first-run setup, sign-in or the
 * signed-in shell. Never blank: every phase renders something, and an error boundary catches
 * rendering failures.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, ErrorBanner, Loading } from '../components';
import { RestoredNotice } from '../features/admin/BackupWarning';
import { PreparingScreen } from '../features/recovery/PreparingScreen';
import { RecoveryScreen } from '../features/recovery/RecoveryScreen';
import { SetupScreen } from '../features/setup/SetupScreen';
import { SignInScreen } from '../features/auth/SignInScreen';
import { ChangePasswordScreen } from '../features/account/ChangePasswordScreen';
import { useSession } from '../stores/session';
import { phaseOf, useBoot } from './boot';
import { ErrorBoundary } from './ErrorBoundary';
import { Shell } from './Shell';
import './strings';

export function App() {
  return (
    <ErrorBoundary>
      <Window />
    </ErrorBoundary>
  );
}

function Window() {
  const status = useBoot((s) => s.status);
  const error = useBoot((s) => s.error);
  const load = useBoot((s) => s.load);
  const signedIn = useSession((s) => s.user !== null);
  const mustChange = useSession((s) => s.user?.mustChangePassword === true && !s.user.emergency);

  useEffect(() => {
    void load();
  }, [load]);

  switch (phaseOf({ status, error }, signedIn)) {
    case 'loading':
      return <BootMessage />;
    case 'failed':
      return <BootFailed />;
    case 'preparing':
      return <PreparingScreen />;
    case 'recovery':
      return <RecoveryScreen />;
    case 'setup':
      return <SetupScreen />;
    case 'signIn':
      return (
        <>
          <RestoredNotice />
          <SignInScreen />
        </>
      );
    case 'app':
      // After an administrator's reset: only this screen until a new password is chosen (core refuses the rest).
      return mustChange ? <ChangePasswordScreen forced /> : <Shell />;
  }
}

function BootMessage() {
  const { t } = useTranslation();
  return (
    <main className="center-screen">
      <Loading label={t('boot.loading')} />
    </main>
  );
}

function BootFailed() {
  const { t } = useTranslation();
  const error = useBoot((s) => s.error);
  const loading = useBoot((s) => s.loading);
  const load = useBoot((s) => s.load);
  return (
    <main className="center-screen">
      <div className="card card--narrow">
        <h1 className="card__title">{t('boot.failedTitle')}</h1>
        <ErrorBanner error={error} />
        <Button variant="primary" pending={loading} onClick={() => void load()}>
          {t('boot.retry')}
        </Button>
      </div>
    </main>
  );
}
