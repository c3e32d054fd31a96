/**
 * The virtual ticket table: role="grid" over the loaded rows, plus one "loading" row while more
 * pages follow; only the rows in view are rendered, and the next page is requested from the
 * store as the view nears the end of what is loaded. Rows are one line high, so at least 20 show
 * at 1366×800. The columns are the user's (order and widths, see columns.ts); a column's right
 * edge can be dragged to resize it. The first column checks rows for a bulk action (click,
 * shift-click for a range, `x` on the highlighted row, the header box for all loaded rows).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useImperativeHandle, useRef, useState, type PointerEvent as ReactPointerEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { BusinessCalendar } from '../../../electron/shared/calendar';
import type { TicketListRow } from '../../../electron/shared/types';
import { formatDateTime, formatRelative } from '../../app/format';
import { focusHighlight, Highlighted, priorityBadge, severityBadge, statusBadge } from '../../components';
import { countdown, liveCardState } from '../board/countdown';
import { countdownWords } from '../board/CountdownText';
import { calendarFor } from '../board/store';
import { useNav } from '../../stores/nav';
import { COLUMN_WIDTH, gridMinWidth, gridTemplate, moveColumn, type ListColumn, type ListColumnPref } from './columns';

/** What a dragged column header carries. */
const COLUMN_MIME = 'application/x-mesa-column';
import { useHostNow } from '../board/useNow';
import { useTicketList } from './store';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;

export interface TicketGridHandle {
  scrollToIndex: (index: number) => void;
}

export function TicketGrid({ handle }: { handle: Ref<TicketGridHandle> }) {
  const { t } = useTranslation();
  const total = useTicketList((s) => s.total);
  const answer = useTicketList((s) => s.rows);
  const error = useTicketList((s) => s.error);
  // While a new question is asked (no rows, no total yet) the last answer's rows stay on screen,
  // marked stale (the grid aria-busy, the rows without their ticket id and inert to the pointer),
  // and the answer then updates the same row elements in place: the rows of a view click used to
  // unmount and mount again (~1,350 elements made per click, most of the page's work).
  const [kept, keep] = useState(answer);
  if (answer.length > 0 && kept !== answer) keep(answer);
  const stale = total === null && answer.length === 0 && !error && kept.length > 0;
  const rows = stale ? kept : answer;
  const more = useTicketList((s) => s.nextCursor !== null);
  const count = rows.length + (more ? 1 : 0);
  const generation = useTicketList((s) => s.generation);
  const selectedIndex = useTicketList((s) => s.selectedIndex);
  const ensureRange = useTicketList((s) => s.ensureRange);
  const columns = useTicketList((s) => s.columns);
  const checked = useTicketList((s) => s.checked);
  const calendars = useTicketList((s) => s.calendars);
  const now = useHostNow(useTicketList((s) => s.hostNow), useTicketList((s) => s.loadedAt), 30_000);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useImperativeHandle(handle, () => ({ scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }) }), [virtualizer]);

  useEffect(() => {
    if (total) ensureRange(first, last);
  }, [first, last, total, count, generation, ensureRange]);

  // A new question starts at the top.
  const question = useTicketList((s) => `${s.view}|${s.query}|${s.sort}|${s.direction}|${JSON.stringify(s.filters)}`);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [question]);

  const checkedLoaded = rows.reduce((n, r) => n + (checked.has(r.id) ? 1 : 0), 0);
  const allChecked = rows.length > 0 && checkedLoaded === rows.length;
  const style = { '--tgrid-cols': gridTemplate(columns), '--tgrid-min': `${gridMinWidth(columns)}px` } as React.CSSProperties;

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      aria-label={t('ticketList.table')}
      aria-rowcount={more ? -1 : rows.length + 1}
      aria-busy={total === null}
      data-stale={stale || undefined}
      // The question whose answer the rows show (absent while it is asked): a new value means a
      // new answer is on screen (the painted-times bench and E2E wait for it).
      data-answered={total === null ? undefined : question}
      aria-multiselectable
      style={style}
    >
      <div role="rowgroup" className="tgrid__head">
        <div role="row" aria-rowindex={1} className="tgrid__row tgrid__row--head" style={{ height: HEADER_HEIGHT }}>
          <div role="columnheader" className="tgrid__cell tgrid__cell--check">
            <CheckBox
              checked={allChecked ? true : checkedLoaded > 0 ? 'mixed' : false}
              label={t('ticketList.bulk.checkAll')}
              onToggle={() => useTicketList.getState().checkAll(!allChecked)}
            />
          </div>
          {columns.map((c) => (
            <HeaderCell key={c.id} column={c} />
          ))}
        </div>
      </div>
      <div role="rowgroup" className="tgrid__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          // Keyed by slot: a new answer updates the row elements in view in place.
          return row ? (
            <TicketRow
              key={item.key} top={item.start} stale={stale}
              row={row} index={item.index} selected={item.index === selectedIndex} checked={checked.has(row.id)}
              columns={columns} now={now} calendars={calendars} t={t}
            />
          ) : (
            <div
              key={item.key} role="row" aria-rowindex={item.index + 2} className="tgrid__row tgrid__row--loading" aria-busy="true"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div role="gridcell" className="tgrid__cell tgrid__cell--loading">{t('ticketList.loadingRow')}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** A check box that is not a form field: single-key shortcuts keep working after a click on it. */
function CheckBox({ checked, label, onToggle }: { checked: boolean | 'mixed'; label: string; onToggle: (range: boolean) => void }) {
  return (
    <span
      role="checkbox"
      aria-checked={checked}
      aria-label={label}
      tabIndex={-1}
      className={`tgrid__check${checked === true ? ' tgrid__check--on' : checked === 'mixed' ? ' tgrid__check--mixed' : ''}`}
      onClick={(e) => {
        e.stopPropagation();
        onToggle(e.shiftKey);
      }}
    />
  );
}

/** A column header with a handle on its right edge: drag it to change the width (saved for the user). */
function HeaderCell({ column }: { column: ListColumnPref }) {
  const { t } = useTranslation();
  const c = column.id;
  const resizing = useRef(false);
  const startDrag = (e: ReactPointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    resizing.current = true;
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = column.width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const width = Math.max(COLUMN_WIDTH[c].min, Math.min(1200, Math.round(startWidth + ev.clientX - startX)));
      const list = useTicketList.getState();
      list.setColumns(list.columns.map((col) => (col.id === c ? { ...col, width } : col)));
    };
    const up = () => {
      resizing.current = false;
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };
  return (
    <div
      role="columnheader"
      className={`tgrid__cell tgrid__cell--${c}`}
      title={t(`ticketList.col.${c}`)}
      // Drag a header onto another to put it there (the Columns menu does the same by keyboard).
      draggable
      onDragStart={(e) => {
        // A drag that began on the resize edge resizes; it does not move the column.
        if (resizing.current) {
          e.preventDefault();
          return;
        }
        e.dataTransfer.setData(COLUMN_MIME, c);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(COLUMN_MIME)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(e) => {
        const dragged = e.dataTransfer.getData(COLUMN_MIME) as ListColumn;
        if (!dragged || dragged === c) return;
        e.preventDefault();
        const list = useTicketList.getState();
        list.setColumns(moveColumn(list.columns, dragged, list.columns.findIndex((x) => x.id === c)));
      }}
    >
      {c === 'severity' ? (
        <>
          <span aria-hidden="true">{t('ticketList.colShort.severity')}</span>
          <span className="sr-only">{t(`ticketList.col.${c}`)}</span>
        </>
      ) : (
        t(`ticketList.col.${c}`)
      )}
      <span className="tgrid__resize" aria-hidden="true" data-column={c} onPointerDown={startDrag} onClick={(e) => e.stopPropagation()} />
    </div>
  );
}

/*
 * A row and its cells translate with the grid's one `t` and are plain functions below it: a
 * useTranslation (or a store subscription) per cell made ~16 hook mounts per row, each copying the
 * i18next instance, and Intl formatters were built per cell. The row element is the positioned
 * slot itself (one element less per row); its cells are memoised apart, so marking the rows stale
 * while a question is asked re-renders no cell.
 */
interface RowProps {
  row: TicketListRow; index: number; selected: boolean; checked: boolean; columns: ListColumnPref[]; now: number;
  calendars: BusinessCalendar[]; t: TFunction;
}

const TicketRow = memo(function TicketRow({ top, stale, ...props }: RowProps & { top: number; stale: boolean }) {
  const { row, index, selected, checked } = props;
  const open = () => {
    useTicketList.getState().select(index);
    useNav.getState().go({ name: 'ticket', ticketId: row.id });
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-ticket-id={stale ? undefined : row.id}
      data-checked={checked || undefined}
      className={`tgrid__row${selected ? ' tgrid__row--selected' : ''}${checked ? ' tgrid__row--checked' : ''} tgrid__row--sev${row.severity}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={stale ? undefined : open}
    >
      <RowCells {...props} />
    </div>
  );
});

const RowCells = memo(function RowCells({ row, index, selected, checked, columns, now, calendars, t }: RowProps) {
  return (
    <>
      <div role="gridcell" className="tgrid__cell tgrid__cell--check">
        <CheckBox
          checked={checked}
          label={t('ticketList.bulk.check', { trackingNumber: row.trackingNumber })}
          onToggle={(range) => useTicketList.getState().toggleChecked(index, range)}
        />
      </div>
      {columns.map((c) => cell(t, c.id, row, selected, now, calendars))}
    </>
  );
});

/**
 * One grid cell. A cell of plain text is one element (the cell holds the text and ellipsis itself,
 * no wrapper span); badges, the SLA chip, dates and the folio button keep their own element.
 */
function cell(t: TFunction, column: ListColumn, row: TicketListRow, selected: boolean, now: number, calendars: BusinessCalendar[]) {
  const base = `tgrid__cell tgrid__cell--${column}`;
  const text = (content: React.ReactNode, extra = ' small', title?: string) => (
    <div role="gridcell" key={column} className={`${base} tgrid__text${extra}`} title={title}>{content}</div>
  );
  const boxed = (content: React.ReactNode) => <div role="gridcell" key={column} className={base}>{content}</div>;
  switch (column) {
    case 'trackingNumber':
      return boxed(<button type="button" className="linklike mono" tabIndex={selected ? 0 : -1}>{row.trackingNumber}</button>);
    case 'subject':
      return text(
        <>
          {row.subject}
          {row.highlight ? <Highlighted className="tgrid__highlight" text={` · ${focusHighlight(row.highlight, 12)}`} /> : null}
        </>,
        ' tgrid__subject', row.subject,
      );
    case 'customer':
      return text(row.customerName, '', `${row.customerName} · ${row.rfc}`);
    case 'status':
      return boxed(statusBadge(t, row.status, row.waitingOn));
    case 'sla':
      return boxed(slaCell(t, row, now, calendars));
    case 'severity':
      return boxed(severityBadge(t, row.severity, true));
    case 'tier':
      return text(t(`tier.${row.tier}`));
    case 'priority':
      return boxed(priorityBadge(t, row.priority));
    case 'assignee':
      return text(row.assigneeName ?? t('ticketList.unassigned'), row.assigneeName ? ' small' : ' small muted');
    case 'updatedAt':
    case 'createdAt':
      return boxed(
        <time className="small ellipsis" dateTime={new Date(row[column]).toISOString()} title={formatDateTime(row[column])}>
          {formatRelative(row[column])}
        </time>,
      );
    case 'channel':
      return text(t(`channel.${row.channel}`));
    case 'category':
      return text(t(`category.${row.category}`));
  }
}

/**
 * Time left or overdue, coloured by the SLA state, in the words of the escalation board (the same
 * countdown and humanizer): "vence en 3 h hábiles", "vencido hace 2 días". A closed ticket shows
 * whether it met its targets.
 */
function slaCell(t: TFunction, row: TicketListRow, now: number, calendars: BusinessCalendar[]) {
  if (row.status === 'closed') {
    return <span className={`sla-chip sla-chip--${row.slaState}`} data-sla-state={row.slaState}>{t(`slaState.${row.slaState}`)}</span>;
  }
  const state = liveCardState(row, now);
  const clock = countdown(row, now, calendarFor(row, calendars));
  return (
    <span className={`sla-chip sla-chip--${state} ellipsis`} data-sla-state={state} title={t(`slaState.${state}`)}>
      <span className="sr-only">{t(`slaState.${state}`)}: </span>
      {countdownWords(t, clock, state)}
    </span>
  );
}
