import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { TestDesk, phoneIntake } from '../../fixtures/workspace';
import type { MethodInput } from '../../../electron/shared/contract';

/**
 * One workspace with five tickets built for these queries (read-only tests share it):
 * (tiers: #2 and #5 operations, #3 development, the rest service desk)
 *   #1 Tecnologías del Cerro  phone       sev1 normal  open, assigned to admin       "Error de Facturación electrónica"
 *   #2 Tecnologías del Cerro  email       sev2 high    open, assigned to the agent   "Complemento de pago rechazado" → subject later changed
 *   #3 Panadería La Espiga    chat_support sev3 low    waiting on customer, agent    "Portal caído"
 *   #4 Panadería La Espiga    web_form    sev1 normal  waiting on authorization, unassigned, reply "…enlace alternativo…"
 *   #5 Ferretería Núñez       complaint   sev2 high    closed, unassigned            "Queja por tiempo de respuesta"
 */
let desk: TestDesk;
let agent: { id: string; token: string };
const ids: Record<number, string> = {};
const customers: Record<string, string> = {};

beforeAll(async () => {
  desk = await new TestDesk().setup();
  agent = await desk.userWithRoles('agente-busqueda', ['agent']);
  const admin = await desk.call('auth.me', {});
  const mk = async (n: number, input: Record<string, unknown>) => {
    desk.advance(60_000);
    const t = await desk.call('tickets.create', { ...phoneIntake(), ...input } as MethodInput<'tickets.create'>);
    ids[n] = t.id;
    customers[t.customerName] = t.customerId;
    return t;
  };
  const t1 = await mk(1, { subject: 'Error de Facturación electrónica', description: 'El timbrado falla con error 301', channel: 'phone', severity: 1, priority: 'normal' });
  const cerro = t1.customerId;
  await mk(2, { customer: { kind: 'existing', customerId: cerro }, subject: 'Complemento de pago rechazado', description: 'El XML del complemento no valida', channel: 'email', severity: 2, priority: 'high' });
  const t3 = await mk(3, {
    customer: { kind: 'new', rfc: 'PAN990101AB5', name: 'Panadería La Espiga SA de CV', email: 'admin@laespiga.example.mx' },
    subject: 'Portal caído', description: 'No carga el portal desde la mañana', channel: 'chat_support', severity: 3, priority: 'low',
  });
  await mk(4, { customer: { kind: 'existing', customerId: t3.customerId }, subject: 'Descarga de PDF', description: 'No puede descargar el PDF de sus facturas', channel: 'web_form', severity: 1, priority: 'normal' });
  await mk(5, {
    customer: { kind: 'new', rfc: 'FEN8001017Z3', name: 'Ferretería Núñez', email: 'contacto@ferrenunez.example.mx' },
    subject: 'Queja por tiempo de respuesta', description: 'Esperó dos horas en la línea', channel: 'complaint', severity: 2, priority: 'high',
  });
  desk.advance(60_000);
  await desk.call('tickets.assign', { ticketId: ids[1]!, assigneeId: admin.id });
  await desk.call('tickets.assign', { ticketId: ids[2]!, assigneeId: agent.id });
  await desk.call('tickets.assign', { ticketId: ids[3]!, assigneeId: agent.id });
  await desk.call('tickets.setStatus', { ticketId: ids[3]!, status: 'waiting', waitingOn: 'customer' });
  await desk.call('tickets.setStatus', { ticketId: ids[4]!, status: 'waiting', waitingOn: 'authorization' });
  await desk.call('tickets.close', { ticketId: ids[5]!, cause: 'Saturación de la línea', solution: 'Se ofreció disculpa' });
  desk.advance(60_000);
  await desk.call('tickets.note', { ticketId: ids[4]!, body: 'Le enviamos el enlace de descarga alternativo' });
  desk.advance(60_000);
  await desk.call('tickets.update', { ticketId: ids[2]!, subject: 'Recibo de nómina duplicado' });
  // Tickets enter at the service desk; escalation has its own rules and tests. Here only the tier
  // filter matters, so the tiers are placed directly (tier is not part of any search index).
  const setTier = desk.services.ws.db.prepare('UPDATE tickets SET tier = ? WHERE id = ?');
  setTier.run('operations', ids[2]!);
  setTier.run('development', ids[3]!);
  setTier.run('operations', ids[5]!);
}, 60_000);

afterAll(() => desk?.close());

async function list(input: MethodInput<'tickets.list'>, token?: string) {
  const page = await desk.call('tickets.list', input, token ?? desk.token);
  return { total: page.total, n: page.rows.map((r) => numberOf(r.id)), rows: page.rows };
}
function numberOf(id: string): number {
  const found = Object.entries(ids).find(([, v]) => v === id);
  if (!found) throw new Error(`unknown ticket ${id}`);
  return Number(found[0]);
}
const asc = { sort: 'trackingNumber', direction: 'asc' } as const;

describe('ticket list filters', () => {
  it('without filters lists all five, most recently updated first', async () => {
    const r = await list({});
    expect(r.total).toBe(5);
    expect(r.n).toEqual([2, 4, 5, 3, 1]);
  });

  it.each([
    ['status open', { status: ['open'] }, [1, 2]],
    ['status waiting', { status: ['waiting'] }, [3, 4]],
    ['status closed', { status: ['closed'] }, [5]],
    ['status open or closed', { status: ['open', 'closed'] }, [1, 2, 5]],
    ['waitingOn customer', { waitingOn: ['customer'] }, [3]],
    ['waitingOn authorization', { waitingOn: ['authorization'] }, [4]],
    ['tier operations', { tier: ['operations'] }, [2, 5]],
    ['tier development', { tier: ['development'] }, [3]],
    ['tier service_desk', { tier: ['service_desk'] }, [1, 4]],
    ['severity 1', { severity: [1] }, [1, 4]],
    ['severity 2 and 3', { severity: [2, 3] }, [2, 3, 5]],
    ['channel email/complaint', { channel: ['email', 'complaint'] }, [2, 5]],
    ['channel web_form', { channel: ['web_form'] }, [4]],
    ['priority high', { priority: ['high'] }, [2, 5]],
    ['priority low', { priority: ['low'] }, [3]],
    ['several filters at once', { status: ['waiting'], priority: ['low', 'normal'], severity: [3] }, [3]],
    ['no match', { channel: ['chat_sales'] }, []],
  ] as const)('%s', async (_name, filter, expected) => {
    const r = await list({ ...asc, ...filter } as unknown as MethodInput<'tickets.list'>);
    expect(r.n).toEqual(expected);
    expect(r.total).toBe(expected.length);
  });

  it('filters by assignee and by customer', async () => {
    expect((await list({ ...asc, assigneeId: agent.id })).n).toEqual([2, 3]);
    const espiga = customers['Panadería La Espiga SA de CV']!;
    expect((await list({ ...asc, customerId: espiga })).n).toEqual([3, 4]);
    expect((await list({ ...asc, customerId: espiga, assigneeId: agent.id })).n).toEqual([3]);
    expect((await list({ ...asc, customerId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c' })).n).toEqual([]);
  });

  it('views: mine (per caller), unassigned (not closed), waiting', async () => {
    expect((await list({ ...asc, view: 'mine' })).n).toEqual([1]);
    expect((await list({ ...asc, view: 'mine' }, agent.token)).n).toEqual([2, 3]);
    expect((await list({ ...asc, view: 'unassigned' })).n).toEqual([4]); // #5 is unassigned but closed
    expect((await list({ ...asc, view: 'waiting' })).n).toEqual([3, 4]);
    expect((await list({ ...asc, view: 'waiting', waitingOn: ['customer'] })).n).toEqual([3]);
  });

  it('sorts by tracking number, creation, priority and severity in both directions', async () => {
    expect((await list({ sort: 'trackingNumber', direction: 'asc' })).n).toEqual([1, 2, 3, 4, 5]);
    expect((await list({ sort: 'trackingNumber', direction: 'desc' })).n).toEqual([5, 4, 3, 2, 1]);
    expect((await list({ sort: 'createdAt', direction: 'asc' })).n).toEqual([1, 2, 3, 4, 5]);
    expect((await list({ sort: 'createdAt', direction: 'desc' })).n).toEqual([5, 4, 3, 2, 1]);
    // priority by rank (high > normal > low), ties by creation order in the same direction
    expect((await list({ sort: 'priority', direction: 'desc' })).n).toEqual([5, 2, 4, 1, 3]);
    expect((await list({ sort: 'priority', direction: 'asc' })).n).toEqual([3, 1, 4, 2, 5]);
    expect((await list({ sort: 'severity', direction: 'asc' })).n).toEqual([1, 4, 2, 5, 3]);
    expect((await list({ sort: 'severity', direction: 'desc' })).n).toEqual([3, 5, 2, 4, 1]);
    expect((await list({ sort: 'updatedAt', direction: 'asc' })).n).toEqual([1, 3, 5, 4, 2]);
  });

  it('pages by cursor and reports the total of the whole result on the first page', async () => {
    const first = await desk.call('tickets.list', { ...asc, limit: 2 });
    expect([first.rows.map((r) => numberOf(r.id)), first.total, first.totalCapped]).toEqual([[1, 2], 5, false]);
    const second = await desk.call('tickets.list', { ...asc, limit: 2, cursor: first.nextCursor! });
    expect([second.rows.map((r) => numberOf(r.id)), second.total]).toEqual([[3, 4], null]);
    const third = await desk.call('tickets.list', { ...asc, limit: 2, cursor: second.nextCursor! });
    expect([third.rows.map((r) => numberOf(r.id)), third.nextCursor]).toEqual([[5], null]);
    const whole = await desk.call('tickets.list', { ...asc, limit: 5 });
    expect([whole.rows.length, whole.nextCursor, whole.total]).toEqual([5, null, 5]);
    const filtered = await desk.call('tickets.list', { ...asc, limit: 1, severity: [2, 3] });
    expect([filtered.rows.map((r) => numberOf(r.id)), filtered.total]).toEqual([[2], 3]);
    const next = await desk.call('tickets.list', { ...asc, limit: 1, severity: [2, 3], cursor: filtered.nextCursor! });
    expect(next.rows.map((r) => numberOf(r.id))).toEqual([3]);
    expect(await list({ ...asc, limit: 1, query: 'panaderia', searchOrder: 'recent' }).then((r) => [r.n, r.total])).toEqual([[4], 2]);
  });

  it('refuses a cursor it did not make', async () => {
    const r = await desk.raw('tickets.list', { cursor: 'no-es-un-cursor' });
    expect(r).toEqual({ ok: false, error: { code: 'validation.invalid' } });
  });

  it('returns the summary fields of each row', async () => {
    const r = await list({ ...asc, query: 'MTY-000003' });
    expect(r.rows[0]).toEqual({
      highlight: '[[MTY]]-[[000003]] · Portal caído',
      id: ids[3], trackingNumber: 'MTY-000003', customerId: customers['Panadería La Espiga SA de CV'], customerName: 'Panadería La Espiga SA de CV',
      rfc: 'PAN990101AB5', subject: 'Portal caído', channel: 'chat_support', requestType: 'technical', supportType: 'web', category: 'issue_invoice',
      priority: 'low', severity: 3, tier: 'development', status: 'waiting', waitingOn: 'customer', assigneeId: agent.id,
      assigneeName: 'Usuario agente-busqueda', createdAt: expect.any(Number), updatedAt: expect.any(Number),
      // The SLA column (issue 14): a ticket waiting on the customer has its clocks paused.
      slaState: 'paused', dueAt: null, warnAt: null, firstBreachDueAt: null, calendarId: 'support_9_19',
    });
  });
});

describe('full-text search', () => {
  it.each([
    ['tracking number', 'MTY-000003', [3]],
    ['tracking number digits only', '000004', [4]],
    ['RFC', 'PAN990101AB5', [3, 4]],
    ['RFC in lower case', 'tec0503155c6', [1, 2]],
    ['RFC prefix (last term is a prefix)', 'FEN80', [5]],
    ['customer name', 'Espiga', [3, 4]],
    ['customer name without accents', 'ferreteria nunez', [5]],
    ['a word of the description', 'timbrado', [1]],
    ['a word of a later message', 'alternativo', [4]],
    ['accent-insensitive: facturacion finds Facturación', 'facturacion', [1]],
    ['accents in the query too', 'CAÍDO', [3]],
    ['prefix of the last term', 'complem', [2]],
    ['several terms, all required, last one a prefix', 'queja tiem', [5]],
    ['several terms, one missing', 'queja portal', []],
    ['no match at all', 'inexistente', []],
  ] as const)('finds by %s', async (_name, query, expected) => {
    const r = await list({ query });
    expect([...r.n].sort()).toEqual(expected);
    expect(r.total).toBe(expected.length);
  });

  it('combines search with filters', async () => {
    expect((await list({ ...asc, query: 'panaderia', status: ['waiting'], waitingOn: ['customer'] })).n).toEqual([3]);
    expect((await list({ ...asc, query: 'tec0503155c6', priority: ['high'] })).n).toEqual([2]);
  });

  it('treats FTS syntax in the query as plain text', async () => {
    for (const query of ['"', 'error OR "x', 'NEAR(a b)', 'portal*', '-timbrado', 'c++ AND']) {
      const r = await desk.raw('tickets.list', { query });
      expect({ query, ok: r.ok }).toEqual({ query, ok: true });
    }
    expect((await list({ ...asc, query: '"*"' })).n).toEqual([1, 2, 3, 4, 5]); // no terms: no search filter
    expect((await list({ ...asc, query: 'portal*' })).n).toEqual([3]);
  });

  it('marks the match with [[ ]] in the highlight', async () => {
    const byTracking = (await list({ query: 'MTY-000003' })).rows[0]!;
    expect(byTracking.highlight).toBe('[[MTY]]-[[000003]] · Portal caído');
    const accent = (await list({ query: 'facturacion' })).rows[0]!;
    expect(accent.highlight).toBe('MTY-000001 · Error de [[Facturación]] electrónica');
    const description = (await list({ query: 'timbrado' })).rows[0]!;
    expect(description.highlight).toBe('El [[timbrado]] falla con error 301');
    const message = (await list({ query: 'alternativo' })).rows[0]!;
    expect(message.highlight).toBe('Le enviamos el enlace de descarga [[alternativo]]');
    const prefix = (await list({ query: 'espi' })).rows.map((r) => r.highlight);
    expect(prefix).toEqual(['PAN990101AB5 · Panadería La [[Espi]]ga SA de CV', 'PAN990101AB5 · Panadería La [[Espi]]ga SA de CV']);
    // without a query there is no highlight
    expect((await list({})).rows.every((r) => r.highlight === undefined)).toBe(true);
  });

  it('finds a ticket by its new subject and no longer by the old one', async () => {
    expect((await list({ ...asc, query: 'rechazado' })).n).toEqual([]);
    expect((await list({ ...asc, query: 'nomina duplicado' })).n).toEqual([2]);
    // the rest of its indexed text is still there
    expect((await list({ ...asc, query: 'XML complemento' })).n).toEqual([2]);
    expect((await list({ ...asc, query: 'MTY-000002' })).n).toEqual([2]);
  });
});
