/**
 * Respuestas rápidas (issue 12, item 6): team ones changed by supervisors and administrators only
 * (checked in core), personal ones by their author only and invisible to others; placeholders are
 * the notice templates' (unknown ones refused by name, nothing written); rendered for a ticket with
 * its customer, folio, the agent and the SLA's committed dates, in Spanish or English; audited;
 * team ones go to the outbox (deletion too) and a pulled one is applied, personal ones never travel.
 */
import { describe, expect, it } from 'vitest';
import { applyPulled } from '../../../electron/core/sync/apply';
import { encodeHlc } from '../../../electron/shared/hlc';
import { filterQuickReplies, tOpensPicker, type QuickReply } from '../../../electron/shared/quick-replies';
import { mutationRefusal } from '../../../electron/shared/sync/permissions';
import type { PulledChange } from '../../../electron/shared/sync/protocol';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq } from '../core/helpers';

const desks = deskPool();
const count = (d: TestDesk, sql: string, ...args: unknown[]) => d.services.ws.db.prepare(sql).pluck().get(...args) as number;

const GREETING = {
  scope: 'team' as const,
  title: 'Saludo y folio',
  'es-MX': 'Estimado {{cliente}}:\n\nSu folio es {{folio}}. Le atiende {{agente}}.\nResolveremos a más tardar el {{fecha_resolucion}}.',
  en: 'Dear {{cliente}},\n\nYour tracking number is {{folio}}. {{agente}} is helping you.',
};

describe('who may change what', () => {
  it('an agent cannot add, change or delete a team quick reply; a supervisor can', async () => {
    const d = await desks.ready();
    const agent = await d.userWithRoles('laura', ['agent']);
    const supervisor = await d.userWithRoles('mario', ['supervisor']);
    const before = { rows: count(d, 'SELECT COUNT(*) FROM quick_replies'), outbox: count(d, 'SELECT COUNT(*) FROM outbox') };
    expect((await d.fail('quickReplies.save', GREETING, agent.token)).code).toBe('quickReplies.teamNotAllowed');
    expect(count(d, 'SELECT COUNT(*) FROM quick_replies')).toBe(before.rows);
    const saved = await d.call('quickReplies.save', GREETING, supervisor.token);
    expect(saved).toMatchObject({ scope: 'team', ownerId: null, canEdit: true, version: 1 });
    expect((await d.fail('quickReplies.save', { ...GREETING, quickReplyId: saved.id, title: 'Otro' }, agent.token)).code).toBe('quickReplies.teamNotAllowed');
    expect((await d.fail('quickReplies.delete', { quickReplyId: saved.id }, agent.token)).code).toBe('quickReplies.teamNotAllowed');
    // Agents see and use it, without the right to change it.
    const seen = await d.call('quickReplies.list', {}, agent.token);
    expect(seen.canEditTeam).toBe(false);
    expect(seen.rows.map((r) => [r.title, r.canEdit])).toEqual([['Saludo y folio', false]]);
  });

  it('a personal quick reply is its author\'s: others neither see, use nor change it', async () => {
    const d = await desks.ready();
    const laura = await d.userWithRoles('laura', ['agent']);
    const pepe = await d.userWithRoles('pepe', ['agent']);
    const mine = await d.call('quickReplies.save', { scope: 'personal', title: 'Mi firma', 'es-MX': 'Saludos,\n{{agente}}' }, laura.token);
    expect(mine).toMatchObject({ scope: 'personal', ownerId: laura.id, canEdit: true, en: '' });
    expect((await d.call('quickReplies.list', {}, pepe.token)).rows).toEqual([]);
    expect((await d.call('quickReplies.list', {}, laura.token)).rows.map((r) => r.title)).toEqual(['Mi firma']);
    expect((await d.fail('quickReplies.save', { scope: 'personal', quickReplyId: mine.id, title: 'X', 'es-MX': 'x' }, pepe.token)).code).toBe('quickReplies.notYours');
    expect((await d.fail('quickReplies.delete', { quickReplyId: mine.id }, pepe.token)).code).toBe('quickReplies.notYours');
    const ticket = await d.call('tickets.create', phoneIntake());
    expect((await d.fail('quickReplies.render', { quickReplyId: mine.id, ticketId: ticket.id }, pepe.token)).code).toBe('quickReplies.notFound');
    // Not even an administrator changes an agent's own texts.
    expect((await d.fail('quickReplies.delete', { quickReplyId: mine.id })).code).toBe('quickReplies.notYours');
  });

  it('roles that do not answer customers cannot use quick replies at all', async () => {
    const d = await desks.ready();
    const officer = await d.userWithRoles('oficial', ['security_officer']);
    expect((await d.fail('quickReplies.list', {}, officer.token)).code).toBe('auth.forbidden');
  });
});

describe('texts and placeholders', () => {
  it('renders for the ticket: customer, folio, the agent inserting it and the committed resolution date; English when asked', async () => {
    const d = await desks.ready();
    const laura = await d.userWithRoles('laura', ['agent']);
    const saved = await d.call('quickReplies.save', GREETING);
    const ticket = await d.call('tickets.create', phoneIntake());
    const es = await d.call('quickReplies.render', { quickReplyId: saved.id, ticketId: ticket.id }, laura.token);
    expect(es.language).toBe('es-MX');
    expect(es.text).toBe(
      `Estimado Tecnologías del Cerro SA de CV:\n\nSu folio es ${ticket.trackingNumber}. Le atiende Usuario laura.\n` +
      'Resolveremos a más tardar el viernes, 6 de marzo de 2026, 14:00 h, hora del centro de México.',
    );
    const en = await d.call('quickReplies.render', { quickReplyId: saved.id, ticketId: ticket.id, language: 'en' }, laura.token);
    expect(en.text).toBe(`Dear Tecnologías del Cerro SA de CV,\n\nYour tracking number is ${ticket.trackingNumber}. Usuario laura is helping you.`);
    // No English text: the Spanish one.
    const onlyEs = await d.call('quickReplies.save', { scope: 'personal', title: 'Solo español', 'es-MX': 'Folio {{folio}}' }, laura.token);
    expect((await d.call('quickReplies.render', { quickReplyId: onlyEs.id, ticketId: ticket.id, language: 'en' }, laura.token)).text).toBe(`Folio ${ticket.trackingNumber}`);
  });

  it('refuses a placeholder it does not know, by name and with the ones it may use, writing nothing', async () => {
    const d = await desks.ready();
    const base = d.counts();
    const seq = lastSeq(d);
    const err = await d.fail('quickReplies.save', { ...GREETING, 'es-MX': 'Su folio {{folio}}; causa: {{causa}} {{nada}}' });
    expect(err.code).toBe('mailTemplates.unknownPlaceholder');
    expect(err.params?.names).toBe('{{causa}}, {{nada}}');
    expect(err.params?.allowed).toContain('{{fecha_resolucion}}');
    expect(err.fields).toEqual({ 'es-MX': 'mailTemplates.unknownPlaceholderField' });
    // Only the dispatcher's record of the refusal.
    expect(d.counts()).toEqual({ ...base, audit_log: base.audit_log! + 1 });
    expect(auditEntries(d).filter((e) => e.seq > seq).map((e) => e.action)).toEqual(['api.refused']);
    expect(count(d, 'SELECT COUNT(*) FROM quick_replies')).toBe(0);
  });

  it('refuses bad input with field messages: empty title, text too long, lone surrogates', async () => {
    const d = await desks.ready();
    expect((await d.fail('quickReplies.save', { ...GREETING, title: '  ' })).fields).toMatchObject({ title: 'validation.required' });
    expect((await d.fail('quickReplies.save', { ...GREETING, 'es-MX': 'x'.repeat(10_001) })).fields).toMatchObject({ 'es-MX': 'validation.tooLong' });
    expect((await d.fail('quickReplies.save', { ...GREETING, title: 'a\uD800b' })).fields).toMatchObject({ title: 'validation.invalidText' });
    expect((await d.fail('quickReplies.save', { ...GREETING, scope: 'everyone' })).code).toBe('validation.failed');
    expect(count(d, 'SELECT COUNT(*) FROM quick_replies')).toBe(0);
  });

  it('a save over a newer version is refused; the scope is fixed at creation', async () => {
    const d = await desks.ready();
    const saved = await d.call('quickReplies.save', GREETING);
    await d.call('quickReplies.save', { ...GREETING, quickReplyId: saved.id, title: 'Saludo', expectedVersion: 1 });
    expect((await d.fail('quickReplies.save', { ...GREETING, quickReplyId: saved.id, title: 'Otro', expectedVersion: 1 })).code).toBe('quickReplies.staleVersion');
    expect((await d.fail('quickReplies.save', { ...GREETING, scope: 'personal', quickReplyId: saved.id })).code).toBe('validation.invalid');
  });
});

describe('audit and sync', () => {
  it('every save and deletion is audited; team ones go to the outbox (the deletion as deletedAt), personal ones never', async () => {
    const d = await desks.ready();
    const seq = lastSeq(d);
    const team = await d.call('quickReplies.save', GREETING);
    await d.call('quickReplies.save', { ...GREETING, quickReplyId: team.id, 'es-MX': 'Hola {{cliente}}' });
    const mine = await d.call('quickReplies.save', { scope: 'personal', title: 'Firma', 'es-MX': 'Saludos' });
    await d.call('quickReplies.delete', { quickReplyId: team.id });
    await d.call('quickReplies.delete', { quickReplyId: mine.id });
    const entries = auditEntries(d).filter((e) => e.seq > seq && e.entity === 'quick_reply');
    expect(entries.map((e) => e.action)).toEqual(['quickReply.saved', 'quickReply.saved', 'quickReply.saved', 'quickReply.deleted', 'quickReply.deleted']);
    expect(JSON.parse(entries[1]!.data as string)).toMatchObject({ scope: 'team', before: { 'es-MX': GREETING['es-MX'] }, after: { 'es-MX': 'Hola {{cliente}}' } });
    const outbox = d.services.ws.db.prepare("SELECT entity_id, op, payload FROM outbox WHERE entity = 'quick_reply' ORDER BY rowid").all() as Array<{ entity_id: string; op: string; payload: string }>;
    expect(outbox.every((o) => o.entity_id === team.id)).toBe(true);
    expect(outbox.map((o) => o.op)).toContain('insert');
    const payloads = outbox.map((o) => JSON.parse(o.payload) as Record<string, unknown>);
    expect(payloads.find((p) => p.scope === 'team')).toMatchObject({ title: 'Saludo y folio', 'es-MX': GREETING['es-MX'] });
    expect(payloads.some((p) => typeof p.deletedAt === 'number')).toBe(true);
    expect((await d.call('quickReplies.list', {})).rows).toEqual([]);
  });

  it('a team quick reply pulled from another branch is listed here, and its deletion removes it; a bad one is not applied', async () => {
    const d = await desks.ready();
    const device = '0190a000-0000-7000-8000-00000000abcd';
    const id = '0190a000-0000-7000-8000-0000000000a1';
    const hlc = (n: number) => encodeHlc({ wallMs: d.now(), counter: n, deviceId: device });
    const base = { deviceId: device, actorId: null, entity: 'quick_reply', entityId: id, createdAt: d.now() };
    const insert: PulledChange = {
      ...base, serverSeq: 1, hlc: hlc(1), op: 'insert',
      payload: { scope: 'team', title: 'Desde Guadalajara', 'es-MX': 'Hola {{cliente}}', en: '', version: 1, createdAt: d.now(), updatedAt: d.now() },
    };
    expect(applyPulled(d.services, [insert])).toMatchObject({ applied: 1, failed: [] });
    expect((await d.call('quickReplies.list', {})).rows.map((r) => [r.title, r.scope])).toEqual([['Desde Guadalajara', 'team']]);
    const bad: PulledChange = { ...insert, serverSeq: 2, hlc: hlc(2), entityId: '0190a000-0000-7000-8000-0000000000a2', payload: { scope: 'team', title: 7 } };
    expect(applyPulled(d.services, [bad]).failed).toEqual(['quick_reply:0190a000-0000-7000-8000-0000000000a2']);
    const deleted: PulledChange = { ...insert, serverSeq: 3, hlc: hlc(3), op: 'update', payload: { deletedAt: d.now(), version: 2 } };
    applyPulled(d.services, [deleted]);
    expect((await d.call('quickReplies.list', {})).rows).toEqual([]);
  });

  it('the server lets supervisors and administrators push team quick replies, nobody a personal one', () => {
    const m = { actorKind: 'user' as const, entity: 'quick_reply', entityId: 'x', op: 'insert' as const, payload: { scope: 'team' } };
    expect(mutationRefusal(m, ['supervisor'])).toBeNull();
    expect(mutationRefusal(m, ['agent'])).toBe('sync.forbidden');
    expect(mutationRefusal({ ...m, op: 'update', payload: { deletedAt: 1 } }, ['administrator'])).toBeNull();
    expect(mutationRefusal({ ...m, payload: { scope: 'personal' } }, ['administrator'])).toBe('sync.forbidden');
  });
});

describe('the picker', () => {
  const row = (over: Partial<QuickReply>): QuickReply => ({
    id: over.title ?? 'x', scope: 'team', title: '', 'es-MX': '', en: '', ownerId: null, updatedByName: null, updatedAt: 0, version: 1, canEdit: false, ...over,
  });
  it('finds by every word, accent-insensitive, title matches first and then personal before team', () => {
    const rows = [
      row({ title: 'Cancelación de CFDI', 'es-MX': 'Motivos 01 a 04' }),
      row({ title: 'Complemento de pago', 'es-MX': 'La cancelacion requiere…' }),
      row({ title: 'Cancelación (mía)', scope: 'personal' }),
      row({ title: 'Timbrado' }),
    ];
    expect(filterQuickReplies(rows, 'cancelacion').map((r) => r.title)).toEqual(['Cancelación (mía)', 'Cancelación de CFDI', 'Complemento de pago']);
    expect(filterQuickReplies(rows, 'CANCELACIÓN motivos').map((r) => r.title)).toEqual(['Cancelación de CFDI']);
    expect(filterQuickReplies(rows, '').length).toBe(4);
  });
  it('the t key opens it only in an empty box: inside text it types', () => {
    expect(tOpensPicker('')).toBe(true);
    expect(tOpensPicker('  \n')).toBe(true);
    expect(tOpensPicker('Buen día, ')).toBe(false);
    expect(tOpensPicker('Es')).toBe(false);
  });
});
