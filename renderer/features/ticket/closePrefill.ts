import type { TimelineEvent } from '../../../electron/shared/types';

/** The close dialog's starting values: the cause and solution of the latest hand-back, or empty ones. */
export function closePrefill(timeline: readonly Pick<TimelineEvent, 'kind' | 'data'>[]): { cause: string; solution: string } {
  const last = timeline.filter((e) => e.kind === 'handed_back').at(-1);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { cause: text(last?.data.cause), solution: text(last?.data.solution) };
}
