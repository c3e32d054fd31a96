/**
 * Sync state in words (issue 11): the header indicator's state, a rejected mutation as a sentence
 * with its reason and what to do — never a code, an id or JSON. Pure apart from i18next.
 */
import type { RejectedMutation, SyncStatus } from '../../../electron/shared/sync/types';
import { formatDateTime, formatRelative } from '../../app/format';
import { formatCount, i18next } from '../../i18n';

export type IndicatorKind = 'standalone' | 'running' | 'synced' | 'pending' | 'offline' | 'error';

/** Failures that mean "no connection" rather than "something to fix". */
const CONNECTION_ERRORS = new Set(['sync.offline', 'sync.timeout', 'sync.serverNotFound']);

/** What the header shows, most urgent first: a problem, then work waiting, then "synced". */
export function indicatorKind(s: SyncStatus): IndicatorKind {
  if (!s.enrolled) return 'standalone';
  if (s.running) return 'running';
  if (s.lastError && CONNECTION_ERRORS.has(s.lastError)) return 'offline';
  if (s.lastError) return 'error';
  if (s.pending > 0) return 'pending';
  return 'synced';
}

export function indicatorText(s: SyncStatus, now: number): string {
  const t = i18next.t.bind(i18next);
  const pending = () => (s.pendingCapped ? t('syncUi.indicator.pendingMany', { count: formatCount(s.pending) }) : t('syncUi.indicator.pending', { count: s.pending }));
  const kind = indicatorKind(s);
  if (kind === 'synced') return s.lastSyncAt ? t('syncUi.indicator.synced', { relative: formatRelative(s.lastSyncAt, now) }) : t('syncUi.indicator.syncedNever');
  if (kind === 'pending') return pending();
  if (kind === 'offline' && s.pending > 0) return `${t('syncUi.indicator.offline')} · ${pending()}`;
  const progress = kind === 'running' ? progressPercent(s) : null;
  if (progress !== null) {
    return s.progress!.firstSync && s.progress!.phase === 'pull'
      ? t('syncUi.indicator.firstSync', { percent: progress })
      : t('syncUi.indicator.progress', { phase: t(`syncUi.phase.${s.progress!.phase}`), percent: progress });
  }
  return t(`syncUi.indicator.${kind}`);
}

/** How far the run's phase has come, 0–100 (null: nothing long going, or no estimate yet). Only phases with work to count. */
export function progressPercent(s: SyncStatus): number | null {
  const p = s.running ? s.progress : null;
  if (!p || p.total === null || p.total <= 0 || (p.phase !== 'push' && p.phase !== 'pull')) return null;
  return Math.min(100, Math.floor((p.done / p.total) * 100));
}

/** "Recibiendo cambios: 12 340 de unos 100 000 (12 %)", or null when no run is going. */
export function progressText(s: SyncStatus): string | null {
  const p = s.running ? s.progress : null;
  if (!p) return null;
  const t = i18next.t.bind(i18next);
  const phase = t(`syncUi.phase.${p.phase}`);
  const percent = progressPercent(s);
  if (percent === null) return p.done > 0 ? t('syncUi.progressUnknown', { phase, done: formatCount(p.done) }) : phase;
  return t('syncUi.progressLine', { phase, done: formatCount(p.done), total: formatCount(p.total!), percent });
}

/** "22/11/2026, 14:05 (hace 5 minutos)", or "Nunca". */
export function whenText(at: number | null, now: number): string {
  if (at === null) return i18next.t('syncUi.never');
  return i18next.t('syncUi.at', { when: formatDateTime(at), relative: formatRelative(at, now) });
}

/** "3 días 4 h" style amount for a clock difference. */
export function skewText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const es = i18next.language.startsWith('es');
  const parts: string[] = [];
  if (days > 0) parts.push(es ? `${days} ${days === 1 ? 'día' : 'días'}` : `${days} ${days === 1 ? 'day' : 'days'}`);
  if (hours > 0) parts.push(`${hours} h`);
  if (days === 0 && mins > 0) parts.push(`${mins} min`);
  return parts.join(' ') || '1 min';
}

const REASONS = new Set([
  'forbidden', 'unknownActor', 'inactiveActor', 'conflict', 'applyFailed', 'secretInPayload', 'foreignMutation', 'unknownEntity', 'seqReused',
  'requestDecided', 'requestRoleDecided', 'requestSamePerson', 'requestNotAllowed', 'requestUnknown', 'badPayload',
]);

/** The reason and the advice for a rejection code (sync.forbidden → reason.forbidden); unknown codes get the general pair. */
export function rejectionTexts(code: string): { reason: string; action: string } {
  const key = code.startsWith('sync.') ? code.slice(5) : code;
  const k = REASONS.has(key) ? key : 'other';
  return { reason: i18next.t(`syncUi.reason.${k}`), action: i18next.t(`syncUi.action.${k}`) };
}

const MAX_FIELDS = 4;
const MAX_TEXT = 80;

/** Fields whose values are glossary codes, shown with the glossary's words (common strings). */
const GLOSSARY_FIELDS = new Set(['status', 'priority', 'severity', 'tier', 'category', 'channel', 'requestType', 'supportType', 'plan']);

function valueText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return i18next.t(value ? 'syncUi.yes' : 'syncUi.no');
  if (GLOSSARY_FIELDS.has(field) && i18next.exists(`${field}.${String(value)}`)) return i18next.t(`${field}.${String(value)}`);
  if (typeof value === 'number') return /At$/.test(field) ? formatDateTime(value) : String(value);
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return field === 'roles' ? value.map((r) => i18next.t(`role.${r}`)).join(', ') : value.join(', ');
  }
  return null; // nested data is not shown: it would read as code
}

/** Most telling first: what the record is about, then how it is classified. */
const FIELD_ORDER = [
  'subject', 'name', 'username', 'fullName', 'body', 'trackingNumber', 'rfc', 'roles', 'active', 'status', 'tier', 'severity', 'priority',
  'category', 'registeredEmail', 'closeCause', 'closeSolution', 'description', 'plan', 'kind',
];

/** "Cambio de usuario" and its known fields as "Roles: Administrador"; ids and nested data are left out. */
export function describeRejected(m: RejectedMutation): { title: string; fields: string[] } {
  const entityKey = i18next.exists(`syncUi.entity.${m.entity}`) ? m.entity : 'other';
  const title = i18next.t(`syncUi.op.${m.op === 'insert' ? 'insert' : 'update'}`, { entity: i18next.t(`syncUi.entity.${entityKey}`) });
  const fields: string[] = [];
  let hidden = 0;
  const ordered = Object.entries(m.payload).sort(([a], [b]) => rank(a) - rank(b));
  for (const [field, value] of ordered) {
    if (!i18next.exists(`syncUi.field.${field}`)) continue;
    const text = valueText(field, value);
    if (text === null) continue;
    if (fields.length >= MAX_FIELDS) hidden++;
    else fields.push(`${i18next.t(`syncUi.field.${field}`)}: ${text}`);
  }
  if (hidden > 0) fields.push(i18next.t('syncUi.moreFields', { count: hidden }));
  return { title, fields };
}

function rank(field: string): number {
  const i = FIELD_ORDER.indexOf(field);
  return i < 0 ? FIELD_ORDER.length : i;
}
