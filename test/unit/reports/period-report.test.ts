/**
 * The reports screen's report (issue 15): the period (presets in ISO weeks and calendar months on
 * the branch's clock, or a custom range) and the branch (site code) are applied in core to every
 * report — service levels by agent, volume, closures and reopenings, satisfaction — and the CSV
 * reads in Spanish.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePeriod } from '../../../electron/core/reports/period';
import { presetDays } from '../../../electron/shared/periods';
import { csatPercent, responseRate } from '../../../electron/shared/reports';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
let desk: TestDesk | undefined;
afterEach(() => {
  desk?.close();
  desk = undefined;
});

describe('report periods', () => {
  it('presets are ISO weeks and calendar months of the local date, across a year end', () => {
    expect(presetDays('thisWeek', '2026-12-06')).toEqual({ fromDate: '2026-11-30', toDate: '2026-12-06' }); // a Sunday: ISO week 49
    expect(presetDays('thisWeek', '2026-12-07')).toEqual({ fromDate: '2026-12-07', toDate: '2026-12-13' });
    expect(presetDays('lastWeek', '2027-01-01')).toEqual({ fromDate: '2026-12-21', toDate: '2026-12-27' });
    expect(presetDays('thisMonth', '2026-02-14')).toEqual({ fromDate: '2026-02-01', toDate: '2026-02-28' });
    expect(presetDays('lastMonth', '2027-01-15')).toEqual({ fromDate: '2026-12-01', toDate: '2026-12-31' });
  });

  it("turns local dates into instants on the branch's clock: Sunday 23:30 in Mexico City is still that week", () => {
    const sundayNight = Date.UTC(2026, 11, 7, 5, 30); // Monday 7 Dec in UTC
    const week = resolvePeriod({ preset: 'thisWeek' }, sundayNight, 'America/Mexico_City');
    expect(week).toEqual({ fromDate: '2026-11-30', toDate: '2026-12-06', from: Date.UTC(2026, 10, 30, 6), to: Date.UTC(2026, 11, 7, 6) });
    // Tijuana changes to UTC−7 on 8 March 2026: the custom range's end follows it.
    const march = resolvePeriod({ preset: 'custom', from: '2026-03-01', to: '2026-03-31' }, sundayNight, 'America/Tijuana');
    expect(march).toMatchObject({ from: Date.UTC(2026, 2, 1, 8), to: Date.UTC(2026, 3, 1, 7) });
  });
});

describe('reports.run', () => {
  async function deskWithWork() {
    desk = await new TestDesk().setup(); // Monday 2 March 2026, 10:00 in Mexico City
    const d = desk;
    const ana = await d.userWithRoles('ana.agente', ['agent']);
    const beto = await d.userWithRoles('beto.agente', ['agent']);
    const a = await d.call('tickets.create', phoneIntake({ channel: 'email' }));
    const existing = { kind: 'existing' as const, customerId: a.customerId };
    const b = await d.call('tickets.create', phoneIntake({ channel: 'phone', requestType: 'general', customer: existing }));
    const c = await d.call('tickets.create', phoneIntake({ channel: 'email', customer: existing }));
    const other = await d.call('tickets.create', phoneIntake({ channel: 'chat_support', customer: existing }));
    await d.call('tickets.assign', { ticketId: a.id, assigneeId: ana.id });
    await d.call('tickets.assign', { ticketId: b.id, assigneeId: beto.id });
    await d.call('tickets.assign', { ticketId: c.id, assigneeId: ana.id });
    d.advance(HOUR);
    await d.call('tickets.reply', { ticketId: a.id, body: 'Revisamos su caso' });
    for (const t of [a, b, c]) await d.call('tickets.close', { ticketId: t.id, cause: 'Dato mal capturado', solution: 'Se corrigió el RFC' });
    await d.call('settings.update', { closedTicketPolicy: 'reopen_within', reopenWithinDays: 7 });
    await d.call('tickets.customerMessage', { ticketId: c.id, body: 'Sigue sin timbrar', attachments: [] });
    d.services.surveys.recordReply(a.id, '5 excelente');
    d.services.surveys.recordReply(b.id, '2 tardaron mucho');
    // A ticket pulled from the Guadalajara branch (sync): its site code prefixes its number.
    d.services.ws.db.prepare("UPDATE tickets SET tracking_number = 'GDL-000001' WHERE id = ?").run(other.id);
    return { d, ana, beto, a, b, c, other };
  }

  it('counts every report for the period and the branch, and lists the branches', async () => {
    const { d, ana, beto } = await deskWithWork();
    const r = await d.call('reports.run', { period: { preset: 'thisWeek' }, branch: null, groupBy: 'day', format: 'json', locale: 'es-MX' });
    expect([r.fromDate, r.toDate]).toEqual(['2026-03-02', '2026-03-08']);
    expect(r.branches).toEqual([{ code: 'MTY', name: 'Sucursal Monterrey' }, { code: 'GDL', name: null }]);
    expect(r.volume).toEqual({
      total: 4,
      byChannel: [{ channel: 'email', tickets: 2 }, { channel: 'chat_support', tickets: 1 }, { channel: 'phone', tickets: 1 }],
      byType: [{ type: 'technical', tickets: 3 }, { type: 'general', tickets: 1 }],
    });
    expect(r.closures).toEqual({ closed: 3, autoClosed: 0, reopened: 1 });
    expect(r.sla.byAgent.map((x) => [x.label, x.tickets, x.firstResponseMeasured, x.firstResponseMet])).toEqual([
      ['Usuario ana.agente', 2, 1, 1], ['Usuario beto.agente', 1, 0, 0], ['', 1, 0, 0],
    ]);
    expect(r.sla.byAgent.map((x) => x.key)).toEqual([ana.id, beto.id, '']);
    expect(r.csat.total).toEqual({ key: 'total', answered: 2, ratingSum: 7, satisfied: 1, dissatisfied: 1 });
    expect(r.csat.distribution).toEqual({ 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 });
    expect(r.csat.byAgent.map((x) => [x.label, x.answered, csatPercent(x)])).toEqual([['Usuario ana.agente', 1, 100], ['Usuario beto.agente', 1, 0]]);
    expect(r.csat.byChannel.map((x) => [x.key, x.ratingSum])).toEqual([['email', 5], ['phone', 2]]);
    expect(r.csat.byPeriod.map((x) => [x.key, x.answered])).toEqual([['2026-03-02', 2]]);
    expect(responseRate(r)).toBe(66.7);

    const gdl = await d.call('reports.run', { period: { preset: 'thisWeek' }, branch: 'GDL', groupBy: 'week', format: 'json', locale: 'es-MX' });
    expect(gdl.volume.total).toBe(1);
    expect(gdl.sla.byTier.map((x) => x.tickets)).toEqual([1]);
    expect(gdl.closures).toEqual({ closed: 0, autoClosed: 0, reopened: 0 });
    expect(gdl.csat.total.answered).toBe(0);
    const mty = await d.call('reports.run', { period: { preset: 'thisWeek' }, branch: 'MTY', groupBy: 'week', format: 'json', locale: 'es-MX' });
    expect([mty.volume.total, mty.closures.closed, mty.csat.total.answered]).toEqual([3, 3, 2]);
    expect(mty.sla.byPeriod.map((x) => x.key)).toEqual(['2026-W10']);

    // Last week holds none of it.
    const last = await d.call('reports.run', { period: { preset: 'lastWeek' }, branch: null, groupBy: 'week', format: 'json', locale: 'es-MX' });
    expect([last.fromDate, last.toDate, last.volume.total, last.closures.closed, last.csat.total.answered]).toEqual(['2026-02-23', '2026-03-01', 0, 0, 0]);
  });

  it('exports CSV with Spanish headers and names (English when asked)', async () => {
    const { d } = await deskWithWork();
    const r = await d.call('reports.run', { period: { preset: 'custom', from: '2026-03-01', to: '2026-03-31' }, branch: null, groupBy: 'week', format: 'csv', locale: 'es-MX' });
    const lines = r.csv!.split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['Reporte de la mesa de ayuda', 'Periodo,Desde,2026-03-01,Hasta,2026-03-31', 'Sucursal,Todas']);
    expect(lines).toContain('Niveles de servicio por agente');
    expect(lines).toContain('Grupo,Tickets,Primera respuesta medidos,Primera respuesta a tiempo,Primera respuesta a tiempo (%),Resolución medidos,Resolución a tiempo,Resolución a tiempo (%)');
    expect(lines).toContain('Mesa de Servicio,4,1,1,100,2,2,100');
    expect(lines).toContain('Correo,2');
    expect(lines).toContain('Técnica,3');
    expect(lines).toContain('Tipo de solicitud,Tickets');
    expect(lines).toContain('Sin asignar,1,0,0,,0,0,');
    expect(lines).toContain('Tasa de reapertura (%),33.3');
    expect(lines).toContain('Satisfacción (total),2,3.5,1,1,50');
    expect(lines).toContain('Usuario beto.agente,1,2,0,1,0');
    const en = await d.call('reports.run', { period: { preset: 'thisMonth' }, branch: 'MTY', groupBy: 'month', format: 'csv', locale: 'en' });
    expect(en.csv!.split('\r\n').slice(0, 3)).toEqual(['Help desk report', 'Period,From,2026-03-01,To,2026-03-31', 'Branch,MTY']);
    expect(en.csv).toContain('Service desk,3,');
  });

  it('refuses a bad branch, an impossible date and a reversed range with their messages; agents may not run reports', async () => {
    const { d } = await deskWithWork();
    const run = (input: unknown) => d.fail('reports.run', input);
    expect(await run({ period: { preset: 'thisWeek' }, branch: 'gdl' })).toMatchObject({ code: 'validation.failed', fields: { branch: 'reports.badBranch' } });
    expect(await run({ period: { preset: 'custom', from: '2026-02-30', to: '2026-03-01' } })).toMatchObject({ fields: { 'period.from': 'validation.date' } });
    expect(await run({ period: { preset: 'custom', from: '2026-03-10', to: '2026-03-01' } })).toMatchObject({ fields: { 'period.to': 'validation.range' } });
    expect(await run({ period: { preset: 'nextYear' } })).toMatchObject({ code: 'validation.failed' });
    const agent = await d.userWithRoles('carla.agente', ['agent']);
    expect(await d.fail('reports.run', { period: { preset: 'thisWeek' } }, agent.token)).toMatchObject({ code: 'auth.forbidden' });
  });
});
