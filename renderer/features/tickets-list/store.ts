/**
 * The ticket list: view, filters, search and sort, plus a page cache over `tickets.list`.
 * The list is virtual: the screen asks for the rows in view (`ensureRange`) and the store fetches
 * the missing pages of PAGE_SIZE. Any change to what is asked resets the cache; a generation
 * number drops answers that arrive for an older question.
 */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { Channel, Priority, RequestType, Severity, Status, Tier, WaitingOn } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { TicketSummary, UserSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

export const PAGE_SIZE = 100;
export const SEARCH_DEBOUNCE_MS = 200;

export const TICKET_VIEWS = ['all', 'mine', 'unassigned', 'waiting'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];
export const SORT_KEYS = ['updatedAt', 'createdAt', 'priority', 'severity', 'trackingNumber'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
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

  /** null until the first page of the current question arrives. */
  total: number | null;
  /** Cached rows by page offset (0, 100, 200, …). */
  pages: Record<number, TicketSummary[]>;
  error: ErrorInfo | null;
  generation: number;
  /** Keyboard / click selection; -1 for none. */
  selectedIndex: number;
  assignees: UserSummary[];

  setQueryText: (text: string) => void;
  setView: (view: TicketView) => void;
  setFilter: <K extends keyof TicketFilters>(key: K, value: TicketFilters[K]) => void;
  clearFilters: () => void;
  setSort: (sort: SortKey) => void;
  setDirection: (direction: Direction) => void;
  /** Makes sure rows first..last (indexes) are loaded or loading. */
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

/** The `tickets.list` input for one page of the current question. */
export function listInput(s: Pick<TicketListState, 'view' | 'filters' | 'query' | 'sort' | 'direction'>, offset: number): ListInput {
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
    offset,
    limit: PAGE_SIZE,
  };
  if (f.assigneeId) input.assigneeId = f.assigneeId;
  if (f.customerId) input.customerId = f.customerId;
  return input;
}

/** The row at `index` in a page cache, if loaded. */
export function rowFromPages(pages: Record<number, TicketSummary[]>, index: number): TicketSummary | undefined {
  return pages[Math.floor(index / PAGE_SIZE) * PAGE_SIZE]?.[index % PAGE_SIZE];
}

/** Page offsets covering rows first..last. */
export function pageOffsets(first: number, last: number): number[] {
  const out: number[] = [];
  const start = Math.floor(Math.max(0, first) / PAGE_SIZE) * PAGE_SIZE;
  for (let offset = start; offset <= Math.max(first, last); offset += PAGE_SIZE) out.push(offset);
  return out;
}

export function activeFilterCount(f: TicketFilters): number {
  return (
    f.status.length + f.waitingOn.length + f.requestType.length + f.severity.length + f.tier.length +
    f.channel.length + f.priority.length + (f.assigneeId ? 1 : 0) + (f.customerId ? 1 : 0)
  );
}

/** Pages in flight for the current generation (kept outside React state: no re-render needed). */
let inFlight = new Set<number>();
let debounce: ReturnType<typeof setTimeout> | undefined;

const initialQuestion = {
  view: 'all' as TicketView,
  filters: EMPTY_FILTERS,
  queryText: '',
  query: '',
  sort: 'updatedAt' as SortKey,
  direction: 'desc' as Direction,
};

export const useTicketList = create<TicketListState>((set, get) => {
  /** Fetches one page for the current generation and stores it if still current. */
  const fetchPage = async (offset: number, generation: number) => {
    inFlight.add(offset);
    try {
      const page = await call('tickets.list', listInput(get(), offset));
      if (get().generation !== generation) return;
      set((s) => ({ total: page.total, pages: { ...s.pages, [offset]: page.rows }, error: null }));
    } catch (e) {
      if (get().generation !== generation) return;
      const info = toErrorInfo(e);
      handleSessionLoss(info);
      set((s) => ({ error: info, total: s.total ?? 0 }));
    } finally {
      if (get().generation === generation) inFlight.delete(offset);
    }
  };

  /** Starts a new question: the cache is emptied and the first page requested. */
  const restart = (patch: Partial<TicketListState>) => {
    inFlight = new Set();
    const generation = get().generation + 1;
    set({ ...patch, generation, pages: {}, total: null, error: null, selectedIndex: -1 });
    void fetchPage(0, generation);
  };

  return {
    ...initialQuestion,
    total: null,
    pages: {},
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
    setView: (view) => {
      if (view !== get().view) restart({ view });
    },
    setFilter: (key, value) => restart({ filters: { ...get().filters, [key]: value } }),
    clearFilters: () => restart({ filters: EMPTY_FILTERS }),
    setSort: (sort) => restart({ sort }),
    setDirection: (direction) => restart({ direction }),

    ensureRange: (first, last) => {
      const { pages, generation, total } = get();
      if (total === null && !inFlight.has(0) && !pages[0]) {
        void fetchPage(0, generation);
        return;
      }
      const lastRow = total === null ? last : Math.min(last, total - 1);
      for (const offset of pageOffsets(first, lastRow)) {
        if (!pages[offset] && !inFlight.has(offset)) void fetchPage(offset, generation);
      }
    },
    revalidate: () => {
      const { pages, total } = get();
      const offsets = Object.keys(pages).map(Number);
      if (total === null || offsets.length === 0) {
        restart({ selectedIndex: get().selectedIndex });
        return;
      }
      inFlight = new Set();
      const generation = get().generation + 1;
      set({ generation });
      for (const offset of offsets) void fetchPage(offset, generation);
    },
    reload: () => restart({}),

    select: (index) => set({ selectedIndex: index }),
    moveSelection: (delta) => {
      const { total, selectedIndex } = get();
      if (!total) return;
      const next = selectedIndex < 0 ? (delta > 0 ? 0 : total - 1) : selectedIndex + delta;
      set({ selectedIndex: Math.max(0, Math.min(total - 1, next)) });
    },
    rowAt: (index) => rowFromPages(get().pages, index),

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
      inFlight = new Set();
      set((s) => ({ ...initialQuestion, total: null, pages: {}, error: null, generation: s.generation + 1, selectedIndex: -1, assignees: [] }));
    },
  };
});

// Another user's filters and rows must not show after a sign-out / sign-in.
useSession.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) useTicketList.getState().reset();
});
