/**
 * Turns the request vocabulary's codes (states, actions, roles, fields, values) into the current
 * language's labels — including the raw codes core puts in error params — so no screen shows
 * "in_review" or "security_officer".
 */
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { FieldDiff } from '../../../electron/shared/request-types';
import type { FiscalAddress } from '../../../electron/shared/types';
import { i18next } from '../../i18n';
import './strings';

const t = (key: string, params?: Record<string, unknown>) => i18next.t(key, params ?? {});
const known = (key: string) => i18next.exists(key);

/** "En revisión" for 'in_review'; unknown codes come back as they are. */
export function stateLabel(state: string): string {
  return known(`requestState.${state}`) ? t(`requestState.${state}`) : state;
}

/** A role code, or several joined by ", " (as core's `requests.wrongRole` sends them). */
export function roleLabel(roles: string): string {
  return roles
    .split(',')
    .map((r) => r.trim())
    .map((r) => (known(`role.${r}`) ? t(`role.${r}`) : r === 'second_review' ? t('decision.second_review') : r))
    .join(', ');
}

export function actionLabel(action: string): string {
  return known(`requestAction.${action}`) ? t(`requestAction.${action}`) : action;
}

export function fieldLabel(field: string): string {
  return known(`changeField.${field}`) ? t(`changeField.${field}`) : field;
}

export function formatAddress(a: Partial<FiscalAddress>): string {
  const street = [a.street, a.exteriorNumber, a.interiorNumber && `int. ${a.interiorNumber}`].filter(Boolean).join(' ');
  return [street, a.neighborhood, a.city, a.state, a.postalCode && `C.P. ${a.postalCode}`].filter(Boolean).join(', ');
}

/** One side of a before/after line, as text. */
export function formatChangeValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'fiscalAddress' && typeof value === 'object') return formatAddress(value as Partial<FiscalAddress>) || '—';
  if (field === 'serviceStatus' && typeof value === 'string') return known(`serviceStatus.${value}`) ? t(`serviceStatus.${value}`) : value;
  if (field === 'access' && typeof value === 'object') {
    const a = value as { operation?: string; portalUsername?: string };
    const op = a.operation && known(`accessOperation.${a.operation}`) ? t(`accessOperation.${a.operation}`) : (a.operation ?? '');
    return [op, a.portalUsername].filter(Boolean).join(': ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface DiffLine {
  field: string;
  label: string;
  before: string;
  after: string;
}

export function diffLines(diff: readonly FieldDiff[]): DiffLine[] {
  return diff.map((d) => ({ field: d.field, label: fieldLabel(d.field), before: formatChangeValue(d.field, d.before), after: formatChangeValue(d.field, d.after) }));
}

/** Params of request/emergency errors that carry codes, translated before the message is built. */
const CODE_PARAMS: Record<string, (v: string) => string> = {
  state: stateLabel,
  from: stateLabel,
  to: stateLabel,
  role: roleLabel,
  action: actionLabel,
};

export function localizeError(info: ErrorInfo | null): ErrorInfo | null {
  if (!info?.params) return info;
  const params: Record<string, string | number> = { ...info.params };
  for (const [key, map] of Object.entries(CODE_PARAMS)) {
    const value = params[key];
    if (typeof value === 'string') params[key] = map(value);
  }
  return { ...info, params };
}
