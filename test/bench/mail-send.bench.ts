/**
 * Issue 12 benchmark: the send queue's throughput against a local SMTP server (smtp-server over
 * TLS, on this machine): N tickets are created (each queues its acknowledgement), then the sender
 * drains the queue one message at a time over one pooled connection. Prints messages/s.
 *
 * `npx tsx test/bench/mail-send.bench.ts [--messages N]` (default 500). Not part of `npm run bench`.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSmtp, TEST_CERT } from '../fixtures/smtp';
import { phoneIntake, TestDesk, tempDir } from '../fixtures/workspace';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '500' } } });
const n = Number(values.messages);
const smtp = await startSmtp({ user: 'bench', password: 'bench-password' });
const dir = tempDir('helpdesk-mail-bench-');
const desk = new TestDesk(dir, undefined, false, { start: false, transport: { ca: TEST_CERT } });
try {
  await desk.setup();
  await desk.call('mail.saveMailbox', {
    host: '127.0.0.1', port: smtp.port, security: 'tls', username: 'bench', password: 'bench-password',
    fromName: 'Mesa de Ayuda', fromAddress: 'soporte@ayuda.example.mx', replyTo: '',
  });
  const first = await desk.call('tickets.create', phoneIntake());
  for (let i = 1; i < n; i++) {
    await desk.call('tickets.create', { ...phoneIntake(), customer: { kind: 'existing', customerId: first.customerId }, subject: `Incidente ${i}` });
  }
  const t0 = performance.now();
  const sent = await desk.services.mail.runOnce();
  const ms = performance.now() - t0;
  console.log(`[mail-bench] ${sent} of ${n} messages sent over TLS to a local smtp-server in ${Math.round(ms)} ms: ${(sent / (ms / 1000)).toFixed(1)} messages/s`);
  if (smtp.received.length !== n) throw new Error(`the server received ${smtp.received.length} messages, expected ${n}`);
} finally {
  desk.host.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
}
