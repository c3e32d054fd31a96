/** A one-shot message carried across a navigation (e.g. "Se creó el ticket MTY-…"). */
import { create } from 'zustand';

export interface FlashMessage {
  key: string;
  params?: Record<string, string | number>;
  /** The ticket screen that shows it; other screens ignore it. */
  ticketId: string;
  /** Set by `show`; stale messages are not shown when the agent comes back later. */
  shownAt?: number;
}

interface FlashState {
  message: FlashMessage | null;
  show: (message: FlashMessage) => void;
  clear: () => void;
}

export const useFlash = create<FlashState>((set) => ({
  message: null,
  show: (message) => set({ message: { ...message, shownAt: Date.now() } }),
  clear: () => set({ message: null }),
}));
