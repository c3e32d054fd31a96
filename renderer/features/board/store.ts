/**
 * The escalation board: filters, the columns read from `board.load`, live updates (polls
 * `board.version` and reloads when it changes) and the move of a card to an adjacent tier with
 * its reason dialog. Components only render what this store holds.
 */
import { create } from 'zustand';
import type { BusinessCalendar } from '../../../electron/shared/calendar';
import { TIERS, tierIndex, type Category, type Severity, type Tier } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { FALLBACK_POLICY } from '../../../electron/shared/sla';
import type { Board, BoardCard, UserSummary } from '../../../electron/shared/types';
import { ApiError, call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

export const POLL_MS = 3000;
/** How often the board is re-read even without changes, so the urgency order follows the passing deadlines. */
const REORDER_MS = 60_000;
export const CARDS_PER_COLUMN = 200;

export interface BoardFilters {
  severity: Severity[];
  category: Category[];
  assigneeId: string | null;
}

export const EMPTY_BOARD_FILTERS: BoardFilters = { severity: [], category: [], assigneeId: null };

/** A move waiting for its reason: the card and, when known (drop, arrow key), the target tier. */
export interface PendingMove {
  card: BoardCard;
  toTier: Tier | null;
}

export interface MoveInput {
  toTier: Tier;
  reason: string;
  severity?: Severity;
}

interface BoardState {
  filters: BoardFilters;
  board: Board | null;
  /** Local Date.now() when `board` arrived: countdowns run from board.now + (Date.now() − loadedAt). */
  loadedAt: number;
  version: string | null;
  loading: boolean;
  error: ErrorInfo | null;
  directory: UserSummary[];
  calendars: BusinessCalendar[];
  generation: number;
  /** The card being dragged (HTML5 drag and drop). */
  draggingId: string | null;
  pendingMove: PendingMove | null;
  moving: boolean;
  moveError: ErrorInfo | null;
  /** A polite announcement after a move ("MTY-000001 pasó a Operación"). */
  announcement: { trackingNumber: string; tier: Tier } | null;
  /**
   * The card to focus once it shows in `tier` (after a keyboard move: keyboard users keep their place). Kept until
   * the card is there: a reload that answers late or is superseded by the poll's must not focus the old element.
   */
  focusTarget: { cardId: string; tier: Tier } | null;

  setFilter: <K extends keyof BoardFilters>(key: K, value: BoardFilters[K]) => void;
  clearFilters: () => void;
  /** Reads the board for the current filters (and the directory and calendars the first time). */
  load: () => Promise<void>;
  /** Starts polling `board.version`; returns the function that stops it. */
  startLive: () => () => void;
  setDragging: (cardId: string | null) => void;
  /** Opens the reason dialog for a card; `toTier` must be adjacent when given. */
  beginMove: (cardId: string, toTier: Tier | null) => void;
  cancelMove: () => void;
  /** Calls tickets.moveTier; resolves to core's field errors, or null on success (or a non-field error, see moveError). */
  confirmMove: (input: MoveInput) => Promise<Record<string, string> | null>;
  findCard: (cardId: string) => BoardCard | undefined;
  focused: () => void;
  reset: () => void;
}

/** The tiers one step away from `tier` (a ticket moves one tier at a time). */
export function adjacentTiers(tier: Tier): Tier[] {
  const i = tierIndex(tier);
  return TIERS.filter((_, j) => Math.abs(j - i) === 1);
}

export function isAdjacent(from: Tier, to: Tier): boolean {
  return Math.abs(tierIndex(to) - tierIndex(from)) === 1;
}

/** 'up' escalates (Turnar), 'down' de-escalates (Regresar). */
export function moveDirection(from: Tier, to: Tier): 'up' | 'down' {
  return tierIndex(to) > tierIndex(from) ? 'up' : 'down';
}

/** The tier one step left (−1) or right (+1) of `tier`, if any. */
export function neighbourTier(tier: Tier, delta: -1 | 1): Tier | null {
  return TIERS[tierIndex(tier) + delta] ?? null;
}

/** The calendar a card's countdown is measured on: its policy's, else the fallback policy's. */
export function calendarFor(card: Pick<BoardCard, 'calendarId'>, calendars: readonly BusinessCalendar[]): BusinessCalendar | null {
  return calendars.find((c) => c.id === card.calendarId) ?? calendars.find((c) => c.id === FALLBACK_POLICY.calendarId) ?? calendars[0] ?? null;
}

const initial = {
  filters: EMPTY_BOARD_FILTERS,
  board: null,
  loadedAt: 0,
  version: null,
  loading: false,
  error: null,
  directory: [],
  calendars: [],
  generation: 0,
  draggingId: null,
  pendingMove: null,
  moving: false,
  moveError: null,
  announcement: null,
  focusTarget: null,
};

export const useBoard = create<BoardState>((set, get) => {
  function fail(error: unknown): ErrorInfo {
    const info = toErrorInfo(error);
    handleSessionLoss(info);
    return info;
  }

  return {
    ...initial,

    setFilter: (key, value) => {
      set((s) => ({ filters: { ...s.filters, [key]: value } }));
      void get().load();
    },

    clearFilters: () => {
      set({ filters: EMPTY_BOARD_FILTERS });
      void get().load();
    },

    load: async () => {
      const generation = get().generation + 1;
      const { filters } = get();
      set({ generation, loading: true, error: null });
      try {
        const needsExtras = get().directory.length === 0 || get().calendars.length === 0;
        const [board, version, extras] = await Promise.all([
          call('board.load', {
            severity: filters.severity,
            category: filters.category,
            assigneeId: filters.assigneeId ?? undefined,
            perColumn: CARDS_PER_COLUMN,
          }),
          call('board.version', {}),
          needsExtras
            ? Promise.all([
                call('users.directory', {}).catch(() => [] as UserSummary[]),
                call('sla.config', {}).then((c) => c.calendars).catch(() => [] as BusinessCalendar[]),
              ])
            : Promise.resolve(null),
        ]);
        if (get().generation !== generation) return;
        set({
          board,
          version,
          loadedAt: Date.now(),
          loading: false,
          ...(extras ? { directory: extras[0], calendars: extras[1] } : {}),
        });
      } catch (error) {
        const info = fail(error);
        if (get().generation === generation) set({ loading: false, error: info });
      }
    },

    startLive: () => {
      let stopped = false;
      let inFlight = false;
      const timer = setInterval(() => {
        if (stopped || inFlight || get().loading) return;
        inFlight = true;
        call('board.version', {})
          .then((version) => {
            if (stopped || get().version === null) return;
            // Core orders the cards by urgency at the moment it reads them; as deadlines pass, re-read it.
            if (version !== get().version || Date.now() - get().loadedAt >= REORDER_MS) void get().load();
          })
          .catch((error: unknown) => fail(error))
          .finally(() => {
            inFlight = false;
          });
      }, POLL_MS);
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    },

    setDragging: (cardId) => set({ draggingId: cardId }),

    beginMove: (cardId, toTier) => {
      const card = get().findCard(cardId);
      if (!card) return;
      if (toTier !== null && !isAdjacent(card.tier, toTier)) {
        set({ moveError: { code: 'escalation.notAdjacent' }, pendingMove: null, draggingId: null });
        return;
      }
      set({ pendingMove: { card, toTier }, moveError: null, draggingId: null });
    },

    cancelMove: () => set({ pendingMove: null, moveError: null }),

    confirmMove: async ({ toTier, reason, severity }) => {
      const pending = get().pendingMove;
      if (!pending) return null;
      set({ moving: true, moveError: null });
      try {
        await call('tickets.moveTier', { ticketId: pending.card.id, toTier, reason, ...(severity ? { severity } : {}) });
        set({
          moving: false, pendingMove: null, announcement: { trackingNumber: pending.card.trackingNumber, tier: toTier },
          focusTarget: { cardId: pending.card.id, tier: toTier },
        });
        await get().load();
        return null;
      } catch (error) {
        const info = fail(error);
        set({ moving: false, moveError: info });
        return error instanceof ApiError && info.fields ? info.fields : null;
      }
    },

    findCard: (cardId) => get().board?.columns.flatMap((c) => c.cards).find((c) => c.id === cardId),

    focused: () => set({ focusTarget: null }),

    reset: () => set({ ...initial }),
  };
});
