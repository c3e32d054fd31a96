/**
 * Identity rules of sync (issue 11), decided on the server: the same RFC registered offline at two
 * branches becomes one customer (the one the server received first; the later id is mapped onto
 * it and every reference follows at every branch), generic RFCs never merge. Two real workspaces
 * (MTY, GDL) on a PGlite server, through the app's own methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const pglite = BACKENDS.find((b) => b.name === 'PGlite')!;
const RFC = 'TEC0503155C6';

describe('identity rules on one sync server (PGlite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(pglite);
  }, 120_000);
  afterAll(async () => {
    await server.close();
  }, 60_000);

  /** A branch set up through the app (its administrator's name is its own: names are the organization's) and enrolled. */
  async function branch(site: string): Promise<TestDesk> {
    const desk = await enrolledDesk(() => desks.make(), server, site);
    await desk.call('sync.now', {});
    return desk;
  }
  const customersWith = (desk: TestDesk, rfc: string) =>
    desk.services.ws.db.prepare('SELECT id FROM customers WHERE rfc = ? ORDER BY id').pluck().all(rfc) as string[];
  const customerOf = (desk: TestDesk, ticketId: string) =>
    desk.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(ticketId) as string;
  const contactNames = (desk: TestDesk, customerId: string) =>
    (desk.services.ws.db.prepare('SELECT name FROM contacts WHERE customer_id = ? ORDER BY name').pluck().all(customerId) as string[]);

  it('the same RFC registered offline at MTY and GDL becomes one customer: the first the server received; GDL\'s tickets, contacts and personal-data requests follow it', async () => {
    const mty = await branch('MTY');
    const gdl = await branch('GDL');
    // Both register the same taxpayer while apart, each with its own contact and ticket.
    const atMty = await mty.call('tickets.create', phoneIntake({
      customer: { kind: 'new', rfc: RFC, name: 'Tecnologías del Cerro SA de CV', email: 'facturas@tecnocerro.example.mx', phone: '81 1234 5678' },
      subject: 'No puede timbrar (MTY)',
    }));
    const gdlCustomer = await gdl.call('customers.create', {
      rfc: RFC, name: 'Tecnologias del Cerro', registeredEmail: 'compras@tecnocerro.example.mx', taxRegime: '601',
      contacts: [{ name: 'Rosa Compras', email: 'compras@tecnocerro.example.mx', phone: '33 8765 4321', isLegalRepresentative: false }],
    });
    const atGdl = await gdl.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId: gdlCustomer.id }, subject: 'No puede timbrar (GDL)' }));
    const mtyId = customerOf(mty, atMty.id);
    const gdlId = customerOf(gdl, atGdl.id);
    expect(gdlId).not.toBe(mtyId);
    const arco = await gdl.call('personalData.create', {
      customerId: gdlId, kind: 'access', channel: 'email', requesterName: 'Rosa Compras', requesterRole: 'holder',
      identityMethod: 'official_id', identityNotes: 'INE revisada', details: 'Pide sus datos',
    });

    // MTY reaches the server first: its customer is the one. GDL pushes, then pulls.
    await mty.call('sync.now', {});
    const gdlRun = await gdl.call('sync.now', {});
    expect(gdlRun.push.rejected).toBe(0);
    expect(gdlRun.pull.failed).toEqual([]);
    await mty.call('sync.now', {});

    for (const desk of [mty, gdl]) expect(customersWith(desk, RFC)).toEqual([mtyId]);
    expect(customerOf(gdl, atGdl.id)).toBe(mtyId);
    expect(customerOf(mty, atMty.id)).toBe(mtyId);
    expect(gdl.services.ws.db.prepare('SELECT customer_id FROM personal_data_requests WHERE id = ?').pluck().get(arco.id)).toBe(mtyId);
    // Both branches' contacts are kept, at both branches; the name first registered stays.
    for (const desk of [mty, gdl]) {
      expect(contactNames(desk, mtyId)).toEqual(expect.arrayContaining(['Rosa Compras']));
      expect(contactNames(desk, mtyId).length).toBe(2);
      expect(desk.services.ws.db.prepare('SELECT name, tax_regime AS taxRegime FROM customers WHERE id = ?').get(mtyId))
        .toEqual({ name: 'Tecnologías del Cerro SA de CV', taxRegime: '601' }); // MTY left the tax regime empty: GDL's fills it
    }
    // GDL finds the customer by RFC and its own ticket under it.
    expect((await gdl.call('customers.findByRfc', { rfc: RFC }))!.id).toBe(mtyId);
    expect((await gdl.call('tickets.get', { ticketId: atGdl.id })).ticket.customerId).toBe(mtyId);

    // Decided on the server, recorded there, audited at the branch whose records moved.
    const aliases = await server.db.query<{ alias_id: string; customer_id: string }>('SELECT alias_id, customer_id FROM customer_aliases');
    expect(aliases).toEqual([{ alias_id: gdlId, customer_id: mtyId }]);
    const [entities] = await server.db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM entities WHERE entity = 'customer' AND data->>'rfc' = $1", [RFC]);
    expect(entities!.n).toBe(1);
    const audit = gdl.services.ws.db.prepare("SELECT entity_id, data FROM audit_log WHERE action = 'customer.mergedBySync'").all() as Array<{ entity_id: string; data: string }>;
    expect(audit.map((a) => a.entity_id)).toEqual([mtyId]);
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ mergedId: gdlId, rfc: RFC });

    // A later change at GDL goes to the one customer, and MTY sees it.
    await gdl.call('customers.update', { customerId: mtyId, plan: 'advanced' });
    await gdl.call('sync.now', {});
    await mty.call('sync.now', {});
    expect(mty.services.ws.db.prepare('SELECT plan FROM customers WHERE id = ?').pluck().get(mtyId)).toBe('advanced');
    // A third branch that joins later sees one customer, with both tickets' customer the same.
    const qro = await branch('QRO');
    expect(customersWith(qro, RFC)).toEqual([mtyId]);
  }, 120_000);

  it('customers with a generic RFC (público en general, extranjeros) never merge', async () => {
    const mty = await branch('MTA');
    const gdl = await branch('GDA');
    for (const [desk, name, email] of [[mty, 'Juan Pérez', 'juan@correo.example.mx'], [gdl, 'María López', 'maria@correo.example.mx']] as const) {
      await desk.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'XAXX010101000', name, email, phone: '81 5555 0000' } }));
    }
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    await mty.call('sync.now', {});
    const [row] = await server.db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM entities WHERE entity = 'customer' AND data->>'rfc' = 'XAXX010101000'");
    expect(row!.n).toBe(2);
    expect(await server.db.query('SELECT 1 FROM customer_aliases WHERE customer_id IN (SELECT entity_id FROM entities WHERE data->>\'rfc\' = \'XAXX010101000\')')).toEqual([]);
    for (const desk of [mty, gdl]) expect(customersWith(desk, 'XAXX010101000').length).toBe(2);
  }, 120_000);

  it('the same user name created at two branches: the one the server received first keeps it, the other becomes <name>.<branch> everywhere and keeps all it did', async () => {
    const mty = await branch('MTB');
    const gdl = await branch('GDB');
    const guadalupe = await mty.userWithRoles('lupita', ['agent']);
    const otherPassword = 'otra-frase-larga-de-gdl-9';
    const lupitaGdl = await gdl.call('users.create', { username: 'lupita', fullName: 'Lupita Gómez', password: otherPassword, confirmPassword: otherPassword, roles: ['agent'] });
    const gdlSession = await gdl.call('auth.signIn', { username: 'lupita', password: otherPassword }, null);
    const work = await gdl.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'GOLU800101AB1', name: 'Lupita Cliente', email: 'cliente@gdl.example.mx', phone: '' } }), gdlSession.token);

    await mty.call('sync.now', {});
    const up = await gdl.call('sync.now', {});
    expect(up.push.rejected).toBe(0);
    expect(up.pull.failed).toEqual([]);
    await mty.call('sync.now', {});

    // One name, one person, in the whole organization.
    const names = await server.db.query<{ id: string; username: string }>("SELECT id, username FROM users WHERE username LIKE 'lupita%' ORDER BY username");
    expect(names).toEqual([{ id: guadalupe.id, username: 'lupita' }, { id: lupitaGdl.id, username: 'lupita.gdb' }]);
    for (const desk of [mty, gdl]) {
      const local = desk.services.ws.db.prepare("SELECT id, username FROM users WHERE username LIKE 'lupita%' ORDER BY username").all();
      expect(local).toEqual([{ id: guadalupe.id, username: 'lupita' }, { id: lupitaGdl.id, username: 'lupita.gdb' }]);
    }
    // Nothing GDL's Lupita did is lost: her ticket is on the server as hers.
    const [ticket] = await server.db.query<{ status: string; actor_id: string }>("SELECT status, actor_id FROM mutations WHERE entity = 'ticket' AND entity_id = $1 AND op = 'insert'", [work.id]);
    expect(ticket).toEqual({ status: 'applied', actor_id: lupitaGdl.id });
    // She signs in at GDL under her new name; the old name is Guadalupe's now (checked with the server).
    expect((await gdl.call('auth.signIn', { username: 'lupita.gdb', password: otherPassword }, null)).user.id).toBe(lupitaGdl.id);
    expect((await gdl.fail('auth.signIn', { username: 'lupita', password: otherPassword }, null)).code).toBe('auth.invalidCredentials');
    // Audited once at the branch where the name changed, nowhere else.
    const renamed = (desk: TestDesk) => desk.services.ws.db.prepare("SELECT entity_id AS id, data FROM audit_log WHERE action = 'user.renamedBySync'").all() as Array<{ id: string; data: string }>;
    expect(renamed(gdl).map((r) => [r.id, JSON.parse(r.data)])).toEqual([[lupitaGdl.id, { from: 'lupita', to: 'lupita.gdb' }]]);
    expect(renamed(mty)).toEqual([]);
  }, 120_000);

  it('users are central: an administrator\'s reset forces the change at every branch (the flag only, never a hash), and a user disabled at one branch is refused at every branch', async () => {
    const mty = await branch('MTC');
    const gdl = await branch('GDC');
    const rosa = await mty.userWithRoles('rosa.c', ['agent']);
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    const flag = (desk: TestDesk) => desk.services.ws.db.prepare('SELECT must_change_password FROM users WHERE id = ?').pluck().get(rosa.id);

    // MTY's administrator resets her password: GDL asks for a new one at her next sign-in there.
    mty.advance(60_000);
    await mty.call('users.resetPassword', { userId: rosa.id, password: 'temporal-de-mty-2026' });
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect(flag(gdl)).toBe(1);
    const forced = await gdl.call('auth.signIn', { username: 'rosa.c', password: 'temporal-de-mty-2026' }, null);
    expect(forced.user.mustChangePassword).toBe(true);
    expect((await gdl.fail('tickets.list', {}, forced.token)).code).toBe('auth.mustChangePassword');

    // She changes it at GDL (her own row: allowed to her, not only to administrators); MTY stops asking.
    gdl.advance(60_000);
    await gdl.call('auth.changePassword', { currentPassword: 'temporal-de-mty-2026', newPassword: 'nueva-frase-de-rosa-77', confirmPassword: 'nueva-frase-de-rosa-77' }, forced.token);
    const up = await gdl.call('sync.now', {});
    expect(up.push.rejected).toBe(0);
    await mty.call('sync.now', {});
    expect(flag(mty)).toBe(0);
    expect((await mty.call('auth.signIn', { username: 'rosa.c', password: 'nueva-frase-de-rosa-77' }, null)).user.mustChangePassword).toBe(false);
    // Only the flag travelled: no hash or password in either outbox or on the server.
    for (const desk of [mty, gdl]) {
      expect(desk.services.ws.db.prepare("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%scrypt$%' OR payload LIKE '%\"password\"%' OR payload LIKE '%temporal-de-mty%'").pluck().get()).toBe(0);
    }
    const [leaked] = await server.db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM mutations WHERE payload::text LIKE '%scrypt$%' OR payload::text LIKE '%nueva-frase%' OR payload ? 'passwordHash'");
    expect(leaked!.n).toBe(0);

    // Disabled at MTY: at GDL, after the pull, her open session ends and she cannot sign in.
    const open = await gdl.call('auth.signIn', { username: 'rosa.c', password: 'nueva-frase-de-rosa-77' }, null);
    await mty.call('users.update', { userId: rosa.id, active: false });
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect((await gdl.fail('auth.me', {}, open.token)).code).toMatch(/^auth\./);
    expect((await gdl.fail('auth.signIn', { username: 'rosa.c', password: 'nueva-frase-de-rosa-77' }, null)).code).toBe('auth.inactive');
  }, 120_000);

  it('pulled changes ring the bell as local ones do: escalated to my tier, assigned to me, a customer message on my ticket, handed back to my tier', async () => {
    const mty = await branch('MTD');
    const gdl = await branch('GDD');
    const lupita = await mty.userWithRoles('lupita.d', ['agent']);
    const sofia = await mty.userWithRoles('sofia.d', ['supervisor']);
    const oscar = await gdl.userWithRoles('oscar.d', ['operations']);
    await gdl.call('sync.now', {});
    await mty.call('sync.now', {});
    const kinds = async (desk: TestDesk, token: string) =>
      (await desk.call('notifications.list', {}, token)).rows.map((n) => [n.kind, n.folio, n.data.direction ?? '']).sort();

    const ticket = await mty.call('tickets.create', phoneIntake({
      customer: { kind: 'new', rfc: 'MARO850202CD2', name: 'Rodrigo Martínez', email: 'rodrigo@correo.example.mx', phone: '' }, severity: 3, subject: 'Caída del timbrado',
    }), lupita.token);
    await mty.call('tickets.moveTier', { ticketId: ticket.id, toTier: 'operations', reason: 'Afecta a todos.' }, lupita.token);
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect(await kinds(gdl, oscar.token)).toEqual([['escalated', ticket.trackingNumber, 'up']]);

    await mty.call('tickets.assign', { ticketId: ticket.id, assigneeId: oscar.id }, sofia.token);
    await mty.call('tickets.customerMessage', { ticketId: ticket.id, body: '¿Hay novedades?' }, lupita.token);
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect(await kinds(gdl, oscar.token)).toEqual([
      ['assigned', ticket.trackingNumber, ''], ['customer_message', ticket.trackingNumber, ''], ['escalated', ticket.trackingNumber, 'up'],
    ]);
    const assigned = (await gdl.call('notifications.list', {}, oscar.token)).rows.find((n) => n.kind === 'assigned')!;
    expect(assigned.actorName).toBe('Usuario sofia.d');

    // Oscar hands it back: MTY's service desk hears about it.
    const before = (await kinds(mty, lupita.token)).length;
    await gdl.call('tickets.handBack', { ticketId: ticket.id, cause: 'Certificado vencido.', solution: 'Se renovó.' }, oscar.token);
    await gdl.call('sync.now', {});
    await mty.call('sync.now', {});
    const atMty = await kinds(mty, lupita.token);
    expect(atMty.length).toBe(before + 1);
    expect(atMty).toContainEqual(['escalated', ticket.trackingNumber, 'down']);
  }, 120_000);

  it('a customer blocked at one branch (cancelación, by the information owner) is hidden at every branch after pull, and shows again when the block is lifted', async () => {
    const mty = await branch('MTE');
    const gdl = await branch('GDE');
    const owner = await mty.userWithRoles('duena.e', ['information_owner']);
    const agent = await gdl.userWithRoles('agente.e', ['agent']);
    const created = await mty.call('customers.create', { rfc: 'LOPE700303EF3', name: 'Eduardo López', registeredEmail: 'eduardo@correo.example.mx', contacts: [] });
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect((await gdl.call('customers.findByRfc', { rfc: 'LOPE700303EF3' }, agent.token))?.id).toBe(created.id);

    const arco = await mty.call('personalData.create', {
      customerId: created.id, kind: 'cancellation', channel: 'email', requesterName: 'Eduardo López', requesterRole: 'holder',
      identityMethod: 'official_id', identityNotes: 'INE revisada', details: 'Pide cancelar sus datos',
    }, owner.token);
    await mty.call('personalData.block', { requestId: arco.id, comment: 'Cancelación procedente' }, owner.token);
    const up = await mty.call('sync.now', {});
    expect(up.push.rejected).toBe(0);
    await gdl.call('sync.now', {});
    expect((await gdl.fail('customers.findByRfc', { rfc: 'LOPE700303EF3' }, agent.token)).code).toBe('personalData.blocked');
    expect((await gdl.call('customers.list', { query: 'López' }, agent.token)).map((c) => c.id)).not.toContain(created.id);

    await mty.call('personalData.setStatus', { requestId: arco.id, status: 'withdrawn', reason: 'El titular se desistió' }, owner.token);
    await mty.call('personalData.unblock', { requestId: arco.id, comment: 'Desistimiento' }, owner.token);
    await mty.call('sync.now', {});
    await gdl.call('sync.now', {});
    expect((await gdl.call('customers.findByRfc', { rfc: 'LOPE700303EF3' }, agent.token))?.id).toBe(created.id);
  }, 120_000);

  it('the organization\'s settings set at one branch reach every branch: general settings, SLA calendars and policies, emergency accounts\' longest duration', async () => {
    const mty = await branch('MTF');
    const gdl = await branch('GDF');
    await mty.call('settings.update', { reopenWithinDays: 9, closedTicketPolicy: (await mty.call('settings.get', {})).closedTicketPolicy });
    const sla = await mty.call('sla.config', {});
    await mty.call('sla.saveConfig', { ...sla, escalationTemplate: 'Su ticket {{trackingNumber}} pasó a {{tier}}; respuesta en {{hours}} horas hábiles.' });
    await mty.call('emergency.updateSettings', { maxHours: 12 });
    const up = await mty.call('sync.now', {});
    expect(up.push.rejected).toBe(0);
    const down = await gdl.call('sync.now', {});
    expect(down.pull.failed).toEqual([]);
    expect((await gdl.call('settings.get', {})).reopenWithinDays).toBe(9);
    expect((await gdl.call('sla.config', {})).escalationTemplate).toBe('Su ticket {{trackingNumber}} pasó a {{tier}}; respuesta en {{hours}} horas hábiles.');
    expect((await gdl.call('emergency.settings', {})).maxHours).toBe(12);
  }, 120_000);
});
