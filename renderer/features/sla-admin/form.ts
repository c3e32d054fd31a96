/**
 * The SLA administration form: how the organization's SlaConfig (calendars, policies, auto-close,
 * escalation template) is edited — targets as hours + minutes, "Atención inmediata" for a null
 * first response, organization holidays as one date per line — and the way back. Validation is
 * the contract's own `slaConfigSchema`, run on the converted config; its issue paths (the same
 * paths core answers with) are mapped back onto the form's fields.
 */
import type { FieldErrors, Resolver } from 'react-hook-form';
import type { BusinessCalendar } from '../../../electron/shared/calendar';
import { DEFAULT_TIME_ZONE, type Channel, type Plan, type Priority, type Severity } from '../../../electron/shared/domain';
import { slaConfigSchema, type AutoClose, type SlaConfig, type SlaPolicy } from '../../../electron/shared/sla';

export interface ShiftForm {
  day: number;
  start: string;
  end: string;
}

export interface CalendarForm {
  id: string;
  name: string;
  timeZone: string;
  week: ShiftForm[];
  lft: boolean;
  /** The organization's own holidays, one YYYY-MM-DD per line. */
  extra: string;
}

export interface DurationForm {
  hours: number;
  minutes: number;
}

export interface PolicyForm {
  id: string;
  name: string;
  plans: Plan[];
  channels: Channel[];
  severities: Array<'1' | '2' | '3'>;
  priorities: Priority[];
  /** "Atención inmediata": no first-response clock (firstResponseMinutes = null). */
  firstImmediate: boolean;
  first: DurationForm;
  /** No next-response clock (nextResponseMinutes = null). */
  nextNone: boolean;
  next: DurationForm;
  resolution: DurationForm;
  calendarId: string;
  warningPercent: number;
}

export interface SlaForm {
  calendars: CalendarForm[];
  policies: PolicyForm[];
  autoClose: AutoClose;
  escalationTemplate: string;
}

/** Monday first, as a Mexican week is read; values are the calendar's 0 = Sunday … 6 = Saturday. */
export const WEEK_DAYS = [1, 2, 3, 4, 5, 6, 0] as const;

function duration(minutes: number | null): DurationForm {
  const m = minutes ?? 0;
  return { hours: Math.floor(m / 60), minutes: m % 60 };
}

/** Whole minutes of an hours + minutes pair; empty inputs (NaN) count as 0 so the schema names the problem. */
export function minutesOf(d: DurationForm): number {
  const n = (v: number) => (Number.isFinite(v) ? v : 0);
  return Math.round(n(d.hours) * 60 + n(d.minutes));
}

export function toForm(config: SlaConfig): SlaForm {
  return {
    calendars: config.calendars.map((c) => ({
      id: c.id,
      name: c.name,
      timeZone: c.timeZone,
      week: c.week.map((s) => ({ ...s })),
      lft: c.holidays.lft,
      extra: c.holidays.extra.join('\n'),
    })),
    policies: config.policies.map((p) => ({
      id: p.id,
      name: p.name,
      plans: [...p.match.plans],
      channels: [...p.match.channels],
      severities: p.match.severities.map((s) => String(s) as '1' | '2' | '3'),
      priorities: [...p.match.priorities],
      firstImmediate: p.firstResponseMinutes === null,
      first: duration(p.firstResponseMinutes),
      nextNone: p.nextResponseMinutes === null,
      next: duration(p.nextResponseMinutes),
      resolution: duration(p.resolutionMinutes),
      calendarId: p.calendarId,
      warningPercent: p.warningPercent,
    })),
    autoClose: { ...config.autoClose },
    escalationTemplate: config.escalationTemplate,
  };
}

export function toConfig(form: SlaForm): SlaConfig {
  return {
    calendars: form.calendars.map(
      (c): BusinessCalendar => ({
        id: c.id,
        name: c.name.trim(),
        timeZone: c.timeZone.trim(),
        week: c.week.map((s) => ({ day: Number(s.day), start: s.start.trim(), end: s.end.trim() })),
        holidays: {
          lft: c.lft,
          extra: c.extra
            .split(/[\s,;]+/)
            .map((d) => d.trim())
            .filter(Boolean),
        },
      }),
    ),
    policies: form.policies.map(
      (p): SlaPolicy => ({
        id: p.id,
        name: p.name,
        match: {
          plans: p.plans,
          channels: p.channels,
          severities: p.severities.map((s) => Number(s) as Severity),
          priorities: p.priorities,
        },
        firstResponseMinutes: p.firstImmediate ? null : minutesOf(p.first),
        nextResponseMinutes: p.nextNone ? null : minutesOf(p.next),
        resolutionMinutes: minutesOf(p.resolution),
        calendarId: p.calendarId,
        warningPercent: Number.isFinite(p.warningPercent) ? p.warningPercent : 0,
      }),
    ),
    autoClose: { ...form.autoClose, days: Number.isFinite(form.autoClose.days) ? form.autoClose.days : 0 },
    escalationTemplate: form.escalationTemplate,
  };
}

const POLICY_TARGETS: Record<string, string> = { firstResponseMinutes: 'first', nextResponseMinutes: 'next', resolutionMinutes: 'resolution' };

/**
 * Where a config path's error shows on the form: 'policies.0.resolutionMinutes' →
 * 'policies.0.resolution', 'calendars.1.holidays.extra.3' → 'calendars.1.extra',
 * 'calendars.0.week.2.end' stays. Paths the form has no field for come back unchanged.
 */
export function formPathOf(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'policies' && parts.length >= 3) {
    const target = POLICY_TARGETS[parts[2]!];
    if (target) return `policies.${parts[1]}.${target}`;
    if (parts[2] === 'match') return `policies.${parts[1]}.${parts[3] ?? 'plans'}`;
    return parts.slice(0, 3).join('.');
  }
  if (parts[0] === 'calendars' && parts.length >= 3) {
    if (parts[2] === 'holidays') return `calendars.${parts[1]}.${parts[3] === 'lft' ? 'lft' : 'extra'}`;
    if (parts[2] === 'week') return parts.slice(0, 5).join('.');
    return parts.slice(0, 3).join('.');
  }
  return path;
}

/** Field paths (form side) → i18n keys, for every issue of the contract's schema. */
export function validateForm(form: SlaForm): { config: SlaConfig; errors: Record<string, string> } {
  const config = toConfig(form);
  const parsed = slaConfigSchema.safeParse(config);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = formPathOf(issue.path.join('.') || 'root');
      const key = issue.message.includes('.') && !issue.message.includes(' ') ? issue.message : 'validation.invalid';
      errors[path] ??= key;
    }
  }
  return { config: parsed.success ? parsed.data : config, errors };
}

/** Nests flat 'a.0.b' errors into react-hook-form's error tree. */
export function nestErrors(flat: Record<string, string>): FieldErrors<SlaForm> {
  const root: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        const existing = (node[part] as Record<string, unknown> | undefined) ?? {};
        node[part] = { ...existing, type: 'schema', message };
      } else {
        node = (node[part] ??= {}) as Record<string, unknown>;
      }
    });
  }
  return root as FieldErrors<SlaForm>;
}

/** react-hook-form resolver: the contract's schema on the converted config. */
export const slaFormResolver: Resolver<SlaForm> = (values) => {
  const { errors } = validateForm(values);
  return Object.keys(errors).length === 0 ? { values, errors: {} } : { values: {}, errors: nestErrors(errors) };
};

/** A short unique id for a new calendar or policy. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function emptyCalendar(): CalendarForm {
  return {
    id: newId('cal'),
    name: '',
    timeZone: DEFAULT_TIME_ZONE,
    week: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '19:00' })),
    lft: true,
    extra: '',
  };
}

export function emptyPolicy(calendarId: string): PolicyForm {
  return {
    id: newId('pol'),
    name: '',
    plans: [],
    channels: [],
    severities: [],
    priorities: [],
    firstImmediate: false,
    first: { hours: 24, minutes: 0 },
    nextNone: false,
    next: { hours: 24, minutes: 0 },
    resolution: { hours: 48, minutes: 0 },
    calendarId,
    warningPercent: 75,
  };
}
