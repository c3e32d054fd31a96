/**
 * The satisfaction survey (issue 12, item 4): the rating read from a customer's reply (a number or
 * its word at the start, above the quoted notice; two ratings refused as ambiguous), one answer per
 * closed ticket, audited, on the ticket's timeline, in the personal-data export's tables.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseSurveyReply } from '../../../electron/shared/survey';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';
import { auditActions, lastSeq } from '../core/helpers';

describe('reading the rating from a reply', () => {
  it.each([
    ['5', 5, ''],
    ['cinco', 5, ''],
    ['Cinco. Muy rápido, gracias', 5, 'Muy rápido, gracias'],
    ['5 - excelente', 5, 'excelente'],
    ['4/5 tardaron un poco', 4, 'tardaron un poco'],
    ['3 de 5', 3, ''],
    ['Calificación: 2. No resolvieron a la primera', 2, 'No resolvieron a la primera'],
    ['  "1" pésimo servicio', 1, 'pésimo servicio'],
    ['Four, good service', 4, 'good service'],
    ['5 — tardaron 2 días pero quedó', 5, 'tardaron 2 días pero quedó'],
    ['5\n\nEl lun, 2 mar 2026 a las 10:00, Mesa de Ayuda escribió:\n> Su ticket MTY-000001 fue cerrado.\n> responda con un número del 1 al 5', 5, ''],
    ['4 gracias\n-----Mensaje original-----\nDe: soporte@ayuda.example.mx\nresponda con 1 o 5', 4, 'gracias'],
  ])('%j → %i', (reply, rating, comment) => {
    expect(parseSurveyReply(reply)).toEqual({ ok: true, rating, comment });
  });

  it.each([
    ['4 o 5', [4, 5]],
    ['3-4 regular', [3, 4]],
    ['cuatro y cinco', [4, 5]],
  ])('%j is ambiguous', (reply, ratings) => {
    expect(parseSurveyReply(reply)).toEqual({ ok: false, reason: 'ambiguous', ratings });
  });

  it.each([
    ['Gracias por todo', 'noRating'],
    ['', 'noRating'],
    ['> 5\n> quoted only', 'noRating'],
    ['Muy bien, 5', 'noRating'],
    ['10', 'outOfRange'],
    ['0 pésimo', 'outOfRange'],
    ['45', 'outOfRange'],
    ['5000 pesos de multa', 'noRating'],
  ])('%j is refused: %s', (reply, reason) => {
    expect(parseSurveyReply(reply)).toMatchObject({ ok: false, reason });
  });
});

describe('recording answers', () => {
  const open: TestDesk[] = [];
  afterEach(() => {
    for (const d of open.splice(0)) d.close();
  });
  async function closedTicket() {
    const d = new TestDesk();
    open.push(d);
    await d.setup();
    const t = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    await d.call('tickets.close', { ticketId: t.id, cause: 'Certificado vencido.', solution: 'Se cargó el vigente.' });
    return { d, t };
  }

  it('records a reply once: audited, on the timeline, kept with the ticket\'s agent, tier and channel', async () => {
    const { d, t } = await closedTicket();
    const seq = lastSeq(d);
    const result = d.services.surveys.recordReply(t.id, '5 - excelente atención\n\n> Su ticket fue cerrado.', { messageId: '<r1@cliente.example.mx>', from: 'facturas@tecnocerro.example.mx' });
    expect(result).toMatchObject({ recorded: true, survey: { ticketId: t.id, rating: 5, comment: 'excelente atención', source: 'email' } });
    expect(auditActions(d, seq)).toEqual(['survey.answered']);
    const detail = await d.call('tickets.get', { ticketId: t.id });
    const event = detail.timeline.find((e) => e.kind === 'survey_answered');
    expect(event).toMatchObject({ body: 'excelente atención', data: { rating: 5, source: 'email' } });
    const row = d.services.ws.db.prepare('SELECT agent_id AS agentId, tier, channel, message_id AS messageId FROM satisfaction_surveys').get();
    expect(row).toEqual({ agentId: expect.any(String), tier: 'service_desk', channel: 'email', messageId: '<r1@cliente.example.mx>' });

    const again = d.services.surveys.recordReply(t.id, '1 cambié de opinión');
    expect(again).toEqual({ recorded: false, reason: 'alreadyAnswered' });
    expect(d.services.surveys.forTicket(t.id)?.rating).toBe(5);
  });

  it('a reply that reopened the closed ticket (closed-ticket policy) still answers its survey', async () => {
    const { d, t } = await closedTicket();
    await d.call('settings.update', { closedTicketPolicy: 'reopen_within', reopenWithinDays: 7 });
    await d.call('tickets.customerMessage', { ticketId: t.id, body: '4 bien' });
    expect((await d.call('tickets.get', { ticketId: t.id })).ticket.status).toBe('open');
    expect(d.services.surveys.recordReply(t.id, '4 bien')).toMatchObject({ recorded: true, survey: { rating: 4, comment: 'bien' } });
  });

  it('an ambiguous or unreadable reply is not recorded; the refusal is audited with its reason', async () => {
    const { d, t } = await closedTicket();
    const seq = lastSeq(d);
    expect(d.services.surveys.recordReply(t.id, '4 o 5')).toEqual({ recorded: false, reason: 'ambiguous', ratings: [4, 5] });
    expect(d.services.surveys.recordReply(t.id, 'Gracias')).toEqual({ recorded: false, reason: 'noRating' });
    expect(auditActions(d, seq)).toEqual(['survey.refused', 'survey.refused']);
    expect(d.services.surveys.forTicket(t.id)).toBeNull();
  });

  it('an open ticket has no survey to answer; an agent may record an answer told by phone', async () => {
    const d = new TestDesk();
    open.push(d);
    await d.setup();
    const t = await d.call('tickets.create', phoneIntake());
    expect(d.services.surveys.recordReply(t.id, '5')).toEqual({ recorded: false, reason: 'notClosed' });
    expect((await d.fail('surveys.record', { ticketId: t.id, rating: 4 })).code).toBe('survey.notClosed');
    await d.call('tickets.close', { ticketId: t.id, cause: 'Duda.', solution: 'Se explicó.' });
    expect((await d.fail('surveys.record', { ticketId: t.id, rating: 6 })).fields).toEqual({ rating: 'survey.outOfRange' });
    expect(await d.call('surveys.record', { ticketId: t.id, rating: 4, comment: 'Amable' })).toMatchObject({ rating: 4, source: 'agent' });
  });
});
