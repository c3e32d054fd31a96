/**
 * The change-request process through sync (issue 11, item 5): requests, their decisions and
 * emergency accounts travel, and the server replays every decision through the same state machine
 * and approval rules the branches use. Real workspaces (MTY registers, GDL and QRO approve) on a
 * real sync server, through the app's own methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { REGISTERED_EMAIL, SIGNED_FORM } from '../requests/helpers';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const desks = deskPool();

/** The request of a customer's legal representative to change its RFC, registered and submitted at MTY. */
async function requestAt(mty: TestDesk, agent: { token: string }, rfc: string, newRfc: string, beforeRequest?: () => Promise<void>) {
  const customer = await mty.call('customers.create', {
    rfc, name: `Contribuyente ${rfc}`, registeredEmail: REGISTERED_EMAIL,
    contacts: [{ name: 'Laura Méndez Ríos', email: 'laura@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true }],
  }, agent.token);
  const ticket = await mty.call('tickets.create', {
    customer: { kind: 'existing', customerId: customer.id },
    channel: 'email', requestType: 'general', supportType: 'web', category: 'change_registered_email', priority: 'normal', severity: 1,
    subject: 'Solicitud de cambio de RFC', description: 'El representante legal envía la solicitud firmada.',
  }, agent.token);
  await beforeRequest?.();
  const draft = await mty.call('requests.create', {
    kind: 'sensitive_change', customerId: customer.id, ticketId: ticket.id, requesterContactId: customer.contacts[0]!.id,
    fromEmail: REGISTERED_EMAIL, reason: 'Cambio de RFC por fusión de la sociedad', signedForm: SIGNED_FORM, changes: { rfc: newRfc },
  }, agent.token);
  const request = await mty.call('requests.submit', { requestId: draft.id }, agent.token);
  return { customer, ticket, request };
}

const approvalBells = async (desk: TestDesk, token: string) =>
  (await desk.call('notifications.list', {}, token)).rows.filter((n) => n.kind === 'approval').map((n) => [n.entityId, n.data.role]);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`change requests through sync (${backend.name})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    }, 60_000);

    /** A branch set up through the app (its administrator's name is its own: names are the organization's) and enrolled. */
    async function branch(site: string): Promise<TestDesk> {
      const desk = await enrolledDesk(() => desks.make(), server, site);
      await desk.call('sync.now', {});
      return desk;
    }
    const sync = async (...list: TestDesk[]) => {
      for (const d of list) {
        const run = await d.call('sync.now', {});
        expect(run.pull.failed).toEqual([]);
      }
    };

    it('a request registered at MTY reaches the approvers at GDL and QRO (bell "aprobación pendiente"); their two approvals, made apart, both count and approve it everywhere; the emergency account\'s window and its end travel', async () => {
      const [mty, gdl, qro] = [await branch('MTY'), await branch('GDL'), await branch('QRO')];
      const agent = await mty.userWithRoles('agente.mty', ['agent']);
      const impl = await mty.userWithRoles('operador.mty', ['operations']);
      const owner = await gdl.userWithRoles('propietaria.gdl', ['information_owner']);
      const officer = await qro.userWithRoles('oficial.qro', ['security_officer']);
      await sync(gdl, qro, mty, gdl, qro);

      // The ticket reaches the server (and stays at MTY: a service-desk ticket) before the request is registered on it.
      const { request, ticket } = await requestAt(mty, agent, 'TEC0503155C6', 'NCE100615A12', () => sync(mty, gdl, qro));
      await sync(mty, gdl, qro);
      // GDL and QRO have the request with its ticket and signed form, in review, and its approvers are told.
      for (const [desk, who, role] of [[gdl, owner, 'information_owner'], [qro, officer, 'security_officer']] as const) {
        const there = await desk.call('requests.get', { requestId: request.id }, who.token);
        expect(there).toMatchObject({ state: 'in_review', ticketId: ticket.id, trackingNumber: ticket.trackingNumber, createdBy: agent.id });
        expect(there.signedForm).toMatchObject({ id: request.signedForm!.id, fileName: SIGNED_FORM.fileName });
        expect(there.diff).toEqual([{ field: 'rfc', before: 'TEC0503155C6', after: 'NCE100615A12' }]);
        expect((await desk.call('requests.list', { view: 'awaiting_me' }, who.token)).rows.map((r) => r.id)).toEqual([request.id]);
        expect(await approvalBells(desk, who.token)).toEqual([[request.id, role]]);
      }
      // The request shared its ticket like an escalation: its timeline came with it (written before the
      // request was registered, at the server), and an entry added later at MTY follows to GDL.
      const gdlTicket = () => gdl.call('tickets.get', { ticketId: ticket.id });
      expect((await gdlTicket()).timeline.map((e) => e.kind)).toContain('created');
      await mty.call('tickets.note', { ticketId: ticket.id, body: 'Se recibió el acta de fusión' }, agent.token);
      await sync(mty, gdl);
      expect((await gdlTicket()).timeline.map((e) => e.body)).toContain('Se recibió el acta de fusión');

      // Each approves without knowing of the other: the server counts both and approves the request.
      const atGdl = await gdl.call('requests.approve', { requestId: request.id, role: 'information_owner', comment: 'Motivo válido' }, owner.token);
      const atQro = await qro.call('requests.approve', { requestId: request.id, role: 'security_officer', comment: 'Aprobado' }, officer.token);
      expect([atGdl.state, atQro.state]).toEqual(['in_review', 'in_review']);
      await sync(gdl, qro, mty, gdl);
      for (const desk of [mty, gdl, qro]) {
        const r = await desk.call('requests.get', { requestId: request.id });
        expect(r.state).toBe('approved');
        expect(r.approvals.map((a) => [a.role, a.actorId]).sort()).toEqual([['information_owner', owner.id], ['security_officer', officer.id]]);
      }
      for (const desk of [gdl, qro]) expect((await desk.call('sync.status', {})).rejected).toBe(0);

      // QRO's officer issues the emergency account for MTY's implementer: its window travels, never its password.
      const created = await qro.call('emergency.create', { requestId: request.id, implementerId: impl.id, durationMinutes: 120, comment: 'Ventana de dos horas' }, officer.token);
      await sync(qro, mty);
      const atMty = (await mty.call('requests.get', { requestId: request.id })).emergencyAccounts;
      expect(atMty).toEqual([expect.objectContaining({
        id: created.account.id, implementerId: impl.id, startsAt: created.account.startsAt, endsAt: created.account.endsAt, disabledAt: null,
      })]);
      expect(mty.services.ws.db.prepare('SELECT password_hash FROM emergency_accounts WHERE id = ?').pluck().get(created.account.id)).toBe('!');
      expect((await mty.fail('emergency.signIn', { username: created.account.username, password: created.password }, null)).code).toBe('auth.invalidCredentials');

      // The implementer works at QRO with it; the start of the implementation and the end of the account reach MTY.
      const session = await qro.call('emergency.signIn', { username: created.account.username, password: created.password }, null);
      await qro.call('emergency.revoke', { accountId: created.account.id, comment: 'Se pospone el cambio' }, officer.token);
      await qro.fail('requests.get', { requestId: request.id }, session.token);
      const reviewer = await mty.userWithRoles('oficial.mty', ['security_officer']);
      await sync(qro, mty);
      const after = await mty.call('requests.get', { requestId: request.id });
      expect(after.state).toBe('in_implementation');
      expect(after.emergencyAccounts[0]).toMatchObject({ disabledReason: 'revoked' });
      expect((await mty.call('emergency.reviewQueue', {}, reviewer.token)).map((i) => i.account.id)).toEqual([created.account.id]);
      const bells = (await mty.call('notifications.list', {}, reviewer.token)).rows.map((n) => [n.kind, n.entityId]);
      expect(bells).toContainEqual(['emergency_review', created.account.id]);

      // A branch that joins now gets the whole process in its first sync, and nobody there is told of old approvals.
      const mid = await branch('MID');
      expect((await mid.call('requests.get', { requestId: request.id })).state).toBe('in_implementation');
      expect(mid.services.ws.db.prepare("SELECT COUNT(*) FROM user_notifications WHERE kind = 'approval'").pluck().get()).toBe(0);
    }, 240_000);

    it('an approval that arrives after the request was rejected elsewhere is refused with its reason, listed as rejected, and taken back at its branch; so is a second decision in a role decided elsewhere, and one person approving twice', async () => {
      const [mty, gdl, qro] = [await branch('MTA'), await branch('GDA'), await branch('QRA')];
      const agent = await mty.userWithRoles('agente.mta', ['agent']);
      const owner = await gdl.userWithRoles('propietaria.gda', ['information_owner']);
      const officer = await qro.userWithRoles('oficial.qra', ['security_officer']);
      const officer2 = await gdl.userWithRoles('oficial.gda', ['security_officer']);
      const both = await gdl.userWithRoles('doble.gda', ['information_owner', 'security_officer']);
      await sync(gdl, qro, mty, gdl, qro);

      // 1. QRO rejects; GDL, not knowing, approves. QRO reaches the server first.
      const first = await requestAt(mty, agent, 'SUR080320B25', 'NCE100615A12');
      await sync(mty, gdl, qro);
      await qro.call('requests.reject', { requestId: first.request.id, role: 'security_officer', comment: 'Falta la identificación' }, officer.token);
      await gdl.call('requests.approve', { requestId: first.request.id, role: 'information_owner', comment: 'Motivo válido' }, owner.token);
      await sync(qro);
      const run = await gdl.call('sync.now', {});
      expect(run.push.rejected).toBe(1);
      expect(run.pull.failed).toEqual([]);
      const rejected = await gdl.call('sync.rejected', {});
      expect(rejected.map((m) => [m.entity, m.op, m.reason, m.payload.decision])).toEqual([['change_request_decision', 'insert', 'sync.requestDecided', 'approve']]);
      // GDL now shows the request as the organization decided it, without the refused approval (its audit entry says why).
      const atGdl = await gdl.call('requests.get', { requestId: first.request.id }, owner.token);
      expect(atGdl.state).toBe('rejected');
      expect(atGdl.decisions.map((d) => [d.decision, d.role])).toEqual([['submit', null], ['reject', 'security_officer']]);
      const undone = gdl.services.ws.db.prepare("SELECT entity_id, data FROM audit_log WHERE action = 'request.refusedBySync'").all() as Array<{ entity_id: string; data: string }>;
      expect(undone.map((u) => [u.entity_id, JSON.parse(u.data).reason])).toEqual([[first.request.id, 'sync.requestDecided']]);
      // On the server: the approval is recorded as refused, the request stays rejected.
      const [held] = await server.db.query<{ state: string }>("SELECT data->>'state' AS state FROM entities WHERE entity = 'change_request' AND entity_id = $1", [first.request.id]);
      expect(held!.state).toBe('rejected');
      await sync(mty);
      expect((await mty.call('requests.get', { requestId: first.request.id })).decisions.map((d) => d.decision)).toEqual(['submit', 'reject']);

      // 2. Two security officers at two branches approve the same request: the second in that role is refused.
      const second = await requestAt(mty, agent, 'PAN990101AB5', 'LOPE700303EF3');
      await sync(mty, gdl, qro);
      await qro.call('requests.approve', { requestId: second.request.id, role: 'security_officer', comment: 'Aprobado' }, officer.token);
      await gdl.call('requests.approve', { requestId: second.request.id, role: 'security_officer', comment: 'Aprobado también' }, officer2.token);
      await sync(qro);
      expect((await gdl.call('sync.now', {})).push.rejected).toBe(1);
      expect((await gdl.call('sync.rejected', {}))[0]!.reason).toBe('sync.requestRoleDecided');
      const second2 = await gdl.call('requests.get', { requestId: second.request.id }, owner.token);
      expect(second2.approvals.map((a) => a.actorId)).toEqual([officer.id]);
      expect(second2.state).toBe('in_review');

      // 3. One person holding both roles approves in one role at GDL and the other at QRO (signed in there): two people are needed.
      const third = await requestAt(mty, agent, 'GOLU800101AB1', 'MARO850202CD2');
      await sync(mty, gdl, qro);
      const bothAtQro = await qro.call('auth.signIn', { username: 'doble.gda', password: 'frase-de-prueba-larga-7' }, null);
      await gdl.call('requests.approve', { requestId: third.request.id, role: 'information_owner', comment: 'Sí' }, both.token);
      await qro.call('requests.approve', { requestId: third.request.id, role: 'security_officer', comment: 'Sí' }, bothAtQro.token);
      await sync(gdl);
      const refused = await qro.call('sync.now', {});
      expect(refused.push.rejected).toBe(1);
      expect((await qro.call('sync.rejected', {}))[0]!.reason).toBe('sync.requestSamePerson');
      for (const desk of [qro, gdl]) {
        const r = await desk.call('requests.get', { requestId: third.request.id });
        expect([r.state, r.approvals.map((a) => a.role)]).toEqual(['in_review', ['information_owner']]);
      }
    }, 240_000);

    it('an emergency account issued for a request cancelled elsewhere is refused and disabled at its branch at once', async () => {
      const [mty, qro] = [await branch('MTB'), await branch('QRB')];
      const agent = await mty.userWithRoles('agente.mtb', ['agent']);
      const impl = await mty.userWithRoles('operador.mtb', ['operations']);
      const owner = await qro.userWithRoles('propietaria.qrb', ['information_owner']);
      const officer = await qro.userWithRoles('oficial.qrb', ['security_officer']);
      await sync(qro, mty, qro);
      const { request } = await requestAt(mty, agent, 'ABC850101AB7', 'RLU0502143A3');
      await sync(mty, qro);
      await qro.call('requests.approve', { requestId: request.id, role: 'information_owner', comment: 'Sí' }, owner.token);
      await qro.call('requests.approve', { requestId: request.id, role: 'security_officer', comment: 'Sí' }, officer.token);
      await sync(qro, mty);
      expect((await mty.call('requests.get', { requestId: request.id })).state).toBe('approved');
      await mty.call('requests.cancel', { requestId: request.id, comment: 'El cliente se desistió' }, agent.token);
      const created = await qro.call('emergency.create', { requestId: request.id, implementerId: impl.id, durationMinutes: 60, comment: 'Ventana' }, officer.token);
      await sync(mty);
      const run = await qro.call('sync.now', {});
      expect(run.push.rejected).toBeGreaterThanOrEqual(1);
      expect((await qro.call('sync.rejected', {})).find((m) => m.entity === 'emergency_account')?.reason).toBe('sync.requestDecided');
      expect((await qro.call('requests.get', { requestId: request.id }, officer.token)).state).toBe('cancelled');
      expect((await qro.fail('emergency.signIn', { username: created.account.username, password: created.password }, null)).code).toMatch(/^emergency\.|^auth\./);
      expect(qro.services.ws.db.prepare('SELECT disabled_at IS NOT NULL FROM emergency_accounts WHERE id = ?').pluck().get(created.account.id)).toBe(1);
    }, 240_000);
  });
}
