/**
 * The readable document of a personal-data export (Acceso): each section (table) as a titled table whose
 * headers and values read as Spanish (or English), never as the stored identifiers — column names, event
 * and action codes, entity kinds. Pure over the export and i18next, so a test can render a real export.
 */
import type { PersonalDataExport } from '../../../electron/shared/personal-data';
import { i18next } from '../../i18n';
import { auditActionLabel, fieldName, formatValue } from '../audit-log/describe';
import { formatDateTime } from '../ticket/format';
import './strings';

const t = (key: string, params?: Record<string, unknown>) => i18next.t(key, params ?? {});

/** Keys, hashes, mail-server ids and sort helpers: the JSON file keeps them; the readable document leaves them out. */
const TECHNICAL = /(^id$|_id$|_by$|^awaiting_response_since$|_rowid$|^seq$|hash$|^sha256$|^position$|_rank$|^device_id$|^policy_id$|^once_key$|^recorded$|^server_response$|^last_error_detail$)/;

/** Whether a column is left out of the readable document (kept in the JSON file). */
export function isTechnicalColumn(column: string): boolean {
  return TECHNICAL.test(column);
}

export interface PrintableSection {
  name: string;
  title: string;
  headers: string[];
  rows: string[][];
}

/** The sections of an export, labelled and formatted for reading. */
export function printableSections(data: PersonalDataExport): PrintableSection[] {
  return Object.entries(data.sections).map(([name, rows]) => {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !TECHNICAL.test(c));
    return {
      name,
      title: label(`personalData.section.${name}`, name),
      headers: columns.map((c) => label(`personalData.column.${c}`, c)),
      rows: rows.map((r) => columns.map((c) => cell(name, c, r[c]))),
    };
  });
}

/** A label, or the identifier made readable when a new table or column has none yet (the test asks for one). */
function label(key: string, fallback: string): string {
  return t(key, { defaultValue: fallback.replace(/_/g, ' ') });
}

/** Codes whose words depend on the section: a ticket event's kind is not a change request's. */
const SECTION_CODES: Record<string, Record<string, string>> = {
  ticket_events: { kind: 'personalData.value.event' },
  notifications: { kind: 'personalData.value.notice' },
  user_notifications: { kind: 'personalData.value.staffNotice', entity: 'personalData.value.entity' },
  audit_log: { entity: 'personalData.value.entity', actor_kind: 'personalData.value.actor' },
  personal_data_requests: { kind: 'personalData.kind', status: 'personalData.status', channel: 'personalData.channel' },
  mail_messages: { outcome: 'mailIn.outcome', reason: 'mailIn.reason' },
  satisfaction_surveys: { source: 'ticket.survey.source' },
};

/** A stored value as text: instants as dates, flags as yes/no, codes in words, nested values as "name: value" lines. */
function cell(section: string, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const vocabulary = SECTION_CODES[section]?.[key];
  if (vocabulary && typeof value === 'string') return t(`${vocabulary}.${value}`, { defaultValue: value.replace(/_/g, ' ') });
  if (section === 'audit_log' && key === 'action' && typeof value === 'string') return auditActionLabel(value);
  if (typeof value === 'number' && /(_at|At)$/.test(key) && value > 1e11) return formatDateTime(value);
  if (/^(is_|open$|breached$|applied_before$|control_adicional$)/.test(key) && (value === 0 || value === 1)) return t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.map((v) => cell(section, key, v)).join('; ') || '—';
  // Codes of the product's vocabulary (channel, tier, status, plan…) read as the screens show them.
  if (typeof value === 'string' && /^[a-z_]+$/.test(value)) return formatValue(key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), value);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => !/Id$|^id$/.test(k) && v !== '' && v !== null && v !== undefined)
      .map(([k, v]) => `${nestedName(k)}: ${nestedValue(k, v)}`)
      .join('\n') || '—';
  }
  return String(value);
}

/** Codes inside a row's details (its JSON data) and the vocabularies that say them. */
const NESTED_CODES: Record<string, string[]> = {
  requestKind: ['requestKind'], to: ['requestState', 'status'], from: ['requestState', 'status'], document: ['personalData.value.document'],
};

function nestedName(key: string): string {
  return i18next.exists(`personalData.field.${key}`) ? t(`personalData.field.${key}`) : fieldName(key);
}

function nestedValue(key: string, value: unknown): string {
  const vocabulary = NESTED_CODES[key]?.find((v) => typeof value === 'string' && i18next.exists(`${v}.${value}`));
  return vocabulary ? t(`${vocabulary}.${String(value)}`) : formatValue(key, value);
}
