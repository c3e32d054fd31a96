import { afterEach, describe, expect, it } from 'vitest';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

let desk: TestDesk;
afterEach(() => desk?.close());

const customer = {
  rfc: 'TEC0503155C6',
  name: 'Tecnologías del Cerro SA de CV',
  registeredEmail: 'facturas@tecnocerro.example.mx',
  contacts: [
    { name: 'Lucía Garza Treviño', email: 'lucia@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true },
    { name: 'Mostrador', email: 'mostrador@tecnocerro.example.mx', phone: '8187654321', isLegalRepresentative: false },
  ],
};

describe('legal representatives are protected like fiscal data', () => {
  it('an ordinary edit may change other contacts but must keep every legal representative as it is', async () => {
    desk = await new TestDesk().setup();
    const c = await desk.call('customers.create', customer);
    const [rep, counter] = c.contacts;
    const ok = await desk.call('customers.update', { customerId: c.id, contacts: [rep!, { ...counter!, phone: '8100000000' }] });
    expect(ok.contacts.map((x) => x.phone)).toEqual(['8112345678', '8100000000']);

    const before = desk.counts();
    const changedPhone = await desk.fail('customers.update', { customerId: c.id, contacts: [{ ...rep!, phone: '5512345678' }, counter!] });
    expect(changedPhone.code).toBe('customers.legalRepresentativeProtected');
    const promoted = await desk.fail('customers.update', { customerId: c.id, contacts: [rep!, { ...counter!, isLegalRepresentative: true }] });
    expect(promoted.code).toBe('customers.legalRepresentativeProtected');
    const removed = await desk.fail('customers.update', { customerId: c.id, contacts: [counter!] });
    expect(removed.code).toBe('customers.legalRepresentativeProtected');

    // Only the three audit entries of the attempts were written; the customer is unchanged.
    expect(desk.counts()).toEqual({ ...before, audit_log: before.audit_log! + 3 });
    const attempts = desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'customers.protectedFieldAttempt'").pluck().all();
    expect(attempts).toEqual(Array(3).fill('{"fields":["legalRepresentatives"]}'));
    expect((await desk.call('customers.get', { customerId: c.id })).contacts[0]).toEqual(rep);
  });
});

describe('a customer registered from the intake form can get its first legal representative and e-mail', () => {
  it('adding the first legal representative is a normal, audited edit; changing it afterwards is refused', async () => {
    desk = await new TestDesk().setup();
    const ticket = await desk.call('tickets.create', phoneIntake());
    const c = await desk.call('customers.get', { customerId: ticket.customerId });
    expect(c.contacts.filter((x) => x.isLegalRepresentative)).toEqual([]);

    const rep = { name: 'Lucía Garza Treviño', email: 'lucia@tecnocerro.example.mx', phone: '8112345678', isLegalRepresentative: true };
    const updated = await desk.call('customers.update', { customerId: c.id, contacts: [...c.contacts, rep] });
    expect(updated.contacts.filter((x) => x.isLegalRepresentative).map((x) => x.name)).toEqual(['Lucía Garza Treviño']);
    const entry = desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'customer.updated' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(entry).contacts.to).toContainEqual(rep);

    // From now on she is protected: a change goes through a request.
    const saved = updated.contacts.find((x) => x.isLegalRepresentative)!;
    const changed = await desk.fail('customers.update', { customerId: c.id, contacts: [updated.contacts[0]!, { ...saved, email: 'otra@correo.mx' }] });
    expect(changed.code).toBe('customers.legalRepresentativeProtected');
    const second = await desk.fail('customers.update', { customerId: c.id, contacts: [...updated.contacts, { ...rep, name: 'Otro Representante' }] });
    expect(second.code).toBe('customers.legalRepresentativeProtected');
  });

  it('the registered e-mail may be set when it is empty (audited), and only then', async () => {
    desk = await new TestDesk().setup();
    const c = await desk.call('customers.create', { ...customer, contacts: [] });
    desk.services.ws.db.prepare("UPDATE customers SET registered_email = '' WHERE id = ?").run(c.id); // as imported from an older system
    const set = await desk.call('customers.update', { customerId: c.id, registeredEmail: 'Facturas@TecnoCerro.example.mx' });
    expect(set.registeredEmail).toBe('facturas@tecnocerro.example.mx');
    const entry = desk.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'customer.updated' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    expect(JSON.parse(entry)).toMatchObject({ registeredEmail: { from: '', to: 'facturas@tecnocerro.example.mx' } });
    const again = await desk.fail('customers.update', { customerId: c.id, registeredEmail: 'otro@tecnocerro.example.mx' });
    expect(again.code).toBe('customers.protectedField');
    expect((await desk.call('customers.get', { customerId: c.id })).registeredEmail).toBe('facturas@tecnocerro.example.mx');
  });
});
