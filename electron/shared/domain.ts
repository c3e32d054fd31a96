/**
 * The product's vocabulary (PRODUCT.md glossary): one concept, one name, used by core,
 * transports and renderer alike. Pure TypeScript: no Node, DOM or Electron imports.
 */

export const ROLES = [
  'agent',
  'operations',
  'development',
  'supervisor',
  'security_officer',
  'information_owner',
  'it_head',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export const CHANNELS = ['phone', 'chat_support', 'chat_sales', 'email', 'web_form', 'complaint'] as const;
export type Channel = (typeof CHANNELS)[number];

export const REQUEST_TYPES = ['general', 'technical'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const SUPPORT_TYPES = ['web', 'specialized'] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SEVERITIES = [1, 2, 3] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TIERS = ['service_desk', 'operations', 'development'] as const;
export type Tier = (typeof TIERS)[number];

export const STATUSES = ['open', 'waiting', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const WAITING_ON = ['customer', 'authorization'] as const;
export type WaitingOn = (typeof WAITING_ON)[number];

/**
 * The ticket list's views: Mi trabajo, Mis tickets, Sin asignar, Vencidos, Por vencer, En espera,
 * Abiertos, Cerrados, Todos. `work` (Mi trabajo, the default) is the agent's open work: Mis tickets and Sin
 * asignar, not closed. `dueSoon` (Por vencer) holds the running clocks past their policy's warning
 * threshold (warningPercent of the target) and not yet due; `overdue` (Vencidos) the breached ones.
 */
export const TICKET_VIEWS = ['work', 'mine', 'unassigned', 'overdue', 'dueSoon', 'waiting', 'open', 'closed', 'all'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];
/** The ticket list's sorts; `slaDue` is the next SLA breach among running clocks, tickets without one last. */
export const TICKET_SORTS = ['updatedAt', 'createdAt', 'priority', 'severity', 'trackingNumber', 'slaDue'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
/** How search results are ordered: relevance (bm25 with a recency boost) or most recent first. */
export const SEARCH_ORDERS = ['relevance', 'recent'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

/** Advisory topics of seed 003 plus credits/billing, sales and "fuera de alcance" (seeds 000/001). */
export const CATEGORIES = [
  'issue_invoice',
  'payroll_payment_complement',
  'query_cancel_cfdi',
  'csd_efirma_validation',
  'download_pdf_xml',
  'change_registered_email',
  'renew_service',
  'access_problem',
  'credits_billing',
  'sales',
  'other',
  'out_of_scope',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PLANS = ['basic', 'advanced'] as const;
export type Plan = (typeof PLANS)[number];

/** Tiers in escalation order: a ticket moves one step at a time (Desarrollo is reached through Operación). */
export function tierIndex(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The role that works each tier's queue (supervisors may act on any tier). */
export const TIER_ROLE: Record<Tier, Role> = { service_desk: 'agent', operations: 'operations', development: 'development' };

/** Seed 002: severity decides the tier that attends the ticket. */
export function tierForSeverity(severity: Severity): Tier {
  return severity === 1 ? 'service_desk' : severity === 2 ? 'operations' : 'development';
}

export const EVENT_KINDS = [
  'created',
  'customer_message',
  'reply',
  'note',
  'contact_attempt',
  'status_change',
  'assignment',
  'attachment',
  'field_change',
  'closed',
  'reopened',
  'linked',
  'escalated',
  'deescalated',
  'handed_back',
  'sla_breach',
  // Merging duplicates: 'merged' on the ticket that was closed into another, 'merged_in' on the one that took it.
  'merged',
  'merged_in',
  // The customer's answer to the satisfaction survey (rating 1–5 in data, the comment as body).
  'survey_answered',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Kinds that carry conversation text and are indexed for full-text search. */
export const MESSAGE_KINDS: readonly EventKind[] = ['customer_message', 'reply', 'note', 'contact_attempt'];

export const CONTACT_METHODS = ['phone', 'email'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** What happens when a customer writes about a closed ticket (seeds 001/004 vs seed 003). */
export const CLOSED_TICKET_POLICIES = ['new_linked', 'reopen_within'] as const;
export type ClosedTicketPolicy = (typeof CLOSED_TICKET_POLICIES)[number];

export const LOCALES = ['es-MX', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_TIME_ZONE = 'America/Mexico_City';
/** Evidence files larger than this are refused unless an administrator changes the setting. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** A tracking number, `<SITE>-<sequence>`: the site code keeps numbers unique across branches (and the portal) that create tickets apart. */
export function formatTrackingNumber(site: string, n: number): string {
  return `${site}-${String(n).padStart(6, '0')}`;
}
