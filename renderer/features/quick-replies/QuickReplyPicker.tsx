/**
 * The composer's respuestas rápidas picker: a search box driving a list by keyboard (↑ ↓, Enter,
 * Esc), the chosen one shown as it will read on this ticket (rendered by core with the ticket's
 * customer, folio, the agent and the committed dates) in Spanish or English, inserted on Enter.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplateLanguage } from '../../../electron/shared/mail-templates';
import { filterQuickReplies, type QuickReply } from '../../../electron/shared/quick-replies';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { useApiQuery } from '../../app/useApiAction';
import { Button, Dialog, ErrorBanner, Loading } from '../../components';
import { useNav } from '../../stores/nav';
import { PreviewLanguage } from './PreviewLanguage';
import './quick-replies.css';
import './strings';

export interface PickerProps {
  ticketId: string;
  /** What was typed in the search box, for a picker the `t` key opened (given back to the message when closed without choosing). */
  onCancel: (query: string) => void;
  onInsert: (text: string, title: string) => void;
}

/** Renders quick replies for the ticket, keeping each answer (the picker moves back and forth over the same ones). */
function useRendered(ticketId: string, reply: QuickReply | undefined, language: TemplateLanguage | null) {
  const cache = useRef(new Map<string, string>());
  const [state, setState] = useState<{ key: string; text: string | null; error: ErrorInfo | null } | null>(null);
  const key = reply && language ? `${reply.id}|${reply.version}|${language}` : null;
  useEffect(() => {
    if (!reply || !language || !key) return;
    const cached = cache.current.get(key);
    if (cached !== undefined) {
      setState({ key, text: cached, error: null });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      call('quickReplies.render', { quickReplyId: reply.id, ticketId, language }).then(
        (r) => {
          cache.current.set(key, r.text);
          if (current) setState({ key, text: r.text, error: null });
        },
        (err: unknown) => current && setState({ key, text: null, error: toErrorInfo(err) }),
      );
    }, 80);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, reply, language, ticketId]);
  const get = async (r: QuickReply, l: TemplateLanguage): Promise<string> => {
    const k = `${r.id}|${r.version}|${l}`;
    const hit = cache.current.get(k);
    if (hit !== undefined) return hit;
    const { text } = await call('quickReplies.render', { quickReplyId: r.id, ticketId, language: l });
    cache.current.set(k, text);
    return text;
  };
  return { shown: state && state.key === key ? state : null, get };
}

export function QuickReplyPicker({ ticketId, onCancel, onInsert }: PickerProps) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const list = useApiQuery('quickReplies.list', {});
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [chosenLanguage, setLanguage] = useState<TemplateLanguage | null>(null);
  const [insertError, setInsertError] = useState<ErrorInfo | null>(null);
  const language = chosenLanguage ?? list.data?.language ?? null;
  const rows = useMemo(() => filterQuickReplies(list.data?.rows ?? [], query), [list.data, query]);
  const current = Math.min(active, Math.max(rows.length - 1, 0));
  const activeRow = rows[current];
  const { shown, get } = useRendered(ticketId, activeRow, language);
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // After the dialog opened (its effect runs first and focuses its first button): typing goes to the search.
  useEffect(() => searchRef.current?.focus(), []);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const insert = async (row: QuickReply | undefined) => {
    if (!row || !language) return;
    try {
      onInsert(await get(row, language), row.title);
    } catch (err) {
      setInsertError(toErrorInfo(err));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (rows.length > 0) setActive((current + (e.key === 'ArrowDown' ? 1 : -1) + rows.length) % rows.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void insert(activeRow);
    } else if (e.key === 'Escape') {
      // One Esc closes (a search box would first only clear itself), giving back what was typed.
      e.preventDefault();
      onCancel(query);
    }
  };

  const optionId = (r: QuickReply) => `qr-option-${r.id}`;
  return (
    <Dialog open title={t('quickReplies.picker.title')} onClose={() => onCancel(query)} size="lg"
      footer={
        <>
          <Button variant="ghost" onClick={() => { onCancel(''); go({ name: 'quickReplies' }); }}>{t('quickReplies.picker.manage')}</Button>
          <Button variant="primary" disabled={!activeRow || !language} onClick={() => void insert(activeRow)}>{t('quickReplies.picker.insert')}</Button>
        </>
      }>
      <div className="qr-picker">
        <div className="qr-picker__list">
          <input
            className="input"
            type="text"
            role="combobox"
            aria-expanded="true"
            aria-controls="qr-results"
            aria-activedescendant={activeRow ? optionId(activeRow) : undefined}
            aria-autocomplete="list"
            aria-label={t('quickReplies.picker.search')}
            placeholder={t('quickReplies.picker.search')}
            ref={searchRef}
            maxLength={200}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <p className="small muted">{t('quickReplies.picker.help')}</p>
          {list.error ? <ErrorBanner error={list.error} /> : !list.data ? <Loading /> : rows.length === 0 ? (
            <p className="muted" role="status">{t(list.data.rows.length === 0 ? 'quickReplies.picker.empty' : 'quickReplies.picker.none')}</p>
          ) : (
            <ul id="qr-results" ref={listRef} className="qr-results" role="listbox" aria-label={t('quickReplies.picker.results')}>
              {rows.map((r, index) => (
                <li key={r.id} id={optionId(r)} role="option" aria-selected={index === current}
                  className={`qr-option${index === current ? ' qr-option--active' : ''}`}
                  onMouseEnter={() => setActive(index)} onClick={() => void insert(r)}>
                  <span className="qr-option__title">{r.title}</span>
                  <span className={`qr-badge qr-badge--${r.scope}`}>{t(`quickReplies.scopeBadge.${r.scope}`)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <section className="qr-picker__preview" aria-labelledby="qr-preview-title">
          <div className="qr-picker__preview-head">
            <h3 id="qr-preview-title">{t('quickReplies.picker.previewFor')}</h3>
            <PreviewLanguage language={language} onChange={setLanguage} />
          </div>
          {insertError ? <ErrorBanner error={insertError} /> : null}
          {!activeRow ? null : shown?.error ? <ErrorBanner error={shown.error} /> : shown?.text != null ? (
            <div className="qr-preview-text" data-testid="qr-preview">{shown.text}</div>
          ) : <Loading />}
        </section>
      </div>
    </Dialog>
  );
}
