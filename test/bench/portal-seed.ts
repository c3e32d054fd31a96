/**
 * The central server's tables filled as branches' syncs fill them, cheaply (generate_series in
 * PostgreSQL, no HTTP): three branches with one enrolled desk each, N/10 customers, N tickets and
 * three timeline entries per ticket (created, a public reply, an internal note the portal must skip).
 * Every row is an applied mutation (server_seq, HLC, device, created_at) and its merged entity (data,
 * per-field versions, updated_seq pointing at that mutation), so the portal's status look-up walks the
 * same indexes and joins it walks in production (folio → ticket, e-mail check, timeline joined to its
 * mutations' times, the customer's plan, the SLA settings).
 */
import type { Db } from '../../server/db';

export const SEED_BRANCHES = ['MTY', 'GDL', 'CDMX'] as const;
/** First creation time of the seeded rows; one row a minute after it, spread over the branches. */
const T0 = 1_733_000_000_000;

/** Folio of seeded ticket i (1-based): its branch's site code and the ticket's number at that branch. */
export function seededFolio(i: number): string {
  const branch = SEED_BRANCHES[i % SEED_BRANCHES.length]!;
  return `${branch}-${String(Math.floor(i / SEED_BRANCHES.length) + 1).padStart(6, '0')}`;
}
/** The registered e-mail of the customer seeded ticket i belongs to. */
export const seededEmail = (i: number) => `cliente${1 + Math.floor(i / 10)}@ejemplo.mx`;

export async function seedLikeSync(db: Db, n: number, log: (line: string) => void = () => undefined): Promise<void> {
  const customers = Math.ceil(n / 10) + 1;
  const b = `(ARRAY['${SEED_BRANCHES.join("','")}'])`;
  const step = async (label: string, sql: string) => {
    const t = performance.now();
    await db.exec(sql);
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await step('branches and desks', `
    INSERT INTO branches (code, name, time_zone, created_at)
      SELECT code, 'Sucursal ' || code, 'America/Mexico_City', ${T0} FROM unnest(${b}) code ON CONFLICT DO NOTHING;
    INSERT INTO devices (id, branch_code, name, secret_hash, enrolled_at)
      SELECT 'desk-' || lower(code), code, 'Mostrador ' || code, repeat('0', 64), ${T0} FROM unnest(${b}) code ON CONFLICT DO NOTHING;`);
  // One applied mutation per row; its payload is the row's data, its versions every field at the mutation's HLC.
  const mutations = (entity: string, first: number, count: number, branchOf: string, id: string, data: string, created: string) => `
    INSERT INTO mutations (server_seq, device_id, push_seq, id, hlc, actor_kind, actor_id, entity, entity_id, op, payload, branch_code, status, received_at, created_at)
    SELECT ${first} + i, 'desk-' || lower(br), ${first} + i, md5('${entity}' || i), lpad((${created})::text, 15, '0') || '-00000-desk-' || lower(br),
      'user', 'agente-' || lower(br), '${entity}', ${id}, 'insert', ${data}, br, 'applied', ${created} + 900, ${created}
    FROM (SELECT i, ${branchOf} AS br FROM generate_series(1::bigint, ${count}) i) s;`;
  const entities = (entity: string, first: number, count: number) => `
    INSERT INTO entities (entity, entity_id, branch_code, data, versions, updated_seq)
    SELECT m.entity, m.entity_id, m.branch_code, m.payload, (SELECT jsonb_object_agg(k, m.hlc) FROM jsonb_object_keys(m.payload) k), m.server_seq
    FROM mutations m WHERE m.server_seq BETWEEN ${first + 1} AND ${first + count};`;

  const cFirst = 0;
  await step(`${customers.toLocaleString('en-US')} customers`, mutations('customer', cFirst, customers, `${b}[1 + i % 3]`, "'c-' || i",
    `jsonb_build_object('rfc', 'EJM' || lpad((i % 1000000)::text, 6, '0') || 'AB' || (i % 10), 'name', 'Cliente ' || i || ' S.A. de C.V.', 'registeredEmail', 'cliente' || i || '@ejemplo.mx',
      'plan', (ARRAY['basic', 'standard', 'premium'])[1 + i % 3], 'phone', '81' || lpad(i::text, 8, '0'),
      'contacts', jsonb_build_array(jsonb_build_object('name', 'Contacto ' || i, 'email', 'contacto' || i || '@ejemplo.mx', 'isLegalRepresentative', i % 2 = 0)))`,
    `${T0} + i * 1000`) + entities('customer', cFirst, customers));

  const tFirst = customers;
  // Ticket i belongs to branch i % 3 (as seededFolio says) and to customer 1 + i / 10.
  await step(`${n.toLocaleString('en-US')} tickets`, mutations('ticket', tFirst, n, `${b}[1 + i % 3]`, "'t-' || i",
    `jsonb_build_object('trackingNumber', br || '-' || lpad((i / 3 + 1)::text, 6, '0'), 'customerId', 'c-' || (1 + i / 10),
      'channel', (ARRAY['phone', 'email', 'web_form', 'chat'])[1 + i % 4], 'requestType', (ARRAY['general', 'technical', 'account'])[1 + i % 3],
      'supportType', 'application', 'category', 'invoicing', 'priority', (ARRAY['low', 'normal', 'high', 'urgent'])[1 + i % 4], 'severity', 1 + i % 3,
      'tier', (ARRAY['service_desk', 'service_desk', 'operations'])[1 + i % 3], 'status', (ARRAY['open', 'waiting', 'closed', 'closed'])[1 + i % 4],
      'subject', 'No puedo timbrar la factura ' || i, 'description', 'Al timbrar aparece el error CFDI40' || (100 + i % 900) || '. Adjunto el XML.',
      'linkedTicketId', null, 'updatedAt', ${T0} + i * 60000 + 7200000)`,
    `${T0} + i * 60000`) + entities('ticket', tFirst, n));

  const eFirst = tFirst + n;
  const events = 3 * n;
  // Entry j: ticket 1 + (j - 1) / 3; kind created, reply, note in turn, an hour apart.
  await step(`${events.toLocaleString('en-US')} timeline entries`, mutations('ticket_event', eFirst, events, `${b}[1 + ((i - 1) / 3 + 1) % 3]`, "'e-' || i",
    `jsonb_build_object('ticketId', 't-' || ((i - 1) / 3 + 1), 'kind', (ARRAY['created', 'reply', 'note'])[1 + (i - 1) % 3],
      'body', (ARRAY['', 'Hola, ya revisamos tu caso: vuelve a timbrar con el certificado vigente. Saludos.', 'Cliente con certificado vencido; revisar CSD.'])[1 + (i - 1) % 3],
      'data', '{}'::jsonb)`,
    `${T0} + ((i - 1) / 3 + 1) * 60000 + ((i - 1) % 3) * 3600000`) + entities('ticket_event', eFirst, events));

  await step('sequences and statistics', `
    UPDATE entities SET shared = true WHERE entity = 'ticket' AND data->>'tier' IN ('operations', 'development');
    SELECT setval('mutations_server_seq_seq', ${eFirst + events});
    UPDATE devices SET last_push_seq = ${eFirst + events};
    ANALYZE mutations; ANALYZE entities;`);
}
