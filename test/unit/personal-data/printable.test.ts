/// <reference types="vite/client" />
/**
 * Issue 15, item 7: the ARCO printable document reads as Spanish (and English): every section and column of
 * every exported table has a label, and no value shows a stored code (event kinds, audit actions, entity kinds).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPORT_SECTIONS } from '../../../electron/core/personal-data/export';
import { i18next, initI18n, setLocale } from '../../../renderer/i18n';
import { isTechnicalColumn, printableSections } from '../../../renderer/features/personal-data/printable';
import { deskPool, makeWorld, register } from '../requests/helpers';

import.meta.glob('../../../renderer/features/*/strings.ts', { eager: true });
import.meta.glob('../../../renderer/{app,components}/strings.ts', { eager: true });

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } }); // initI18n sets <html lang>; no DOM here
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

const desks = deskPool();
/** A stored identifier: snake_case or dotted codes (ticket.created, customer_message, change_request). */
const CODE = /^[a-z]+(?:[._][a-z][a-zA-Z]*)+$/;

describe('the ARCO printable document', () => {
  for (const locale of ['es-MX', 'en'] as const) {
    it(`labels every section and every readable column of every exported table in ${locale}`, async () => {
      const desk = await desks.ready();
      await setLocale(locale);
      const missing: string[] = [];
      for (const [section, sql] of Object.entries(EXPORT_SECTIONS)) {
        if (!i18next.exists(`personalData.section.${section}`)) missing.push(section);
        for (const { name } of desk.services.ws.db.prepare(sql).columns()) {
          if (!isTechnicalColumn(name) && !i18next.exists(`personalData.column.${name}`)) missing.push(`${section}.${name}`);
        }
      }
      expect(missing, 'add labels in renderer/features/personal-data/strings.ts').toEqual([]);
      await setLocale('es-MX');
    });
  }

  it('shows a real customer\'s life without stored codes: events, notices, audit actions and entities in words', async () => {
    const w = await makeWorld(await desks.ready());
    const { desk } = w;
    await desk.call('tickets.reply', { ticketId: w.ticket.id, body: 'Recibimos su solicitud' });
    await desk.call('tickets.assign', { ticketId: w.ticket.id, assigneeId: w.cast.agent.id });
    const change = await register(w);
    await desk.call('requests.submit', { requestId: change.id }, w.cast.agent.token);
    await desk.call('personalData.create', {
      customerId: w.customer.id, kind: 'access', channel: 'email', requesterName: 'Laura Méndez Ríos', requesterRole: 'legal_representative',
      identityMethod: 'power_of_attorney',
    });
    const data = await desk.call('personalData.export', { customerId: w.customer.id });
    await setLocale('es-MX');
    const sections = printableSections(data);
    const raw: string[] = [];
    for (const s of sections) {
      for (const h of s.headers) if (CODE.test(h) || h.includes('_')) raw.push(`${s.name} header: ${h}`);
      for (const row of s.rows) {
        for (const cell of row) {
          // A cell, or each "Campo: valor" line of a nested value.
          for (const line of cell.split('\n')) {
            const [name, value] = line.includes(': ') ? [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] : ['', line];
            if (CODE.test(value.trim()) || /^[a-z]+[A-Z_]/.test(name)) raw.push(`${s.name}: ${line}`);
          }
        }
      }
    }
    expect(raw).toEqual([]);
    const audit = sections.find((s) => s.name === 'audit_log')!;
    expect(audit.rows.length).toBeGreaterThan(3);
    expect(sections.find((s) => s.name === 'ticket_events')!.rows.flat()).toContain('Ticket creado');
  });
});
