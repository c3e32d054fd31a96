/** The host's clock as seen by a screen: the host's `now` when data was read plus the time elapsed locally since. */
import { useEffect, useState } from 'react';
import { useBoard } from './store';

const TICK_MS = 15_000;

/** `base`: the host's clock in the answer; `loadedAt`: the local clock when it arrived. Re-renders every `tickMs`. */
export function useHostNow(base: number, loadedAt: number, tickMs = TICK_MS): number {
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setLocal(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return base + Math.max(0, local - loadedAt);
}

export function useBoardNow(): number {
  const base = useBoard((s) => s.board?.now ?? 0);
  const loadedAt = useBoard((s) => s.loadedAt);
  return useHostNow(base, loadedAt);
}
