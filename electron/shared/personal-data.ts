/**
 * Personal-data requests (derechos ARCO under the LFPDPPP): Acceso, Rectificación, Cancelación,
 * Oposición. The kinds, the register's states, who handles them, the contract's schemas and the
 * 20-business-day deadline. Pure: no Node, DOM or Electron imports.
 */
import { z } from 'zod';
import { nextBusinessStart, type CalendarInput } from './calendar';
import type { Role } from './domain';
import { str, uuid } from './text';

export const PERSONAL_DATA_KINDS = ['access', 'rectification', 'cancellation', 'opposition'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** recibida, en proceso, respondida, rechazada (with its reason), retirada por quien la presentó. */
export const PERSONAL_DATA_STATUSES = ['received', 'in_progress', 'answered', 'rejected', 'withdrawn'] as const;
export type PersonalDataStatus = (typeof PERSONAL_DATA_STATUSES)[number];
/** Statuses whose deadline still runs. */
export const PENDING_STATUSES: readonly PersonalDataStatus[] = ['received', 'in_progress'];

export const PERSONAL_DATA_CHANNELS = ['email', 'in_person', 'mail', 'phone', 'web_form'] as const;
export const REQUESTER_ROLES = ['holder', 'legal_representative'] as const;
/** How the requester's identity (and a representative's authority) was checked. */
export const IDENTITY_METHODS = ['official_id', 'power_of_attorney', 'e_signature', 'registered_email'] as const;

/** The law's answer period: 20 business days from receipt (LFPDPPP art. 32). */
export const ANSWER_BUSINESS_DAYS = 20;

/** The outbox entity of the register (a row of personal_data_requests). */
export const PERSONAL_DATA_ENTITY = 'personal_data_request';

/**
 * Who keeps the register, exports, blocks and unblocks: the administrator (PRODUCT.md: "let an
 * administrator export or block a customer's data"), the information owner and the security
 * officer (they already weigh sensitive changes), and the supervisor, who runs the branch's
 * deadlines. They are also the only ones who may still open a blocked customer or its tickets.
 */
export const PERSONAL_DATA_HANDLERS: readonly Role[] = ['administrator', 'information_owner', 'security_officer', 'supervisor'];

const text = (max: number) => str().trim().min(1, 'validation.required').max(max, 'validation.tooLong');
const optionalText = (max: number) => str().trim().max(max, 'validation.tooLong').default('');

export const personalDataCreateSchema = z.object({
  customerId: uuid(),
  kind: z.enum(PERSONAL_DATA_KINDS),
  channel: z.enum(PERSONAL_DATA_CHANNELS),
  /** Defaults to now; a request received earlier (a letter) is registered with its real date. */
  receivedAt: z.number().int().min(0).optional(),
  requesterName: text(200),
  requesterRole: z.enum(REQUESTER_ROLES),
  identityMethod: z.enum(IDENTITY_METHODS),
  identityNotes: optionalText(2000),
  details: optionalText(5000),
});
export const personalDataListSchema = z.object({
  customerId: uuid().optional(),
  /** Only requests whose deadline still runs. */
  pendingOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(200),
});
export const personalDataStatusSchema = z
  .object({
    requestId: uuid(),
    status: z.enum(['in_progress', 'answered', 'rejected', 'withdrawn']),
    reason: optionalText(5000),
  })
  .refine((v) => v.status !== 'rejected' || v.reason.length > 0, { path: ['reason'], message: 'personalData.reasonRequired' });
export const personalDataLinkSchema = z.object({ requestId: uuid(), changeRequestId: uuid() });
export const personalDataBlockSchema = z.object({ requestId: uuid(), comment: text(5000) });
export const personalDataExportSchema = z.object({ customerId: uuid(), requestId: uuid().optional() });

export interface PersonalDataRequest {
  id: string;
  customerId: string;
  customerName: string;
  kind: PersonalDataKind;
  channel: (typeof PERSONAL_DATA_CHANNELS)[number];
  requesterName: string;
  requesterRole: (typeof REQUESTER_ROLES)[number];
  identityMethod: (typeof IDENTITY_METHODS)[number];
  identityNotes: string;
  details: string;
  receivedAt: number;
  dueAt: number;
  status: PersonalDataStatus;
  statusReason: string;
  respondedAt: number | null;
  changeRequestId: string | null;
  createdAt: number;
  /** Still pending after its deadline. */
  overdue: boolean;
  /** This request blocked the customer (and the block is still in force). */
  blocking: boolean;
}

export interface PersonalDataRegister {
  rows: PersonalDataRequest[];
  now: number;
  /** The customer's block, when the list is for one customer. */
  blockedAt: number | null;
}

/** Everything kept about one customer (acceso): section name → rows, as stored. */
export interface PersonalDataExport {
  format: 'mesa-de-ayuda.personal-data/1';
  exportedAt: number;
  customerId: string;
  sections: Record<string, Array<Record<string, unknown>>>;
}

/** The local calendar date (y, m, d) of an instant in a time zone. */
function localDate(ms: number, timeZone: string): [number, number, number] {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return [get('year'), get('month'), get('day')];
}

/** The first instant of the local day after the one holding `ms`. */
function nextLocalMidnight(ms: number, timeZone: string): number {
  const [y, m, d] = localDate(ms, timeZone);
  // The zone's offset at `ms`; a DST change that same night moves the result by its hour, harmless for day counting.
  const wall = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(ms);
  const g = (type: string) => Number(wall.find((p) => p.type === type)!.value);
  const offset = Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - Math.floor(ms / 1000) * 1000;
  return Date.UTC(y, m - 1, d + 1) - offset;
}

/**
 * The end of the `days`-th business day after the day of `fromMs` (the day of receipt does not
 * count), in the calendar's zone: a business day is a day with business time (weekly shifts,
 * minus official and the organization's holidays).
 */
export function addBusinessDays(cal: CalendarInput, timeZone: string, fromMs: number, days: number): number {
  let cursor = fromMs;
  for (let i = 0; i < days; i++) cursor = nextBusinessStart(cal, nextLocalMidnight(cursor, timeZone));
  return nextLocalMidnight(cursor, timeZone);
}
