/**
 * The crash-safety test's victim: opens the workspace in argv[2], sets it up (or signs in), then
 * writes forever through the dispatcher — a ticket, a reply on it, again — and prints one line
 * per write only after the call returned (stdout on a pipe is synchronous on Linux/macOS):
 *   T <ticketId> <trackingNumber>      a ticket was created
 *   R <eventId> <ticketId>             a reply was added
 */
import { openHost } from '../../../electron/core/host';

const PASSWORD = 'contraseña-choque-1';
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: writer.ts DATA_DIR');
const round = process.argv[3] ?? '0';

async function must<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

async function main(): Promise<void> {
  const host = openHost({ dataDir: dataDir! });
  const status = await must<{ initialized: boolean }>(host.call('app.status', {}, null));
  const session = status.initialized
    ? await must<{ token: string }>(host.call('auth.signIn', { username: 'admin', password: PASSWORD }, null))
    : await must<{ token: string }>(host.call('auth.setup', {
        branchCode: 'CRSH', branchName: 'Sucursal Choque', username: 'admin', fullName: 'Ana Administradora',
        password: PASSWORD, confirmPassword: PASSWORD,
      }, null));
  const token = session.token;
  const existing = await must<{ id: string } | null>(host.call('customers.findByRfc', { rfc: 'TEC0503155C6' }, token));
  process.stdout.write('READY\n');
  let customer: Record<string, unknown> = existing
    ? { kind: 'existing', customerId: existing.id }
    : { kind: 'new', rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', email: 'facturas@tecnocerro.example.mx', phone: '81 1234 5678' };
  for (let i = 0; ; i++) {
    const ticket = await must<{ id: string; trackingNumber: string; customerId: string }>(host.call('tickets.create', {
      customer, channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', severity: 1,
      subject: `Falla de timbrado ronda ${round} número ${i}`,
      description: 'El cliente no puede timbrar; el portal muestra el error CFDI40102 al emitir la factura.',
    }, token));
    process.stdout.write(`T ${ticket.id} ${ticket.trackingNumber}\n`);
    customer = { kind: 'existing', customerId: ticket.customerId };
    const detail = await must<{ timeline: Array<{ id: string; kind: string }> }>(host.call('tickets.reply', {
      ticketId: ticket.id, body: `Revisamos el error del intento ${i}; por favor vuelva a timbrar.`,
    }, token));
    const reply = detail.timeline.filter((e) => e.kind === 'reply').at(-1)!;
    process.stdout.write(`R ${reply.id} ${ticket.id}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`writer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
