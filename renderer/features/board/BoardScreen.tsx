/**
 * The escalation board (issue 3): one column per tier with counts, cards with the SLA countdown,
 * filters, drag and drop to the neighbouring column and the same move by keyboard. Every move
 * goes through the reason dialog (MoveDialog).
 */
import { useEffect, useLayoutEffect, useRef, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORIES, SEVERITIES, type Category, type Severity, type Tier } from '../../../electron/shared/domain';
import type { BoardCard } from '../../../electron/shared/types';
import { Button, ErrorBanner, Loading, MultiSelect, PageHeader, SelectField, SeverityBadge, StatusMessage } from '../../components';
import { useNav } from '../../stores/nav';
import { countdown, liveCardState } from './countdown';
import { CountdownText } from './CountdownText';
import { MoveDialog } from './MoveDialog';
import { SlaChip } from './SlaChip';
import { calendarFor, isAdjacent, neighbourTier, useBoard } from './store';
import { useBoardNow } from './useNow';
import './board.css';
import './strings';

const CARD_MIME = 'application/x-helpdesk-card';

export function BoardScreen() {
  const { t } = useTranslation();
  const load = useBoard((s) => s.load);
  const startLive = useBoard((s) => s.startLive);
  const board = useBoard((s) => s.board);
  const error = useBoard((s) => s.error);
  const moveError = useBoard((s) => s.moveError);
  const pendingMove = useBoard((s) => s.pendingMove);
  const announcement = useBoard((s) => s.announcement);
  const now = useBoardNow();
  const boardRef = useRef<HTMLDivElement>(null);
  useKeepCardFocus(boardRef);

  useEffect(() => {
    void load();
    return startLive();
  }, [load, startLive]);

  return (
    <section className="page board-screen">
      <PageHeader title={t('board.title')}>
        <p className="muted small">{t('board.intro')}</p>
      </PageHeader>
      <BoardFilters />
      <ErrorBanner error={error} />
      {/* A refused drop (not adjacent) has no dialog to show it in. */}
      {!pendingMove ? <ErrorBanner error={moveError} onDismiss={() => useBoard.getState().cancelMove()} /> : null}
      {announcement ? (
        <StatusMessage>{t('board.moved', { trackingNumber: announcement.trackingNumber, tier: t(`tier.${announcement.tier}`) })}</StatusMessage>
      ) : null}
      <p id="board-keyboard-hint" className="sr-only">{t('board.keyboardHint')}</p>
      {board ? (
        <div ref={boardRef} className="board" role="list" aria-label={t('board.title')}>
          {board.columns.map((column) => (
            <BoardColumn key={column.tier} tier={column.tier} count={column.count} cards={column.cards} now={now} />
          ))}
        </div>
      ) : error ? null : (
        <Loading />
      )}
      <p className="muted small" aria-live="off">{t('board.live')}</p>
      <MoveDialog />
    </section>
  );
}

/**
 * Keeps the keyboard user's place across the board's re-renders: the live reload every few seconds and the
 * urgency order (core's, re-read every minute) can remove or move a card's element (a moved DOM node loses the focus). The focused card is
 * remembered by id and focused again when the focus fell to the page. Focusing or clicking anything else forgets it.
 */
function useKeepCardFocus(boardRef: RefObject<HTMLElement | null>): void {
  const focusedCardId = useRef<string | null>(null);
  useEffect(() => {
    const cardIdOf = (target: EventTarget | null): string | null => {
      const board = boardRef.current;
      if (!(target instanceof Element) || !board?.contains(target)) return null;
      return target.closest<HTMLElement>('[data-card-id]')?.dataset.cardId ?? null;
    };
    const onFocusIn = (e: FocusEvent) => (focusedCardId.current = cardIdOf(e.target));
    const onPointerDown = (e: PointerEvent) => (focusedCardId.current = cardIdOf(e.target));
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('pointerdown', onPointerDown);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, [boardRef]);
  useLayoutEffect(() => {
    const id = focusedCardId.current;
    const active = document.activeElement;
    if (!id || (active && active !== document.body)) return;
    boardRef.current?.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(id)}"]`)?.focus();
  });
}

function BoardFilters() {
  const { t } = useTranslation();
  const filters = useBoard((s) => s.filters);
  const directory = useBoard((s) => s.directory);
  const setFilter = useBoard((s) => s.setFilter);
  const clearFilters = useBoard((s) => s.clearFilters);
  const active = filters.severity.length > 0 || filters.category.length > 0 || filters.assigneeId !== null;
  return (
    <div className="filterbar board-filters" role="group" aria-label={t('board.filters')}>
      <MultiSelect<string>
        label={t('board.severity')}
        options={SEVERITIES.map((s) => ({ value: String(s), label: t(`severity.${s}`) }))}
        value={filters.severity.map(String)}
        onChange={(next) => setFilter('severity', next.map((v) => Number(v) as Severity))}
      />
      <SelectField
        label={t('board.assignee')}
        value={filters.assigneeId ?? ''}
        placeholder={t('board.anyone')}
        options={directory.filter((u) => u.active).map((u) => ({ value: u.id, label: u.fullName }))}
        onChange={(e) => setFilter('assigneeId', e.currentTarget.value || null)}
      />
      <MultiSelect<Category>
        label={t('board.category')}
        options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
        value={filters.category}
        onChange={(next) => setFilter('category', next)}
      />
      {active ? (
        <Button size="sm" variant="ghost" onClick={clearFilters}>
          {t('board.clearFilters')}
        </Button>
      ) : null}
    </div>
  );
}

function BoardColumn({ tier, count, cards, now }: { tier: Tier; count: number; cards: BoardCard[]; now: number }) {
  const { t } = useTranslation();
  const draggingId = useBoard((s) => s.draggingId);
  const dragging = useBoard((s) => (s.draggingId ? s.findCard(s.draggingId) : undefined));
  const beginMove = useBoard((s) => s.beginMove);
  const setDragging = useBoard((s) => s.setDragging);
  const headingId = `board-col-${tier}`;
  const droppable = dragging !== undefined && isAdjacent(dragging.tier, tier);

  const onDragOver = (e: DragEvent) => {
    if (!draggingId && !e.dataTransfer.types.includes(CARD_MIME)) return;
    // Every other column accepts the drop, so a non-adjacent one can say why it refuses (escalation.notAdjacent).
    if (dragging?.tier === tier) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const cardId = e.dataTransfer.getData(CARD_MIME) || draggingId;
    setDragging(null);
    if (!cardId) return;
    const card = useBoard.getState().findCard(cardId);
    if (!card || card.tier === tier) return;
    beginMove(cardId, tier);
  };

  return (
    <section
      role="listitem"
      className={`board-column${droppable ? ' board-column--droppable' : ''}`}
      aria-labelledby={headingId}
      data-tier={tier}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <h2 id={headingId} className="board-column__title">
        <span>{t(`tier.${tier}`)}</span> <span className="board-column__count">{t('board.count', { count })}</span>
      </h2>
      {droppable ? <p className="board-column__drop">{t('board.dropHere', { tier: t(`tier.${tier}`) })}</p> : null}
      {cards.length === 0 ? <p className="board-column__empty">{t('board.empty')}</p> : null}
      <ul className="board-column__cards" aria-label={t(`tier.${tier}`)}>
        {cards.map((card) => (
          <li key={card.id}>
            <Card card={card} now={now} />
          </li>
        ))}
      </ul>
      {count > cards.length ? <p className="muted small">{t('board.showing', { shown: cards.length, count })}</p> : null}
    </section>
  );
}

function Card({ card, now }: { card: BoardCard; now: number }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const beginMove = useBoard((s) => s.beginMove);
  const setDragging = useBoard((s) => s.setDragging);
  const calendars = useBoard((s) => s.calendars);
  const shouldFocus = useBoard((s) => s.focusTarget?.cardId === card.id && s.focusTarget.tier === card.tier);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!shouldFocus || useBoard.getState().pendingMove) return;
    ref.current?.focus();
    useBoard.getState().focused();
  }, [shouldFocus]);
  const state = liveCardState(card, now);
  const clock = countdown(card, now, calendarFor(card, calendars));
  const open = () => go({ name: 'ticket', ticketId: card.id });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const to = neighbourTier(card.tier, e.key === 'ArrowLeft' ? -1 : 1);
      if (!to) return;
      e.preventDefault();
      beginMove(card.id, to);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open();
    }
  };

  return (
    <article
      ref={ref}
      className={`board-card sla--${state}`}
      tabIndex={0}
      draggable
      data-ticket={card.trackingNumber}
      data-card-id={card.id}
      data-sla={state}
      aria-label={t('board.cardLabel', {
        trackingNumber: card.trackingNumber, customer: card.customerName, severity: t(`severity.${card.severity}`), state: t(`slaState.${state}`),
      })}
      aria-describedby="board-keyboard-hint"
      onKeyDown={onKeyDown}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('button')) return;
        open();
      }}
      onDragStart={(e) => {
        e.dataTransfer.setData(CARD_MIME, card.id);
        e.dataTransfer.setData('text/plain', card.trackingNumber);
        e.dataTransfer.effectAllowed = 'move';
        setDragging(card.id);
      }}
      onDragEnd={() => setDragging(null)}
    >
      <header className="board-card__head">
        <span className="mono board-card__folio">{card.trackingNumber}</span>
        <SeverityBadge severity={card.severity} short />
      </header>
      <p className="board-card__customer">{card.customerName}</p>
      <p className="board-card__subject small muted">{card.subject}</p>
      <p className="board-card__assignee small">{card.assigneeName ?? t('board.unassigned')}</p>
      <footer className="board-card__foot">
        <SlaChip state={state} />
        <span className="board-card__clock small">
          <CountdownText clock={clock} state={state} />
        </span>
        <Button size="sm" variant="ghost" aria-label={t('board.moveToOf', { trackingNumber: card.trackingNumber })} onClick={() => beginMove(card.id, null)}>
          {t('board.moveTo')}
        </Button>
      </footer>
    </article>
  );
}


