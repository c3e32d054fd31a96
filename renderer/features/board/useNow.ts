/** The host's clock as seen by the board: board.now plus the time elapsed locally since it was read. */
import { useEffect, useState } from 'react';
import { useBoard } from './store';

const TICK_MS = 15_000;

export function useBoardNow(): number {
  const base = useBoard((s) => s.board?.now ?? 0);
  const loadedAt = useBoard((s) => s.loadedAt);
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setLocal(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return base + Math.max(0, local - loadedAt);
}
