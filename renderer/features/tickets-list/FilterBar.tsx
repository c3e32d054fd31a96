/** View tabs, search box, filters and sort of the ticket list. State lives in useTicketList. */
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS, PRIORITIES, REQUEST_TYPES, SEARCH_ORDERS, SEVERITIES, STATUSES, TIERS, WAITING_ON, type SearchOrder, type Severity,
} from '../../../electron/shared/domain';
import { Button, MultiSelect, SelectField, Tabs, TextField } from '../../components';
import { activeFilterCount, SORT_KEYS, TICKET_VIEWS, useTicketList, type Direction, type SortKey, type TicketView } from './store';

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const queryText = useTicketList((s) => s.queryText);
  const setQueryText = useTicketList((s) => s.setQueryText);
  const searchNow = useTicketList((s) => s.searchNow);
  return (
    <TextField
      ref={inputRef}
      className="search"
      type="search"
      label={t('ticketList.search')}
      placeholder={t('ticketList.searchPlaceholder')}
      value={queryText}
      autoComplete="off"
      spellCheck={false}
      onChange={(e) => setQueryText(e.target.value)}
      onKeyDown={(e) => {
        // Esc leaves the box with the search kept: j/k then move through its results.
        if (e.key === 'Escape') {
          e.preventDefault();
          e.currentTarget.blur();
        } else if (e.key === 'Enter') {
          // Enter searches at once, without waiting for the pause after typing.
          e.preventDefault();
          searchNow();
        }
      }}
    />
  );
}

/** The built-in views and the user's pinned saved views, as one row of tabs. */
export function ViewTabs() {
  const { t } = useTranslation();
  const view = useTicketList((s) => s.view);
  const activeViewId = useTicketList((s) => s.activeViewId);
  const savedViews = useTicketList((s) => s.savedViews);
  const pinned = savedViews.filter((v) => v.pinned);
  const value = activeViewId ? `saved:${activeViewId}` : view;
  const onChange = (v: string) => {
    const list = useTicketList.getState();
    if (v.startsWith('saved:')) {
      const saved = list.savedViews.find((sv) => `saved:${sv.id}` === v);
      if (saved) list.applyView(saved);
    } else if (v !== list.view || list.activeViewId) list.restartView(v as TicketView);
  };
  return (
    <Tabs<string>
      idBase="ticket-views"
      className="ticket-views"
      label={t('ticketList.views')}
      value={value}
      onChange={onChange}
      items={[
        ...TICKET_VIEWS.map((v) => ({ value: v as string, label: t(`ticketList.view.${v}`) })),
        ...pinned.map((sv) => ({ value: `saved:${sv.id}`, label: `★ ${sv.name}` })),
      ]}
    />
  );
}

/** Sort (or, with a search, the order of results) — always in view, beside the search box. */
export function SortControls() {
  const { t } = useTranslation();
  const sort = useTicketList((s) => s.sort);
  const direction = useTicketList((s) => s.direction);
  const setSort = useTicketList((s) => s.setSort);
  const setDirection = useTicketList((s) => s.setDirection);
  const searching = useTicketList((s) => s.query !== '');
  const searchOrder = useTicketList((s) => s.searchOrder);
  const setSearchOrder = useTicketList((s) => s.setSearchOrder);
  return searching ? (
    <SelectField
      className="filterbar__select"
      label={t('ticketList.searchOrder')}
      value={searchOrder}
      onChange={(e) => setSearchOrder(e.target.value as SearchOrder)}
      options={SEARCH_ORDERS.map((o) => ({ value: o, label: t(`ticketList.searchOrders.${o}`) }))}
    />
  ) : (
    <>
      <SelectField
        className="filterbar__select"
        label={t('ticketList.sortBy')}
        value={sort}
        onChange={(e) => setSort(e.target.value as SortKey)}
        options={SORT_KEYS.map((k) => ({ value: k, label: t(`ticketList.sort.${k}`) }))}
      />
      <SelectField
        className="filterbar__select filterbar__select--narrow"
        label={t('ticketList.direction')}
        value={direction}
        onChange={(e) => setDirection(e.target.value as Direction)}
        options={(['desc', 'asc'] as const).map((d) => ({ value: d, label: t(`ticketList.dir.${d}`) }))}
      />
    </>
  );
}

/** The button that opens and closes the filter panel, with how many filters are on. */
export function FiltersToggle() {
  const { t } = useTranslation();
  const open = useTicketList((s) => s.filtersOpen);
  const active = useTicketList((s) => activeFilterCount(s.filters));
  return (
    <Button size="sm" variant={active > 0 ? 'primary' : 'secondary'} aria-expanded={open} aria-controls="ticket-filters"
      onClick={() => useTicketList.getState().toggleFilters()}>
      {active > 0 ? t('ticketList.filtersWithCount', { count: active }) : t('ticketList.filters')} {open ? '▴' : '▾'}
    </Button>
  );
}

export function FilterBar() {
  const { t } = useTranslation();
  const filters = useTicketList((s) => s.filters);
  const setFilter = useTicketList((s) => s.setFilter);
  const clearFilters = useTicketList((s) => s.clearFilters);
  const assignees = useTicketList((s) => s.assignees);
  const open = useTicketList((s) => s.filtersOpen);
  const active = activeFilterCount(filters);
  if (!open) return null;

  return (
    <div className="filterbar" id="ticket-filters" role="group" aria-label={t('ticketList.filters')}>
      <MultiSelect label={t('ticketList.filter.status')} value={filters.status} onChange={(v) => setFilter('status', v)}
        options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
      <MultiSelect label={t('ticketList.filter.waitingOn')} value={filters.waitingOn} onChange={(v) => setFilter('waitingOn', v)}
        options={WAITING_ON.map((w) => ({ value: w, label: t(`ticketList.waitingOnShort.${w}`) }))} />
      <MultiSelect label={t('ticketList.filter.requestType')} value={filters.requestType} onChange={(v) => setFilter('requestType', v)}
        options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`requestType.${r}`) }))} />
      <MultiSelect
        label={t('ticketList.filter.severity')}
        value={filters.severity.map(String)}
        onChange={(v) => setFilter('severity', v.map((x) => Number(x) as Severity))}
        options={SEVERITIES.map((s) => ({ value: String(s), label: t(`ticketList.severityShort.${s}`) }))}
      />
      <MultiSelect label={t('ticketList.filter.tier')} value={filters.tier} onChange={(v) => setFilter('tier', v)}
        options={TIERS.map((x) => ({ value: x, label: t(`tier.${x}`) }))} />
      <MultiSelect label={t('ticketList.filter.channel')} value={filters.channel} onChange={(v) => setFilter('channel', v)}
        options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
      <MultiSelect label={t('ticketList.filter.priority')} value={filters.priority} onChange={(v) => setFilter('priority', v)}
        options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
      <SelectField
        className="filterbar__select"
        label={t('ticketList.filter.assignee')}
        value={filters.assigneeId ?? ''}
        onChange={(e) => setFilter('assigneeId', e.target.value || null)}
        placeholder={t('ticketList.filter.anyone')}
        options={assignees.map((u) => ({ value: u.id, label: u.fullName }))}
      />
      {active > 0 ? (
        <Button size="sm" variant="ghost" className="filterbar__clear" onClick={clearFilters}>
          {t('ticketList.clearFilters')}
        </Button>
      ) : null}
    </div>
  );
}
