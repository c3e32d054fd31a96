/** Shared set-up for the change-request tests (not a test file: vitest only runs *.test.ts). */
import { afterEach } from 'vitest';
import type { AuditEntry } from '../../../electron/core/audit';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ChangeRequest, EmergencyAccountCreated } from '../../../electron/shared/request-types';
import type { Customer, Ticket } from '../../../electron/shared/types';
import { TestDesk } from '../../fixtures/workspace';

/** Desks made here are closed and their temp dirs removed after each test. */
export function deskPool() {
  const open: TestDesk[] = [];
  afterEach(() => {
    while (open.length > 0) open.pop()!.close();
  });
  return {
    async ready(): Promise<TestDesk> {
      const d = new TestDesk();
      open.push(d);
      return d.setup();
    },
  };
}

export interface Who {
  id: string;
  token: string;
}

/** One person per duty (invented names), plus the administrator of TestDesk.setup(). */
export interface Cast {
  agent: Who;
  owner: Who;
  officer: Who;
  itHead: Who;
  impl: Who;
  dev: Who;
  supervisor: Who;
}

export async function makeCast(desk: TestDesk): Promise<Cast> {
  return {
    agent: await desk.userWithRoles('agente', ['agent']),
    owner: await desk.userWithRoles('propietaria', ['information_owner']),
    officer: await desk.userWithRoles('oficial', ['security_officer']),
    itHead: await desk.userWithRoles('jefa-ti', ['it_head']),
    impl: await desk.userWithRoles('operador', ['operations']),
    dev: await desk.userWithRoles('desarrollador', ['development']),
    supervisor: await desk.userWithRoles('supervisora', ['supervisor']),
  };
}

export const OLD_RFC = 'TEC0503155C6';
export const NEW_RFC = 'NCE100615A12';
export const OTHER_RFC = 'SUR080320B25';
export const REGISTERED_EMAIL = 'facturas@tecnocerro.example.mx';
export const SIGNED_FORM = {
  fileName: 'solicitud-cambio-firmada.pdf',
  mimeType: 'application/pdf',
  contentBase64: Buffer.from('%PDF-1.4 Solicitud de Baja o Cambio de Información Sensible (firmada)').toString('base64'),
};

export interface World {
  desk: TestDesk;
  cast: Cast;
  customer: Customer;
  ticket: Ticket;
  legalRepId: string;
  otherContactId: string;
}

/** A customer with a legal representative and another contact, and an open ticket, registered by the agent. */
export async function makeWorld(desk: TestDesk): Promise<World> {
  const cast = await makeCast(desk);
  const customer = await desk.call('customers.create', {
    rfc: OLD_RFC,
    name: 'Tecnologías del Cerro SA de CV',
    registeredEmail: REGISTERED_EMAIL,
    contacts: [
      { name: 'Laura Méndez Ríos', email: 'laura@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true },
      { name: 'Pedro Soto Lara', email: 'pedro@tecnocerro.example.mx', phone: '8187654321', isLegalRepresentative: false },
    ],
  }, cast.agent.token);
  const ticket = await desk.call('tickets.create', {
    customer: { kind: 'existing', customerId: customer.id },
    channel: 'email', requestType: 'general', supportType: 'web', category: 'change_registered_email', priority: 'normal', severity: 1,
    subject: 'Solicitud de cambio de RFC', description: 'El representante legal envía la solicitud firmada de cambio de RFC.',
  }, cast.agent.token);
  return { desk, cast, customer, ticket, legalRepId: customer.contacts[0]!.id, otherContactId: customer.contacts[1]!.id };
}

export function rfcChange(w: World, over: Record<string, unknown> = {}): MethodInput<'requests.create'> {
  return {
    kind: 'sensitive_change',
    customerId: w.customer.id,
    ticketId: w.ticket.id,
    requesterContactId: w.legalRepId,
    fromEmail: REGISTERED_EMAIL,
    reason: 'Cambio de RFC por fusión de la sociedad',
    signedForm: SIGNED_FORM,
    changes: { rfc: NEW_RFC },
    ...over,
  } as MethodInput<'requests.create'>;
}

export async function register(w: World, over: Record<string, unknown> = {}): Promise<ChangeRequest> {
  return w.desk.call('requests.create', rfcChange(w, over), w.cast.agent.token);
}

export async function inReview(w: World, over: Record<string, unknown> = {}): Promise<ChangeRequest> {
  const r = await register(w, over);
  return w.desk.call('requests.submit', { requestId: r.id }, w.cast.agent.token);
}

export async function approved(w: World, over: Record<string, unknown> = {}): Promise<ChangeRequest> {
  const r = await inReview(w, over);
  await w.desk.call('requests.approve', { requestId: r.id, role: 'information_owner', comment: 'Razones válidas' }, w.cast.owner.token);
  return w.desk.call('requests.approve', { requestId: r.id, role: 'security_officer', comment: 'Aprobado' }, w.cast.officer.token);
}

export async function emergencyFor(w: World, requestId: string, durationMinutes = 120): Promise<EmergencyAccountCreated> {
  return w.desk.call('emergency.create', {
    requestId, implementerId: w.cast.impl.id, durationMinutes, comment: 'Ventana para aplicar el cambio',
  }, w.cast.officer.token);
}

/** Registered → approved → emergency account → implementer signed in with it. */
export async function implementing(w: World, over: Record<string, unknown> = {}) {
  const req = await approved(w, over);
  const created = await emergencyFor(w, req.id);
  const session = await w.desk.call('emergency.signIn', { username: created.account.username, password: created.password }, null);
  return { req, created, token: session.token };
}

export function audit(desk: TestDesk): AuditEntry[] {
  return desk.services.ws.db.prepare(
    `SELECT seq, id, device_id AS deviceId, at, actor_id AS actorId, actor_kind AS actorKind, action, entity, entity_id AS entityId,
       data, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq`,
  ).all() as AuditEntry[];
}

export function lastAudit(desk: TestDesk, action?: string): AuditEntry & { parsed: Record<string, unknown> } {
  const e = audit(desk).filter((x) => !action || x.action === action).at(-1);
  if (!e) throw new Error(`no audit entry${action ? ` ${action}` : ''}`);
  return { ...e, parsed: JSON.parse(e.data) as Record<string, unknown> };
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
