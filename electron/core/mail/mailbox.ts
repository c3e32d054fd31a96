/**
 * The branch's outgoing mailbox (Administración → Correo): SMTP settings stored under the
 * `mail.mailbox` setting with the password sealed (secret.ts), never returned, never audited and
 * never written to the sync outbox (the mailbox belongs to this machine). Also "Probar conexión"
 * and "Enviar correo de prueba", whose failures come back as translatable reasons.
 */
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type { z } from 'zod';
import type { mailboxSaveSchema, MailboxInfo, MailCheckResult, MailError } from '../../shared/mail';
import type { MailSecurity } from '../../shared/mail';
import { AppError } from '../../shared/errors';
import type { Workspace } from '../workspace';
import type { SecretBox } from './secret';
import { composeNotice, mailDomain } from './compose';

const SETTING = 'mail.mailbox';

interface StoredMailbox {
  host: string;
  port: number;
  security: MailSecurity;
  username: string;
  passwordSealed: string | null;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  enabled: boolean;
}

export interface MailTransportOptions {
  /** Extra trusted certificates (tests: the local server's self-signed one). */
  ca?: string | Buffer;
  /** Connection, greeting and socket timeouts in ms (defaults 15 s, 15 s, 60 s). */
  timeoutMs?: { connection?: number; greeting?: number; socket?: number };
}

export class Mailbox {
  constructor(
    private readonly ws: Workspace,
    private readonly secrets: SecretBox,
    private readonly protection: MailboxInfo['protection'],
    private readonly transportOptions: MailTransportOptions = {},
  ) {}

  private stored(): StoredMailbox | null {
    const raw = this.ws.getSetting(SETTING);
    return raw ? (JSON.parse(raw) as StoredMailbox) : null;
  }

  info(): MailboxInfo | null {
    const m = this.stored();
    if (!m) return null;
    const { passwordSealed, ...rest } = m;
    return { ...rest, hasPassword: passwordSealed !== null, protection: this.protection };
  }

  /** Configured and turned on: the sender may use it. */
  ready(): boolean {
    return this.stored()?.enabled === true;
  }

  save(actorId: string, input: z.output<typeof mailboxSaveSchema>): MailboxInfo {
    const before = this.stored();
    const { password, acceptInsecure: _accepted, ...fields } = input;
    void _accepted;
    const passwordSealed = password === undefined ? (before?.passwordSealed ?? null) : password === '' ? null : this.secrets.seal(password);
    const next: StoredMailbox = { ...fields, passwordSealed };
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      tx.setSetting(SETTING, JSON.stringify(next));
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
        if (before?.[key] !== fields[key]) changes[key] = { from: before?.[key] ?? null, to: fields[key] };
      }
      // Whether the password changed, never the password (nor its ciphertext).
      tx.audit('mail.mailboxSaved', 'settings', 'mail', {
        changes, passwordChanged: password !== undefined && !(password === '' && before?.passwordSealed == null),
      });
    });
    return this.info()!;
  }

  /** A transport for the stored mailbox; null when there is none. `pool` keeps one connection for a run of messages. */
  transport(pool = false): Transporter | null {
    const m = this.stored();
    if (!m) return null;
    const t = this.transportOptions;
    const password = m.passwordSealed ? this.secrets.open(m.passwordSealed) : '';
    const options = {
      host: m.host,
      port: m.port,
      secure: m.security === 'tls',
      requireTLS: m.security === 'starttls',
      ignoreTLS: m.security === 'none',
      ...(m.username ? { auth: { user: m.username, pass: password } } : {}),
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' as const, ...(t.ca ? { ca: t.ca } : {}) },
      connectionTimeout: t.timeoutMs?.connection ?? 15_000,
      greetingTimeout: t.timeoutMs?.greeting ?? 15_000,
      socketTimeout: t.timeoutMs?.socket ?? 60_000,
      name: mailDomain(m.fromAddress),
      disableFileAccess: true,
      disableUrlAccess: true,
    };
    return pool ? createTransport({ ...options, pool: true, maxConnections: 1, maxMessages: 200 }) : createTransport(options);
  }

  identity(): { fromName: string; fromAddress: string; replyTo: string } | null {
    const m = this.stored();
    return m ? { fromName: m.fromName, fromAddress: m.fromAddress, replyTo: m.replyTo } : null;
  }

  /** "Probar conexión": connects, negotiates TLS and signs in, without sending. */
  async verify(): Promise<MailCheckResult> {
    const transport = this.transport();
    if (!transport) throw new AppError('mail.notConfigured');
    try {
      await transport.verify();
      return { ok: true };
    } catch (err) {
      return failure(err);
    } finally {
      transport.close();
    }
  }

  /** "Enviar correo de prueba" to an address the administrator gives; audited with the outcome. */
  async sendTest(actorId: string, to: string): Promise<MailCheckResult> {
    const transport = this.transport();
    const from = this.identity();
    if (!transport || !from) throw new AppError('mail.notConfigured');
    const id = this.ws.newId();
    const message: SendMailOptions = composeNotice({
      id, ticketId: null, recipient: to, trackingNumber: null, threadId: null, earlier: [],
      messageId: `<prueba.${id}@${mailDomain(from.fromAddress)}>`,
      subject: 'Correo de prueba de la Mesa de Ayuda',
      body: 'Este es un correo de prueba. Si lo recibió, el buzón de salida está bien configurado.',
    }, from);
    let result: MailCheckResult;
    try {
      const info = await transport.sendMail(message);
      result = { ok: true, detail: String(info.response ?? '') };
    } catch (err) {
      result = failure(err);
    } finally {
      transport.close();
    }
    this.ws.write({ kind: 'user', userId: actorId }, (tx) =>
      tx.audit('mail.testSent', 'settings', 'mail', { to, ok: result.ok, error: result.error ?? null, response: result.detail ?? null }));
    return result;
  }
}

export function failure(err: unknown): MailCheckResult {
  const { error, detail } = classifyMailError(err);
  return { ok: false, error, detail };
}

/** Is this failure about the message (retrying cannot help) rather than the mailbox or the network? */
export function isPermanent(error: MailError): boolean {
  return error === 'rejected' || error === 'badAddress';
}

/** Nodemailer's and Node's errors as the reasons the UI translates. */
export function classifyMailError(err: unknown): { error: MailError; detail: string } {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const detail = String(e?.response || e?.message || err).slice(0, 500);
  const message = String(e?.message ?? '');
  const code = e?.code ?? '';
  if (code === 'EAUTH' || e?.responseCode === 535 || e?.responseCode === 534) return { error: 'auth', detail };
  if (code === 'ETLS' || /certificate|\bssl\b|\btls\b|wrong version number|handshake/i.test(message)) return { error: 'tls', detail };
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return { error: 'timeout', detail };
  if (typeof e?.responseCode === 'number' && e.responseCode >= 500) return { error: 'rejected', detail };
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400) return { error: 'temporary', detail };
  if (code === 'EENVELOPE' && /recipient|address/i.test(message)) return { error: 'badAddress', detail };
  if (['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code)) {
    return { error: 'connection', detail };
  }
  return { error: 'unknown', detail };
}
