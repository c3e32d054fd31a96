/**
 * The customer notices' templates (Administración → Correo → Plantillas): stored in the workspace
 * under the `mail.templates` setting, each save through the write transaction with its audit entry
 * and its outbox record; rendered when a ticket command queues a notice (`queueNotice`, in the
 * command's own transaction). A kind turned off queues nothing.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  businessHours, DEFAULT_MAIL_TEMPLATES, formatDue, fromSlaEscalationTemplate, KIND_PLACEHOLDERS, renderTemplate, TEMPLATE_LANGUAGES, unknownPlaceholders,
  type MailTemplates, type mailTemplateSaveSchema, type mailTemplateSettingsSchema, type PlaceholderValues, type TemplateKind, type TemplateLanguage,
} from '../../shared/mail-templates';
import { DEFAULT_SLA_CONFIG, type SlaComputation } from '../../shared/sla';
import type { Workspace, WriteTx } from '../workspace';

const SETTING = 'mail.templates';

type Stored = Partial<Omit<MailTemplates, 'templates'>> & { templates?: Partial<MailTemplates['templates']> };

export class NoticeTemplates {
  /** `escalationText`: the SLA settings' older escalation notice, the default of the escalation template while it is not edited here. */
  constructor(
    private readonly ws: Workspace,
    private readonly escalationText: () => string = () => DEFAULT_SLA_CONFIG.escalationTemplate,
  ) {}

  private stored(): Stored {
    const raw = this.ws.getSetting(SETTING);
    return raw ? (JSON.parse(raw) as Stored) : {};
  }

  /** Every kind's template: the saved ones over the defaults. */
  get(): MailTemplates {
    return { ...this.defaults(), ...withoutTemplates(this.stored()), templates: this.templatesNow() };
  }

  /** The defaults, with the escalation text the SLA settings had before templates were edited here. */
  defaults(): MailTemplates {
    const sla = this.escalationText();
    if (sla === DEFAULT_SLA_CONFIG.escalationTemplate) return DEFAULT_MAIL_TEMPLATES;
    const escalated = DEFAULT_MAIL_TEMPLATES.templates.escalated;
    return {
      ...DEFAULT_MAIL_TEMPLATES,
      templates: { ...DEFAULT_MAIL_TEMPLATES.templates, escalated: { ...escalated, 'es-MX': { ...escalated['es-MX'], body: fromSlaEscalationTemplate(sla) } } },
    };
  }

  private templatesNow(): MailTemplates['templates'] {
    return { ...this.defaults().templates, ...(this.stored().templates ?? {}) };
  }

  /** Saves one kind's template; a placeholder its kind does not know is refused with its name and the ones it may use. */
  save(actorId: string, input: z.output<typeof mailTemplateSaveSchema>): MailTemplates {
    const { kind, ...template } = input;
    for (const language of TEMPLATE_LANGUAGES) {
      for (const part of ['subject', 'body'] as const) {
        const unknown = unknownPlaceholders(kind, template[language][part]);
        if (unknown.length > 0) {
          throw new AppError('mailTemplates.unknownPlaceholder', {
            names: unknown.map((n) => `{{${n}}}`).join(', '),
            allowed: KIND_PLACEHOLDERS[kind].map((n) => `{{${n}}}`).join(', '),
          }, { [`${language}.${part}`]: 'mailTemplates.unknownPlaceholderField' });
        }
      }
    }
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.templatesNow()[kind];
      const stored = this.stored();
      this.store(tx, { ...stored, templates: { ...(stored.templates ?? {}), [kind]: template } });
      tx.audit('mail.templateSaved', 'settings', SETTING, { kind, before, after: template });
    });
    return this.get();
  }

  /** Back to the text the product ships. */
  reset(actorId: string, kind: TemplateKind): MailTemplates {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.templatesNow()[kind];
      const stored = this.stored();
      const templates = { ...(stored.templates ?? {}) };
      delete templates[kind];
      this.store(tx, { ...stored, templates });
      tx.audit('mail.templateReset', 'settings', SETTING, { kind, before });
    });
    return this.get();
  }

  /** The notices' language and the waiting reminder's delay. */
  saveSettings(actorId: string, input: z.output<typeof mailTemplateSettingsSchema>): MailTemplates {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.get();
      this.store(tx, { ...this.stored(), ...input });
      tx.audit('mail.templateSettingsSaved', 'settings', SETTING, {
        before: { language: before.language, waitingReminderDays: before.waitingReminderDays }, after: input,
      });
    });
    return this.get();
  }

  private store(tx: WriteTx, value: Stored): void {
    tx.setSetting(SETTING, JSON.stringify(value));
    tx.outbox('settings', SETTING, 'update', value);
  }

  /** The subject and body of a notice in the notices' language, or null when its kind is turned off. */
  render(kind: TemplateKind, values: PlaceholderValues): { subject: string; body: string; language: TemplateLanguage } | null {
    const all = this.get();
    const template = all.templates[kind];
    if (!template.enabled) return null;
    const text = template[all.language];
    return { subject: renderTemplate(text.subject, values).replace(/\s+/g, ' '), body: renderTemplate(text.body, values), language: all.language };
  }
}

function withoutTemplates(s: Stored): Partial<Omit<MailTemplates, 'templates'>> {
  const { templates: _t, ...rest } = s;
  void _t;
  return rest;
}

/**
 * Queues an e-mail to the customer's registered address in the caller's transaction (the sender
 * delivers it), rendered from its kind's template; nothing when the kind is turned off. Returns
 * the text sent, or null.
 */
export function queueNotice(
  tx: WriteTx, templates: NoticeTemplates, ticketId: string, customerId: string, kind: TemplateKind, values: PlaceholderValues,
): { subject: string; body: string } | null {
  const notice = templates.render(kind, values);
  if (!notice) return null;
  const email = tx.sql('SELECT registered_email FROM customers WHERE id = ?').pluck().get(customerId) as string;
  const id = tx.id();
  tx.sql('INSERT INTO notifications (id, ticket_id, kind, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id, ticketId, kind, email, notice.subject, notice.body, tx.at,
  );
  tx.outbox('notification', id, 'insert', { ticketId, kind, recipient: email, subject: notice.subject, body: notice.body });
  return { subject: notice.subject, body: notice.body };
}

/** The expected response and resolution times of a ticket's SLA, as the acknowledgement tells them. */
export function slaValues(sla: SlaComputation, timeZone: string, language: TemplateLanguage): PlaceholderValues {
  const first = sla.metrics.find((m) => m.metric === 'first_response');
  const resolution = sla.metrics.find((m) => m.metric === 'resolution');
  return {
    tiempo_respuesta: first ? businessHours(first.targetMinutes, language) : null,
    fecha_respuesta: first?.dueAt != null ? formatDue(first.dueAt, timeZone, language) : null,
    tiempo_resolucion: resolution ? businessHours(resolution.targetMinutes, language) : null,
    fecha_resolucion: resolution?.dueAt != null ? formatDue(resolution.dueAt, timeZone, language) : null,
  };
}

/** The hours left on the resolution clock (at least 1), told when a ticket goes up a tier. */
export function hoursLeft(sla: SlaComputation): number {
  const resolution = sla.metrics.find((m) => m.metric === 'resolution');
  return resolution ? Math.max(1, Math.ceil((resolution.targetMinutes - resolution.elapsedMinutes) / 60)) : 0;
}

export function formatDay(at: number, timeZone: string, language: TemplateLanguage): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'es-MX', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}


/** A notice from the shipped Spanish template (the demo-data generator, which has no workspace settings to read). */
export function defaultNotice(kind: TemplateKind, values: PlaceholderValues, escalationText?: string): { subject: string; body: string } {
  const text = DEFAULT_MAIL_TEMPLATES.templates[kind]['es-MX'];
  const body = kind === 'escalated' && escalationText ? fromSlaEscalationTemplate(escalationText) : text.body;
  return { subject: renderTemplate(text.subject, values), body: renderTemplate(body, values) };
}
