/** Which screen is showing. A tiny in-memory router: the desktop app has no URL bar to honour. */
import { create } from 'zustand';

export type Route =
  | { name: 'home' }
  | { name: 'tickets' }
  | { name: 'ticket'; ticketId: string }
  | { name: 'newTicket' }
  | { name: 'customers' }
  | { name: 'customer'; customerId: string }
  | { name: 'admin'; tab?: 'users' | 'settings' | 'sla' | 'backups' | 'sync' | 'mail' | 'quickReplies' | 'audit' }
  | { name: 'board' }
  | { name: 'reports' }
  // The reports' printable document (Imprimir o guardar como PDF).
  | { name: 'reportsPrint' }
  // Change requests, emergency reviews and the audit log (issue 4).
  | { name: 'requests' }
  | { name: 'request'; requestId: string }
  | { name: 'newRequest'; customerId?: string }
  | { name: 'emergencyReviews' }
  | { name: 'auditLog'; requestId?: string; action?: string }
  // The user's own preferences (notifications, issue 14).
  | { name: 'myPreferences' }
  | { name: 'changePassword' }
  // Personal-data requests, derechos ARCO (issue 15): the register, and a customer's printable export.
  | { name: 'personalData' }
  | { name: 'personalDataPrint'; customerId: string }
  // The knowledge base (issue 12, item 5), optionally opened on one article.
  | { name: 'kb'; articleId?: string }
  // Respuestas rápidas (issue 12, item 6): the team's and the user's own.
  | { name: 'quickReplies' };

interface NavState {
  route: Route;
  history: Route[];
  go: (route: Route) => void;
  back: () => void;
}

export const useNav = create<NavState>((set) => ({
  route: { name: 'tickets' },
  history: [],
  go: (route) => set((s) => ({ route, history: [...s.history.slice(-30), s.route] })),
  back: () =>
    set((s) => {
      const previous = s.history.at(-1);
      return previous ? { route: previous, history: s.history.slice(0, -1) } : s;
    }),
}));
