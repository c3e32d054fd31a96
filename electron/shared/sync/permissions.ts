/**
 * Who may make each kind of pushed mutation: the server re-checks every mutation against the
 * acting user's roles as the server knows them (never trusting the device). The role lists follow
 * the contract's method access (shared/contract.ts): the mutation an API method writes is allowed
 * to the roles that may call that method. Pure, shared by server and tests.
 */
import type { Role } from '../domain';
import { PERSONAL_DATA_ENTITY, PERSONAL_DATA_HANDLERS } from '../personal-data';
import { APPROVER_ROLES } from '../request-workflow';
import type { ActorKind } from './protocol';
import { KB_ENTITY, KB_PUBLISHERS, KB_WRITERS } from '../kb';
import { KB_STARTER_ARTICLES } from '../kb-starter';
import { QUICK_REPLY_ENTITY, QUICK_REPLY_TEAM_EDITORS } from '../quick-replies';

const STAFF: readonly Role[] = ['agent', 'operations', 'development', 'supervisor'];
const ADMIN: readonly Role[] = ['administrator'];
const CUSTOMER_EDITORS: readonly Role[] = ['agent', 'operations', 'supervisor', 'administrator'];
const CUSTOMER_REGISTRARS: readonly Role[] = [...new Set([...STAFF, ...CUSTOMER_EDITORS])];
const REQUEST_REGISTRARS: readonly Role[] = ['agent', 'operations', 'supervisor'];
const REQUEST_ACTORS: readonly Role[] = [...REQUEST_REGISTRARS, ...APPROVER_ROLES, 'security_officer', 'information_owner', 'supervisor'];
/** Writes to a ticket's timeline happen from the desk and from the change-request process. */
const TIMELINE_WRITERS: readonly Role[] = [...new Set([...STAFF, ...REQUEST_ACTORS])];

/** Entities whose rows are only ever inserted (timeline, decisions, reviews): merged by id, never overwritten. */
export const APPEND_ONLY_ENTITIES = new Set([
  'ticket_event', 'attachment', 'notification', 'sla_breach', 'change_request_decision', 'emergency_review', 'satisfaction_survey',
]);

/** User fields any actor may change: the per-device sign-in lockout bookkeeping. */
const LOCKOUT_FIELDS = new Set(['failedAttempts', 'lockedAt']);
/** User fields a user changes on their own row: their own password (the hash never travels). */
const OWN_PASSWORD_FIELDS = new Set(['passwordChangedAt', 'mustChangePassword']);
/** Customer fields of a personal-data block. */
const BLOCK_FIELDS = new Set(['blockedAt', 'blockedByRequestId']);
/** An emergency account's end. */
const ACCOUNT_END_FIELDS = new Set(['disabledAt', 'disabledReason']);
/** Ticket fields touched by any timeline write (a message bumps these). */
const TIMELINE_TICKET_FIELDS = new Set(['updatedAt', 'lastCustomerMessageAt']);

export interface MutationShape {
  actorKind: ActorKind;
  /** The acting user (a user changing their own password may write that on their own row). */
  actorId?: string | null;
  entity: string;
  entityId: string;
  op: 'insert' | 'update';
  payload: Record<string, unknown>;
}

const only = (payload: Record<string, unknown>, fields: Set<string>) => Object.keys(payload).every((k) => fields.has(k));

/**
 * The roles that may make this mutation as a signed-in user, 'any' for every signed-in user, or
 * null for an unknown entity (refused: a new kind of mutation must be added here on purpose).
 */
export function rolesFor(m: Pick<MutationShape, 'entity' | 'entityId' | 'op' | 'payload'>): readonly Role[] | 'any' | null {
  switch (m.entity) {
    case 'branch':
      return ADMIN;
    case 'user':
      return m.op === 'update' && only(m.payload, LOCKOUT_FIELDS) ? 'any' : ADMIN;
    case 'customer':
      // A personal-data block (cancelación / oposición) is decided by whoever keeps that register.
      if (m.op === 'update' && only(m.payload, BLOCK_FIELDS)) return PERSONAL_DATA_HANDLERS;
      // A new customer is also registered by the intake form of whoever may open a ticket (tickets.create).
      return m.op === 'insert' ? CUSTOMER_REGISTRARS : CUSTOMER_EDITORS;
    case 'ticket':
      return m.op === 'update' && only(m.payload, TIMELINE_TICKET_FIELDS) ? TIMELINE_WRITERS : STAFF;
    case 'ticket_event':
    case 'attachment':
      return TIMELINE_WRITERS;
    case 'notification':
    case 'sla_breach':
    case 'satisfaction_survey':
      return STAFF;
    case 'settings':
      return m.entityId === 'emergency' ? ['administrator', 'security_officer'] : ADMIN;
    case 'change_request':
      return m.op === 'insert' ? REQUEST_REGISTRARS : REQUEST_ACTORS;
    case 'change_request_decision':
      return REQUEST_ACTORS;
    case 'emergency_account':
    case 'emergency_review':
      return ['security_officer'];
    case QUICK_REPLY_ENTITY:
      // Only the team's are pushed (personal ones stay on their device); supervisors and administrators change them.
      return m.payload.scope === undefined || m.payload.scope === 'team' ? QUICK_REPLY_TEAM_EDITORS : [];
    case PERSONAL_DATA_ENTITY:
      return PERSONAL_DATA_HANDLERS;
    case KB_ENTITY:
      // Publishing, unpublishing and archiving change the status: publishers only (kb.setStatus).
      // A new article is a draft (kb.create); one pushed already published is a publisher's.
      if (m.op === 'insert') return m.payload.status === 'draft' ? KB_WRITERS : KB_PUBLISHERS;
      return 'status' in m.payload ? KB_PUBLISHERS : KB_WRITERS;
    default:
      return null;
  }
}

/** Entities the sign-in-less actors write: the SLA sweep and expiries (system), first-run setup and sign-in (anonymous). */
function allowedWithoutUser(m: MutationShape): boolean {
  if (m.actorKind === 'system') {
    // A survey answer read from a customer's e-mail reply (mail intake) is recorded by the system, with its timeline entry.
    return ['sla_breach', 'notification', 'emergency_account', 'satisfaction_survey', 'ticket_event'].includes(m.entity) ||
      // The knowledge base's starter articles, installed by the app with their fixed ids.
      (m.entity === KB_ENTITY && m.op === 'insert' && STARTER_IDS.has(m.entityId)) ||
      (m.entity === 'ticket' && m.op === 'update') || (m.entity === 'user' && only(m.payload, LOCKOUT_FIELDS));
  }
  // anonymous: setup (checked further by the server: the branch is the device's, the user its first) and lockouts.
  return m.entity === 'branch' || (m.entity === 'user' && (m.op === 'insert' || only(m.payload, LOCKOUT_FIELDS)));
}

const STARTER_IDS = new Set(KB_STARTER_ARTICLES.map((a) => a.id));

/**
 * What an emergency session (an implementer applying one change request) writes: the customer, the
 * request's state and its "applied" decision, and the end of its own account when it signs out.
 */
const EMERGENCY_ENTITIES = new Set(['customer', 'change_request', 'change_request_decision', 'ticket_event', 'ticket', 'attachment']);

/**
 * May this mutation be applied, given the acting user's roles on the server (null when the
 * mutation has no user)? Returns null when allowed, or the reason it is refused.
 */
export function mutationRefusal(m: MutationShape, roles: readonly Role[] | null): string | null {
  if (m.actorKind === 'system' || m.actorKind === 'anonymous') return allowedWithoutUser(m) ? null : 'sync.forbidden';
  if (roles === null) return 'sync.unknownActor';
  if (m.actorKind === 'emergency') {
    return EMERGENCY_ENTITIES.has(m.entity) || (m.entity === 'emergency_account' && m.op === 'update' && only(m.payload, ACCOUNT_END_FIELDS)) ? null : 'sync.forbidden';
  }
  if (m.entity === 'user' && m.op === 'update' && m.actorId === m.entityId && only(m.payload, OWN_PASSWORD_FIELDS) && m.payload.mustChangePassword !== true) return null;
  const allowed = rolesFor(m);
  if (allowed === null) return 'sync.unknownEntity';
  if (allowed === 'any') return null;
  return roles.some((r) => allowed.includes(r)) ? null : 'sync.forbidden';
}
