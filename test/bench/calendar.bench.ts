import {
  DEFAULT_CALENDARS,
  type BusinessCalendar,
  businessMinutesBetween,
  compileCalendar,
  dueAt,
  elapsedWithPauses,
  isBusinessTime,
} from '../../electron/shared/calendar';
import { rng } from '../../electron/cli/demo-data'; // deterministic PRNG, so runs are comparable

export interface BenchResult {
  name: string;
  /** Number of timed samples (one operation each, or one batch for "batch" cases). */
  n: number;
  p50ms: number;
  p95ms: number;
  /** Wall time of all samples, timer overhead included. */
  totalMs: number;
}

const TICKETS = 100_000;
const FROM = Date.UTC(2024, 0, 1);
const SPAN = Date.UTC(2032, 0, 1) - FROM;


function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Times `op(i)` for i in [0, n) individually. */
function measure(name: string, n: number, op: (i: number) => void): BenchResult {
  const samples = new Array<number>(n);
  const begin = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    op(i);
    samples[i] = performance.now() - t0;
  }
  const totalMs = performance.now() - begin;
  samples.sort((a, b) => a - b);
  return { name, n, p50ms: percentile(samples, 0.5), p95ms: percentile(samples, 0.95), totalMs };
}

/**
 * Business-calendar benchmarks: cold compilation, and per-operation latency
 * over 100,000 synthetic tickets (random starts 2024–2031, 0–20,000 minute
 * SLAs, all three default calendars), plus full 100k recomputation batches.
 */
export async function benchCalendar(): Promise<BenchResult[]> {
  const random = rng(74);
  const calendars = DEFAULT_CALENDARS.map(compileCalendar);
  const tickets = Array.from({ length: TICKETS }, (_, i) => {
    const start = FROM + Math.floor(random() * SPAN);
    const minutes = Math.floor(random() * 20_001);
    const now = start + Math.floor(random() * 30 * 86_400_000);
    const pauseFrom = start + Math.floor(random() * (now - start));
    return {
      cal: calendars[i % calendars.length]!,
      start,
      minutes,
      now,
      pauses: [
        { from: pauseFrom, to: pauseFrom + 3_600_000 },
        { from: pauseFrom + 1_800_000, to: random() < 0.5 ? null : pauseFrom + 7_200_000 },
      ],
    };
  });
  // Warm up: load every year the tickets touch, so the per-op numbers are steady state.
  for (const t of tickets) dueAt(t.cal, t.now, t.minutes);

  const results: BenchResult[] = [];
  let fresh = 0;
  results.push(
    measure('compileCalendar + load 3 years (cold)', 50, () => {
      // A new object each time defeats the per-object cache; only the zone offset memo stays warm.
      const cal: BusinessCalendar = { ...DEFAULT_CALENDARS[fresh++ % 3]!, id: `bench-${fresh}` };
      isBusinessTime(compileCalendar(cal), FROM + Math.floor(random() * SPAN));
    }),
  );
  results.push(measure('dueAt', TICKETS, (i) => void dueAt(tickets[i]!.cal, tickets[i]!.start, tickets[i]!.minutes)));
  results.push(
    measure('businessMinutesBetween', TICKETS, (i) => void businessMinutesBetween(tickets[i]!.cal, tickets[i]!.start, tickets[i]!.now)),
  );
  results.push(
    measure('elapsedWithPauses (2 overlapping pauses)', TICKETS, (i) => {
      const t = tickets[i]!;
      elapsedWithPauses(t.cal, t.start, t.now, t.pauses);
    }),
  );
  results.push(measure('isBusinessTime', TICKETS, (i) => void isBusinessTime(tickets[i]!.cal, tickets[i]!.now)));
  results.push(
    measure('dueAt batch: recompute 100k tickets', 10, () => {
      for (const t of tickets) dueAt(t.cal, t.start, t.minutes);
    }),
  );
  return results;
}
