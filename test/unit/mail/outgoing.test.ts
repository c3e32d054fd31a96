/**
 * Outgoing mail (issue 12, items 1 and 3) against a real local SMTP server (smtp-server on a free
 * port, TLS with the self-signed certificate of test/fixtures/smtp): the acknowledgement of a new
 * ticket with its tracking number, expected response time and threading headers; retries after a
 * 4xx; a 5xx recorded and not retried; no duplicate after a crash between "accepted" and
 * "recorded"; translated connection errors; the password never stored in clear.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostOptions } from '../../../electron/core/host';
import { mailKeyPath } from '../../../electron/core/mail/secret';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';
import { startSmtp, TEST_CERT, type SmtpOptions, type TestSmtp } from '../../fixtures/smtp';

const PASSWORD = 'Clave-SMTP-ñ-7q9Zx!';
const MAIL_OPTS = (extra: Partial<NonNullable<HostOptions['mail']>> = {}): HostOptions['mail'] => ({
  start: false,
  transport: { ca: TEST_CERT, timeoutMs: { connection: 2_000, greeting: 2_000, socket: 5_000 } },
  ...extra,
});

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function server(opts: SmtpOptions = {}): Promise<TestSmtp> {
  const s = await startSmtp({ user: 'mesa@ayuda.example.mx', password: PASSWORD, ...opts });
  open.push(s);
  return s;
}

async function desk(mail = MAIL_OPTS(), dataDir?: string): Promise<TestDesk> {
  const d = new TestDesk(dataDir, undefined, false, mail);
  open.push({ close: () => (dataDir ? d.host.close() : d.close()) });
  if (!dataDir) await d.setup();
  return d;
}

function mailbox(port: number, overrides: Record<string, unknown> = {}) {
  return {
    host: '127.0.0.1', port, security: 'tls' as const, username: 'mesa@ayuda.example.mx', password: PASSWORD,
    fromName: 'Mesa de Ayuda Monterrey', fromAddress: 'soporte@ayuda.example.mx', replyTo: 'respuestas@ayuda.example.mx', ...overrides,
  };
}

function notices(d: TestDesk) {
  return d.services.ws.db.prepare('SELECT id, kind, status, attempts, last_error AS lastError, last_error_detail AS detail, message_id AS messageId, next_attempt_at AS nextAt FROM notifications ORDER BY created_at, rowid').all() as
    Array<{ id: string; kind: string; status: string; attempts: number; lastError: string | null; detail: string | null; messageId: string | null; nextAt: number | null }>;
}

describe('outgoing mail against a local SMTP server', () => {
  it('sends the acknowledgement of a new ticket: tracking number, response time, customer address, threading headers', async () => {
    const smtp = await server();
    const d = await desk();
    await d.call('mail.saveMailbox', mailbox(smtp.port));
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    expect(await d.services.mail.runOnce()).toBe(1);

    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.to).toEqual(['facturas@tecnocerro.example.mx']);
    expect(m.from).toBe('soporte@ayuda.example.mx');
    expect(m.headers.subject).toContain(t.trackingNumber);
    expect(m.headers['auto-submitted']).toBe('auto-generated');
    expect(m.headers['reply-to']).toContain('respuestas@ayuda.example.mx');
    const [notice] = notices(d);
    expect(m.headers['message-id']).toBe(`<aviso.${notice!.id}@ayuda.example.mx>`);
    expect(m.headers.references).toBe(`<ticket.${t.id}@ayuda.example.mx>`);
    expect(m.headers['in-reply-to']).toBe(`<ticket.${t.id}@ayuda.example.mx>`);
    expect(m.headers['content-type']).toContain('multipart/alternative');
    expect(m.decoded).toContain('Content-Type: text/html');
    // The expected times from the ticket's SLA policy (seed 000: answered within 24 business hours, resolved within 48).
    expect(m.decoded).toContain('Tiempo de respuesta esperado: 24 horas hábiles (a más tardar el');
    expect(m.decoded).toContain('Tiempo máximo de resolución: 48 horas hábiles');
    expect(m.decoded).toContain(`número de seguimiento ${t.trackingNumber}`);

    expect(notice).toMatchObject({ kind: 'acknowledged', status: 'sent', attempts: 1 });
    const shown = await d.call('mail.ticketNotices', { ticketId: t.id });
    expect(shown.map((n) => n.status)).toEqual(['sent']);
    expect(d.services.ws.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'mail.sent'").pluck().get()).toBe(1);

    // The closing notice threads under the acknowledgement.
    await d.call('tickets.close', { ticketId: t.id, cause: 'Sello vencido', solution: 'Se renovó el CSD' });
    expect(await d.services.mail.runOnce()).toBe(1);
    const closing = smtp.received[1]!;
    expect(closing.headers.references).toBe(`<ticket.${t.id}@ayuda.example.mx> ${m.headers['message-id']}`);
    expect(closing.headers['in-reply-to']).toBe(m.headers['message-id']);
    expect(closing.headers.subject).toContain(t.trackingNumber);
  });

  it('a 4xx is retried after a growing wait and the message is delivered once', async () => {
    const smtp = await server({ onRecipient: (_a, n) => (n === 1 ? 451 : null) });
    const d = await desk();
    await d.call('mail.saveMailbox', mailbox(smtp.port));
    await d.call('tickets.create', phoneIntake());

    expect(await d.services.mail.runOnce()).toBe(0);
    let [n] = notices(d);
    expect(n).toMatchObject({ status: 'queued', attempts: 1, lastError: 'temporary' });
    expect(n!.nextAt).toBe(d.now() + 60_000);
    expect(await d.services.mail.runOnce()).toBe(0); // not due yet: not even tried
    expect(notices(d)[0]!.attempts).toBe(1);

    d.advance(60_000);
    expect(await d.services.mail.runOnce()).toBe(1);
    [n] = notices(d);
    expect(n).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(smtp.received).toHaveLength(1);
    // The same Message-ID on every attempt.
    expect(smtp.received[0]!.headers['message-id']).toBe(n!.messageId);
  });

  it('a 5xx is recorded as failed with the reason and never retried on its own; an administrator may retry or cancel', async () => {
    let refuse = true;
    const smtp = await server({ onRecipient: () => (refuse ? 550 : null) });
    const d = await desk();
    await d.call('mail.saveMailbox', mailbox(smtp.port));
    await d.call('tickets.create', phoneIntake());
    expect(await d.services.mail.runOnce()).toBe(0);
    const [n] = notices(d);
    expect(n).toMatchObject({ status: 'failed', attempts: 1, lastError: 'rejected' });
    expect(n!.detail).toContain('550');
    d.advance(24 * 3600_000);
    await d.signInAgain();
    expect(await d.services.mail.runOnce()).toBe(0);
    expect(notices(d)[0]!.attempts).toBe(1);
    expect(smtp.received).toHaveLength(0);

    const queue = await d.call('mail.queue', { status: 'failed' });
    expect(queue.items.map((i) => i.id)).toEqual([n!.id]);
    expect(queue.counts.failed).toBe(1);

    refuse = false;
    await d.call('mail.retry', { noticeId: n!.id });
    expect(await d.services.mail.runOnce()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect((await d.fail('mail.cancel', { noticeId: n!.id })).code).toBe('mail.cannotCancel');
    const actions = d.services.ws.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'mail.%' ORDER BY seq").pluck().all();
    expect(actions).toEqual(['mail.mailboxSaved', 'mail.failed', 'mail.noticeRetried', 'mail.sent']);
  });

  it('a crash between the server accepting a message and recording it does not send it twice', async () => {
    const smtp = await server();
    let crash = true;
    const d = await desk(MAIL_OPTS({
      sender: { afterAccepted: () => { if (crash) throw new Error('simulated crash'); } },
    }));
    await d.call('mail.saveMailbox', mailbox(smtp.port));
    const t = await d.call('tickets.create', phoneIntake());
    await expect(d.services.mail.runOnce()).rejects.toThrow('simulated crash');
    expect(smtp.received).toHaveLength(1);
    expect(notices(d)[0]!.status).toBe('sending'); // the answer was never recorded
    crash = false;
    const dataDir = d.dataDir;
    d.host.close();

    // The app starts again on the same file: the sender finds the notice it cannot vouch for.
    const again = await desk(MAIL_OPTS(), dataDir);
    again.services.mail.start();
    again.services.mail.stop();
    await again.signInAgain();
    expect(notices(again)[0]).toMatchObject({ status: 'unconfirmed' });
    expect(await again.services.mail.runOnce()).toBe(0);
    again.advance(24 * 3600_000);
    await again.signInAgain();
    expect(await again.services.mail.runOnce()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const shown = await again.call('mail.ticketNotices', { ticketId: t.id });
    expect(shown[0]!.status).toBe('unconfirmed');
  });

  it('a wrong password, a closed port, an untrusted certificate and a silent server each give their translated reason', async () => {
    const smtp = await server();
    const d = await desk();
    await d.call('mail.saveMailbox', mailbox(smtp.port, { password: 'otra-clave' }));
    expect(await d.call('mail.verify', {})).toMatchObject({ ok: false, error: 'auth' });
    expect(await d.call('mail.sendTest', { to: 'ana@ayuda.example.mx' })).toMatchObject({ ok: false, error: 'auth' });
    // A queued notice waits (the mailbox is wrong, not the message).
    await d.call('tickets.create', phoneIntake());
    expect(await d.services.mail.runOnce()).toBe(0);
    expect(notices(d)[0]).toMatchObject({ status: 'queued', lastError: 'auth' });
    expect((await d.call('mail.queue', {})).sender).toMatchObject({ state: 'waiting', lastError: 'auth' });

    await d.call('mail.saveMailbox', mailbox(smtp.port, { password: undefined, port: await closedPort() }));
    expect(await d.call('mail.verify', {})).toMatchObject({ ok: false, error: 'connection' });

    const untrusting = await desk(MAIL_OPTS({ transport: { timeoutMs: { connection: 2_000, greeting: 2_000 } } }));
    await untrusting.call('mail.saveMailbox', mailbox(smtp.port));
    expect(await untrusting.call('mail.verify', {})).toMatchObject({ ok: false, error: 'tls' });

    const silent = await silentServer();
    const slow = await desk(MAIL_OPTS({ transport: { ca: TEST_CERT, timeoutMs: { connection: 500, greeting: 300, socket: 500 } } }));
    await slow.call('mail.saveMailbox', mailbox(silent.port, { security: 'starttls' }));
    expect(await slow.call('mail.verify', {})).toMatchObject({ ok: false, error: 'timeout' });

    // The right password: the connection test and the test e-mail succeed, the notice goes out.
    await d.call('mail.saveMailbox', mailbox(smtp.port, { password: PASSWORD }));
    expect(await d.call('mail.verify', {})).toEqual({ ok: true });
    expect(await d.call('mail.sendTest', { to: 'ana@ayuda.example.mx' })).toMatchObject({ ok: true });
    d.advance(60_000);
    expect(await d.services.mail.runOnce()).toBe(1);
  });

  it('STARTTLS, and plain SMTP only with the warning accepted', async () => {
    const starttls = await server({ mode: 'starttls' });
    const d = await desk();
    await d.call('mail.saveMailbox', mailbox(starttls.port, { security: 'starttls' }));
    expect(await d.call('mail.verify', {})).toEqual({ ok: true });

    const plain = await server({ mode: 'plain' });
    const before = d.dataCounts();
    const refused = await d.fail('mail.saveMailbox', mailbox(plain.port, { security: 'none' }));
    expect(refused.fields).toEqual({ acceptInsecure: 'mail.insecureNotAccepted' });
    expect(d.dataCounts()).toEqual(before);
    expect((await d.call('mail.mailbox', {}))!.security).toBe('starttls');
    await d.call('mail.saveMailbox', { ...mailbox(plain.port, { security: 'none' }), acceptInsecure: true });
    expect(await d.call('mail.sendTest', { to: 'ana@ayuda.example.mx' })).toMatchObject({ ok: true });
    expect(plain.received).toHaveLength(1);
  });

  it('only an administrator configures the mailbox or sees the queue; bad input is refused with its field', async () => {
    const d = await desk();
    const agent = await d.userWithRoles('agente1', ['agent']);
    expect((await d.fail('mail.saveMailbox', mailbox(2525), agent.token)).code).toBe('auth.forbidden');
    expect((await d.fail('mail.queue', {}, agent.token)).code).toBe('auth.forbidden');
    expect((await d.fail('mail.mailbox', {}, agent.token)).code).toBe('auth.forbidden');
    const bad = await d.fail('mail.saveMailbox', mailbox(70000, { host: 'smtp://x.example.mx:25', fromAddress: 'no-es-correo' }));
    expect(bad.fields).toMatchObject({ port: 'validation.max', host: 'mail.badHost', fromAddress: 'validation.email' });
    expect(await d.call('mail.mailbox', {})).toBeNull();
    expect((await d.fail('mail.verify', {})).code).toBe('mail.notConfigured');
  });

  it('the password is sealed with a key kept outside the database, and never stored in clear', async () => {
    const smtp = await server();
    const d = await desk();
    const saved = await d.call('mail.saveMailbox', mailbox(smtp.port));
    expect(saved).toMatchObject({ hasPassword: true, protection: 'keyFile' });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    await d.call('mail.sendTest', { to: 'ana@ayuda.example.mx' });
    await d.call('tickets.create', phoneIntake());
    await d.services.mail.runOnce();
    // Keeping the password when it is not sent again; the audit entry says whether it changed, never what it is.
    await d.call('mail.saveMailbox', { ...mailbox(smtp.port, { fromName: 'Soporte MTY' }), password: undefined });
    expect((await d.call('mail.mailbox', {}))!.hasPassword).toBe(true);
    expect(await d.call('mail.verify', {})).toEqual({ ok: true });
    const audits = d.services.ws.db.prepare("SELECT data FROM audit_log WHERE action = 'mail.mailboxSaved' ORDER BY seq").pluck().all() as string[];
    expect(audits.map((a) => (JSON.parse(a) as { passwordChanged: boolean }).passwordChanged)).toEqual([true, false]);

    const key = mailKeyPath(d.dataDir);
    if (process.platform !== 'win32') {
      expect(statSync(key).mode & 0o777).toBe(0o600);
      expect(statSync(join(d.dataDir, 'private')).mode & 0o777).toBe(0o700);
    }
    expect(readFileSync(key, 'utf8')).not.toContain(PASSWORD);
    // Every byte of the database, its WAL and everything else in the data folder.
    d.services.ws.db.pragma('wal_checkpoint(PASSIVE)');
    const needles = [Buffer.from(PASSWORD, 'utf8'), Buffer.from(PASSWORD, 'utf16le'), Buffer.from(Buffer.from(PASSWORD).toString('base64'))];
    for (const file of readdirSync(d.dataDir, { recursive: true }) as string[]) {
      const path = join(d.dataDir, file);
      if (!statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      for (const needle of needles) expect(bytes.indexOf(needle), `${file} holds the password`).toBe(-1);
    }
    for (const table of ['audit_log', 'outbox', 'settings']) {
      const rows = JSON.stringify(d.services.ws.db.prepare(`SELECT * FROM ${table}`).all());
      expect(rows).not.toContain(PASSWORD);
    }
    expect(d.services.ws.db.prepare("SELECT count(*) FROM outbox WHERE payload LIKE '%smtp%' OR entity_id = 'mail'").pluck().get()).toBe(0);
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Accepts connections and never says a word: the greeting times out. */
async function silentServer(): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const s: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  open.push({ close: () => { for (const k of sockets) k.destroy(); return new Promise<void>((r) => s.close(() => r())); } });
  return { port: (s.address() as { port: number }).port };
}
