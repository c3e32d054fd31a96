/** The ticket list screen: views, search, filters and the virtual table, with keyboard shortcuts. */
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, EmptyState, ErrorBanner } from '../../components';
import { formatDay } from '../../app/format';
import { FilterBar, FiltersToggle, SearchBox, SortControls, ViewTabs } from './FilterBar';
import { BulkBar, BulkSummary, ColumnsMenu, SavedViewsMenu } from './ListTools';
import { useTicketList } from './store';
import { TicketGrid, type TicketGridHandle } from './TicketGrid';
import { useListKeys } from './useListKeys';
import './strings';

export function TicketListScreen() {
  const { t } = useTranslation();
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<TicketGridHandle>(null);
  const total = useTicketList((s) => s.total);
  const totalCapped = useTicketList((s) => s.totalCapped);
  const error = useTicketList((s) => s.error);
  const query = useTicketList((s) => s.query);
  const customerId = useTicketList((s) => s.filters.customerId);
  const rating = useTicketList((s) => s.filters.rating);
  const ratedSince = useTicketList((s) => s.filters.ratedSince);
  const customerName = useTicketList((s) => (s.filters.customerId ? s.rows[0]?.customerName : undefined));

  useEffect(() => {
    const list = useTicketList.getState();
    list.revalidate();
    void list.loadAssignees();
    void list.loadSettings();
  }, []);

  const scrollToIndex = useCallback((index: number) => gridRef.current?.scrollToIndex(index), []);
  useListKeys(searchRef, scrollToIndex);
  // Back from a ticket (Esc): the row it was opened from is still selected; bring it into view.
  useEffect(() => {
    const index = useTicketList.getState().selectedIndex;
    if (index >= 0) scrollToIndex(index);
  }, [scrollToIndex]);

  return (
    <section className="ticket-list" aria-labelledby="ticket-list-title">
      <div className="page-header">
        <div className="page-header__title-row">
          <h1 id="ticket-list-title" className="page-title">{t('ticketList.title')}</h1>
          <span className="count" role="status" aria-live="polite">
            {total === null ? t('ticketList.counting') : t(totalCapped ? 'ticketList.countMoreThan' : 'ticketList.count', { count: total })}
          </span>
          <span className="muted small shortcuts" title={t('ticketList.shortcuts')}>{t('ticketList.shortcutsShort')}</span>
        </div>
        <div className="page-header__actions">
          <FiltersToggle />
          <SavedViewsMenu />
          <ColumnsMenu />
        </div>
      </div>
      <div className="ticket-list__top">
        <SearchBox inputRef={searchRef} />
        <SortControls />
      </div>
      <ViewTabs />
      <FilterBar />
      <BulkBar />
      <BulkSummary />
      {customerId ? (
        <div className="chip">
          {t('ticketList.filter.customer')}: {customerName ?? customerId}
          <Button size="sm" variant="ghost" onClick={() => useTicketList.getState().setFilter('customerId', null)}>
            {t('ticketList.clearCustomer')}
          </Button>
        </div>
      ) : null}
      {rating.length > 0 ? (
        <div className="chip">
          {t('ticketList.filter.rating', { ratings: rating.length > 1 ? `${Math.min(...rating)}–${Math.max(...rating)}` : String(rating[0]) })}
          {ratedSince !== null ? ` · ${t('ticketList.filter.ratedSince', { date: formatDay(ratedSince) })}` : ''}
          <Button size="sm" variant="ghost" onClick={() => useTicketList.getState().clearRating()}>
            {t('ticketList.clearRating')}
          </Button>
        </div>
      ) : null}
      {error ? (
        <div className="row-gap">
          <ErrorBanner error={error} />
          <Button size="sm" onClick={() => useTicketList.getState().reload()}>{t('ticketList.retry')}</Button>
        </div>
      ) : null}
      {total === 0 && !error ? (
        <EmptyState>{query ? t('ticketList.emptySearch', { query }) : t('ticketList.empty')}</EmptyState>
      ) : (
        <TicketGrid handle={gridRef} />
      )}
    </section>
  );
}
