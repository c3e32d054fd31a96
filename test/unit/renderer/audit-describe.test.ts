/// <reference types="vite/client" />
/**
 * Issue 14, defect 4: the Bitácora and the emergency review read as Spanish (or English), never as
 * codes — every action core writes has a label in both languages, and a real workspace's entries
 * (a whole sensitive change with an emergency account, a ticket's life, a settings save) describe
 * themselves without method names, JSON or millisecond timestamps.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSweep } from '../../../electron/core/host';
import { AUDIT_ACTIONS } from '../../../electron/shared/audit-actions';
import { METHOD_NAMES } from '../../../electron/shared/methods';
import type { AuditRecord } from '../../../electron/shared/request-types';
import { DEFAULT_SLA_CONFIG } from '../../../electron/shared/sla';
import { i18next, initI18n, setLocale } from '../../../renderer/i18n';
import { auditActionLabel, auditLines, auditTechnical, methodLabel } from '../../../renderer/features/audit-log/describe';
import { audit, deskPool, implementing, makeWorld } from '../requests/helpers';

import.meta.glob('../../../renderer/features/*/strings.ts', { eager: true });
import.meta.glob('../../../renderer/{app,components}/strings.ts', { eager: true });

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } }); // initI18n sets <html lang>; no DOM here
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

const desks = deskPool();

describe('audit action labels', () => {
  for (const locale of ['es-MX', 'en'] as const) {
    it(`every action core writes has a label in ${locale} (add it in renderer/features/audit-log/strings.ts)`, async () => {
      await setLocale(locale);
      const missing = AUDIT_ACTIONS.filter((a) => !i18next.exists(`auditAction.${a.replaceAll('.', '_')}`));
      expect(missing).toEqual([]);
      for (const a of AUDIT_ACTIONS) expect(auditActionLabel(a)).not.toContain('.');
      await setLocale('es-MX');
    });
  }

  it('every operation of the contract has a name in both languages', async () => {
    for (const locale of ['es-MX', 'en'] as const) {
      await setLocale(locale);
      const missing = METHOD_NAMES.filter((m) => !i18next.exists(`apiMethod.${m.replaceAll('.', '_')}`));
      expect(missing, locale).toEqual([]);
    }
    await setLocale('es-MX');
    expect(methodLabel('tickets.assign')).toBe('Asignar un ticket');
    expect(methodLabel('something.new')).toBe('Otra operación del sistema');
  });
});

/** What a developer would recognise and a supervisor should never have to read. */
const DEVELOPER_TEXT = [
  /\b(app|auth|users|customers|tickets|requests|emergency|audit|sla|settings|backup|board|reports|attachments)\.[a-zA-Z]+/, // method or action codes
  /\b\d{12,}\b/, // epoch milliseconds
  /[{}"]/, // JSON
  /\b[a-z]+_[a-z_]+\b/, // snake_case codes (in_review, bad_password, service_desk)
  /\b(undefined|null|true|false|NaN)\b/,
];

function record(e: ReturnType<typeof audit>[number]): AuditRecord {
  return { ...e, actorName: null, data: JSON.parse(e.data) as Record<string, unknown> };
}

describe('a real workspace’s entries, described', () => {
  it('read without codes, JSON or raw timestamps; the technical detail keeps the raw entry', async () => {
    const desk = await desks.ready();
    const w = await makeWorld(desk);
    const { agent, officer } = w.cast;
    // A sensitive change through an emergency account, with an out-of-scope call and a bad sign-in.
    const { req, token, created } = await implementing(w);
    await desk.fail('tickets.list', {}, token);
    await desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    await desk.fail('emergency.signIn', { username: created.account.username, password: 'no-es-la-clave-1' }, null);
    await desk.fail('auth.signIn', { username: 'nadie', password: 'x-clave-incorrecta' }, null);
    await desk.call('emergency.revoke', { accountId: created.account.id, comment: 'Ya se aplicó el cambio' }, officer.token);
    // A ticket's life: reply, note, waiting on the customer, escalation, assignment, closing.
    const t = w.ticket.id;
    await desk.call('tickets.reply', { ticketId: t, body: 'Le respondemos.', attachments: [] }, agent.token);
    await desk.call('tickets.note', { ticketId: t, body: 'Nota interna.', attachments: [] }, agent.token);
    await desk.call('tickets.contactAttempt', { ticketId: t, method: 'phone', reached: false }, agent.token);
    await desk.call('tickets.setStatus', { ticketId: t, status: 'waiting', waitingOn: 'customer' }, agent.token);
    await desk.call('tickets.setStatus', { ticketId: t, status: 'open' }, agent.token);
    await desk.call('tickets.update', { ticketId: t, priority: 'high', severity: 2 }, agent.token);
    await desk.call('tickets.assign', { ticketId: t, assigneeId: agent.id }, agent.token);
    await desk.call('tickets.moveTier', { ticketId: t, toTier: 'operations', reason: 'Falla en una función' }, agent.token);
    const other = await desk.call('tickets.create', {
      customer: { kind: 'existing', customerId: w.customer.id }, channel: 'phone', requestType: 'general', supportType: 'web',
      category: 'issue_invoice', priority: 'normal', severity: 1, subject: 'Duda de facturación', description: 'No encuentra el botón.',
    }, agent.token);
    await desk.call('tickets.close', { ticketId: other.id, cause: 'Duda de uso', solution: 'Se explicó' }, agent.token);
    // Settings: service levels and the organization's.
    const policies = DEFAULT_SLA_CONFIG.policies.map((p, i) => (i === 0 ? { ...p, resolutionMinutes: 600 } : p));
    await desk.call('sla.saveConfig', { ...DEFAULT_SLA_CONFIG, policies });
    await desk.call('settings.update', { reopenWithinDays: 9 });
    await desk.call('audit.verify', {});
    desk.advance(10 * 24 * 60 * 60 * 1000);
    runSweep(desk.services); // records the breaches of the escalated ticket

    const entries = audit(desk).map(record);
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['emergency.call', 'emergency.outOfScope', 'emergency.signIn.failed', 'auth.signIn.failed', 'request.applied', 'customer.protectedFieldChanged',
      'ticket.statusChanged', 'ticket.closed', 'sla.breached', 'ticket.escalated', 'ticket.assigned', 'ticket.updated', 'sla.configChanged', 'settings.changed', 'audit.verified']) {
      expect(actions, a).toContain(a);
    }
    const problems: string[] = [];
    for (const locale of ['es-MX', 'en'] as const) {
      await setLocale(locale);
      for (const e of entries) {
        for (const l of auditLines(e, { userName: (id) => (id === agent.id ? 'Agente Uno' : undefined) })) {
          // Labels come from the strings, capitalised; a data key without one would show lowercase.
          if (!/^[A-ZÁÉÍÓÚÑ]/.test(l.label)) problems.push(`${locale} ${e.action}: label "${l.label}"`);
          for (const re of DEVELOPER_TEXT) if (re.test(l.value)) problems.push(`${locale} ${e.action}: ${l.label} = "${l.value}"`);
        }
      }
    }
    expect(problems).toEqual([]);
    await setLocale('es-MX');

    const lines = (action: string) => auditLines(entries.find((e) => e.action === action)!, { userName: (id) => (id === agent.id ? 'Agente Uno' : undefined) });
    expect(lines('ticket.statusChanged')).toContainEqual({ label: 'Estado', value: 'Abierto → En espera del cliente' });
    expect(lines('ticket.assigned')).toEqual([{ label: 'Asignado a', value: 'Sin asignar → Agente Uno' }]);
    expect(lines('ticket.escalated')).toContainEqual({ label: 'Nivel', value: 'Mesa de Servicio → Operación' });
    expect(lines('customer.protectedFieldChanged')).toEqual([{ label: 'RFC', value: `${w.customer.rfc} → NCE100615A12` }]);
    expect(lines('emergency.outOfScope')).toContainEqual({ label: 'Operación', value: 'Consultar tickets' });
    expect(lines('auth.signIn.failed')).toContainEqual({ label: 'Motivo', value: 'Usuario inexistente' });
    expect(lines('sla.configChanged')).toEqual([{ label: 'Políticas de servicio', value: `1 modificada(s): ${policies[0]!.name}` }]);
    expect(lines('settings.changed')).toContainEqual({ label: 'Días para reabrir', value: expect.stringMatching(/→ 9$/) });
    const breach = entries.find((e) => e.action === 'sla.breached')!;
    expect(auditLines(breach).find((l) => l.label === 'Vencía')!.value).toMatch(/^\d{1,2}\/\d{1,2}\/\d{2}/);

    const outOfScope = entries.find((e) => e.action === 'emergency.outOfScope')!;
    expect(JSON.parse(auditTechnical(outOfScope))).toMatchObject({ action: 'emergency.outOfScope', data: { method: 'tickets.list' }, hash: outOfScope.hash });
  });
});
