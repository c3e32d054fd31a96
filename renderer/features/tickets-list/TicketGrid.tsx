/**
 * The virtual ticket table: role="grid" over the loaded rows, plus one "loading" row while more
 * pages follow; only the rows in view are rendered, and the next page is requested from the
 * store as the view nears the end of what is loaded.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '../../../electron/shared/types';
import { formatDateTime, formatRelative } from '../../app/format';
import { focusHighlight, Highlighted, PriorityBadge, SeverityBadge, StatusBadge } from '../../components';
import { useNav } from '../../stores/nav';
import { useTicketList } from './store';

export const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 34;
const COLUMNS = ['trackingNumber', 'subject', 'customer', 'status', 'severity', 'tier', 'priority', 'assignee', 'updatedAt'] as const;

export interface TicketGridHandle {
  scrollToIndex: (index: number) => void;
}

export function TicketGrid({ handle }: { handle: Ref<TicketGridHandle> }) {
  const { t } = useTranslation();
  const total = useTicketList((s) => s.total);
  const rows = useTicketList((s) => s.rows);
  const more = useTicketList((s) => s.nextCursor !== null);
  const count = rows.length + (more ? 1 : 0);
  const generation = useTicketList((s) => s.generation);
  const selectedIndex = useTicketList((s) => s.selectedIndex);
  const ensureRange = useTicketList((s) => s.ensureRange);
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
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

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      aria-label={t('ticketList.table')}
      aria-rowcount={more ? -1 : rows.length + 1}
      aria-busy={total === null}
      aria-multiselectable={false}
    >
      <div role="rowgroup" className="tgrid__head">
        <div role="row" aria-rowindex={1} className="tgrid__row tgrid__row--head" style={{ height: HEADER_HEIGHT }}>
          {COLUMNS.map((c) => (
            <div role="columnheader" key={c} className={`tgrid__cell tgrid__cell--${c}`} title={t(`ticketList.col.${c}`)}>
              {c === 'severity' ? (
                <>
                  <span aria-hidden="true">{t('ticketList.colShort.severity')}</span>
                  <span className="sr-only">{t(`ticketList.col.${c}`)}</span>
                </>
              ) : (
                t(`ticketList.col.${c}`)
              )}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="tgrid__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          return (
            <div
              key={item.key}
              className="tgrid__slot"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {row ? (
                <TicketRow row={row} index={item.index} selected={item.index === selectedIndex} />
              ) : (
                <div role="row" aria-rowindex={item.index + 2} className="tgrid__row tgrid__row--loading" aria-busy="true">
                  <div role="gridcell" className="tgrid__cell tgrid__cell--loading">{t('ticketList.loadingRow')}</div>
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const TicketRow = memo(function TicketRow({ row, index, selected }: { row: TicketSummary; index: number; selected: boolean }) {
  const { t } = useTranslation();
  const open = () => {
    useTicketList.getState().select(index);
    useNav.getState().go({ name: 'ticket', ticketId: row.id });
  };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-ticket-id={row.id}
      className={`tgrid__row${selected ? ' tgrid__row--selected' : ''} tgrid__row--sev${row.severity}`}
      onClick={open}
    >
      <div role="gridcell" className="tgrid__cell tgrid__cell--trackingNumber">
        <button type="button" className="linklike mono" tabIndex={selected ? 0 : -1}>
          {row.trackingNumber}
        </button>
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--subject">
        <span className="ellipsis tgrid__subject">{row.subject}</span>
        {row.highlight ? <Highlighted className="ellipsis tgrid__highlight" text={focusHighlight(row.highlight, 12)} /> : null}
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--customer">
        <span className="ellipsis">{row.customerName}</span>
        <span className="ellipsis mono muted small">{row.rfc}</span>
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--status">
        <StatusBadge status={row.status} waitingOn={row.waitingOn} />
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--severity">
        <SeverityBadge severity={row.severity} short />
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--tier">
        <span className="ellipsis small">{t(`tier.${row.tier}`)}</span>
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--priority">
        <PriorityBadge priority={row.priority} />
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--assignee">
        <span className={`ellipsis small${row.assigneeName ? '' : ' muted'}`}>{row.assigneeName ?? t('ticketList.unassigned')}</span>
      </div>
      <div role="gridcell" className="tgrid__cell tgrid__cell--updatedAt">
        <time className="small" dateTime={new Date(row.updatedAt).toISOString()} title={formatDateTime(row.updatedAt)}>
          {formatRelative(row.updatedAt)}
        </time>
      </div>
    </div>
  );
});
