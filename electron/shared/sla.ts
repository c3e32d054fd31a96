/**
 * SLA policies and the clock arithmetic over a ticket's timestamps (pure: no timers). A ticket's
 * SLA is always recomputed from what happened and when — creation, first response, customer
 * messages, waiting intervals, closing — so a laptop that slept through a weekend shows the
 * right state the moment it wakes.
 */
import { z } from 'zod';
import { str } from './text';
import { businessCalendarSchema, businessMinutesBetween, DEFAULT_CALENDARS, dueAt, type CalendarInput, type Pause } from './calendar';
import { CHANNELS, PLANS, PRIORITIES } from './domain';

const minutes = z.number().int('validation.invalid').min(1, 'sla.zeroTarget').max(525_600, 'validation.max');

export const slaPolicySchema = z.object({
  id: str().trim().min(1, 'validation.required').max(64),
  name: str().trim().min(1, 'validation.required').max(120, 'validation.tooLong'),
  /** Empty list = any value. */
  match: z.object({
    plans: z.array(z.enum(PLANS)).default([]),
    channels: z.array(z.enum(CHANNELS)).default([]),
    severities: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).default([]),
    priorities: z.array(z.enum(PRIORITIES)).default([]),
  }),
  /** null = attended at once (phone and chat: the agent is talking to the customer). */
  firstResponseMinutes: minutes.nullable(),
  nextResponseMinutes: minutes.nullable(),
  resolutionMinutes: minutes,
  calendarId: str().trim().min(1, 'validation.required'),
  warningPercent: z.number().int().min(1, 'validation.min').max(99, 'validation.max').default(75),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const autoCloseSchema = z.object({
  enabled: z.boolean().default(true),
  days: z.number().int().min(1, 'validation.min').max(60, 'validation.max').default(3),
  unit: z.enum(['natural', 'business']).default('natural'),
});
export type AutoClose = z.infer<typeof autoCloseSchema>;

const H = 60;
/** Used when no policy matches: the general 24 h / 48 h of seed 000, stated in the admin screen. */
export const FALLBACK_POLICY: SlaPolicy = {
  id: 'fallback', name: 'Predeterminada 24 h / 48 h', match: { plans: [], channels: [], severities: [], priorities: [] },
  firstResponseMinutes: 24 * H, nextResponseMinutes: 24 * H, resolutionMinutes: 48 * H, calendarId: 'support', warningPercent: 75,
};

/**
 * The seeds' policies (000, 002, 003), in match order (first match wins). Their names are what users
 * read: migration 008 renames the stored ones of older workspaces that still carry the old names.
 */
export const DEFAULT_POLICIES: SlaPolicy[] = [
  {
    id: 'complaints-2-8', name: 'Quejas: respuesta 2 h, resolución 8 h',
    match: { plans: [], channels: ['complaint'], severities: [], priorities: [] },
    firstResponseMinutes: 2 * H, nextResponseMinutes: 2 * H, resolutionMinutes: 8 * H, calendarId: 'support_9_19', warningPercent: 75,
  },
  {
    id: 'severity3-2-8', name: 'Falla del servicio (severidad 3): respuesta 2 h, resolución 8 h',
    match: { plans: [], channels: [], severities: [3], priorities: [] },
    firstResponseMinutes: 2 * H, nextResponseMinutes: 2 * H, resolutionMinutes: 8 * H, calendarId: 'support_9_19', warningPercent: 75,
  },
  {
    id: 'phone-chat', name: 'Teléfono y chat: atención inmediata, resolución 48 h',
    match: { plans: [], channels: ['phone', 'chat_support', 'chat_sales'], severities: [], priorities: [] },
    firstResponseMinutes: null, nextResponseMinutes: 24 * H, resolutionMinutes: 48 * H, calendarId: 'support', warningPercent: 75,
  },
  {
    id: 'ticket-email', name: 'Ticket web y correo: respuesta 24 h, resolución 48 h',
    match: { plans: [], channels: ['web_form', 'email'], severities: [], priorities: [] },
    firstResponseMinutes: 24 * H, nextResponseMinutes: 24 * H, resolutionMinutes: 48 * H, calendarId: 'support', warningPercent: 75,
  },
];

export interface SlaSubject {
  plan: string;
  channel: string;
  severity: number;
  priority: string;
}

/** First matching policy in order, or the stated fallback. */
export function matchPolicy(policies: readonly SlaPolicy[], t: SlaSubject): SlaPolicy {
  // A plain loop: no closures created per call (a recompute matches every open ticket).
  for (const p of policies) {
    if (hits(p.match.plans, t.plan) && hits(p.match.channels, t.channel) && hits(p.match.severities, t.severity) && hits(p.match.priorities, t.priority)) {
      return p;
    }
  }
  return FALLBACK_POLICY;
}

/** An empty list matches any value. */
function hits(list: readonly (string | number)[], value: string | number): boolean {
  return list.length === 0 || list.includes(value);
}

/** The timestamps the clocks are computed from (all epoch ms). */
export interface SlaClockInput {
  createdAt: number;
  firstResponseAt: number | null;
  /** A customer message not yet answered (after the first response); starts the next-response clock. */
  awaitingResponseSince: number | null;
  /** Intervals spent En espera (customer or authorization); `to` null while still waiting. */
  pauses: Pause[];
  closedAt: number | null;
}

export type SlaState = 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'none';
export type SlaMetric = 'first_response' | 'next_response' | 'resolution';

export interface MetricClock {
  metric: SlaMetric;
  startedAt: number;
  /** When the target is (or was) reached; null while paused (the due moment is unknown). */
  dueAt: number | null;
  warnAt: number | null;
  /** When the clock stopped (response given, ticket closed); null while running. */
  stoppedAt: number | null;
  targetMinutes: number;
  elapsedMinutes: number;
}

export interface SlaComputation {
  metrics: MetricClock[];
  paused: boolean;
  /** Earliest due moment among running clocks (the next breach), if any. */
  nextBreachAt: number | null;
  nextWarnAt: number | null;
  /** Breaches already certain: clocks that stopped late or are past due. */
  breaches: Array<{ metric: SlaMetric; dueAt: number }>;
  state: SlaState;
}

/**
 * The instant at which `target` business minutes have elapsed since `start`, not counting the
 * pauses; null when the clock is paused before reaching it.
 */
export function dueWithPauses(cal: CalendarInput, start: number, target: number, pauses: readonly Pause[]): number | null {
  // Most tickets never waited: skip the copy and sort (recompute runs this for every open ticket).
  if (pauses.length === 0) return dueAt(cal, start, target);
  let remaining = target;
  let from = start;
  const sorted = pauses.filter((p) => p.to === null || p.to > start).sort((a, b) => a.from - b.from);
  for (const p of sorted) {
    const pauseFrom = Math.max(p.from, start);
    if (pauseFrom > from) {
      const available = businessMinutesBetween(cal, from, pauseFrom);
      if (remaining <= available) return dueAt(cal, from, remaining);
      remaining -= available;
    }
    if (p.to === null) return null;
    from = Math.max(from, p.to);
  }
  return dueAt(cal, from, remaining);
}

function elapsed(cal: CalendarInput, start: number, end: number, pauses: readonly Pause[]): number {
  let total = businessMinutesBetween(cal, start, end);
  // Subtract paused business time within [start, end); pauses never overlap (one status at a time).
  for (const p of pauses) {
    const a = Math.max(p.from, start);
    const b = Math.min(p.to ?? end, end);
    if (b > a) total -= businessMinutesBetween(cal, a, b);
  }
  return Math.max(0, total);
}

function metricClock(metric: SlaMetric, start: number, target: number, stoppedAt: number | null, input: SlaClockInput,
  policy: SlaPolicy, cal: CalendarInput, now: number): MetricClock {
  return {
    metric,
    startedAt: start,
    dueAt: dueWithPauses(cal, start, target, input.pauses),
    warnAt: dueWithPauses(cal, start, Math.max(1, Math.floor((target * policy.warningPercent) / 100)), input.pauses),
    stoppedAt,
    targetMinutes: target,
    elapsedMinutes: elapsed(cal, start, stoppedAt ?? now, input.pauses),
  };
}

/** Computes every clock of a ticket at `now` under `policy` and its calendar. */
export function computeSla(input: SlaClockInput, policy: SlaPolicy, cal: CalendarInput, now: number): SlaComputation {
  const metrics: MetricClock[] = [];
  if (policy.firstResponseMinutes !== null) {
    metrics.push(metricClock('first_response', input.createdAt, policy.firstResponseMinutes, input.firstResponseAt ?? input.closedAt, input, policy, cal, now));
  }
  if (policy.nextResponseMinutes !== null && input.awaitingResponseSince !== null && input.closedAt === null) {
    metrics.push(metricClock('next_response', input.awaitingResponseSince, policy.nextResponseMinutes, null, input, policy, cal, now));
  }
  metrics.push(metricClock('resolution', input.createdAt, policy.resolutionMinutes, input.closedAt, input, policy, cal, now));

  let paused = false;
  if (input.closedAt === null) for (const p of input.pauses) if (p.to === null) paused = true;
  const breaches: SlaComputation['breaches'] = [];
  let nextBreachAt: number | null = null;
  let nextWarnAt: number | null = null;
  let warning = false;
  // One pass instead of filter/map chains: this runs for every open ticket on a recompute.
  for (const m of metrics) {
    if (m.dueAt !== null && (m.stoppedAt ?? now) > m.dueAt) breaches.push({ metric: m.metric, dueAt: m.dueAt });
    if (m.stoppedAt !== null) continue;
    // A clock is breached once past its due moment, not at it: a due moment equal to now is still ahead.
    if (m.dueAt !== null && m.dueAt >= now && (nextBreachAt === null || m.dueAt < nextBreachAt)) nextBreachAt = m.dueAt;
    if (m.warnAt !== null && m.warnAt > now && (nextWarnAt === null || m.warnAt < nextWarnAt)) nextWarnAt = m.warnAt;
    if (m.warnAt !== null && m.warnAt <= now) warning = true;
  }
  let state: SlaState;
  if (breaches.length > 0) state = 'breached';
  else if (input.closedAt !== null) state = 'met';
  else if (paused) state = 'paused';
  else if (warning) state = 'warning';
  else state = 'ok';
  return { metrics, paused, nextBreachAt, nextWarnAt, breaches, state };
}

export const slaConfigSchema = z
  .object({
    calendars: z.array(businessCalendarSchema).min(1, 'sla.noCalendar').max(20, 'validation.tooMany'),
    policies: z.array(slaPolicySchema).max(50, 'validation.tooMany'),
    autoClose: autoCloseSchema,
    /** Told to the customer when a ticket goes up a tier; {{trackingNumber}}, {{tier}}, {{hours}}. */
    escalationTemplate: str().trim().min(1, 'validation.required').max(2000, 'validation.tooLong'),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set(cfg.calendars.map((c) => c.id));
    cfg.policies.forEach((p, i) => {
      if (!ids.has(p.calendarId)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'calendarId'], message: 'sla.unknownCalendar' });
    });
    if (!ids.has(FALLBACK_POLICY.calendarId)) ctx.addIssue({ code: 'custom', path: ['calendars'], message: 'sla.fallbackCalendarMissing' });
  });
export type SlaConfig = z.infer<typeof slaConfigSchema>;

/** What a new branch starts with: the seeds' calendars and policies. */
export const DEFAULT_SLA_CONFIG: SlaConfig = {
  calendars: [...DEFAULT_CALENDARS],
  policies: DEFAULT_POLICIES,
  autoClose: { enabled: true, days: 3, unit: 'natural' },
  escalationTemplate:
    'Su ticket {{trackingNumber}} fue turnado al área de {{tier}}. El tiempo de respuesta esperado es de {{hours}} horas hábiles.',
};

