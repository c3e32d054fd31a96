/**
 * An article's history: every saved version (who, when, status), what each save changed as a line
 * diff (removed lines struck through, added ones marked, title and classification changes named),
 * and "Recuperar como borrador" for an older version (a new version in draft; nothing is lost).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbHistory, KbRevision } from '../../../electron/shared/kb';
import { diffLines } from '../../../electron/shared/text-diff';
import { Button, ConfirmDialog, ErrorBanner, formatDateTime } from '../../components';
import { useKb } from './kbStore';
import { KbBadges } from './parts';

export function ArticleHistory({ history }: { history: KbHistory }) {
  const { t } = useTranslation();
  const { cancelEdit, restore, busy, actionError } = useKb();
  const [selected, setSelected] = useState(history.revisions[0]!.version);
  const [confirm, setConfirm] = useState(false);
  const index = history.revisions.findIndex((r) => r.version === selected);
  const revision = history.revisions[index]!;
  // What this version changed: compared with the one before it (the next in the newest-first list).
  const previous = history.revisions[index + 1] ?? null;
  return (
    <section className="card kb-history" aria-labelledby="kb-history-title">
      <header className="kb-history__header">
        <h2 id="kb-history-title">{t('kb.history.title', { title: history.revisions[0]!.title })}</h2>
        <Button onClick={cancelEdit}>{t('kb.history.back')}</Button>
      </header>
      <p className="small muted">{t('kb.history.intro')}</p>
      <ErrorBanner error={actionError} />
      <div className="kb-history__layout">
        <ol className="kb-history__versions" aria-label={t('kb.history.versions')}>
          {history.revisions.map((r) => (
            <li key={r.version}>
              <button type="button" className={`kb-result${r.version === selected ? ' is-current' : ''}`} aria-current={r.version === selected || undefined}
                onClick={() => setSelected(r.version)}>
                <span className="kb-result__title">{t(r.current ? 'kb.history.currentVersion' : 'kb.version', { version: r.version })}</span>
                <span className="kb-result__meta">
                  <span>{formatDateTime(r.editedAt)}</span>
                  <KbBadges status={r.status} visibility={r.visibility} />
                </span>
                <span className="kb-result__meta">{r.editedByName ?? t('kb.starter')}</span>
              </button>
            </li>
          ))}
        </ol>
        <div className="kb-history__diff">
          <div className="kb-history__diff-head">
            <h3>{previous ? t('kb.history.changesIn', { version: revision.version, previous: previous.version }) : t('kb.history.firstVersion')}</h3>
            {!revision.current && history.canRestore ? (
              <Button variant="primary" onClick={() => setConfirm(true)}>{t('kb.history.restore')}</Button>
            ) : null}
          </div>
          {!revision.current && !history.canRestore ? <p className="small muted">{t('kb.history.cannotRestore')}</p> : null}
          <Changes revision={revision} previous={previous} />
        </div>
      </div>
      <ConfirmDialog open={confirm} title={t('kb.history.restoreTitle', { version: revision.version })} message={t('kb.history.restoreMessage')}
        confirmLabel={t('kb.history.restore')} pending={busy} onCancel={() => setConfirm(false)}
        onConfirm={() => void restore(revision.version).then((done) => done && setConfirm(false))}>
        <ErrorBanner error={actionError} />
      </ConfirmDialog>
    </section>
  );
}

function Changes({ revision, previous }: { revision: KbRevision; previous: KbRevision | null }) {
  const { t } = useTranslation();
  const lines = useMemo(() => diffLines(previous?.body ?? '', revision.body), [previous, revision]);
  const facts: string[] = [];
  if (previous && previous.title !== revision.title) facts.push(t('kb.history.titleChanged', { from: previous.title, to: revision.title }));
  if (previous && previous.category !== revision.category) {
    facts.push(t('kb.history.categoryChanged', { from: t(`category.${previous.category}`), to: t(`category.${revision.category}`) }));
  }
  if (previous && previous.visibility !== revision.visibility) {
    facts.push(t('kb.history.visibilityChanged', { from: t(`kb.visibility.${previous.visibility}`), to: t(`kb.visibility.${revision.visibility}`) }));
  }
  if (previous && previous.status !== revision.status) {
    facts.push(t('kb.history.statusChanged', { from: t(`kb.status.${previous.status}`), to: t(`kb.status.${revision.status}`) }));
  }
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;
  return (
    <>
      {facts.length > 0 ? <ul className="kb-history__facts">{facts.map((f) => <li key={f}>{f}</li>)}</ul> : null}
      <p className="small muted" aria-live="polite">
        {previous && added === 0 && removed === 0 ? t('kb.history.sameText') : t('kb.history.counts', { added, removed })}
      </p>
      <div className="kb-diff" role="table" aria-label={t('kb.history.diff')} data-testid="kb-diff">
        {lines.map((l, i) => (
          <div key={i} role="row" className={`kb-diff__line kb-diff__line--${l.kind}`}>
            <span role="cell" className="kb-diff__mark" aria-label={t(`kb.history.line.${l.kind}`)}>{l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}</span>
            <span role="cell" className="kb-diff__text">{l.kind === 'removed' ? <del>{l.text || ' '}</del> : l.kind === 'added' ? <ins>{l.text || ' '}</ins> : (l.text || ' ')}</span>
          </div>
        ))}
      </div>
    </>
  );
}
