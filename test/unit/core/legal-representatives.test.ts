import { afterEach, describe, expect, it } from 'vitest';
import { TestDesk } from '../../fixtures/workspace';

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
