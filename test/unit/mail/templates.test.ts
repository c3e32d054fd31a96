/**
 * The customer notices' templates (issue 12, item 3): the defaults are the texts sent before,
 * an edited template is what the next notice says (in the chosen language), a kind turned off
 * queues nothing, an unknown placeholder is refused with its name and writes nothing, every save
 * is audited, and the SLA settings' older escalation text stays the default until edited here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_TEMPLATES, renderTemplate, unknownPlaceholders } from '../../../electron/shared/mail-templates';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';
import { auditActions, lastSeq } from '../core/helpers';
import { runSweep } from '../../../electron/core/host';

const open: TestDesk[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});
async function desk(): Promise<TestDesk> {
  const d = new TestDesk();
  open.push(d);
  return d.setup();
}
function notices(d: TestDesk) {
  return d.services.ws.db.prepare('SELECT kind, recipient, subject, body FROM notifications ORDER BY created_at, rowid').all() as
    Array<{ kind: string; recipient: string; subject: string; body: string }>;
}

describe('rendering', () => {
  it('fills placeholders and leaves out a line whose value does not apply', () => {
    expect(renderTemplate('Hola {{cliente}}.\nAgente: {{agente}}\n\nGracias', { cliente: 'Papelería', agente: null })).toBe('Hola Papelería.\n\nGracias');
    expect(renderTemplate('{{ folio }}', { folio: 'MTY-000001' })).toBe('MTY-000001');
  });
  it('names the placeholders a kind does not know', () => {
    expect(unknownPlaceholders('closed', 'Causa {{causa}} {{respuesta}} {{nada}}')).toEqual(['respuesta', 'nada']);
    expect(unknownPlaceholders('reply', '{{respuesta}} {{agente}} {{folio}}')).toEqual([]);
  });
});

describe('templates in the workspace', () => {
  it('sends today\'s texts by default: acknowledgement with the expected times, closing with cause, solution and the survey', async () => {
    const d = await desk();
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.close', { ticketId: t.id, cause: 'Certificado vencido.', solution: 'Se cargó el certificado vigente.' });
    const [ack, closed] = notices(d);
    expect(ack).toMatchObject({ kind: 'acknowledged', subject: `Ticket ${t.trackingNumber}: recibimos su solicitud`, recipient: 'facturas@tecnocerro.example.mx' });
    expect(ack!.body).toContain(`Recibimos su solicitud «No puede timbrar facturas» y la registramos con el número de seguimiento ${t.trackingNumber}.`);
    expect(ack!.body).toMatch(/Tiempo de respuesta esperado: 24 horas hábiles \(a más tardar el miércoles, 4 de marzo de 2026, 12:00 h, hora del centro de México/);
    expect(ack!.body).toContain('Tiempo máximo de resolución: 48 horas hábiles');
    expect(closed).toMatchObject({ kind: 'closed', subject: `Ticket ${t.trackingNumber} cerrado` });
    expect(closed!.body).toContain(`Su ticket ${t.trackingNumber} fue cerrado.\nCausa: Certificado vencido.\nSolución: Se cargó el certificado vigente.`);
    expect(closed!.body).toContain('responda a este correo con un número del 1 al 5');
  });

  it('an edited template is what the next notice says; audited with before and after', async () => {
    const d = await desk();
    const seq = lastSeq(d);
    const saved = await d.call('mail.saveTemplate', {
      kind: 'acknowledged', enabled: true,
      'es-MX': { subject: 'Su folio {{folio}}', body: 'Estimado {{cliente}}: su folio es {{folio}}.\nLe responderemos en {{tiempo_respuesta}}.' },
      en: DEFAULT_MAIL_TEMPLATES.templates.acknowledged.en,
    });
    expect(saved.templates.acknowledged['es-MX'].subject).toBe('Su folio {{folio}}');
    expect(auditActions(d, seq)).toEqual(['mail.templateSaved']);
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    const [ack] = notices(d);
    expect(ack!.subject).toBe(`Su folio ${t.trackingNumber}`);
    expect(ack!.body).toBe(`Estimado Tecnologías del Cerro SA de CV: su folio es ${t.trackingNumber}.\nLe responderemos en 24 horas hábiles.`);
  });

  it('refuses an unknown placeholder with its name and the ones allowed, and writes nothing', async () => {
    const d = await desk();
    const before = d.dataCounts();
    const err = await d.fail('mail.saveTemplate', {
      kind: 'closed', enabled: true,
      'es-MX': { subject: 'Cerrado {{folio}}', body: 'Causa: {{causa}}. Respuesta: {{respuesta}} {{fecha}}' },
      en: DEFAULT_MAIL_TEMPLATES.templates.closed.en,
    });
    expect(err.code).toBe('mailTemplates.unknownPlaceholder');
    expect(err.params?.names).toBe('{{respuesta}}, {{fecha}}');
    expect(String(err.params?.allowed)).toContain('{{solucion}}');
    expect(err.fields).toEqual({ 'es-MX.body': 'mailTemplates.unknownPlaceholderField' });
    expect(d.dataCounts()).toEqual(before);
  });

  it('a kind turned off queues nothing; the others still go', async () => {
    const d = await desk();
    await d.call('mail.saveTemplate', { kind: 'acknowledged', ...DEFAULT_MAIL_TEMPLATES.templates.acknowledged, enabled: false });
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    expect(notices(d)).toEqual([]);
    await d.call('tickets.close', { ticketId: t.id, cause: 'Duda resuelta.', solution: 'Se explicó el proceso.' });
    expect(notices(d).map((n) => n.kind)).toEqual(['closed']);
  });

  it('writes in English when the notices\' language is English; reset brings back the shipped text', async () => {
    const d = await desk();
    await d.call('mail.saveTemplateSettings', { language: 'en', waitingReminderDays: 2 });
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    expect(notices(d)[0]!.subject).toBe(`Ticket ${t.trackingNumber}: we received your request`);
    expect(notices(d)[0]!.body).toContain('Expected response time: 24 business hours (by Wednesday, March 4, 2026 at 12:00 (Mexico City time) at the latest).');
    await d.call('mail.saveTemplate', { kind: 'closed', ...DEFAULT_MAIL_TEMPLATES.templates.closed, en: { subject: 'Done {{folio}}', body: 'Bye' } });
    const reset = await d.call('mail.resetTemplate', { kind: 'closed' });
    expect(reset.templates.closed).toEqual(DEFAULT_MAIL_TEMPLATES.templates.closed);
    expect(reset).toMatchObject({ language: 'en', waitingReminderDays: 2 });
  });

  it('escalation tells the new expected time; the SLA settings\' own escalation text stays the default until edited here', async () => {
    const d = await desk();
    const sla = await d.call('sla.config', {});
    await d.call('sla.saveConfig', { ...sla, escalationTemplate: 'Folio {{trackingNumber}}: ahora lo atiende {{tier}}, en {{hours}} horas.' });
    const t = await d.call('tickets.create', phoneIntake({ severity: 2 }));
    await d.call('tickets.moveTier', { ticketId: t.id, toTier: 'operations', reason: 'Falla en timbrado' });
    const esc = notices(d).find((n) => n.kind === 'escalated')!;
    expect(esc.subject).toBe(`Ticket ${t.trackingNumber}: seguimiento`);
    expect(esc.body).toMatch(new RegExp(`^Folio ${t.trackingNumber}: ahora lo atiende Operación, en \\d+ horas\\.$`));
    const templates = await d.call('mail.templates', {});
    expect(templates.templates.escalated['es-MX'].body).toBe('Folio {{folio}}: ahora lo atiende {{area}}, en {{horas}} horas.');
  });

  it('a public reply is queued as the customer\'s e-mail in the same transaction; an internal note never is', async () => {
    const d = await desk();
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.note', { ticketId: t.id, body: 'Nota interna: revisar el CSD del cliente.' });
    expect(notices(d).map((n) => n.kind)).toEqual(['acknowledged']);
    await d.call('tickets.reply', { ticketId: t.id, body: 'Su certificado venció; cargue el nuevo en Configuración → CSD.' });
    const reply = notices(d).find((n) => n.kind === 'reply')!;
    expect(reply.subject).toBe(`Ticket ${t.trackingNumber}: respuesta a su solicitud`);
    expect(reply.body).toBe('Su certificado venció; cargue el nuevo en Configuración → CSD.\n\nAtentamente,\nAna Administradora');
    expect(notices(d).some((n) => n.body.includes('Nota interna'))).toBe(false);
  });

  it('only administrators edit the templates', async () => {
    const d = await desk();
    const agent = await d.userWithRoles('laura', ['agent']);
    const err = await d.fail('mail.saveTemplate', { kind: 'reply', ...DEFAULT_MAIL_TEMPLATES.templates.reply }, agent.token);
    expect(err.code).toBe('auth.forbidden');
  });
});

describe('"en espera" reminders', () => {
  const desks: TestDesk[] = [];
  afterEach(() => {
    for (const d of desks.splice(0)) d.close();
  });

  it('after N days waiting on the customer, one reminder per wait, telling when the ticket closes by itself', async () => {
    const d = new TestDesk();
    desks.push(d);
    await d.setup();
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    const reminders = () => notices(d).filter((n) => n.kind === 'waiting_reminder');
    d.advance(23 * 60 * 60 * 1000);
    runSweep(d.services);
    expect(reminders()).toEqual([]);
    d.advance(2 * 60 * 60 * 1000);
    runSweep(d.services);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.subject).toBe(`Ticket ${t.trackingNumber}: esperamos su respuesta`);
    expect(reminders()[0]!.body).toContain('está en espera de su respuesta desde hace 1 día.');
    expect(reminders()[0]!.body).toContain('el ticket se cerrará el jueves, 5 de marzo de 2026');
    d.advance(60 * 60 * 1000);
    runSweep(d.services);
    expect(reminders()).toHaveLength(1);
    expect(auditEntriesOf(d, 'mail.reminderQueued')).toBe(1);
  });

  it('0 days turns reminders off', async () => {
    const d = new TestDesk();
    desks.push(d);
    await d.setup();
    await d.call('mail.saveTemplateSettings', { language: 'es-MX', waitingReminderDays: 0 });
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.setStatus', { ticketId: t.id, status: 'waiting', waitingOn: 'customer' });
    d.advance(2 * 24 * 60 * 60 * 1000);
    runSweep(d.services);
    expect(notices(d).filter((n) => n.kind === 'waiting_reminder')).toEqual([]);
  });
});

function auditEntriesOf(d: TestDesk, action: string): number {
  return d.services.ws.db.prepare('SELECT COUNT(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;
}
