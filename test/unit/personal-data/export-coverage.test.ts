/**
 * Acceso (issue 15 item 4): the export holds every row that refers to the customer. The test reads
 * the schema, not the export's own list: every table with a column that points at a customer, a
 * ticket or an audited entity (a foreign key to customers/tickets, or a column named customer_id,
 * ticket_id, ticket_rowid or entity_id) must be a section of the export or be named in
 * NOT_EXPORTED with its reason. A new table without an export path fails here.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_SECTIONS, NOT_EXPORTED } from '../../../electron/core/personal-data/export';
import type { TestDesk } from '../../fixtures/workspace';
import { deskPool, makeWorld, register } from '../requests/helpers';

const desks = deskPool();
const REFERENCE_COLUMNS = ['customer_id', 'ticket_id', 'ticket_rowid', 'entity_id'];
const REFERENCED_TABLES = ['customers', 'tickets'];

function referencingTables(desk: TestDesk): Array<{ table: string; columns: string[] }> {
  const db = desk.services.ws.db;
  // Views too: audit_log is the text view of audit_chain (migration 032), and what the export shows.
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  return tables.flatMap((table) => {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);
    const fks = (db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as Array<{ from: string; table: string }>)
      .filter((fk) => REFERENCED_TABLES.includes(fk.table)).map((fk) => fk.from);
    const refs = [...new Set([...columns.filter((c) => REFERENCE_COLUMNS.includes(c)), ...fks])];
    return refs.length > 0 ? [{ table, columns: refs }] : [];
  });
}

describe('the personal-data export covers the schema', () => {
  it('every table that refers to customers or tickets has an export path or a stated reason', async () => {
    const desk = await desks.ready();
    const tables = referencingTables(desk);
    expect(tables.length).toBeGreaterThanOrEqual(10);
    const missing = tables.filter((t) => !(t.table in EXPORT_SECTIONS) && !(t.table in NOT_EXPORTED)).map((t) => t.table);
    expect(missing, 'add a section to EXPORT_SECTIONS (electron/core/personal-data/export.ts) or a reason to NOT_EXPORTED').toEqual([]);
    for (const reason of Object.values(NOT_EXPORTED)) expect(reason.length).toBeGreaterThan(20);
  });

  it('the export holds every row of those tables that refers to the customer, and none of another customer', async () => {
    const w = await makeWorld(await desks.ready());
    const { desk } = w;
    const db = desk.services.ws.db;
    // A life for the customer touching every table: replies, a note, an attachment, an SLA breach, a change
    // request with a decision, a personal-data request, staff notifications, audit entries.
    await desk.call('tickets.reply', { ticketId: w.ticket.id, body: 'Recibimos su solicitud', attachments: [{ fileName: 'acuse.txt', mimeType: 'text/plain', contentBase64: Buffer.from('acuse').toString('base64') }] });
    await desk.call('tickets.assign', { ticketId: w.ticket.id, assigneeId: w.cast.agent.id });
    const change = await register(w);
    await desk.call('requests.submit', { requestId: change.id }, w.cast.agent.token);
    await desk.call('requests.approve', { requestId: change.id, role: 'information_owner', comment: 'Razones válidas' }, w.cast.owner.token);
    await desk.call('personalData.create', {
      customerId: w.customer.id, kind: 'access', channel: 'email', requesterName: 'Laura Méndez Ríos', requesterRole: 'legal_representative',
      identityMethod: 'power_of_attorney',
    });
    // Another customer whose rows must stay out.
    await desk.call('tickets.create', {
      customer: { kind: 'new', rfc: 'SUR080320B25', name: 'Servicios del Sur SA de CV', email: 'contacto@sur.example.mx', phone: '3312345678' },
      channel: 'phone', requestType: 'general', supportType: 'web', category: 'issue_invoice', priority: 'normal', severity: 1,
      subject: 'Otro cliente', description: 'No debe aparecer en la exportación',
    }, w.cast.agent.token);
    desk.advance(10 * 24 * 3600_000); // past the targets: breaches recorded by the sweep
    await desk.signInAgain();
    const { runSweep } = await import('../../../electron/core/host');
    runSweep(desk.services);

    const seqBefore = db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number;
    const data = await desk.call('personalData.export', { customerId: w.customer.id });
    // The export's own audit entry comes after its snapshot; it names the customer and is exported next time.
    expect(db.prepare('SELECT action, entity_id FROM audit_log WHERE seq > ?').all(seqBefore)).toEqual([{ action: 'personalData.exported', entity_id: w.customer.id }]);
    const ticketIds = (db.prepare('SELECT id FROM tickets WHERE customer_id = ?').pluck().all(w.customer.id) as string[]);
    const keys = new Set([w.customer.id, ...ticketIds, change.id, ...data.sections.personal_data_requests!.map((r) => String(r.id))]);
    const ticketRowids = new Set(db.prepare('SELECT rowid FROM tickets WHERE customer_id = ?').pluck().all(w.customer.id) as number[]);
    // Independently of the export's queries: scan each referencing table and pick the customer's rows by their columns.
    for (const { table, columns } of referencingTables(desk)) {
      if (table in NOT_EXPORTED) continue;
      const rows = (db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>)
        .filter((row) => table !== 'audit_log' || (row.seq as number) <= seqBefore);
      const own = rows.filter((row) => (table === 'customers' ? row.id === w.customer.id : columns.some((c) =>
        c === 'ticket_rowid' ? ticketRowids.has(row[c] as number) : keys.has(row[c] as string))));
      const idOf = (row: Record<string, unknown>) => String(row.id ?? row.seq ?? row.ticket_rowid);
      const exported = (data.sections[table] ?? []).map(idOf).sort();
      expect({ table, rows: exported }).toEqual({ table, rows: own.map(idOf).sort() });
    }
    // The life above reached every section but the e-mail notices and the breaches' table if the sweep found none.
    const filled = Object.entries(data.sections).filter(([, rows]) => rows.length > 0).map(([name]) => name);
    expect(filled).toEqual(expect.arrayContaining(['customers', 'contacts', 'tickets', 'ticket_events', 'attachments', 'ticket_sla',
      'change_requests', 'change_request_decisions', 'personal_data_requests', 'user_notifications', 'audit_log']));
    expect(JSON.stringify(data)).not.toContain('Servicios del Sur');
    expect(JSON.stringify(data)).not.toContain('password_hash');
  });
});
