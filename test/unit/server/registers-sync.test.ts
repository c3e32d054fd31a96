/**
 * The organization's registers through sync (issue 11): the personal-data requests (derechos ARCO)
 * with their deadlines, the knowledge base, and a customer whose RFC an approved request changes
 * into another customer's (merged as the identity rules merge a double registration). Two real
 * workspaces (MTY, GDL) on a PGlite server, through the app's own methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { REGISTERED_EMAIL, SIGNED_FORM } from '../requests/helpers';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const pglite = BACKENDS.find((b) => b.name === 'PGlite')!;
const DAY_MS = 24 * 60 * 60 * 1000;

describe('the organization\'s registers through sync (PGlite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(pglite);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);

  async function branch(site: string): Promise<TestDesk> {
    const desk = await enrolledDesk(() => desks.make(), server, site);
    await desk.call('sync.now', {});
    return desk;
  }
  const sync = async (...list: TestDesk[]) => {
    for (const d of list) {
      const run = await d.call('sync.now', {});
      expect(run.push.rejected).toBe(0);
      expect(run.pull.failed).toEqual([]);
    }
  };

  it('a personal-data request registered at MTY is in GDL\'s register with the same 20-business-day deadline; its progress at GDL reaches MTY', async () => {
    const mty = await branch('MTY');
    const gdl = await branch('GDL');
    const owner = await mty.userWithRoles('duena.mty', ['information_owner']);
    const supervisor = await gdl.userWithRoles('supervisora.gdl', ['supervisor']);
    const customer = await mty.call('customers.create', { rfc: 'LOPE700303EF3', name: 'Eduardo López', registeredEmail: 'eduardo@correo.example.mx', contacts: [] });
    const arco = await mty.call('personalData.create', {
      customerId: customer.id, kind: 'access', channel: 'mail', receivedAt: mty.now() - 3 * DAY_MS, requesterName: 'Eduardo López',
      requesterRole: 'holder', identityMethod: 'official_id', identityNotes: 'INE revisada', details: 'Pide copia de sus datos',
    }, owner.token);
    await sync(mty, gdl);

    const atGdl = await gdl.call('personalData.list', { customerId: customer.id }, supervisor.token);
    expect(atGdl.rows).toEqual([expect.objectContaining({
      id: arco.id, kind: 'access', channel: 'mail', status: 'received', receivedAt: arco.receivedAt, dueAt: arco.dueAt, requesterName: 'Eduardo López',
    })]);
    expect((await gdl.call('personalData.list', { pendingOnly: true }, supervisor.token)).rows.map((r) => r.id)).toEqual([arco.id]);

    gdl.advance(60_000);
    await gdl.call('personalData.setStatus', { requestId: arco.id, status: 'in_progress', reason: '' }, supervisor.token);
    gdl.advance(60_000);
    await gdl.call('personalData.setStatus', { requestId: arco.id, status: 'answered', reason: 'Se envió la copia por correo certificado' }, supervisor.token);
    await sync(gdl, mty);
    const [atMty] = (await mty.call('personalData.list', { customerId: customer.id }, owner.token)).rows;
    expect(atMty).toMatchObject({ status: 'answered', statusReason: 'Se envió la copia por correo certificado', dueAt: arco.dueAt, overdue: false });
    expect(atMty!.respondedAt).toBe(gdl.now());
  }, 180_000);

  it('a knowledge-base article written and published at MTY is found at GDL; GDL\'s edit reaches MTY', async () => {
    const mty = await branch('MTA');
    const gdl = await branch('GDA');
    const agent = await gdl.userWithRoles('agente.gda', ['agent']);
    const draft = await mty.call('kb.create', {
      category: 'issue_invoice', title: 'Cómo cancelar una factura con el nuevo esquema', body: 'Primero verifique el **motivo** de cancelación.', visibility: 'public',
    });
    await mty.call('kb.setStatus', { articleId: draft.id, status: 'published' });
    await sync(mty, gdl);
    expect(await gdl.call('kb.get', { articleId: draft.id }, agent.token)).toMatchObject({
      title: 'Cómo cancelar una factura con el nuevo esquema', status: 'published', visibility: 'public', category: 'issue_invoice',
    });
    expect((await gdl.call('kb.list', { query: 'cancelacion motivo' }, agent.token)).rows.map((r) => r.id)).toContain(draft.id);

    const current = await gdl.call('kb.get', { articleId: draft.id }, agent.token);
    gdl.advance(60_000);
    const edited = await gdl.call('kb.update', {
      articleId: draft.id, expectedVersion: current.version, title: current.title, body: `${current.body}\n\nDespués espere la aceptación del receptor.`,
    }, (await gdl.userWithRoles('supervisora.gda', ['supervisor'])).token);
    await sync(gdl, mty);
    const atMty = await mty.call('kb.get', { articleId: draft.id });
    expect(atMty.body).toContain('aceptación del receptor');
    expect(atMty.version).toBe(edited.version);
  }, 180_000);

  it('a team quick reply written at MTY is offered at GDL, and its deletion at MTY takes it away there', async () => {
    const mty = await branch('MTQ');
    const gdl = await branch('GDQ');
    const supervisor = await mty.userWithRoles('supervisora.mtq', ['supervisor']);
    const agent = await gdl.userWithRoles('agente.gdq', ['agent']);
    const team = await mty.call('quickReplies.save', {
      scope: 'team', title: 'Acuse de cancelación', 'es-MX': 'Estimado {{cliente}}: recibimos su solicitud con folio {{folio}}.', en: '',
    }, supervisor.token);
    await mty.call('quickReplies.save', { scope: 'personal', title: 'Mi saludo', 'es-MX': 'Hola {{cliente}}', en: '' }, supervisor.token);
    await sync(mty, gdl);
    expect((await gdl.call('quickReplies.list', {}, agent.token)).rows.map((r) => [r.title, r.scope])).toEqual([['Acuse de cancelación', 'team']]);

    mty.advance(60_000);
    await mty.call('quickReplies.delete', { quickReplyId: team.id }, supervisor.token);
    await sync(mty, gdl);
    expect((await gdl.call('quickReplies.list', {}, agent.token)).rows).toEqual([]);
  }, 180_000);

  it('a customer\'s RFC changed by an approved request into the RFC of a customer GDL registered meanwhile becomes that customer at both branches, its ticket and request following', async () => {
    const mty = await branch('MTB');
    const gdl = await branch('GDB');
    // GDL registers the taxpayer under its new RFC; MTY does not know yet.
    const atGdl = await gdl.call('customers.create', { rfc: 'NCE100615A12', name: 'Nueva Comercializadora del Este', registeredEmail: 'compras@nce.example.mx', contacts: [] });
    await sync(gdl);

    // At MTY the same company, under its old RFC, asks to change it; approved and applied at MTY.
    const agent = await mty.userWithRoles('agente.mtb', ['agent']);
    const owner = await mty.userWithRoles('duena.mtb', ['information_owner']);
    const officer = await mty.userWithRoles('oficial.mtb', ['security_officer']);
    const impl = await mty.userWithRoles('operador.mtb', ['operations']);
    const old = await mty.call('customers.create', {
      rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', registeredEmail: REGISTERED_EMAIL, taxRegime: '601',
      contacts: [{ name: 'Laura Méndez Ríos', email: 'laura@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true }],
    }, agent.token);
    const ticket = await mty.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId: old.id }, subject: 'Cambio de RFC' }), agent.token);
    const draft = await mty.call('requests.create', {
      kind: 'sensitive_change', customerId: old.id, ticketId: ticket.id, requesterContactId: old.contacts[0]!.id, fromEmail: REGISTERED_EMAIL,
      reason: 'Fusión: la sociedad adopta el RFC de la absorbente', signedForm: SIGNED_FORM, changes: { rfc: 'NCE100615A12' },
    }, agent.token);
    await mty.call('requests.submit', { requestId: draft.id }, agent.token);
    await mty.call('requests.approve', { requestId: draft.id, role: 'information_owner', comment: 'Sí' }, owner.token);
    await mty.call('requests.approve', { requestId: draft.id, role: 'security_officer', comment: 'Sí' }, officer.token);
    const account = await mty.call('emergency.create', { requestId: draft.id, implementerId: impl.id, durationMinutes: 60, comment: 'Ventana' }, officer.token);
    const session = await mty.call('emergency.signIn', { username: account.account.username, password: account.password }, null);
    await mty.call('requests.apply', { requestId: draft.id, comment: 'RFC cambiado' }, session.token);
    expect((await mty.call('customers.get', { customerId: old.id })).rfc).toBe('NCE100615A12');

    await sync(mty, gdl, mty);
    // Decided on the server: the customer that held the RFC keeps its id; MTY's is its alias.
    expect(await server.db.query('SELECT alias_id, customer_id FROM customer_aliases')).toEqual([{ alias_id: old.id, customer_id: atGdl.id }]);
    for (const desk of [mty, gdl]) {
      const db = desk.services.ws.db;
      expect(db.prepare("SELECT id FROM customers WHERE rfc IN ('NCE100615A12', 'TEC0503155C6')").pluck().all()).toEqual([atGdl.id]);
      expect(db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(ticket.id)).toBe(atGdl.id);
      expect(db.prepare('SELECT customer_id FROM change_requests WHERE id = ?').pluck().get(draft.id)).toBe(atGdl.id);
      // The first registration's name stays; what it lacked (tax regime, the legal representative) comes from MTY's.
      expect(db.prepare('SELECT name, tax_regime AS taxRegime FROM customers WHERE id = ?').get(atGdl.id))
        .toEqual({ name: 'Nueva Comercializadora del Este', taxRegime: '601' });
      expect(db.prepare('SELECT name FROM contacts WHERE customer_id = ?').pluck().all(atGdl.id)).toEqual(['Laura Méndez Ríos']);
    }
    expect((await gdl.call('requests.get', { requestId: draft.id })).state).toBe('implemented');
  }, 180_000);
});
