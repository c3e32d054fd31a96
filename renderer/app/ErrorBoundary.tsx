/**
 * Keeps a rendering error from leaving a blank window: shows a translated message with
 * "try again" (re-render) and "reload". Uses i18next directly because it must work even when
 * the tree below it (and its hooks) failed.
 */
import { Component, type ErrorInfo as ReactErrorInfo, type ReactNode } from 'react';
import { i18next } from '../i18n';
import '../components/strings';

interface Props {
  children: ReactNode;
  /** Compact variant inside the shell's main area. */
  inline?: boolean;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ReactErrorInfo): void {
    console.error('Render error', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const t = (key: string, fallback: string) => (i18next.isInitialized && i18next.exists(key) ? i18next.t(key) : fallback);
    return (
      <div className={this.props.inline ? 'crash crash--inline' : 'crash'} role="alert">
        <h1 className="crash__title">{t('ui.crashTitle', 'Algo salió mal')}</h1>
        <p>{t('ui.crashBody', 'La pantalla no pudo mostrarse. Sus datos guardados no se perdieron.')}</p>
        <div className="crash__actions">
          <button type="button" className="btn btn--primary" onClick={() => this.setState({ error: null })}>
            {t('ui.crashRetry', 'Reintentar')}
          </button>
          <button type="button" className="btn btn--secondary" onClick={() => window.location.reload()}>
            {t('ui.crashReload', 'Recargar la aplicación')}
          </button>
        </div>
      </div>
    );
  }
}
