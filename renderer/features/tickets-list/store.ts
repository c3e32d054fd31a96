/**
 * The ticket list: view, filters, search and sort, plus the rows loaded so far from `tickets.list`.
 * Pages come by cursor (keyset): the screen asks for the rows in view (`ensureRange`) and the
 * store fetches the next page when the view nears the end of what is loaded. Any change to what
 * is asked starts again from the first page; a generation number drops answers to an older question.
 */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import {
  TICKET_SORTS, TICKET_VIEWS, type Channel, type Priority, type RequestType, type SearchOrder, type Severity, type Status, type Tier,
  type TicketSort, type TicketView, type WaitingOn,
} from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { TicketPage, TicketSummary, UserSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

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
}

export const EMPTY_FILTERS: TicketFilters = {
  status: [], waitingOn: [], requestType: [], severity: [], tier: [], channel: [], priority: [], assigneeId: null, customerId: null,
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
  rows: TicketSummary[];
  /** Where the next page starts; null when every row is loaded. */
  nextCursor: string | null;
  error: ErrorInfo | null;
  generation: number;
  /** Keyboard / click selection; -1 for none. */
  selectedIndex: number;
  assignees: UserSummary[];

  setQueryText: (text: string) => void;
  /** Searches what is typed now (Enter), without waiting for the pause. */
  searchNow: () => void;
  setSearchOrder: (order: SearchOrder) => void;
  setView: (view: TicketView) => void;
  setFilter: <K extends keyof TicketFilters>(key: K, value: TicketFilters[K]) => void;
  clearFilters: () => void;
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
  rowAt: (index: number) => TicketSummary | undefined;
  loadAssignees: () => Promise<void>;
  /** Back to defaults (another user signed in). */
  reset: () => void;
}

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
    sort: s.sort,
    direction: s.direction,
    searchOrder: s.searchOrder,
    limit,
  };
  if (cursor) input.cursor = cursor;
  if (f.assigneeId) input.assigneeId = f.assigneeId;
  if (f.customerId) input.customerId = f.customerId;
  return input;
}

/** Whether the rows in view reach close enough to the end of the loaded rows to ask for more. */
export function needsNextPage(loaded: number, last: number, nextCursor: string | null): boolean {
  return nextCursor !== null && last >= loaded - PREFETCH_ROWS;
}

export function activeFilterCount(f: TicketFilters): number {
  return (
    f.status.length + f.waitingOn.length + f.requestType.length + f.severity.length + f.tier.length +
    f.channel.length + f.priority.length + (f.assigneeId ? 1 : 0) + (f.customerId ? 1 : 0)
  );
}

/** The page request in flight for the current generation (outside React state: no re-render needed). */
let inFlight: string | null = null;
let debounce: ReturnType<typeof setTimeout> | undefined;

const initialQuestion = {
  view: 'all' as TicketView,
  filters: EMPTY_FILTERS,
  queryText: '',
  query: '',
  sort: 'updatedAt' as SortKey,
  direction: 'desc' as Direction,
  searchOrder: 'relevance' as SearchOrder,
};
const noRows = { total: null, totalCapped: false, rows: [] as TicketSummary[], nextCursor: null };

export const useTicketList = create<TicketListState>((set, get) => {
  /** Fetches a page (`cursor` null: the first, replacing the rows) for the current generation. */
  const fetchPage = async (cursor: string | null, generation: number, limit = PAGE_SIZE) => {
    inFlight = cursor ?? '';
    try {
      const page: TicketPage = await call('tickets.list', listInput(get(), cursor, limit));
      if (get().generation !== generation) return;
      set((s) => ({
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
    set({ ...patch, ...noRows, generation, error: null, selectedIndex: -1 });
    void fetchPage(null, generation);
  };

  return {
    ...initialQuestion,
    ...noRows,
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
    setFilter: (key, value) => restart({ filters: { ...get().filters, [key]: value } }),
    clearFilters: () => restart({ filters: EMPTY_FILTERS }),
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
        restart({ selectedIndex: get().selectedIndex });
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
      inFlight = null;
      set((s) => ({ ...initialQuestion, ...noRows, error: null, generation: s.generation + 1, selectedIndex: -1, assignees: [] }));
    },
  };
});

// Another user's filters and rows must not show after a sign-out / sign-in.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useTicketList.getState().reset();
});
