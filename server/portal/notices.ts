/**
 * The mail the portal sends from the central server (issue 13): the acknowledgement of a ticket
 * opened on the portal — written with the organization's own template (the `mail.templates`
 * setting the branches sync; the product's default otherwise) — and the sign-in link. Each is
 * queued in the transaction that causes it; the route wakes the sender after the commit
 * (server/portal/mail.ts sends it, once).
 */
import { dueAt } from '../../electron/shared/calendar';
import {
  businessHours, DEFAULT_MAIL_TEMPLATES, formatDue, renderTemplate, type MailTemplates, type NoticeTemplate, type TemplateLanguage,
} from '../../electron/shared/mail-templates';
import { SIGN_IN_FRAGMENT, SIGN_IN_LINK_TTL_MS } from '../../electron/shared/portal';
import { matchPolicy } from '../../electron/shared/sla';
import type { Sql } from '../db';
import { slaSettings } from './commands';
import { queueMail } from './mail';

/** What composing the server's mail needs: the From address (for Message-IDs) and the portal's public address (for links). */
export interface MailContext {
  from: string;
  /** The portal's address as customers reach it (PORTAL_URL), e.g. https://soporte.empresa.mx; null: taken from the request. */
  publicUrl: string | null;
}

/** The organization's notice templates and language, as synced (stored fields over the defaults). */
async function templates(sql: Sql): Promise<{ language: TemplateLanguage; acknowledged: NoticeTemplate }> {
  const [row] = await sql.query<{ data: Partial<MailTemplates> | null }>("SELECT data FROM entities WHERE entity = 'settings' AND entity_id = 'mail.templates'");
  const stored = row?.data ?? {};
  const language = stored.language === 'en' ? 'en' : 'es-MX';
  const acknowledged = stored.templates?.acknowledged ?? DEFAULT_MAIL_TEMPLATES.templates.acknowledged;
  return { language, acknowledged };
}

export interface AcknowledgedTicket {
  ticketId: string;
  trackingNumber: string;
  subject: string;
  customerName: string;
  to: string;
  plan: string;
  channel: string;
  severity: number;
  priority: string;
}

/** Queues the acknowledgement of a portal ticket (once per ticket, whatever happens after). Off when the organization turned the kind off. */
export async function queueAcknowledgement(sql: Sql, t: AcknowledgedTicket, mail: MailContext, now: number): Promise<void> {
  const { language, acknowledged } = await templates(sql);
  if (!acknowledged.enabled) return;
  const sla = await slaSettings(sql);
  const policy = matchPolicy(sla.policies, t);
  const calendar = sla.calendars.find((c) => c.id === policy.calendarId) ?? sla.calendars[0]!;
  const due = (minutes: number | null) => (minutes === null ? null : formatDue(dueAt(calendar, now, minutes), calendar.timeZone, language));
  const values = {
    cliente: t.customerName, folio: t.trackingNumber, asunto: t.subject, agente: null,
    tiempo_respuesta: policy.firstResponseMinutes === null ? null : businessHours(policy.firstResponseMinutes, language),
    fecha_respuesta: due(policy.firstResponseMinutes),
    tiempo_resolucion: businessHours(policy.resolutionMinutes, language),
    fecha_resolucion: due(policy.resolutionMinutes),
  };
  const text = acknowledged[language];
  await queueMail(sql, {
    dedupeKey: `acknowledged:${t.ticketId}`, kind: 'acknowledged', to: t.to, ticketId: t.ticketId,
    subject: renderTemplate(text.subject, values), body: renderTemplate(text.body, values),
  }, now, mail.from);
}

/** The sign-in link's mail: Spanish first, English after, the link and how long it works. */
export async function queueSignInLink(sql: Sql, to: string, token: string, tokenHash: string, baseUrl: string, mail: MailContext, now: number): Promise<void> {
  const link = new URL(`/portal/#${SIGN_IN_FRAGMENT}=${token}`, baseUrl).toString();
  const minutes = SIGN_IN_LINK_TTL_MS / 60_000;
  const body = [
    'Pidió entrar al portal de clientes para ver sus tickets. Abra este enlace:',
    link,
    `El enlace funciona una sola vez y durante ${minutes} minutos. Si usted no lo pidió, ignore este correo: nadie puede entrar sin abrirlo.`,
    '—',
    'You asked to sign in to the customer portal to see your tickets. Open the link above.',
    `It works once and for ${minutes} minutes. If you did not ask for it, ignore this e-mail: nobody can sign in without opening it.`,
  ].join('\n\n');
  await queueMail(sql, { dedupeKey: `sign_in:${tokenHash}`, kind: 'sign_in', to, subject: 'Su enlace para entrar al portal de clientes', body }, now, mail.from);
}
