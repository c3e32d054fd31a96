/**
 * Text on its way into the ticket's composer: the suggested articles panel and the article picker
 * ask for an insertion, and the composer (one hook call) appends it to what is being written.
 */
import { useEffect } from 'react';
import { create } from 'zustand';

interface InsertState {
  pending: { text: string; seq: number } | null;
  insert: (text: string) => void;
  take: () => string | null;
}

let seq = 0;

export const useComposerInsert = create<InsertState>((set, get) => ({
  pending: null,
  insert: (text) => set({ pending: { text, seq: ++seq } }),
  take: () => {
    const p = get().pending;
    if (p) set({ pending: null });
    return p?.text ?? null;
  },
}));

/** Adds `text` after what is already written, separated by a blank line. */
export function appendToMessage(current: string, text: string): string {
  const before = current.trimEnd();
  return before ? `${before}\n\n${text}` : text;
}

/** For the composer: calls `apply` with each text asked to be inserted. */
export function useArticleInsert(apply: (text: string) => void): void {
  const pending = useComposerInsert((s) => s.pending);
  useEffect(() => {
    if (!pending) return;
    const text = useComposerInsert.getState().take();
    if (text !== null) apply(text);
  }, [pending, apply]);
}
