/**
 * Renderer entry: registers every feature's strings, starts i18n in Spanish (the signed-in user's
 * language is applied at sign-in) and renders the app. If even that fails, a plain message shows:
 * the window is never blank.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './components/strings';
import './app/strings';
import './features/setup/strings';
import './features/auth/strings';
import './features/recovery/strings';
import './features/personal-data/strings';
import './features/tickets-list/strings';
import './features/admin/strings';
import './features/intake/strings';
import './features/ticket/strings';
import './features/customers/strings';
import './features/board/strings';
import './features/sla-admin/strings';
import './features/reports/strings';
import './features/requests/strings';
import './features/emergency/strings';
import './features/audit-log/strings';
import { initI18n } from './i18n';
import { App } from './app/App';
import './styles.css';

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing');
  try {
    await initI18n('es-MX');
  } catch (e) {
    // Keys render as-is rather than a blank window.
    console.error('i18n failed to start', e);
  }
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

start().catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('root');
  if (root) {
    root.textContent = 'No se pudo iniciar la Mesa de Ayuda. Cierre y vuelva a abrir la aplicación. / Help Desk could not start.';
    root.className = 'fatal';
  }
});
