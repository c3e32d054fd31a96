/** The signed-in frame: header (branch, user, language, sign out), left navigation, routed main area. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale, type Role } from '../../electron/shared/domain';
import { SelectField } from '../components';
import { AdminScreen } from '../features/admin/AdminScreen';
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
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { TicketScreen } from '../features/ticket/TicketScreen';
import { TicketListScreen } from '../features/tickets-list/TicketListScreen';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { PreferencesScreen } from '../features/notifications/PreferencesScreen';
import { setLocale } from '../i18n';
import { useNav, type Route } from '../stores/nav';
import { useSession } from '../stores/session';
import { useBoot } from './boot';
import { ErrorBoundary } from './ErrorBoundary';
import { useApiAction } from './useApiAction';
import './strings';

export function Shell() {
  const route = useNav((s) => s.route);
  const { t } = useTranslation();
  const emergency = useSession((s) => s.user?.emergency ?? null);
  const supervisor = useSession((s) => s.hasRole('supervisor'));
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
  // Signed in with an emergency account: only its request, under a persistent banner (issue 4).
  if (emergency) return <EmergencyShell session={emergency} />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">{t('shell.skip')}</a>
      <ShellHeader />
      <SideNav />
      <main id="main" ref={mainRef} className="shell__main" tabIndex={-1}>
        {supervisor ? <OverdueReviewsNotice /> : null}
        <ErrorBoundary inline key={key}>
          <RouteView route={route} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function routeKey(route: Route): string {
  if (route.name === 'ticket') return `ticket:${route.ticketId}`;
  if (route.name === 'customer') return `customer:${route.customerId}`;
  if (route.name === 'request') return `request:${route.requestId}`;
  if (route.name === 'newRequest') return `newRequest:${route.customerId ?? ''}`;
  if (route.name === 'auditLog') return `auditLog:${route.requestId ?? ''}:${route.action ?? ''}`;
  return route.name;
}

function RouteView({ route }: { route: Route }) {
  const { t } = useTranslation();
  const isAdmin = useSession((s) => s.user?.roles.includes('administrator') ?? false);
  const canReport = useSession((s) => s.hasRole(...REPORT_ROLES));
  const canAudit = useSession((s) => s.hasRole(...AUDIT_ROLES));
  const officer = useSession((s) => s.hasRole('security_officer'));
  const forbidden = <p className="banner banner--error" role="alert">{t('shell.forbidden')}</p>;
  switch (route.name) {
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
  }
}

function ShellHeader() {
  const { t, i18n } = useTranslation();
  const user = useSession((s) => s.user);
  const signOut = useSession((s) => s.signOut);
  const branch = useBoot((s) => s.status?.branch ?? null);
  const leave = useApiAction(signOut);
  const locale = (LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as Locale) : 'es-MX';
  return (
    <header className="shell__header">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">MA</span>
        <span className="brand__name">{t('app.name')}</span>
        {branch ? <span className="brand__branch">{t('shell.branch', { code: branch.code, name: branch.name })}</span> : null}
      </div>
      <div className="shell__header-right">
        {user ? <NotificationBell /> : null}
        {user ? (
          <div className="whoami" aria-label={t('shell.user')}>
            <span className="whoami__name">{user.fullName}</span>
            <span className="whoami__roles">{user.roles.map((r) => t(`role.${r}`)).join(' · ')}</span>
          </div>
        ) : null}
        <SelectField
          className="field--inline"
          label={t('shell.language')}
          value={locale}
          onChange={(e) => void setLocale(e.target.value as Locale)}
          options={LOCALES.map((l) => ({ value: l, label: t(`locale.${l}`) }))}
        />
        <button type="button" className="btn btn--secondary btn--sm" disabled={leave.pending} onClick={() => void leave.run()}>
          {t('shell.signOut')}
        </button>
      </div>
    </header>
  );
}

/** Who sees the SLA report (the same roles `reports.sla` allows). */
const REPORT_ROLES: Role[] = ['supervisor', 'administrator'];
/** Who sees the audit log (the roles `audit.list` allows). */
const AUDIT_ROLES: Role[] = ['supervisor', 'security_officer', 'administrator'];

type NavRoute = 'tickets' | 'newTicket' | 'customers' | 'board' | 'reports' | 'requests' | 'emergencyReviews' | 'auditLog' | 'admin' | 'myPreferences';
const NAV_ITEMS: ReadonlyArray<{ route: NavRoute; label: string; matches: readonly string[]; roles?: Role[] }> = [
  { route: 'tickets', label: 'nav.tickets', matches: ['tickets', 'ticket'] },
  { route: 'newTicket', label: 'nav.newTicket', matches: ['newTicket'] },
  { route: 'customers', label: 'nav.customers', matches: ['customers', 'customer'] },
  { route: 'board', label: 'nav.board', matches: ['board'] },
  { route: 'reports', label: 'nav.reports', matches: ['reports'], roles: REPORT_ROLES },
  { route: 'requests', label: 'nav.requests', matches: ['requests', 'request', 'newRequest'] },
  { route: 'emergencyReviews', label: 'nav.emergencyReviews', matches: ['emergencyReviews'], roles: ['security_officer'] },
  { route: 'auditLog', label: 'nav.auditLog', matches: ['auditLog'], roles: AUDIT_ROLES },
  { route: 'admin', label: 'nav.admin', matches: ['admin'], roles: ['administrator'] },
  { route: 'myPreferences', label: 'nav.myPreferences', matches: ['myPreferences'] },
];

function SideNav() {
  const { t } = useTranslation();
  const current = useNav((s) => s.route.name);
  const go = useNav((s) => s.go);
  const roles = useSession((s) => s.user?.roles);
  return (
    <nav className="sidenav" aria-label={t('shell.mainNav')}>
      <ul>
        {NAV_ITEMS.filter((item) => !item.roles || item.roles.some((r) => roles?.includes(r))).map((item) => {
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
