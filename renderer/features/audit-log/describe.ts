/**
 * How an audit entry reads in the UI: its event label, its actor, and its data as labelled lines
 * ("Estado: Abierto → Cerrado") with translated codes and dates in the branch's time zone. The raw
 * entry stays available behind "Detalle técnico" (`auditTechnical`).
 */
import type { AuditRecord } from '../../../electron/shared/request-types';
import { formatBytes, formatDateTime } from '../../app/format';
import { i18next } from '../../i18n';
import { fieldLabel, formatAddress, formatChangeValue, roleLabel, stateLabel } from '../requests/labels';
import './strings';

type Entry = Pick<AuditRecord, 'action' | 'data' | 'entityId'>;

export interface AuditLine {
  label: string;
  value: string;
}

export interface DescribeOptions {
  /** A user's name by id (assignee, implementer); entries store ids only. */
  userName?: (id: string) => string | undefined;
}

const t = (key: string, params?: Record<string, unknown>) => i18next.t(key, params ?? {});
const known = (key: string) => i18next.exists(key);
const dotless = (code: string) => code.replaceAll('.', '_');

export function auditActionLabel(action: string): string {
  const key = `auditAction.${dotless(action)}`;
  return known(key) ? t(key) : action;
}

/** "Asignar un ticket" for 'tickets.assign'; an operation added later reads as a generic one, never as its code. */
export function methodLabel(method: string): string {
  const key = `apiMethod.${dotless(method)}`;
  return known(key) ? t(key) : t('auditLog.otherMethod');
}

export function auditActorLabel(r: Pick<AuditRecord, 'actorKind' | 'actorName' | 'actorId'>): string {
  if (r.actorKind === 'system') return t('auditLog.system');
  if (!r.actorId) return t('auditLog.anonymous');
  const name = r.actorName ?? r.actorId;
  return r.actorKind === 'emergency' ? t('auditLog.emergencyActor', { name }) : name;
}

/** Ids and hashes: what only the technical detail shows. */
const TECHNICAL = new Set([
  'requestId', 'accountId', 'eventId', 'customerId', 'contactId', 'ticketId', 'requesterContactId', 'linkedTicketId', 'implementerId',
  'emergency', 'params', 'sha256', 'changeRequestId', 'chains', 'id', 'proposed', 'before', 'after', 'ok', 'error', 'fromWaitingOn', 'severityFrom', 'severityTo',
]);

/** Fields whose values are codes of the common vocabulary (renderer/i18n/common.ts) or of this screen. */
const VOCABULARY: Record<string, string> = {
  status: 'status', tier: 'tier', channel: 'channel', priority: 'priority', category: 'category', requestType: 'requestType',
  supportType: 'supportType', plan: 'plan', locale: 'locale', defaultLocale: 'locale', waitingOn: 'waitingOn', severity: 'severity',
  metric: 'auditValue.metric', by: 'auditValue.by', contactMethod: 'auditValue.contactMethod', outcome: 'auditValue.outcome', format: 'auditValue.format',
  attempted: 'auditValue.attempted', kind: 'requestKind', state: 'requestState', action: 'requestAction', serviceStatus: 'serviceStatus',
  disabledReason: 'auditValue.reason', closedTicketPolicy: 'admin.settings.policy', operation: 'accessOperation',
  arcoKind: 'personalData.kind', arcoStatus: 'personalData.status', arcoChannel: 'personalData.channel',
  requesterRole: 'personalData.requesterRole', identityMethod: 'personalData.identityMethod',
  visibility: 'kb.visibility', articleStatus: 'kb.status',
};

export function fieldName(key: string): string {
  if (known(`auditField.${key}`)) return t(`auditField.${key}`);
  return fieldLabel(key);
}

/** One value as text: codes translated, instants in the branch's time zone, sizes in KB/MB. */
export function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number' && /At$/.test(key)) return formatDateTime(value);
  if (typeof value === 'number' && /Bytes$/.test(key)) return formatBytes(value);
  if (key === 'roles' && Array.isArray(value)) return value.map((r) => roleLabel(String(r))).join(', ') || '—';
  if (key === 'role' && typeof value === 'string') return roleLabel(value);
  if (key === 'fields' && Array.isArray(value)) return value.map((f) => fieldName(String(f))).join(', ');
  if (key === 'reason' && typeof value === 'string') return reasonText(value);
  if (key === 'fiscalAddress' && typeof value === 'object') return formatAddress(value as Record<string, string>) || '—';
  if (key === 'contacts' && Array.isArray(value)) return value.map((c) => (c as { name?: string }).name ?? '').filter(Boolean).join(', ') || '—';
  if (key === 'signedForm' && typeof value === 'object') return (value as { fileName?: string }).fileName ?? '—';
  const vocabulary = VOCABULARY[key];
  if (vocabulary && (typeof value === 'string' || typeof value === 'number') && known(`${vocabulary}.${value}`)) return t(`${vocabulary}.${value}`);
  if (key in changeFieldValues) return formatChangeValue(key, value);
  if (Array.isArray(value)) return value.map((v) => formatValue(key, v)).join(', ') || '—';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !TECHNICAL.has(k))
      .map(([k, v]) => `${fieldName(k)}: ${formatValue(k, v)}`)
      .join('; ');
  }
  return String(value);
}

/** The protected customer fields: their values have their own formatting (requests/labels.ts). */
const changeFieldValues = { fiscalAddress: 1, serviceStatus: 1, access: 1 } as const;

/** A reason is a code of this screen, an error code (a refusal), or free text someone typed. */
function reasonText(reason: string, params?: Record<string, unknown>): string {
  if (known(`auditValue.reason.${reason}`)) return t(`auditValue.reason.${reason}`);
  if (/^[a-z]+\.[a-zA-Z.]+$/.test(reason) && known(reason)) return t(reason, localizedParams(params));
  return reason;
}

/** Error params carry codes too (a method, a state, a role): translate them before the message is built. */
function localizedParams(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  if (typeof out.method === 'string') out.method = methodLabel(out.method);
  for (const k of ['state', 'from', 'to'] as const) if (typeof out[k] === 'string') out[k] = stateLabel(out[k]);
  if (typeof out.role === 'string') out.role = roleLabel(out.role);
  if (typeof out.field === 'string') out.field = String(out.field).split(', ').map(fieldName).join(', ');
  return out;
}

const change = (label: string, from: string, to: string): AuditLine => ({ label, value: `${from} → ${to}` });
const isChange = (v: unknown): v is { from: unknown; to: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'from' in v && 'to' in v && Object.keys(v).length === 2;

/** `data` as lines, generic: each field labelled, a {from, to} pair shown as a change. */
function genericLines(data: Record<string, unknown>): AuditLine[] {
  const lines: AuditLine[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (TECHNICAL.has(key)) continue;
    if (key === 'attachments' && Array.isArray(value)) {
      if (value.length > 0) lines.push({ label: fieldName(key), value: t('auditLog.files', { count: value.length }) });
      continue;
    }
    if (key === 'rfcWarnings' && Array.isArray(value) && value.length === 0) continue;
    if (isChange(value)) lines.push(change(fieldName(key), formatValue(key, value.from), formatValue(key, value.to)));
    else lines.push({ label: fieldName(key), value: formatValue(key, value) });
  }
  return lines;
}

const statusText = (status: unknown, waitingOn: unknown) =>
  status === 'waiting' && typeof waitingOn === 'string' ? formatValue('waitingOn', waitingOn) : formatValue('status', status);

/** Named lists (SLA policies, calendars) compared by id: which were added, removed or changed. */
function namedListChange(before: unknown, after: unknown): string | null {
  const byId = (v: unknown) => new Map(((Array.isArray(v) ? v : []) as Array<{ id: string; name?: string }>).map((x) => [x.id, x]));
  const b = byId(before);
  const a = byId(after);
  const name = (x: { id: string; name?: string }) => x.name ?? x.id;
  const changed = [...a.values()].filter((x) => b.has(x.id) && JSON.stringify(b.get(x.id)) !== JSON.stringify(x)).map(name);
  const added = [...a.values()].filter((x) => !b.has(x.id)).map(name);
  const removed = [...b.values()].filter((x) => !a.has(x.id)).map(name);
  const parts = [
    changed.length ? t('auditLog.changed', { count: changed.length, names: changed.join(', ') }) : '',
    added.length ? t('auditLog.added', { names: added.join(', ') }) : '',
    removed.length ? t('auditLog.removed', { names: removed.join(', ') }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

/** The entry's data as labelled, translated lines. */
export function auditLines(r: Entry, options: DescribeOptions = {}): AuditLine[] {
  const d = r.data ?? {};
  const user = (id: unknown) => (typeof id === 'string' ? options.userName?.(id) ?? t('auditLog.someone') : t('auditLog.unassigned'));
  const { from, to, ...rest } = d;
  switch (r.action) {
    case 'ticket.statusChanged':
    case 'ticket.reopened':
      return [change(fieldName('status'), statusText(from, d.fromWaitingOn), statusText(to, d.waitingOn)), ...genericLines(omit(rest, 'waitingOn'))];
    case 'ticket.closed':
    case 'ticket.autoClosed':
      return [change(fieldName('status'), statusText(from, null), formatValue('status', 'closed')), ...genericLines(rest)];
    case 'ticket.escalated':
    case 'ticket.deescalated':
    case 'ticket.handedBack': {
      const lines = [change(fieldName('tier'), formatValue('tier', from), formatValue('tier', to))];
      if (d.severityFrom !== undefined && d.severityFrom !== d.severityTo) lines.push(change(fieldName('severity'), formatValue('severity', d.severityFrom), formatValue('severity', d.severityTo)));
      return [...lines, ...genericLines(rest)];
    }
    case 'ticket.assigned':
      return [change(fieldName('assignee'), user(from), user(to))];
    case 'ticket.contactAttempt':
      return genericLines({ contactMethod: d.method, reached: d.reached });
    case 'request.transition':
      return [change(fieldName('state'), stateLabel(String(from)), stateLabel(String(to))), ...genericLines(rest)];
    case 'request.implementerDesignated':
      return [{ label: fieldName('implementer'), value: user(d.implementerId) }, ...genericLines(rest)];
    case 'customer.protectedFieldChanged': {
      const field = String(d.field);
      return [change(fieldLabel(field), formatChangeValue(field, from), formatChangeValue(field, to))];
    }
    case 'request.created':
    case 'request.applied': {
      const proposed = (r.action === 'request.created' ? d.proposed : d.after) as Record<string, unknown> | undefined;
      const before = (d.before ?? {}) as Record<string, unknown>;
      const changes = Object.entries(proposed ?? {}).map(([field, value]) => change(fieldLabel(field), formatChangeValue(field, before[field]), formatChangeValue(field, value)));
      return [...genericLines(r.action === 'request.created' ? rest : {}), ...changes];
    }
    case 'emergency.call':
    case 'emergency.outOfScope':
    case 'emergency.expired': {
      const method = typeof d.method === 'string' ? d.method : r.entityId ?? '';
      const lines: AuditLine[] = [{ label: fieldName('method'), value: methodLabel(method) }];
      if (r.action === 'emergency.call') lines.push({ label: fieldName('ok'), value: t(`auditValue.ok.${d.ok !== false && !d.error}`) });
      if (d.error) lines.push({ label: fieldName('error'), value: reasonText(String(d.error), { method }) });
      return [...lines, ...genericLines(omit(rest, 'method', 'target'))];
    }
    case 'auth.forbidden':
      return [{ label: fieldName('method'), value: methodLabel(r.entityId ?? '') }, ...genericLines(d)];
    case 'request.refused':
    case 'emergency.refused':
      return [
        ...genericLines(omit(d, 'reason')),
        ...(d.reason ? [{ label: fieldName('reason'), value: reasonText(String(d.reason), d.params as Record<string, unknown> | undefined) }] : []),
      ];
    case 'audit.exported':
      return [{ label: fieldName('period'), value: `${instant(from)} – ${instant(to)}` }, ...genericLines(rest)];
    case 'audit.verified': {
      const broken = d.firstBroken as { seq: number; reason: string } | null | undefined;
      return [
        { label: fieldName('checked'), value: String(d.checked ?? '—') },
        ...(broken ? [{ label: fieldName('firstBroken'), value: `#${broken.seq} (${t(`auditValue.brokenReason.${broken.reason}`)})` }] : []),
      ];
    }
    case 'sla.configChanged': {
      const b = (d.before ?? {}) as Record<string, unknown>;
      const a = (d.after ?? {}) as Record<string, unknown>;
      const lines: AuditLine[] = [];
      for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
        const listChange = Array.isArray(a[key]) || Array.isArray(b[key]) ? namedListChange(b[key], a[key]) : null;
        lines.push({ label: fieldName(key), value: listChange ?? t('auditLog.modified') });
      }
      return lines;
    }
    default:
      return genericLines(d);
  }
}

const instant = (v: unknown) => (typeof v === 'number' ? formatDateTime(v) : '—');

function omit(data: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !keys.includes(k)));
}

/** A one-line summary (lines joined), for places with no room for a list. */
export function auditDetail(r: Entry, options: DescribeOptions = {}): string {
  return auditLines(r, options).map((l) => `${l.label}: ${l.value}`).join(' · ');
}

/** The raw entry as stored, for "Detalle técnico": action code, object, data, hashes. */
export function auditTechnical(r: Pick<AuditRecord, 'action' | 'entity' | 'entityId' | 'data' | 'at' | 'deviceId' | 'seq' | 'hash' | 'prevHash'>): string {
  const { action, entity, entityId, data, at, deviceId, seq, hash, prevHash } = r;
  return JSON.stringify({ action, entity, entityId, at: new Date(at).toISOString(), deviceId, seq, data, hash, prevHash }, null, 2);
}
