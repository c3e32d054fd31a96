/** Customers (taxpayers identified by RFC) with their contacts and legal representatives. */
import type { z } from 'zod';
import type { customerCreateSchema, customerUpdateSchema } from '../shared/contract';
import type { Plan } from '../shared/domain';
import { AppError } from '../shared/errors';
import { checkRfc, isGenericRfc } from '../shared/rfc';
import type { Contact, Customer, CustomerSummary, FiscalAddress } from '../shared/types';
import type { SlaEngine } from './sla';
import { rewriteTicketText } from './ticket-text';
import { diff } from './users';
import type { Workspace, WriteTx } from './workspace';

interface CustomerRow {
  id: string;
  rfc: string;
  name: string;
  tax_regime: string;
  fiscal_address: string;
  registered_email: string;
  plan: string;
  service_status: string;
  credit_package: string;
  rfc_warnings: string;
  created_at: number;
  updated_at: number;
}

/** Fields that change only through an approved sensitive-change request (seed 001). */
export const PROTECTED_CUSTOMER_FIELDS = ['rfc', 'name', 'fiscalAddress', 'registeredEmail', 'serviceStatus', 'creditPackage'] as const;
/** The same fields as a caller might spell them in a raw update (camelCase or the column name). */
const PROTECTED_INPUT_KEYS = [
  ...PROTECTED_CUSTOMER_FIELDS, 'fiscal_address', 'registered_email', 'service_status', 'credit_package', 'rfcWarnings', 'rfc_warnings',
] as const;

export type NewCustomer = z.output<typeof customerCreateSchema>;
/** What tells apart the customers who share a generic RFC. */
export interface Identity { name?: string; email?: string; phone?: string }

function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('es-MX');
}

/** The 10 digits of a Mexican number as the contract stores it (+52, spaces and dashes aside). */
function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^52(?=\d{10}$)/, '');
}

/** Validates the RFC: format, date and inconvenient words block; a wrong check digit only warns. */
export function validRfc(rfc: string, field = 'rfc'): { normalized: string; warnings: string[] } {
  const check = checkRfc(rfc);
  if (!check.ok) throw new AppError('validation.failed', undefined, { [field]: check.error ?? 'rfc.format' });
  return { normalized: check.normalized, warnings: check.warnings };
}

/** The ticket search index carries the customer's RFC and name: keep it in step. */
export function reindexCustomerTickets(tx: WriteTx, customerId: string, rfc: string, name: string): void {
  const tickets = tx.sql('SELECT rowid, tracking_number, subject, description FROM tickets WHERE customer_id = ?').all(customerId) as Array<{
    rowid: number; tracking_number: string; subject: string; description: string;
  }>;
  for (const t of tickets) {
    rewriteTicketText(tx, t.rowid, { trackingNumber: t.tracking_number, subject: t.subject, description: t.description, rfc, customerName: name });
  }
}

export class Customers {
  constructor(
    private readonly ws: Workspace,
    private readonly sla: SlaEngine,
  ) {}

  /**
   * Inserts inside the caller's transaction (intake registers a new customer with its ticket);
   * `rfcField` is where the form shows RFC errors ('rfc', or 'customer.rfc' on the intake form).
   */
  insert(tx: WriteTx, rfcField: string, input: NewCustomer): string {
    const { normalized, warnings } = validRfc(input.rfc, rfcField);
    if (!isGenericRfc(normalized) && tx.sql('SELECT 1 FROM customers WHERE rfc = ?').get(normalized)) {
      throw new AppError('validation.failed', undefined, { [rfcField]: 'rfc.duplicate' });
    }
    const id = tx.id();
    tx.sql(
      `INSERT INTO customers (id, rfc, name, tax_regime, fiscal_address, registered_email, plan, rfc_warnings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, normalized, input.name, input.taxRegime, JSON.stringify(input.fiscalAddress), input.registeredEmail, input.plan, JSON.stringify(warnings), tx.at, tx.at);
    this.replaceContacts(tx, id, input.contacts);
    const record = { rfc: normalized, name: input.name, taxRegime: input.taxRegime, fiscalAddress: input.fiscalAddress, registeredEmail: input.registeredEmail, plan: input.plan, contacts: input.contacts };
    tx.audit('customer.created', 'customer', id, { ...record, rfcWarnings: warnings });
    tx.outbox('customer', id, 'insert', record);
    return id;
  }

  create(actorId: string, input: NewCustomer): Customer {
    const id = this.ws.write({ kind: 'user', userId: actorId }, (tx) => this.insert(tx, 'rfc', input));
    return this.get(id);
  }

  /** Adds an e-mail contact to a customer, inside the caller's transaction, unless the address is already one of its own. */
  addEmailContactInTx(tx: WriteTx, customerId: string, name: string, email: string): void {
    const c = this.get(customerId);
    const known = c.registeredEmail.toLowerCase() === email || c.contacts.some((k) => k.email.toLowerCase() === email);
    if (known) return;
    const contacts = [...c.contacts, { id: tx.id(), name, email, phone: '', isLegalRepresentative: false }];
    this.replaceContacts(tx, customerId, contacts);
    tx.sql('UPDATE customers SET updated_at = ? WHERE id = ?').run(tx.at, customerId);
    tx.audit('customer.updated', 'customer', customerId, { contacts: { from: c.contacts.map(stripId), to: contacts.map(stripId) } });
    tx.outbox('customer', customerId, 'update', { contacts });
  }

  /**
   * The update schema silently drops unknown keys, so a protected field in the raw input would be
   * ignored without a trace. It is an attempt worth recording: audit it, then refuse the call.
   */
  refuseProtectedFields(actorId: string, rawInput: unknown): void {
    if (rawInput === null || typeof rawInput !== 'object') return;
    const customerId = (rawInput as { customerId?: unknown }).customerId;
    // The first registered e-mail of a customer that has none is a normal edit (a customer taken by phone, say).
    const firstEmail = typeof customerId === 'string' && this.registeredEmailOf(customerId) === '';
    const attempted = PROTECTED_INPUT_KEYS.filter((k) => Object.hasOwn(rawInput, k) && !(firstEmail && k === 'registeredEmail'));
    if (attempted.length === 0) return;
    this.ws.write({ kind: 'user', userId: actorId }, (tx) =>
      tx.audit('customers.protectedFieldAttempt', 'customer', typeof customerId === 'string' ? customerId.slice(0, 64) : null, { fields: attempted }),
    );
    throw new AppError('customers.protectedField', { field: attempted.join(', ') });
  }

  update(actorId: string, input: z.output<typeof customerUpdateSchema>): Customer {
    if (input.contacts) this.refuseLegalRepresentativeChanges(actorId, input.customerId, input.contacts);
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.get(input.customerId);
      if (input.registeredEmail !== undefined && before.registeredEmail !== '' && input.registeredEmail !== before.registeredEmail) {
        throw new AppError('customers.protectedField', { field: 'registeredEmail' });
      }
      const after = {
        taxRegime: input.taxRegime ?? before.taxRegime,
        plan: input.plan ?? before.plan,
        registeredEmail: input.registeredEmail ?? before.registeredEmail,
      };
      tx.sql('UPDATE customers SET tax_regime = ?, plan = ?, registered_email = ?, updated_at = ? WHERE id = ?')
        .run(after.taxRegime, after.plan, after.registeredEmail, tx.at, input.customerId);
      const changes: Record<string, unknown> = diff({ taxRegime: before.taxRegime, plan: before.plan, registeredEmail: before.registeredEmail }, after);
      if (input.contacts) {
        this.replaceContacts(tx, input.customerId, input.contacts);
        changes.contacts = { from: before.contacts.map(stripId), to: input.contacts.map(stripId) };
      }
      tx.audit('customer.updated', 'customer', input.customerId, changes);
      const { registeredEmail, ...rest } = after;
      tx.outbox('customer', input.customerId, 'update', {
        ...rest, ...(registeredEmail !== before.registeredEmail ? { registeredEmail } : {}), ...(input.contacts ? { contacts: input.contacts } : {}),
      });
      // Policies match on the plan: the customer's open tickets may now fall under another one.
      if (after.plan !== before.plan) this.sla.recomputeCustomer(tx, input.customerId);
    });
    return this.get(input.customerId);
  }

  /**
   * Legal representatives are who may request sensitive changes (seed 001), so they are protected
   * like the fiscal data: an ordinary edit keeps every one of them exactly as it is and adds none.
   * Only a customer without any (one registered from the intake form) gets its first one by an
   * ordinary, audited edit; otherwise there would be no one entitled to ask for it.
   * The attempt is audited before it is refused.
   */
  private refuseLegalRepresentativeChanges(actorId: string, customerId: string, contacts: NewCustomer['contacts']): void {
    const before = this.get(customerId).contacts.filter((c) => c.isLegalRepresentative);
    if (before.length === 0 && contacts.filter((c) => c.isLegalRepresentative).length <= 1) return;
    const same = (a: Contact, b: NewCustomer['contacts'][number]) =>
      b.isLegalRepresentative && a.name === b.name && a.email === b.email && a.phone === b.phone;
    const kept = before.every((rep) => contacts.some((c) => c.id === rep.id && same(rep, c)));
    const added = contacts.some((c) => c.isLegalRepresentative && !before.some((rep) => rep.id === c.id));
    if (kept && !added) return;
    this.ws.write({ kind: 'user', userId: actorId }, (tx) =>
      tx.audit('customers.protectedFieldAttempt', 'customer', customerId, { fields: ['legalRepresentatives'] }),
    );
    throw new AppError('customers.legalRepresentativeProtected');
  }

  private registeredEmailOf(customerId: string): string | undefined {
    return this.ws.sql('SELECT registered_email FROM customers WHERE id = ?').pluck().get(customerId.slice(0, 64)) as string | undefined;
  }

  get(id: string): Customer {
    const row = this.ws.sql('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    if (!row) throw new AppError('customers.notFound');
    return this.toCustomer(row);
  }

  /** The customer with this RFC; for a generic RFC, the one with the same name and e-mail or phone, if any. */
  findByRfc(rfc: string, identity: Identity = {}): Customer | null {
    if (isGenericRfc(rfc)) {
      const id = this.identifyGeneric(rfc, identity);
      return id ? this.get(id) : null;
    }
    const row = this.ws.sql('SELECT * FROM customers WHERE rfc = ?').get(rfc) as CustomerRow | undefined;
    return row ? this.toCustomer(row) : null;
  }

  /**
   * Who is behind a generic RFC: same name (letter case and spacing aside) and the same e-mail
   * (registered or a contact's) or the same phone (a contact's, digits only). Null without a name
   * and one of the two: a generic RFC alone names no one.
   */
  identifyGeneric(rfc: string, identity: Identity): string | null {
    const name = normalizeName(identity.name ?? '');
    const email = (identity.email ?? '').trim().toLowerCase();
    const phone = phoneDigits(identity.phone ?? '');
    if (!name || (!email && !phone)) return null;
    const candidates = this.ws.sql(
      `SELECT c.id, c.name, c.registered_email AS email, ct.email AS contactEmail, ct.phone AS contactPhone
       FROM customers c LEFT JOIN contacts ct ON ct.customer_id = c.id WHERE c.rfc = ? ORDER BY c.created_at, c.rowid`,
    ).all(rfc) as Array<{ id: string; name: string; email: string; contactEmail: string | null; contactPhone: string | null }>;
    const match = candidates.find((c) => normalizeName(c.name) === name && (
      (email !== '' && (c.email.toLowerCase() === email || (c.contactEmail ?? '').toLowerCase() === email))
      || (phone !== '' && phoneDigits(c.contactPhone ?? '') === phone)
    ));
    return match?.id ?? null;
  }

  /** Search by RFC prefix or by any part of the name. */
  list(query: string, limit: number): CustomerSummary[] {
    const q = query.trim();
    const rows = this.ws.sql(
      `SELECT c.id, c.rfc, c.name, c.registered_email AS registeredEmail, c.plan,
         (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.id AND t.status != 'closed') AS openTickets
       FROM customers c
       WHERE c.blocked_at IS NULL AND (? = '' OR c.rfc LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' COLLATE NOCASE)
       ORDER BY c.name COLLATE NOCASE LIMIT ?`,
    ).all(q, `${escapeLike(q.toUpperCase())}%`, `%${escapeLike(q)}%`, limit) as Array<CustomerSummary & { plan: Plan }>;
    return rows;
  }

  summary(id: string): CustomerSummary {
    const c = this.get(id);
    const open = this.ws.sql("SELECT COUNT(*) FROM tickets WHERE customer_id = ? AND status != 'closed'").pluck().get(id) as number;
    return { id: c.id, rfc: c.rfc, name: c.name, registeredEmail: c.registeredEmail, plan: c.plan, openTickets: open };
  }

  private replaceContacts(tx: WriteTx, customerId: string, contacts: NewCustomer['contacts']): void {
    tx.sql('DELETE FROM contacts WHERE customer_id = ?').run(customerId);
    const insert = tx.sql(
      'INSERT INTO contacts (id, customer_id, name, email, phone, is_legal_representative, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    contacts.forEach((c, i) => insert.run(c.id && c.id.length <= 64 ? c.id : tx.id(), customerId, c.name, c.email, c.phone, c.isLegalRepresentative ? 1 : 0, i));
  }

  private toCustomer(row: CustomerRow): Customer {
    const contacts = (this.ws.sql(
      `SELECT id, name, email, phone, is_legal_representative AS isLegal FROM contacts WHERE customer_id = ? ORDER BY position`,
    ).all(row.id) as Array<{ id: string; name: string; email: string; phone: string; isLegal: number }>).map(
      (c): Contact => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, isLegalRepresentative: c.isLegal === 1 }),
    );
    return {
      id: row.id,
      rfc: row.rfc,
      name: row.name,
      taxRegime: row.tax_regime,
      fiscalAddress: JSON.parse(row.fiscal_address) as FiscalAddress,
      registeredEmail: row.registered_email,
      plan: row.plan as Plan,
      serviceStatus: row.service_status as Customer['serviceStatus'],
      creditPackage: row.credit_package,
      contacts,
      rfcWarnings: JSON.parse(row.rfc_warnings) as string[],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

function stripId(c: { name: string; email: string; phone: string; isLegalRepresentative: boolean }) {
  return { name: c.name, email: c.email, phone: c.phone, isLegalRepresentative: c.isLegalRepresentative };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
