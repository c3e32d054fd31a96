/**
 * Incoming mail (issue 12, items 1–2 and "Bad input and faults") against a real local IMAP server:
 * Debian's Dovecot with a throwaway configuration (test/fixtures/imap.ts), TLS with the test
 * certificate. Intake into tickets with the acknowledgement in the same transaction, matching the
 * sender, unknown senders, threading by headers and by tracking number, the closed-ticket policy,
 * robots and loops recorded but never answered, exactly once across a crash mid-import, attachments
 * over the limit, charsets, malformed MIME, HTML sanitized, and the fetcher's status and backoff.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostOptions } from '../../../electron/core/host';
import { HAS_DOVECOT, mail, startImap, type TestImap } from '../../fixtures/imap';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const CUSTOMER = 'facturas@tecnocerro.example.mx';
let imap: TestImap;
const open: Array<{ close(): unknown }> = [];

beforeAll(async () => {
  if (HAS_DOVECOT) imap = await startImap();
}, 30_000);
afterAll(() => imap?.close());
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function desk(mailOpts: Partial<NonNullable<HostOptions['mail']>> = {}): Promise<TestDesk> {
  const d = new TestDesk(undefined, Date.now(), false, {
    start: false, fetcher: { ca: imap.ca, timeoutMs: 3_000, firstRetryMs: 200, maxRetryMs: 1_000 }, ...mailOpts,
  });
  open.push(d);
  await d.setup();
  return d;
}

/** A mailbox in Correo for the test server; returns its id. Each test reads only what arrives after it was saved. */
async function inbox(d: TestDesk, extra: Record<string, unknown> = {}): Promise<string> {
  const list = await d.call('mail.saveInbox', {
    name: 'Soporte', host: '127.0.0.1', port: imap.port, security: 'tls', username: imap.user, password: imap.password, ...extra,
  });
  const id = list[list.length - 1]!.id;
  // Start after what earlier tests left in the shared INBOX.
  const s = d.services;
  const c = await import('imapflow').then(({ ImapFlow }) => new ImapFlow({
    host: '127.0.0.1', port: imap.port, secure: true, auth: { user: imap.user, pass: imap.password }, logger: false, tls: { ca: imap.ca },
  }));
  await c.connect();
  const status = await c.status('INBOX', { uidNext: true, uidValidity: true });
  if (!status) throw new Error('no INBOX status');
  await c.logout();
  s.ws.db.prepare('UPDATE mail_inboxes SET uid_validity = ?, last_uid = ? WHERE id = ?').run(String(status.uidValidity), Number(status.uidNext) - 1, id);
  return id;
}

const rows = (d: TestDesk, sql: string, ...args: unknown[]) => d.services.ws.db.prepare(sql).all(...args) as Array<Record<string, unknown>>;
const one = (d: TestDesk, sql: string, ...args: unknown[]) => d.services.ws.db.prepare(sql).get(...args) as Record<string, unknown>;
let seq = 0;
const mid = () => `<m${Date.now()}.${++seq}@cliente.example.mx>`;

describe.skipIf(!HAS_DOVECOT)('incoming mail from a real IMAP server (Dovecot)', () => {
  it('a new message becomes a ticket of the matched customer, channel Correo, with its acknowledgement queued in the same transaction', async () => {
    const d = await desk();
    const existing = await d.call('tickets.create', phoneIntake());
    const id = await inbox(d);
    const messageId = mid();
    await imap.append(mail({ from: `Laura Cerro <${CUSTOMER.toUpperCase()}>`, subject: 'No llega el XML', body: 'Hola, no me llega el XML de la factura A-12.', messageId }));
    expect(await d.services.fetcher.fetchOnce(id)).toBe(1);

    const m = one(d, 'SELECT * FROM mail_messages');
    expect(m).toMatchObject({ outcome: 'ticket', message_id: messageId, from_address: CUSTOMER, sender_unknown: 0, inbox_id: id });
    const t = await d.call('tickets.get', { ticketId: m.ticket_id as string });
    expect(t.ticket).toMatchObject({ channel: 'email', subject: 'No llega el XML', customerId: existing.customerId, status: 'open' });
    expect(t.ticket.description).toContain('no me llega el XML de la factura A-12');
    const notice = one(d, "SELECT kind, recipient, created_at AS at FROM notifications WHERE ticket_id = ?", t.ticket.id);
    expect(notice).toMatchObject({ kind: 'acknowledged', recipient: CUSTOMER, at: m.created_at });
    // The fetch position moved with the import.
    expect(one(d, 'SELECT last_uid FROM mail_inboxes WHERE id = ?', id).last_uid).toBe(m.uid);

    // The password is sealed at rest and never in the audit log.
    const stored = one(d, 'SELECT password_sealed FROM mail_inboxes WHERE id = ?', id).password_sealed as string;
    expect(stored.startsWith('v1:')).toBe(true);
    expect(JSON.stringify(rows(d, 'SELECT * FROM audit_log'))).not.toContain(imap.password);
    expect(JSON.stringify(rows(d, 'SELECT * FROM outbox'))).not.toContain(imap.password);
    const listed = await d.call('mail.inboxes', {});
    expect(JSON.stringify(listed)).not.toContain(imap.password);
    expect(listed[0]).toMatchObject({ hasPassword: true, imported: 1, status: { state: 'connected' } });
    expect(listed[0]!.status.lastFetchAt).not.toBeNull();
  });

  it('the original message downloads as an .eml (audited; agents yes, roles that do not work tickets no); the last check survives a restart', async () => {
    const d = await desk();
    const id = await inbox(d);
    const messageId = mid();
    const raw = mail({ from: CUSTOMER, subject: 'Factura con RFC equivocado', body: 'Adjunto los datos.', messageId });
    await imap.append(raw);
    await d.services.fetcher.fetchOnce(id);
    const m = one(d, 'SELECT id, ticket_id FROM mail_messages WHERE message_id = ?', messageId);
    const folio = one(d, 'SELECT tracking_number FROM tickets WHERE id = ?', m.ticket_id).tracking_number as string;
    const agent = await d.userWithRoles('laura', ['agent']);
    const file = await d.call('mail.original', { mailId: m.id as string }, agent.token);
    expect(file).toMatchObject({ mimeType: 'message/rfc822', fileName: expect.stringMatching(new RegExp(`^${folio}-\\d{4}-\\d{2}-\\d{2}\\.eml$`)) });
    const text = Buffer.from(file.contentBase64, 'base64').toString();
    expect(text).toContain(`Message-ID: ${messageId}`);
    expect(text).toContain('Subject: Factura con RFC equivocado');
    expect(one(d, "SELECT actor_id, entity_id FROM audit_log WHERE action = 'mail.originalDownloaded'")).toEqual({ actor_id: agent.id, entity_id: m.id });
    const officer = await d.userWithRoles('oficial', ['security_officer']);
    expect((await d.fail('mail.original', { mailId: m.id }, officer.token)).code).toBe('auth.forbidden');
    expect((await d.fail('mail.original', { mailId: '0190a000-0000-7000-8000-000000000999' })).code).toBe('mail.messageNotFound');

    // Restart: the mailbox still says when it was last checked (it said "Nunca" until the next fetch).
    const before = (await d.call('mail.inboxes', {})).find((i) => i.id === id)!.status;
    expect(before.lastFetchAt).not.toBeNull();
    d.host.close();
    const again = new TestDesk(d.dataDir, Date.now(), false, { start: false });
    open.push(again);
    await again.signInAgain();
    const after = (await again.call('mail.inboxes', {})).find((i) => i.id === id)!.status;
    expect(after).toMatchObject({ lastFetchAt: before.lastFetchAt, lastConnectedAt: before.lastConnectedAt });
  });

  it('the quejas y sugerencias mailbox opens tickets of that channel', async () => {
    const d = await desk();
    const id = await inbox(d, { name: 'Quejas', purpose: 'complaint' });
    await imap.append(mail({ from: 'Pedro Llano <pedro@llano.example.mx>', subject: 'Mala atención', body: 'Nadie me contestó.', messageId: mid() }));
    await d.services.fetcher.fetchOnce(id);
    const t = one(d, 'SELECT channel FROM tickets');
    expect(t.channel).toBe('complaint');
  });

  it('an unknown sender is flagged until an agent links it to a customer; the next mail from it is matched', async () => {
    const d = await desk();
    const known = await d.call('tickets.create', phoneIntake());
    const id = await inbox(d);
    await imap.append(mail({ from: 'Rosa Nieves <rosa@nieves.example.mx>', subject: 'Alta de usuario', messageId: mid() }));
    await d.services.fetcher.fetchOnce(id);
    const [flagged] = await d.call('mail.received', { unknownSenders: true });
    expect(flagged).toMatchObject({ fromAddress: 'rosa@nieves.example.mx', senderUnknown: true, outcome: 'ticket' });
    const [sender] = await d.call('mail.ticketMail', { ticketId: flagged!.ticketId! });
    expect(sender).toMatchObject({ senderUnknown: true, fromName: 'Rosa Nieves' });

    const linked = await d.call('mail.linkSender', { ticketId: flagged!.ticketId!, customerId: known.customerId });
    expect(linked.ticket.customerId).toBe(known.customerId);
    expect(await d.call('mail.received', { unknownSenders: true })).toEqual([]);
    expect(linked.customer.id).toBe(known.customerId);

    await imap.append(mail({ from: 'rosa@nieves.example.mx', subject: 'Otra cosa', messageId: mid() }));
    await d.services.fetcher.fetchOnce(id);
    const second = one(d, "SELECT t.customer_id AS customerId, m.sender_unknown AS unknown FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.subject = 'Otra cosa'");
    expect(second).toEqual({ customerId: known.customerId, unknown: 0 });
  });

  it('replies thread by References and by the tracking number; a reply to a closed ticket follows the closed-ticket policy', async () => {
    const d = await desk();
    const id = await inbox(d);
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    const threadId = `<ticket.${t.id}@ayuda.example.mx>`;
    await imap.append(mail({ from: CUSTOMER, subject: `Re: [${t.trackingNumber}] recibimos su solicitud`, body: 'Adjunto más datos.', messageId: mid(), inReplyTo: threadId, references: threadId }));
    await imap.append(mail({ from: CUSTOMER, subject: `Sobre el ticket ${t.trackingNumber}`, body: 'Y otra cosa más.', messageId: mid() }));
    // The tracking number alone from someone who is not the ticket's customer opens a ticket of its own.
    await imap.append(mail({ from: 'extra@otro.example.mx', subject: `Ticket ${t.trackingNumber}`, body: '¿Me dan el estado?', messageId: mid() }));
    expect(await d.services.fetcher.fetchOnce(id)).toBe(3);
    const timeline = (await d.call('tickets.get', { ticketId: t.id })).timeline.filter((e) => e.kind === 'customer_message').map((e) => e.body);
    expect(timeline).toEqual(['Adjunto más datos.', 'Y otra cosa más.']);
    expect(rows(d, 'SELECT outcome FROM mail_messages ORDER BY rowid').map((r) => r.outcome)).toEqual(['reply', 'reply', 'ticket']);

    // Closed: the default policy (seeds 001/004) opens a new ticket linked to the closed one.
    await d.call('tickets.close', { ticketId: t.id, cause: 'Sello vencido', solution: 'Se renovó el CSD' });
    await imap.append(mail({ from: CUSTOMER, subject: 'Re: cerrado', body: 'Sigue fallando.', messageId: mid(), references: threadId }));
    await d.services.fetcher.fetchOnce(id);
    const follow = one(d, "SELECT ticket_id FROM mail_messages WHERE subject = 'Re: cerrado'").ticket_id as string;
    expect(follow).not.toBe(t.id);
    expect((await d.call('tickets.get', { ticketId: follow })).ticket).toMatchObject({ linkedTicketId: t.id, status: 'open' });

    // Reopen within N days (seed 003).
    await d.call('settings.update', { closedTicketPolicy: 'reopen_within', reopenWithinDays: 7 });
    await imap.append(mail({ from: CUSTOMER, subject: 'Re: cerrado otra vez', body: 'Ahora sí, reábranlo.', messageId: mid(), references: threadId }));
    await d.services.fetcher.fetchOnce(id);
    expect((await d.call('tickets.get', { ticketId: t.id })).ticket.status).toBe('open');
  });

  it('a reply to the closure notice goes to the survey hook first; answered, the ticket stays closed; otherwise the closed-ticket policy applies', async () => {
    const answers: Array<{ ticketId: string; text: string }> = [];
    const d = await desk({ importer: { onClosureReply: (_tx, ticketId, text) => {
      if (!/^[1-5]\b/.test(text)) return false;
      answers.push({ ticketId, text });
      return true;
    } } });
    const id = await inbox(d);
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.close', { ticketId: t.id, cause: 'Sello vencido', solution: 'Se renovó el CSD' });
    const closing = one(d, "SELECT id FROM notifications WHERE ticket_id = ? AND kind = 'closed'", t.id).id as string;
    const ref = `<aviso.${closing}@ayuda.example.mx>`;
    await imap.append(mail({ from: CUSTOMER, subject: 'Re: cerrado', body: '5 muy buena atención', messageId: mid(), inReplyTo: ref, references: ref }));
    await d.services.fetcher.fetchOnce(id);
    expect(answers).toEqual([{ ticketId: t.id, text: '5 muy buena atención' }]);
    expect(one(d, 'SELECT outcome, reason, ticket_id AS ticketId FROM mail_messages')).toEqual({ outcome: 'reply', reason: 'surveyAnswer', ticketId: t.id });
    expect(one(d, 'SELECT count(*) AS n FROM tickets').n).toBe(1);

    await imap.append(mail({ from: CUSTOMER, subject: 'Re: cerrado', body: 'Sigue sin funcionar', messageId: mid(), inReplyTo: ref, references: ref }));
    await d.services.fetcher.fetchOnce(id);
    expect(one(d, 'SELECT count(*) AS n FROM tickets').n).toBe(2); // default policy: a new ticket linked to the closed one
  });

  it('with the real survey service: a rating in the reply to the closure notice is recorded and the ticket stays closed', async () => {
    const d = await desk();
    const id = await inbox(d);
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.close', { ticketId: t.id, cause: 'Sello vencido', solution: 'Se renovó el CSD' });
    const closing = one(d, "SELECT id FROM notifications WHERE ticket_id = ? AND kind = 'closed'", t.id).id as string;
    const ref = `<aviso.${closing}@ayuda.example.mx>`;
    await imap.append(mail({ from: CUSTOMER, subject: 'Re: cerrado', body: '4\n\nBuena atención.', messageId: mid(), inReplyTo: ref, references: ref }));
    await d.services.fetcher.fetchOnce(id);
    expect(one(d, 'SELECT outcome, reason FROM mail_messages')).toEqual({ outcome: 'reply', reason: 'surveyAnswer' });
    const detail = await d.call('tickets.get', { ticketId: t.id });
    expect(detail.ticket.status).toBe('closed');
    expect(detail.timeline.some((e) => e.kind === 'survey_answered')).toBe(true);
  });

  it('auto-replies, bounces, our own notices and a sender writing in a loop are recorded but never answered', async () => {
    const d = await desk({ importer: { loopLimit: 3, loopWindowMs: 60_000 } });
    const id = await inbox(d);
    await imap.append(mail({ from: 'ausente@cliente.example.mx', subject: 'Fuera de la oficina', messageId: mid(), headers: { 'Auto-Submitted': 'auto-replied' } }));
    await imap.append(mail({ from: 'lista@cliente.example.mx', subject: 'Boletín', messageId: mid(), headers: { Precedence: 'bulk' } }));
    await imap.append(mail({ from: 'jefe@cliente.example.mx', subject: 'Respuesta automática', messageId: mid(), headers: { 'X-Auto-Response-Suppress': 'All' } }));
    await imap.append(mail({ from: 'MAILER-DAEMON@mx.cliente.example.mx', subject: 'Undelivered Mail Returned to Sender', messageId: mid() }));
    for (let i = 0; i < 5; i++) await imap.append(mail({ from: 'robot@bucle.example.mx', subject: `Ticket recibido ${i}`, messageId: mid() }));
    await d.services.fetcher.fetchOnce(id);
    const outcomes = rows(d, 'SELECT outcome, reason FROM mail_messages ORDER BY uid');
    expect(outcomes).toEqual([
      { outcome: 'auto', reason: 'autoSubmitted' }, { outcome: 'auto', reason: 'precedence' }, { outcome: 'auto', reason: 'autoResponseSuppress' },
      { outcome: 'bounce', reason: 'deliveryReport' },
      { outcome: 'ticket', reason: null }, { outcome: 'ticket', reason: null }, { outcome: 'ticket', reason: null },
      { outcome: 'loop', reason: 'repeatedSender' }, { outcome: 'loop', reason: 'repeatedSender' },
    ]);
    // Only the three tickets before the loop was seen got an acknowledgement.
    expect(one(d, 'SELECT count(*) AS n FROM notifications').n).toBe(3);
  });

  it('exactly once: a crash in the middle of an import rolls it back, and the next fetch imports each message once', async () => {
    let crashOn: number | null = 2;
    let imports = 0;
    const d = await desk({ importer: { beforeCommit: () => {
      imports += 1;
      if (imports === crashOn) throw new Error('crash mid-import');
    } } });
    const id = await inbox(d);
    const ids = [mid(), mid(), mid()];
    for (const [i, messageId] of ids.entries()) await imap.append(mail({ from: `c${i}@cliente.example.mx`, subject: `Pedido ${i}`, messageId }));
    await expect(d.services.fetcher.fetchOnce(id)).rejects.toThrow('crash mid-import');
    expect(rows(d, 'SELECT message_id FROM mail_messages').map((r) => r.message_id)).toEqual([ids[0]]);
    expect(one(d, 'SELECT count(*) AS n FROM tickets').n).toBe(1);
    expect(one(d, 'SELECT count(*) AS n FROM notifications').n).toBe(1);
    expect(d.services.fetcher.status(id).state).toBe('error');

    crashOn = null;
    expect(await d.services.fetcher.fetchOnce(id)).toBe(2);
    expect(await d.services.fetcher.fetchOnce(id)).toBe(0);
    expect(rows(d, 'SELECT message_id FROM mail_messages ORDER BY uid').map((r) => r.message_id)).toEqual(ids);
    expect(one(d, 'SELECT count(*) AS n FROM tickets').n).toBe(3);
    expect(one(d, 'SELECT count(*) AS n FROM notifications').n).toBe(3);

    // The same message delivered again (another UID, same Message-ID) is recorded as a duplicate, not a second ticket.
    await imap.append(mail({ from: 'c0@cliente.example.mx', subject: 'Pedido 0', messageId: ids[0] }));
    await d.services.fetcher.fetchOnce(id);
    expect(one(d, 'SELECT outcome FROM mail_messages ORDER BY uid DESC LIMIT 1').outcome).toBe('duplicate');
    expect(one(d, 'SELECT count(*) AS n FROM tickets').n).toBe(3);
  });

  it('attachments become evidence; one over the limit is refused with the limit stated and the mail is kept', async () => {
    const d = await desk();
    await d.call('settings.update', { maxAttachmentBytes: 2048 });
    const id = await inbox(d);
    const small = Buffer.from('captura pequeña').toString('base64');
    const big = Buffer.alloc(5000, 7).toString('base64').replace(/(.{76})/g, '$1\r\n');
    const raw = [
      `From: ${CUSTOMER}`, `To: soporte@mesa.test`, 'Subject: Evidencias', `Message-ID: ${mid()}`, 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Van las evidencias.', '--b1',
      'Content-Type: text/plain; name="nota.txt"', 'Content-Disposition: attachment; filename="nota.txt"', 'Content-Transfer-Encoding: base64', '', small, '--b1',
      'Content-Type: application/pdf; name="grande.pdf"', 'Content-Disposition: attachment; filename="grande.pdf"', 'Content-Transfer-Encoding: base64', '', big,
      '--b1--', '',
    ].join('\r\n');
    await imap.append(raw);
    await d.services.fetcher.fetchOnce(id);
    const m = one(d, 'SELECT ticket_id, raw_sha256, refused_attachments FROM mail_messages');
    const detail = await d.call('tickets.get', { ticketId: m.ticket_id as string });
    expect(detail.timeline[0]!.attachments.map((a) => a.fileName)).toEqual(['nota.txt']);
    expect(detail.ticket.description).toContain('«grande.pdf» (4.9 KB) no se agregó como evidencia: supera el límite de 2.0 KB');
    expect(JSON.parse(m.refused_attachments as string)).toEqual([{ fileName: 'grande.pdf', sizeBytes: 5000 }]);
    // The message as it arrived is kept in the evidence store.
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${d.dataDir}/attachments/${m.raw_sha256 as string}`).toString()).toContain('grande.pdf');
    const [sender] = await d.call('mail.ticketMail', { ticketId: m.ticket_id as string });
    expect(sender!.refusedAttachments).toEqual([{ fileName: 'grande.pdf', sizeBytes: 5000 }]);
  });

  it('reads ISO-8859-1 and Windows-1252 text, keeps a malformed message, and shows HTML without scripts or remote images', async () => {
    const d = await desk();
    const id = await inbox(d);
    const latin1 = Buffer.concat([
      Buffer.from(`From: ${CUSTOMER}\r\nSubject: =?ISO-8859-1?Q?Facturaci=F3n_de_se=F1ales?=\r\nMessage-ID: ${mid()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      Buffer.from('Año fiscal: la facturación de señales', 'latin1'), Buffer.from('\r\n'),
    ]);
    const cp1252 = Buffer.concat([
      Buffer.from(`From: ${CUSTOMER}\r\nSubject: Comillas\r\nMessage-ID: ${mid()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      Buffer.from([0x93, 0x43, 0x46, 0x44, 0x49, 0x94, 0x20, 0x80, 0x20, 0x31, 0x30, 0x96, 0x32, 0x30]), Buffer.from('\r\n'),
    ]);
    const malformed = `From: ${CUSTOMER}\r\nSubject: Roto\r\nMessage-ID: ${mid()}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="nunca"\r\n\r\n--otra\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@no es base64@@@\r\n`;
    const html = [
      `From: ${CUSTOMER}`, 'Subject: Con formato', `Message-ID: ${mid()}`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '',
      '<p onclick="robar()">Hola <b>equipo</b></p><script>alert(1)</script><img src="https://rastreo.example.com/pixel.gif" alt="logo"><a href="javascript:alert(2)">clic</a><iframe src="https://x.example.com"></iframe>', '',
    ].join('\r\n');
    for (const raw of [latin1, cp1252, malformed, html]) await imap.append(raw);
    expect(await d.services.fetcher.fetchOnce(id)).toBe(4);
    const tickets = rows(d, 'SELECT t.subject, t.description FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id ORDER BY m.uid');
    expect(tickets[0]).toEqual({ subject: 'Facturación de señales', description: 'Año fiscal: la facturación de señales' });
    expect(tickets[1]!.description).toBe('“CFDI” € 10–20');
    expect(tickets[2]!.subject).toBe('Roto');
    expect(tickets[3]!.description).toContain('Hola equipo');

    const htmlMail = one(d, "SELECT id FROM mail_messages WHERE subject = 'Con formato'").id as string;
    const view = await d.call('mail.view', { mailId: htmlMail });
    expect(view.html).toContain('<b>equipo</b>');
    expect(view.html).not.toMatch(/script|onclick|javascript:|iframe|rastreo\.example\.com\/pixel\.gif"(?! )/);
    expect(view.html).not.toContain(' src="https://rastreo.example.com');
    expect(view.remoteImagesBlocked).toBe(1);
    const shown = await d.call('mail.view', { mailId: htmlMail, remoteImages: true });
    expect(shown.html).toContain('src="https://rastreo.example.com/pixel.gif"');
    expect(shown.html).not.toMatch(/<script|onclick|javascript:/);
  });

  it('a message larger than the download limit becomes a ticket from its headers and stays on the server', async () => {
    const d = await desk({ fetcher: { ca: imap.ca, maxMessageBytes: 10_000 } });
    const id = await inbox(d);
    await imap.append(mail({ from: CUSTOMER, subject: 'Video del error', body: 'x'.repeat(30_000), messageId: mid() }));
    await d.services.fetcher.fetchOnce(id);
    const t = one(d, 'SELECT t.description FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id');
    expect(t.description).toMatch(/supera el tamaño que se descarga; se conserva en el servidor de correo/);
  });

  it('the background fetcher: a refused password shows "error de autenticación"; a server that is down shows "sin conexión", backs off, and imports once it is back', async () => {
    const d = await desk();
    const bad = await inbox(d, { name: 'Mala clave', password: 'otra-clave-incorrecta' });
    d.services.fetcher.start();
    open.push({ close: () => d.services.fetcher.stop() });
    await waitFor(() => d.services.fetcher.status(bad).state === 'authFailed');
    expect(d.services.fetcher.status(bad).error).toBe('auth');

    await d.call('mail.removeInbox', { inboxId: bad });
    const good = await inbox(d);
    d.services.fetcher.reload();
    await waitFor(() => d.services.fetcher.status(good).state === 'connected');
    expect(d.services.fetcher.status(good).idle).toBe(true);
    // IDLE: a new message is imported without anyone asking.
    await imap.append(mail({ from: CUSTOMER, subject: 'Llega sola', messageId: mid() }));
    const arrived = (subject: string) => one(d, 'SELECT count(*) AS n FROM mail_messages WHERE subject = ?', subject).n === 1;
    await waitFor(() => arrived('Llega sola'));

    imap.stop();
    try {
      await waitFor(() => d.services.fetcher.status(good).state === 'offline');
      expect(d.services.fetcher.status(good).nextAttemptAt).not.toBeNull();
    } finally {
      await imap.start();
    }
    await imap.append(mail({ from: CUSTOMER, subject: 'Después de la caída', messageId: mid() }));
    await waitFor(() => arrived('Después de la caída'), 30_000);
    expect(d.services.fetcher.status(good).state).toBe('connected');
  }, 90_000);
});

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
