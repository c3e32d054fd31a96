/** The security officer's queue of finished emergency sessions, and signing them off (seed 001 §04 e). */
import { create } from 'zustand';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { EmergencyReviewItem, OverdueEmergencyReview } from '../../../electron/shared/request-types';
import type { EmergencyReviewOutcome } from '../../../electron/shared/request-workflow';
import { call } from '../../app/api';
import { fail } from '../requests/requestsStore';

interface ReviewState {
  items: EmergencyReviewItem[];
  loading: boolean;
  error: ErrorInfo | null;
  /** The dialog open for one account. */
  reviewing: { accountId: string; username: string; outcome: EmergencyReviewOutcome } | null;
  pending: boolean;
  reviewError: ErrorInfo | null;
  done: { outcome: EmergencyReviewOutcome; username: string } | null;
  load: () => Promise<void>;
  open: (reviewing: ReviewState['reviewing']) => void;
  review: (comment: string) => Promise<boolean>;
}

export const useEmergencyReviews = create<ReviewState>((set, get) => ({
  items: [],
  loading: false,
  error: null,
  reviewing: null,
  pending: false,
  reviewError: null,
  done: null,
  load: async () => {
    set({ loading: true, error: null });
    try {
      set({ items: await call('emergency.reviewQueue', {}), loading: false });
    } catch (error) {
      set({ loading: false, error: fail(error) });
    }
  },
  open: (reviewing) => set({ reviewing, reviewError: null }),
  review: async (comment) => {
    const r = get().reviewing;
    if (!r) return false;
    set({ pending: true, reviewError: null, done: null });
    try {
      await call('emergency.review', { accountId: r.accountId, outcome: r.outcome, comment });
      set({ pending: false, reviewing: null, done: { outcome: r.outcome, username: r.username } });
      await get().load();
      return true;
    } catch (error) {
      set({ pending: false, reviewError: fail(error) });
      return false;
    }
  },
}));

/** Days after which an unreviewed session is overdue on the supervisor's home screen. */
export const OVERDUE_DAYS = 3;

interface OverdueState {
  rows: OverdueEmergencyReview[];
  load: () => Promise<void>;
}

export const useOverdueReviews = create<OverdueState>((set) => ({
  rows: [],
  load: async () => {
    try {
      set({ rows: await call('emergency.overdueReviews', { days: OVERDUE_DAYS }) });
    } catch {
      // A notice only: without an answer there is nothing to show.
      set({ rows: [] });
    }
  },
}));
