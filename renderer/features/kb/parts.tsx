/** Small pieces shared by the knowledge base screen, the ticket's suggestions and the composer's picker. */
import { useTranslation } from 'react-i18next';
import type { KbStatus, KbVisibility } from '../../../electron/shared/kb';
import './strings';

export function KbBadges({ status, visibility }: { status: KbStatus; visibility: KbVisibility }) {
  const { t } = useTranslation();
  return (
    <>
      {status !== 'published' ? <span className={`badge kb-badge kb-badge--${status}`}>{t(`kb.status.${status}`)}</span> : null}
      <span className={`badge kb-badge kb-badge--${visibility}`}>{t(`kb.visibilityShort.${visibility}`)}</span>
    </>
  );
}

/**
 * An article's body as core rendered it: markdown-it without raw HTML, then sanitize-html with an
 * allowlist (shared/kb-markdown.ts), so the HTML carries no script, handler or script link; the
 * page's CSP would refuse inline script anyway.
 */
export function ArticleBody({ html, className }: { html: string; className?: string }) {
  return <div className={`kb-body${className ? ` ${className}` : ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
