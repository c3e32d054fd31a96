/** The signed-in frame: header (branch, user, language, sign out), left navigation, routed main area. */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../electron/shared/domain';
import { Loading, SelectField } from '../components';
import { AdminScreen } from '../features/admin/AdminScreen';
import { ShellBackupWarning } from '../features/admin/BackupWarning';
import { ChangePasswordScreen } from '../features/account/ChangePasswordScreen';
import { AuditLogScreen } from '../features/audit-log/AuditLogScreen';
import { EmergencyShell } from '../features/emergency/EmergencyShell';
import { OverdueReviewsNotice } from '../features/emergency/OverdueNotice';
import { ReviewQueueScreen } from '../features/emergency/ReviewQueueScreen';
import { NewRequestScreen } from '../features/requests/NewRequestScreen';
import { RequestDetailScreen } from '../features/requests/RequestDetailScreen';
import { RequestsScreen } from '../features/requests/RequestsScreen';
import { BoardScreen } from '../features/board/BoardScreen';
import { CustomerScreen } from '../features/customers/CustomerScreen';
import { CustomersScreen } from '../features/customers/CustomersScreen';
import { NewTicketScreen } from '../features/intake/NewTicketScreen';
import { ReportsPrint, ReportsScreen } from '../features/reports/ReportsScreen';
import { TicketScreen } from '../features/ticket/TicketScreen';
import { TicketListScreen } from '../features/tickets-list/TicketListScreen';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { PreferencesScreen } from '../features/notifications/PreferencesScreen';
import { PERSONAL_DATA_HANDLERS } from '../../electron/shared/personal-data';
import { PersonalDataScreen } from '../features/personal-data/PersonalDataScreen';
import { PrintableExport } from '../features/personal-data/PrintableExport';
import { CommandPalette } from '../features/palette/CommandPalette';
import { KnowledgeBaseScreen } from '../features/kb/KnowledgeBaseScreen';
import { QuickRepliesScreen } from '../features/quick-replies/QuickRepliesScreen';
import { QUICK_REPLY_USERS } from '../../electron/shared/quick-replies';
import { ShortcutSheet } from '../features/palette/ShortcutSheet';
import { useGlobalShortcuts } from '../features/palette/useGlobalShortcuts';
import { isMac } from '../features/palette/shortcuts';
import { setLocale } from '../i18n';
import { useNav, type Route } from '../stores/nav';
import { useSession } from '../stores/session';
import { useBoot } from './boot';
import { ErrorBoundary } from './ErrorBoundary';
// The home's texts (its menu name among them) load with the shell; its screen loads when opened.
import '../features/home/strings';
import { AUDIT_ROLES, REPORT_ROLES, navItemsFor } from './navItems';
import { useApiAction } from './useApiAction';
import '../features/account/strings';
import './strings';

// The home's charts (recharts) load only when a supervisor opens it: the rest of the app starts without them.
const SupervisorHomeScreen = lazy(() => import('../features/home/SupervisorHomeScreen').then((m) => ({ default: m.SupervisorHomeScreen })));

export function Shell() {
  const route = useNav((s) => s.route);
  const { t } = useTranslation();
  const emergency = useSession((s) => s.user?.emergency ?? null);
  const supervisor = useSession((s) => s.hasRole('supervisor'));
  const backupViewer = useSession((s) => s.hasRole('administrator', 'supervisor'));
  const mainRef = useRef<HTMLElement>(null);
  const key = routeKey(route);
  // After a navigation the keyboard belongs to the new page: a sidebar click would otherwise keep
  // focus on the sidebar button, and Enter would press it again instead of opening a ticket. A
  // screen that focused one of its own fields (child effects run first) keeps it. Every go() makes
  // a new route object, so clicking the page already shown moves focus too.
  useEffect(() => {
    const main = mainRef.current;
    if (main && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }, [route]);
  // A supervisor starts the day on Inicio (the branch in numbers); everyone else on the ticket list.
  useEffect(() => {
    const nav = useNav.getState();
    if (supervisor && nav.route.name === 'tickets' && nav.history.length === 0) useNav.setState({ route: { name: 'home' } });
  }, [supervisor]);
  const [palette, setPalette] = useState(false);
  const [sheet, setSheet] = useState(false);
  const openPalette = useCallback(() => setPalette(true), []);
  const openSheet = useCallback(() => setSheet(true), []);
  useGlobalShortcuts(emergency ? noop : openPalette, emergency ? noop : openSheet);
  // Signed in with an emergency account: only its request, under a persistent banner (issue 4).
  if (emergency) return <EmergencyShell session={emergency} />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">{t('shell.skip')}</a>
      <ShellHeader onGoTo={openPalette} />
      <SideNav />
      <main id="main" ref={mainRef} className="shell__main" tabIndex={-1}>
        {supervisor ? <OverdueReviewsNotice /> : null}
        {backupViewer ? <ShellBackupWarning /> : null}
        <ErrorBoundary inline key={key}>
          <RouteView route={route} />
        </ErrorBoundary>
      </main>
      <CommandPalette open={palette} onClose={() => setPalette(false)} />
      <ShortcutSheet open={sheet} onClose={() => setSheet(false)} />
    </div>
  );
}

const noop = () => {};

function routeKey(route: Route): string {
  if (route.name === 'ticket') return `ticket:${route.ticketId}`;
  if (route.name === 'customer') return `customer:${route.customerId}`;
  if (route.name === 'request') return `request:${route.requestId}`;
  if (route.name === 'newRequest') return `newRequest:${route.customerId ?? ''}`;
  if (route.name === 'personalDataPrint') return `personalDataPrint:${route.customerId}`;
  if (route.name === 'kb') return `kb:${route.articleId ?? ''}`;
  if (route.name === 'auditLog') return `auditLog:${route.requestId ?? ''}:${route.action ?? ''}`;
  return route.name;
}

function RouteView({ route }: { route: Route }) {
  const { t } = useTranslation();
  const isAdmin = useSession((s) => s.user?.roles.includes('administrator') ?? false);
  const canReport = useSession((s) => s.hasRole(...REPORT_ROLES));
  const canAudit = useSession((s) => s.hasRole(...AUDIT_ROLES));
  const officer = useSession((s) => s.hasRole('security_officer'));
  const handlesPersonalData = useSession((s) => s.hasRole(...PERSONAL_DATA_HANDLERS));
  const usesQuickReplies = useSession((s) => s.hasRole(...QUICK_REPLY_USERS));
  const forbidden = <p className="banner banner--error" role="alert">{t('shell.forbidden')}</p>;
  switch (route.name) {
    case 'home':
      return canReport ? <Suspense fallback={<Loading />}><SupervisorHomeScreen /></Suspense> : forbidden;
    case 'tickets':
      return <TicketListScreen />;
    case 'ticket':
      return <TicketScreen ticketId={route.ticketId} />;
    case 'newTicket':
      return <NewTicketScreen />;
    case 'customers':
      return <CustomersScreen />;
    case 'customer':
      return <CustomerScreen customerId={route.customerId} />;
    case 'admin':
      return isAdmin ? <AdminScreen /> : <p className="banner banner--error" role="alert">{t('shell.forbidden')}</p>;
    case 'board':
      return <BoardScreen />;
    case 'reports':
      return canReport ? <ReportsScreen /> : forbidden;
    case 'reportsPrint':
      return canReport ? <ReportsPrint /> : forbidden;
    case 'requests':
      return <RequestsScreen />;
    case 'request':
      return <RequestDetailScreen requestId={route.requestId} />;
    case 'newRequest':
      return <NewRequestScreen customerId={route.customerId} />;
    case 'emergencyReviews':
      return officer ? <ReviewQueueScreen /> : forbidden;
    case 'auditLog':
      return canAudit ? <AuditLogScreen requestId={route.requestId} action={route.action} /> : forbidden;
    case 'myPreferences':
      return <PreferencesScreen />;
    case 'changePassword':
      return <ChangePasswordScreen />;
    case 'personalData':
      return handlesPersonalData ? <PersonalDataScreen /> : forbidden;
    case 'personalDataPrint':
      return handlesPersonalData ? <PrintableExport customerId={route.customerId} /> : forbidden;
    case 'kb':
      return <KnowledgeBaseScreen articleId={route.articleId} />;
    case 'quickReplies':
      return usesQuickReplies ? <QuickRepliesScreen /> : forbidden;
  }
}

function ShellHeader({ onGoTo }: { onGoTo: () => void }) {
  const { t, i18n } = useTranslation();
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const branch = useBoot((s) => s.status?.branch ?? null);
  const leave = useApiAction(signOut);
  const go = useNav((s) => s.go);
  const locale = (LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as Locale) : 'es-MX';
  return (
    <header className="shell__header">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">MA</span>
        <span className="brand__name">{t('app.name')}</span>
        {branch ? <span className="brand__branch">{t('shell.branch', { code: branch.code, name: branch.name })}</span> : null}
      </div>
      <div className="shell__header-right">
        <button type="button" className="btn btn--secondary btn--sm shell__goto" onClick={onGoTo} aria-keyshortcuts={isMac(navigator.platform) ? 'Meta+K' : 'Control+K'}>
          <span>{t('palette.open')}</span>
          <kbd>{isMac(navigator.platform) ? '⌘ K' : 'Ctrl K'}</kbd>
        </button>
        {user ? <SyncIndicator /> : null}
        {user ? <NotificationBell /> : null}
        {user ? (
          <div className="whoami" aria-label={t('shell.user')}>
            <span className="whoami__name">{user.fullName}</span>
            <span className="whoami__roles">{user.roles.map((r) => t(`role.${r}`)).join(' · ')}</span>
          </div>
        ) : null}
        <SelectField
          className="field--inline shell__language"
          label={t('shell.language')}
          value={locale}
          onChange={(e) => void setLocale(e.target.value as Locale)}
          options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
        />
        {/* An icon with its name as tooltip and accessible name: the header must fit 1366 px with a long branch name. */}
        <button type="button" className="shell__icon-btn" aria-label={t('account.menu')} title={t('account.menu')} onClick={() => go({ name: 'changePassword' })}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M7.5 9a5.5 5.5 0 1 1 5.2 5.5H12v2h-2v2H8v2H3v-4.2l4.6-4.6A5.5 5.5 0 0 1 7.5 9Zm5.5-3a2 2 0 1 0 0 4 2 2 0 0 0 0-4Z" />
          </svg>
        </button>
        <button type="button" className="btn btn--secondary btn--sm" disabled={leave.pending} onClick={() => void leave.run()}>
          {t('shell.signOut')}
        </button>
      </div>
    </header>
  );
}

function SideNav() {
  const { t } = useTranslation();
  const current = useNav((s) => s.route.name);
  const go = useNav((s) => s.go);
  const roles = useSession((s) => s.user?.roles);
  return (
    <nav className="sidenav" aria-label={t('shell.mainNav')}>
      <ul>
        {navItemsFor(roles).map((item) => {
          const active = item.matches.includes(current);
          return (
            <li key={item.route}>
              <button
                type="button"
                className={`sidenav__item${active ? ' sidenav__item--active' : ''}`}
                aria-current={active ? 'page' : undefined}
                onClick={() => go({ name: item.route })}
              >
                {t(item.label)}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
