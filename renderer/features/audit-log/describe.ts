/** How an audit entry reads in the UI: its event label, its actor and a one-line detail. */
import type { AuditRecord } from '../../../electron/shared/request-types';
import { i18next } from '../../i18n';
import { fieldLabel, formatChangeValue, roleLabel, stateLabel } from '../requests/labels';
import './strings';

export function auditActionLabel(action: string): string {
  const key = `auditAction.${action.replaceAll('.', '_')}`;
  return i18next.exists(key) ? i18next.t(key) : action;
}

export function auditActorLabel(r: Pick<AuditRecord, 'actorKind' | 'actorName' | 'actorId'>): string {
  const t = i18next.t.bind(i18next);
  if (r.actorKind === 'system') return t('auditLog.system');
  if (!r.actorId) return t('auditLog.anonymous');
  const name = r.actorName ?? r.actorId;
  return r.actorKind === 'emergency' ? t('auditLog.emergencyActor', { name }) : name;
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A short, translated summary of what the entry's data says. */
export function auditDetail(r: Pick<AuditRecord, 'action' | 'data'>): string {
  const d = r.data;
  switch (r.action) {
    case 'customer.protectedFieldChanged': {
      const field = str(d.field);
      return `${fieldLabel(field)}: ${formatChangeValue(field, d.from)} → ${formatChangeValue(field, d.to)}`;
    }
    case 'request.transition':
      return `${stateLabel(str(d.from))} → ${stateLabel(str(d.to))}${d.comment ? ` · ${str(d.comment)}` : ''}`;
    case 'request.approved':
    case 'request.rejected':
      return `${roleLabel(str(d.role))}${d.comment ? ` · ${str(d.comment)}` : ''}`;
    case 'emergency.call':
    case 'emergency.outOfScope':
    case 'emergency.expired':
      return [str(d.method), d.ok === false || d.error ? i18next.t(str(d.error) || 'emergency.outOfScope', { method: str(d.method) }) : ''].filter(Boolean).join(' · ');
    case 'emergency.signIn.failed':
    case 'auth.signIn.failed':
      return [str(d.username), str(d.reason)].filter(Boolean).join(' · ');
    case 'request.refused':
    case 'emergency.refused':
    case 'customers.protectedFieldAttempt':
      return [str(d.attempted), d.reason ? i18next.t(str(d.reason), { ...(d.params as Record<string, unknown> | undefined) }) : ''].filter(Boolean).join(' · ');
    default: {
      const { requestId: _r, emergency: _e, ...rest } = d;
      const text = JSON.stringify(rest);
      return text === '{}' ? '' : text.length > 160 ? `${text.slice(0, 157)}…` : text;
    }
  }
}
