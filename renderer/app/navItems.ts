/** The screens of the left navigation, with who may open them; the sidebar and the command palette both list these. */
import type { Role } from '../../electron/shared/domain';
import { PERSONAL_DATA_HANDLERS } from '../../electron/shared/personal-data';
import { QUICK_REPLY_USERS } from '../../electron/shared/quick-replies';

/** Who sees the reports (the same roles `reports.run` and `reports.sla` allow). */
export const REPORT_ROLES: Role[] = ['supervisor', 'administrator'];
/** Who sees the audit log (the roles `audit.list` allows). */
export const AUDIT_ROLES: Role[] = ['supervisor', 'security_officer', 'administrator'];

export type NavRoute =
  | 'home' | 'tickets' | 'newTicket' | 'customers' | 'board' | 'reports' | 'requests' | 'personalData' | 'emergencyReviews' | 'auditLog' | 'admin'
  | 'myPreferences' | 'kb' | 'quickReplies';

export interface NavItem {
  route: NavRoute;
  /** i18n key of its name. */
  label: string;
  /** Route names under which the item shows as current. */
  matches: readonly string[];
  /** Only these roles see it; absent: everyone signed in. */
  roles?: Role[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { route: 'home', label: 'nav.home', matches: ['home'], roles: REPORT_ROLES },
  { route: 'tickets', label: 'nav.tickets', matches: ['tickets', 'ticket'] },
  { route: 'newTicket', label: 'nav.newTicket', matches: ['newTicket'] },
  { route: 'customers', label: 'nav.customers', matches: ['customers', 'customer'] },
  { route: 'board', label: 'nav.board', matches: ['board'] },
  { route: 'kb', label: 'nav.kb', matches: ['kb'] },
  { route: 'quickReplies', label: 'nav.quickReplies', matches: ['quickReplies'], roles: [...QUICK_REPLY_USERS] },
  { route: 'reports', label: 'nav.reports', matches: ['reports', 'reportsPrint'], roles: REPORT_ROLES },
  { route: 'requests', label: 'nav.requests', matches: ['requests', 'request', 'newRequest'] },
  { route: 'personalData', label: 'nav.personalData', matches: ['personalData', 'personalDataPrint'], roles: [...PERSONAL_DATA_HANDLERS] },
  { route: 'emergencyReviews', label: 'nav.emergencyReviews', matches: ['emergencyReviews'], roles: ['security_officer'] },
  { route: 'auditLog', label: 'nav.auditLog', matches: ['auditLog'], roles: AUDIT_ROLES },
  { route: 'admin', label: 'nav.admin', matches: ['admin'], roles: ['administrator'] },
  { route: 'myPreferences', label: 'nav.myPreferences', matches: ['myPreferences'] },
];

/** The items a user with these roles sees. */
export function navItemsFor(roles: readonly Role[] | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.some((r) => roles?.includes(r)));
}
