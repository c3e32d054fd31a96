import { afterEach, describe, expect, it } from 'vitest';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

let desk: TestDesk;
afterEach(() => desk?.close());

const ana = { kind: 'new' as const, rfc: 'XAXX010101000', name: 'Ana Pérez Luna', email: 'ana.perez@correo.mx', phone: '55 1234 5678' };
const juan = { kind: 'new' as const, rfc: 'xaxx-010101-000', name: 'Juan López', email: 'juan.lopez@correo.mx', phone: '' };

describe('generic RFCs (público en general, extranjeros) never identify a customer', () => {
  it('two walk-ins with XAXX010101000 are two customers; the look-up by RFC alone finds no one', async () => {
    desk = await new TestDesk().setup();
    const first = await desk.call('tickets.create', phoneIntake({ customer: ana }));
    const second = await desk.call('tickets.create', phoneIntake({ customer: juan, subject: 'Otro problema' }));
    expect(second.customerId).not.toBe(first.customerId);
    const rows = desk.services.ws.db.prepare("SELECT name, registered_email FROM customers WHERE rfc = 'XAXX010101000' ORDER BY name").raw().all();
    expect(rows).toEqual([['Ana Pérez Luna', 'ana.perez@correo.mx'], ['Juan López', 'juan.lopez@correo.mx']]);

    // What the intake asks while the agent types: the RFC alone, or with someone else's e-mail, prefills nothing.
    expect(await desk.call('customers.findByRfc', { rfc: 'XAXX010101000' })).toBeNull();
    expect(await desk.call('customers.findByRfc', { rfc: 'XAXX010101000', name: 'Juan López' })).toBeNull();
    expect(await desk.call('customers.findByRfc', { rfc: 'XAXX010101000', name: 'Juan López', email: ana.email })).toBeNull();
    expect((await desk.call('customers.findByRfc', { rfc: 'XAXX010101000', name: 'juan  lópez', email: 'JUAN.LOPEZ@correo.mx' }))?.id).toBe(second.customerId);
    expect((await desk.call('customers.findByRfc', { rfc: 'XAXX010101000', name: 'Ana Pérez Luna', phone: '+52 55-1234-5678' }))?.id).toBe(first.customerId);
  });

  it('the same person (name + e-mail or phone) is found again: the new ticket goes to her customer, with no duplicate', async () => {
    desk = await new TestDesk().setup();
    const first = await desk.call('tickets.create', phoneIntake({ customer: ana }));
    const customers = desk.counts().customers;
    const again = await desk.call('tickets.create', phoneIntake({ customer: { ...ana, name: 'ANA PÉREZ LUNA', email: 'otro@correo.mx' }, subject: 'Segundo' }));
    expect(again.customerId).toBe(first.customerId);
    expect(desk.counts().customers).toBe(customers);
    // Same e-mail but another name: another person.
    const other = await desk.call('tickets.create', phoneIntake({ customer: { ...ana, name: 'Pedro Pérez' }, subject: 'Tercero' }));
    expect(other.customerId).not.toBe(first.customerId);
  });

  it('the customer form registers many foreigners with XEXX010101000; every other RFC stays unique', async () => {
    desk = await new TestDesk().setup();
    const base = { registeredEmail: 'a@mail.com', contacts: [] };
    const a = await desk.call('customers.create', { ...base, rfc: 'XEXX010101000', name: 'John Smith' });
    const b = await desk.call('customers.create', { ...base, rfc: 'XEXX010101000', name: 'Jane Roe' });
    expect(a.id).not.toBe(b.id);
    await desk.call('customers.create', { ...base, rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro' });
    const dup = await desk.fail('customers.create', { ...base, rfc: 'TEC0503155C6', name: 'Otra' });
    expect(dup.fields).toEqual({ rfc: 'rfc.duplicate' });
    expect((await desk.call('customers.findByRfc', { rfc: 'TEC0503155C6' }))?.name).toBe('Tecnologías del Cerro');
  });
});
