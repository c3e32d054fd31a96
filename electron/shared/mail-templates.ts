/**
 * The texts of the customer notices (issue 12, item 3): one template per notice kind, in Spanish
 * and English, with placeholders written {{nombre}}, turned on or off per kind. Pure: core renders
 * them when it queues a notice, Administración → Correo renders the same function for its preview.
 *
 * A placeholder whose value does not apply to this ticket (no assignee, no resolution clock) takes
 * its line out of the message, so a template never shows a dangling "Agente: ".
 */
import { z } from 'zod';
import { str } from './text';

export const TEMPLATE_KINDS = ['acknowledged', 'reply', 'waiting_reminder', 'escalated', 'closed', 'auto_closed'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const TEMPLATE_LANGUAGES = ['es-MX', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/** Placeholders every notice knows. */
const COMMON = ['cliente', 'folio', 'asunto', 'agente'] as const;
/** What each kind may use besides the common ones. */
export const KIND_PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
  acknowledged: [...COMMON, 'tiempo_respuesta', 'fecha_respuesta', 'tiempo_resolucion', 'fecha_resolucion'],
  reply: [...COMMON, 'respuesta'],
  waiting_reminder: [...COMMON, 'dias_en_espera', 'fecha_cierre'],
  escalated: [...COMMON, 'area', 'horas', 'fecha_resolucion'],
  closed: [...COMMON, 'causa', 'solucion', 'enlace_encuesta'],
  auto_closed: [...COMMON, 'causa', 'solucion', 'enlace_encuesta'],
};

export interface TemplateText {
  subject: string;
  body: string;
}
export interface NoticeTemplate {
  enabled: boolean;
  'es-MX': TemplateText;
  en: TemplateText;
}
export interface MailTemplates {
  /** The language the customer notices are written in. */
  language: TemplateLanguage;
  /** A reminder to a customer whose ticket waits on them, after this many natural days (0: never). */
  waitingReminderDays: number;
  templates: Record<TemplateKind, NoticeTemplate>;
}

/** The survey's one-click page on the customer portal (its line is left out when the branch has no central server). */
const SURVEY_LINK_ES = 'Califique la atención con un clic: {{enlace_encuesta}}';
const SURVEY_LINK_EN = 'Rate our support with one click: {{enlace_encuesta}}';
const SURVEY_ES = 'Ayúdenos a mejorar: responda a este correo con un número del 1 al 5 (1 = muy insatisfecho, 5 = muy satisfecho) y, si lo desea, un comentario.';
const SURVEY_EN = 'Help us improve: reply to this e-mail with a number from 1 to 5 (1 = very dissatisfied, 5 = very satisfied) and, if you like, a comment.';

/** The texts the product sent before templates could be edited (tickets.ts, compose.ts), plus the two new kinds. */
export const DEFAULT_MAIL_TEMPLATES: MailTemplates = {
  language: 'es-MX',
  waitingReminderDays: 1,
  templates: {
    acknowledged: {
      enabled: true,
      'es-MX': {
        subject: 'Ticket {{folio}}: recibimos su solicitud',
        body: [
          'Recibimos su solicitud «{{asunto}}» y la registramos con el número de seguimiento {{folio}}.',
          'Con este número puede consultar el estado de su ticket y las acciones tomadas para atenderlo.',
          'Tiempo de respuesta esperado: {{tiempo_respuesta}} (a más tardar el {{fecha_respuesta}}).',
          'Tiempo máximo de resolución: {{tiempo_resolucion}} (a más tardar el {{fecha_resolucion}}).',
          'Para reducir los tiempos de respuesta, describa la situación con el mayor detalle posible, los pasos que siguió y, si es posible, imágenes de la pantalla.',
        ].join('\n\n'),
      },
      en: {
        subject: 'Ticket {{folio}}: we received your request',
        body: [
          'We received your request “{{asunto}}” and registered it with the tracking number {{folio}}.',
          'With this number you can ask about the status of your ticket and the actions taken.',
          'Expected response time: {{tiempo_respuesta}} (by {{fecha_respuesta}} at the latest).',
          'Maximum resolution time: {{tiempo_resolucion}} (by {{fecha_resolucion}} at the latest).',
          'To help us answer sooner, describe the situation in as much detail as you can, the steps you followed and, if possible, screenshots.',
        ].join('\n\n'),
      },
    },
    reply: {
      enabled: true,
      'es-MX': { subject: 'Ticket {{folio}}: respuesta a su solicitud', body: '{{respuesta}}\n\nAtentamente,\n{{agente}}' },
      en: { subject: 'Ticket {{folio}}: an answer to your request', body: '{{respuesta}}\n\nKind regards,\n{{agente}}' },
    },
    waiting_reminder: {
      enabled: true,
      'es-MX': {
        subject: 'Ticket {{folio}}: esperamos su respuesta',
        body: 'Su ticket {{folio}} («{{asunto}}») está en espera de su respuesta desde hace {{dias_en_espera}}.\n\nSi no recibimos respuesta, el ticket se cerrará el {{fecha_cierre}}.',
      },
      en: {
        subject: 'Ticket {{folio}}: we are waiting for your answer',
        body: 'Your ticket {{folio}} (“{{asunto}}”) has been waiting for your answer for {{dias_en_espera}}.\n\nIf we do not hear from you, the ticket will be closed on {{fecha_cierre}}.',
      },
    },
    escalated: {
      enabled: true,
      'es-MX': {
        subject: 'Ticket {{folio}}: seguimiento',
        body: 'Su ticket {{folio}} fue turnado al área de {{area}}. El tiempo de respuesta esperado es de {{horas}} horas hábiles.',
      },
      en: {
        subject: 'Ticket {{folio}}: follow-up',
        body: 'Your ticket {{folio}} was passed on to {{area}}. The expected response time is {{horas}} business hours.',
      },
    },
    closed: {
      enabled: true,
      'es-MX': { subject: 'Ticket {{folio}} cerrado', body: `Su ticket {{folio}} fue cerrado.\nCausa: {{causa}}\nSolución: {{solucion}}\n\n${SURVEY_LINK_ES}\n\n${SURVEY_ES}` },
      en: { subject: 'Ticket {{folio}} closed', body: `Your ticket {{folio}} was closed.\nCause: {{causa}}\nSolution: {{solucion}}\n\n${SURVEY_LINK_EN}\n\n${SURVEY_EN}` },
    },
    auto_closed: {
      enabled: true,
      'es-MX': {
        subject: 'Ticket {{folio}} cerrado',
        body: `Su ticket {{folio}} fue cerrado.\nCausa: {{causa}}\nSolución: {{solucion}}\n\n${SURVEY_LINK_ES}\n\n${SURVEY_ES}`,
      },
      en: { subject: 'Ticket {{folio}} closed', body: `Your ticket {{folio}} was closed.\nCause: {{causa}}\nSolution: {{solucion}}\n\n${SURVEY_LINK_EN}\n\n${SURVEY_EN}` },
    },
  },
};

/** The SLA settings' older escalation text ({{trackingNumber}}, {{tier}}, {{hours}}) in this file's placeholders. */
export function fromSlaEscalationTemplate(text: string): string {
  return text.replace(/\{\{\s*trackingNumber\s*\}\}/g, '{{folio}}').replace(/\{\{\s*tier\s*\}\}/g, '{{area}}').replace(/\{\{\s*hours\s*\}\}/g, '{{horas}}');
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholder names a text uses. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The placeholders a text uses that its kind does not know, in order of appearance. */
export function unknownPlaceholders(kind: TemplateKind, text: string): string[] {
  return placeholdersOutside(KIND_PLACEHOLDERS[kind], text);
}

/** The placeholders a text uses that are not in `known`, in order of appearance. */
export function placeholdersOutside(known: readonly string[], text: string): string[] {
  return placeholdersIn(text).filter((name) => !known.includes(name));
}

/** What a quick reply (respuesta rápida) may say about the ticket it is inserted in: no notice-only values. */
export const QUICK_REPLY_PLACEHOLDERS: readonly string[] = [
  ...COMMON, 'tiempo_respuesta', 'fecha_respuesta', 'tiempo_resolucion', 'fecha_resolucion',
];

/** Values for the placeholders; null: does not apply to this ticket (the line that uses it is left out). */
export type PlaceholderValues = Record<string, string | null>;

/** Fills a template; a line using a placeholder whose value is null (or missing) is left out. */
export function renderTemplate(text: string, values: PlaceholderValues): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let dropped = false;
    const filled = line.replace(PLACEHOLDER, (_m, name: string) => {
      const v = values[name];
      if (v === null || v === undefined) {
        dropped = true;
        return '';
      }
      return v;
    });
    if (!dropped) lines.push(filled);
  }
  // A paragraph whose every line was left out leaves no run of blank lines behind.
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

const templateText = z.object({
  subject: str().trim().min(1, 'validation.required').max(300, 'validation.tooLong'),
  body: str().trim().min(1, 'validation.required').max(10_000, 'validation.tooLong'),
});

/** One kind's template as Administración → Correo saves it (unknown placeholders are refused in core, with their names). */
export const mailTemplateSaveSchema = z.object({
  kind: z.enum(TEMPLATE_KINDS),
  enabled: z.boolean(),
  'es-MX': templateText,
  en: templateText,
});
export const mailTemplateSettingsSchema = z.object({
  language: z.enum(TEMPLATE_LANGUAGES),
  waitingReminderDays: z.number().int().min(0, 'validation.min').max(30, 'validation.max'),
});
export const mailTemplateResetSchema = z.object({ kind: z.enum(TEMPLATE_KINDS) });

/** Sample values for the preview in Administración (an invented customer, never real data). */
export function sampleValues(language: TemplateLanguage): PlaceholderValues {
  const es = language === 'es-MX';
  return {
    cliente: 'Papelería La Pluma Fina, S.A. de C.V.',
    folio: 'MTY-000123',
    asunto: es ? 'No puedo timbrar facturas' : 'I cannot stamp invoices',
    agente: 'Laura Méndez',
    tiempo_respuesta: es ? '24 horas hábiles' : '24 business hours',
    fecha_respuesta: es ? 'martes, 8 de diciembre de 2026, 10:00 h, hora del centro de México' : 'Tuesday, December 8, 2026, 10:00 (Mexico City time)',
    tiempo_resolucion: es ? '48 horas hábiles' : '48 business hours',
    fecha_resolucion: es ? 'miércoles, 9 de diciembre de 2026, 10:00 h, hora del centro de México' : 'Wednesday, December 9, 2026, 10:00 (Mexico City time)',
    respuesta: es ? 'Revisamos su cuenta: el certificado de sello digital venció ayer. Cargue el nuevo desde Configuración → CSD.' : 'We checked your account: the digital seal certificate expired yesterday. Upload the new one from Settings → CSD.',
    dias_en_espera: es ? '2 días' : '2 days',
    fecha_cierre: es ? 'jueves, 10 de diciembre de 2026' : 'Thursday, December 10, 2026',
    area: es ? 'Operación' : 'Operations',
    horas: '8',
    causa: es ? 'El certificado de sello digital estaba vencido.' : 'The digital seal certificate had expired.',
    solucion: es ? 'Se cargó el certificado vigente y se timbró la factura.' : 'The valid certificate was uploaded and the invoice was stamped.',
    enlace_encuesta: 'https://soporte.ejemplo.mx/portal/#encuesta=Wm9YcnVaVGhpc0lzQW5FeGFtcGxlVG9rZW5Pbmx5MDAw',
  };
}

/** "24 horas hábiles" / "24 business hours". */
export function businessHours(minutes: number, language: TemplateLanguage): string {
  const h = Math.max(1, Math.round(minutes / 60));
  if (language === 'en') return `${h} business ${h === 1 ? 'hour' : 'hours'}`;
  return `${h} ${h === 1 ? 'hora hábil' : 'horas hábiles'}`;
}

/** One formatter per time zone and language: building an Intl.DateTimeFormat costs ~0.4 ms, formatting with one ~2 µs. */
const dueFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDue(at: number, timeZone: string, language: TemplateLanguage): string {
  const key = `${language}|${timeZone}`;
  let format = dueFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'es-MX', {
      timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
    });
    dueFormats.set(key, format);
  }
  const date = format.format(at);
  if (language === 'en') return date + (timeZone === 'America/Mexico_City' ? ' (Mexico City time)' : ` (${timeZone})`);
  return date + (timeZone === 'America/Mexico_City' ? ' h, hora del centro de México' : ` h (${timeZone})`);
}
