/**
 * The ticket list: view, filters, search and sort, plus the rows loaded so far from `tickets.list`.
 * Pages come by cursor (keyset): the screen asks for the rows in view (`ensureRange`) and the
 * store fetches the next page when the view nears the end of what is loaded. Any change to what
 * is asked starts again from the first page; a generation number drops answers to an older question.
 */
import { create } from 'zustand';
import type { MethodInput, SavedQuestion } from '../../../electron/shared/contract';
import {
  TICKET_SORTS, TICKET_VIEWS, type Channel, type Priority, type RequestType, type SearchOrder, type Severity, type Status, type Tier,
  type TicketSort, type TicketView, type WaitingOn,
} from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { BusinessCalendar } from '../../../electron/shared/calendar';
import type { BulkResult, SavedView, TicketListRow, TicketPage, UserSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { useSession } from '../../stores/session';
import { DEFAULT_COLUMNS, type ListColumnPref } from './columns';

export const PAGE_SIZE = 100;
/** Typing searches after this pause; Enter searches at once. */
export const SEARCH_DEBOUNCE_MS = 100;
/** The next page is asked for when the view comes this close to the last loaded row. */
const PREFETCH_ROWS = 30;

export { TICKET_VIEWS };
export type { TicketView };
export const SORT_KEYS = TICKET_SORTS;
export type SortKey = TicketSort;
export type Direction = 'asc' | 'desc';

export interface TicketFilters {
  status: Status[];
  waitingOn: WaitingOn[];
  requestType: RequestType[];
  severity: Severity[];
  tier: Tier[];
  channel: Channel[];
  priority: Priority[];
  assigneeId: string | null;
  customerId: string | null;
  /** Survey ratings (the supervisor home's CSAT numbers), answered since `ratedSince`. */
  rating: number[];
  ratedSince: number | null;
}

export const EMPTY_FILTERS: TicketFilters = {
  status: [], waitingOn: [], requestType: [], severity: [], tier: [], channel: [], priority: [], assigneeId: null, customerId: null,
  rating: [], ratedSince: null,
};

export interface TicketListState {
  view: TicketView;
  filters: TicketFilters;
  /** What is typed in the search box. */
  queryText: string;
  /** The query sent (queryText after the debounce). */
  query: string;
  sort: SortKey;
  direction: Direction;

  /** Order of search results (when there is a query). */
  searchOrder: SearchOrder;

  /** How many tickets match (null until the first page of the current question arrives). */
  total: number | null;
  /** `total` is a lower bound: more than LIST_COUNT_BOUND match. */
  totalCapped: boolean;
  /** The rows loaded so far, in order. */
  rows: TicketListRow[];
  /** The host's clock when the first page was read, and the local clock then: the SLA countdowns run from it. */
  hostNow: number;
  loadedAt: number;
  /** Business calendars of the SLA policies (countdowns are in business time). */
  calendars: BusinessCalendar[];
  /** Where the next page starts; null when every row is loaded. */
  nextCursor: string | null;
  error: ErrorInfo | null;
  generation: number;
  /** Keyboard / click selection; -1 for none. */
  selectedIndex: number;
  assignees: UserSummary[];
  /** The filter panel is open (collapsed by default: the rows get the room). */
  filtersOpen: boolean;
  /** Tickets checked for a bulk action (by id; kept across pages and reloads), and the last one clicked (shift-click range). */
  checked: ReadonlySet<string>;
  anchorIndex: number | null;
  bulkRunning: boolean;
  /** What the last bulk action did, for its summary; null when dismissed. */
  bulkResult: (BulkResult & { action: BulkAction['kind'] }) | null;
  bulkError: ErrorInfo | null;
  /** The columns shown, in order, with their widths (the user's choice, else the default). */
  columns: ListColumnPref[];
  savedViews: SavedView[];
  /** The saved view whose question is on screen (until the question changes). */
  activeViewId: string | null;
  /** The user's views, columns and the SLA calendars have been read. */
  settingsLoaded: boolean;

  setQueryText: (text: string) => void;
  /** Searches what is typed now (Enter), without waiting for the pause. */
  searchNow: () => void;
  setSearchOrder: (order: SearchOrder) => void;
  setView: (view: TicketView) => void;
  /** Back to a built-in view (from a saved view too, even the same view name). */
  restartView: (view: TicketView) => void;
  setFilter: <K extends keyof TicketFilters>(key: K, value: TicketFilters[K]) => void;
  clearFilters: () => void;
  /** Removes the survey-rating filter (and its date). */
  clearRating: () => void;
  setSort: (sort: SortKey) => void;
  setDirection: (direction: Direction) => void;
  /** Asks for the next page when rows near `last` (an index) are not loaded yet. */
  ensureRange: (first: number, last: number) => void;
  /** Re-reads the cached pages (e.g. when coming back to the list) without clearing the rows. */
  revalidate: () => void;
  /** Drops the cache and starts again from the first page. */
  reload: () => void;
  select: (index: number) => void;
  moveSelection: (delta: number) => void;
  rowAt: (index: number) => TicketListRow | undefined;
  loadAssignees: () => Promise<void>;
  /** Back to defaults (another user signed in). */
  reset: () => void;

  toggleFilters: () => void;
  /** Checks or unchecks a row; with `range`, every row from the last clicked one to this one takes its new state. */
  toggleChecked: (index: number, range: boolean) => void;
  /** Checks every loaded row, or none. */
  checkAll: (on: boolean) => void;
  runBulk: (action: BulkAction) => Promise<void>;
  dismissBulk: () => void;
  /** The user's saved views and columns, and the SLA calendars (once per sign-in). */
  loadSettings: () => Promise<void>;
  setColumns: (columns: ListColumnPref[]) => void;
  /** Saves the question on screen under `name`; resolves to the error, or null. */
  saveView: (name: string) => Promise<ErrorInfo | null>;
  applyView: (view: SavedView) => void;
  /** Shows the tickets of a question asked elsewhere (a number on the supervisor's home). */
  applyQuestion: (question: SavedQuestion) => void;
  pinView: (viewId: string, pinned: boolean) => Promise<void>;
  deleteView: (viewId: string) => Promise<void>;
}

export type BulkAction = MethodInput<'tickets.bulk'>['action'];

type ListInput = MethodInput<'tickets.list'>;

/** The `tickets.list` input for one page of the current question (`cursor` absent for the first page). */
export function listInput(
  s: Pick<TicketListState, 'view' | 'filters' | 'query' | 'sort' | 'direction' | 'searchOrder'>, cursor: string | null, limit = PAGE_SIZE,
): ListInput {
  const f = s.filters;
  const input: ListInput = {
    query: s.query,
    view: s.view,
    status: f.status,
    waitingOn: f.waitingOn,
    requestType: f.requestType,
    severity: f.severity,
    tier: f.tier,
    channel: f.channel,
    priority: f.priority,
    rating: f.rating,
    sort: s.sort,
    direction: s.direction,
    searchOrder: s.searchOrder,
    limit,
  };
  if (cursor) input.cursor = cursor;
  if (f.assigneeId) input.assigneeId = f.assigneeId;
  if (f.customerId) input.customerId = f.customerId;
  if (f.rating.length > 0 && f.ratedSince !== null) input.ratedSince = f.ratedSince;
  return input;
}

/** Whether the rows in view reach close enough to the end of the loaded rows to ask for more. */
export function needsNextPage(loaded: number, last: number, nextCursor: string | null): boolean {
  return nextCursor !== null && last >= loaded - PREFETCH_ROWS;
}

export function activeFilterCount(f: TicketFilters): number {
  return (
    f.status.length + f.waitingOn.length + f.requestType.length + f.severity.length + f.tier.length +
    f.channel.length + f.priority.length + (f.assigneeId ? 1 : 0) + (f.customerId ? 1 : 0) + (f.rating.length > 0 ? 1 : 0)
  );
}

/** The page request in flight for the current generation (outside React state: no re-render needed). */
let inFlight: string | null = null;
let debounce: ReturnType<typeof setTimeout> | undefined;

/** The list opens on the agent's open work: Mis tickets and Sin asignar, not closed (issue 14). */
export const DEFAULT_VIEW: TicketView = 'work';

const initialQuestion = {
  view: DEFAULT_VIEW,
  filters: EMPTY_FILTERS,
  queryText: '',
  query: '',
  sort: 'updatedAt' as SortKey,
  direction: 'desc' as Direction,
  searchOrder: 'relevance' as SearchOrder,
};
const noRows = { total: null, totalCapped: false, rows: [] as TicketListRow[], nextCursor: null };
const initialSettings = {
  filtersOpen: false, checked: new Set<string>() as ReadonlySet<string>, anchorIndex: null, bulkRunning: false, bulkResult: null, bulkError: null,
  columns: DEFAULT_COLUMNS, savedViews: [] as SavedView[], activeViewId: null, settingsLoaded: false, calendars: [] as BusinessCalendar[],
  hostNow: 0, loadedAt: 0,
};
/** The columns are saved this long after the last change (a drag of a column edge is many changes). */
const SAVE_COLUMNS_MS = 600;
let saveColumns: ReturnType<typeof setTimeout> | undefined;

/** The question of a saved view as the store holds it. */
function fromSaved(q: SavedQuestion): Pick<TicketListState, 'view' | 'filters' | 'query' | 'queryText' | 'sort' | 'direction' | 'searchOrder'> {
  return {
    view: q.view, query: q.query, queryText: q.query, sort: q.sort, direction: q.direction, searchOrder: q.searchOrder,
    filters: {
      status: q.status, waitingOn: q.waitingOn, requestType: q.requestType, severity: q.severity, tier: q.tier, channel: q.channel,
      priority: q.priority, assigneeId: q.assigneeId ?? null, customerId: q.customerId ?? null,
      rating: q.rating, ratedSince: q.ratedSince ?? null,
    },
  };
}

export const useTicketList = create<TicketListState>((set, get) => {
  /** Fetches a page (`cursor` null: the first, replacing the rows) for the current generation. */
  const fetchPage = async (cursor: string | null, generation: number, limit = PAGE_SIZE) => {
    inFlight = cursor ?? '';
    try {
      const page: TicketPage = await call('tickets.list', listInput(get(), cursor, limit));
      if (get().generation !== generation) return;
      set((s) => ({
        ...(cursor ? {} : { hostNow: page.now, loadedAt: Date.now() }),
        rows: cursor ? [...s.rows, ...page.rows] : page.rows,
        nextCursor: page.nextCursor,
        ...(page.total !== null ? { total: page.total, totalCapped: page.totalCapped } : {}),
        error: null,
      }));
    } catch (e) {
      if (get().generation !== generation) return;
      const info = toErrorInfo(e);
      handleSessionLoss(info);
      set((s) => ({ error: info, total: s.total ?? 0 }));
    } finally {
      if (get().generation === generation) inFlight = null;
    }
  };

  /** Starts a new question: the rows are emptied and the first page requested. */
  const restart = (patch: Partial<TicketListState>) => {
    clearTimeout(debounce);
    const generation = get().generation + 1;
    set({ activeViewId: null, anchorIndex: null, ...patch, ...noRows, generation, error: null, selectedIndex: -1 });
    void fetchPage(null, generation);
  };

  return {
    ...initialQuestion,
    ...noRows,
    ...initialSettings,
    error: null,
    generation: 0,
    selectedIndex: -1,
    assignees: [],

    setQueryText: (text) => {
      set({ queryText: text });
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        if (get().queryText.trim() !== get().query) restart({ query: get().queryText.trim() });
      }, SEARCH_DEBOUNCE_MS);
    },
    searchNow: () => {
      clearTimeout(debounce);
      if (get().queryText.trim() !== get().query) restart({ query: get().queryText.trim() });
    },
    setSearchOrder: (searchOrder) => restart({ searchOrder }),
    setView: (view) => {
      if (view !== get().view) restart({ view });
    },
    restartView: (view) => restart({ view }),
    setFilter: (key, value) => restart({ filters: { ...get().filters, [key]: value } }),
    clearFilters: () => restart({ filters: EMPTY_FILTERS }),
    clearRating: () => restart({ filters: { ...get().filters, rating: [], ratedSince: null } }),
    setSort: (sort) => restart({ sort }),
    setDirection: (direction) => restart({ direction }),

    ensureRange: (_first, last) => {
      const { rows, nextCursor, generation, total } = get();
      if (total === null || inFlight !== null) return;
      if (needsNextPage(rows.length, last, nextCursor)) void fetchPage(nextCursor, generation);
    },
    revalidate: () => {
      const { rows, total } = get();
      if (total === null || rows.length === 0) {
        restart({ selectedIndex: get().selectedIndex, activeViewId: get().activeViewId });
        return;
      }
      // The rows loaded so far, read again in one request (at most the contract's 500).
      const generation = get().generation + 1;
      set({ generation });
      void fetchPage(null, generation, Math.min(500, Math.max(PAGE_SIZE, rows.length)));
    },
    reload: () => restart({}),

    select: (index) => set({ selectedIndex: index }),
    moveSelection: (delta) => {
      const { rows, selectedIndex } = get();
      if (rows.length === 0) return;
      const next = selectedIndex < 0 ? (delta > 0 ? 0 : rows.length - 1) : selectedIndex + delta;
      set({ selectedIndex: Math.max(0, Math.min(rows.length - 1, next)) });
    },
    rowAt: (index) => get().rows[index],

    loadAssignees: async () => {
      try {
        const users = await call('users.directory', {});
        set({ assignees: users.filter((u) => u.active).sort((a, b) => a.fullName.localeCompare(b.fullName)) });
      } catch (e) {
        handleSessionLoss(toErrorInfo(e));
      }
    },

    reset: () => {
      clearTimeout(debounce);
      clearTimeout(saveColumns);
      inFlight = null;
      set((s) => ({ ...initialQuestion, ...noRows, ...initialSettings, error: null, generation: s.generation + 1, selectedIndex: -1, assignees: [] }));
    },

    toggleFilters: () => set((s) => ({ filtersOpen: !s.filtersOpen })),
    toggleChecked: (index, range) => {
      const { rows, checked, anchorIndex } = get();
      const row = rows[index];
      if (!row) return;
      const on = !checked.has(row.id);
      const next = new Set(checked);
      const [from, to] = range && anchorIndex !== null ? [Math.min(anchorIndex, index), Math.max(anchorIndex, index)] : [index, index];
      for (let i = from; i <= to; i++) {
        const id = rows[i]?.id;
        if (id) {
          if (on) next.add(id);
          else next.delete(id);
        }
      }
      set({ checked: next, anchorIndex: index });
    },
    checkAll: (on) => set((s) => ({ checked: on ? new Set(s.rows.map((r) => r.id)) : new Set<string>(), anchorIndex: null })),
    runBulk: async (action) => {
      const ticketIds = [...get().checked];
      if (ticketIds.length === 0 || get().bulkRunning) return;
      set({ bulkRunning: true, bulkError: null, bulkResult: null });
      try {
        const result = await call('tickets.bulk', { ticketIds, action });
        // The ones that went through leave the selection; the refused stay checked, to retry or look at.
        set({ bulkRunning: false, bulkResult: { ...result, action: action.kind }, checked: new Set(result.failed.map((f) => f.ticketId)) });
      } catch (e) {
        const info = toErrorInfo(e);
        handleSessionLoss(info);
        set({ bulkRunning: false, bulkError: info });
      }
      get().revalidate();
    },
    dismissBulk: () => set({ bulkResult: null, bulkError: null }),

    loadSettings: async () => {
      if (get().settingsLoaded) return;
      const generation = get().generation;
      try {
        const [prefs, views, config] = await Promise.all([call('listPrefs.get', {}), call('listViews.list', {}), call('sla.config', {})]);
        if (get().generation < generation) return;
        set({ columns: prefs.columns ?? DEFAULT_COLUMNS, savedViews: views, calendars: config.calendars, settingsLoaded: true });
      } catch (e) {
        handleSessionLoss(toErrorInfo(e));
      }
    },
    setColumns: (columns) => {
      set({ columns });
      clearTimeout(saveColumns);
      saveColumns = setTimeout(() => {
        void call('listPrefs.save', { columns }).catch((e: unknown) => handleSessionLoss(toErrorInfo(e)));
      }, SAVE_COLUMNS_MS);
    },
    saveView: async (name) => {
      const s = get();
      const { cursor: _c, limit: _l, ...question } = listInput(s, null);
      try {
        const view = await call('listViews.save', { name, pinned: true, question });
        set((st) => ({ savedViews: [...st.savedViews, view], activeViewId: view.id }));
        return null;
      } catch (e) {
        const info = toErrorInfo(e);
        handleSessionLoss(info);
        return info;
      }
    },
    applyView: (view) => restart({ ...fromSaved(view.question), activeViewId: view.id }),
    applyQuestion: (question) => restart({ ...fromSaved(question), activeViewId: null }),
    pinView: async (viewId, pinned) => {
      try {
        const view = await call('listViews.pin', { viewId, pinned });
        set((st) => ({ savedViews: st.savedViews.map((v) => (v.id === viewId ? view : v)) }));
      } catch (e) {
        handleSessionLoss(toErrorInfo(e));
      }
    },
    deleteView: async (viewId) => {
      try {
        await call('listViews.delete', { viewId });
        set((st) => ({ savedViews: st.savedViews.filter((v) => v.id !== viewId), activeViewId: st.activeViewId === viewId ? null : st.activeViewId }));
      } catch (e) {
        handleSessionLoss(toErrorInfo(e));
      }
    },
  };
});

// Another user's filters and rows must not show after a sign-out / sign-in.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useTicketList.getState().reset();
});
