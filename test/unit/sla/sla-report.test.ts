import { afterEach, describe, expect, it } from 'vitest';
import { runSweep } from '../../../electron/core/host';
import { offsetSpans } from '../../../electron/shared/calendar';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MARCH = Date.UTC(2026, 2, 1);
const APRIL = Date.UTC(2026, 3, 1);
let desk: TestDesk;
afterEach(() => desk?.close());


describe('SLA report', () => {
  it('counts first-response and resolution compliance by channel and severity, lists breaches, and exports CSV', async () => {
    desk = await new TestDesk().setup(); // Monday 10:00 Mexico City
    const onTime = await desk.call('tickets.create', phoneIntake({ channel: 'email', severity: 1 }));
    const late = await desk.call('tickets.create', phoneIntake({ channel: 'email', severity: 3, customer: { kind: 'existing', customerId: onTime.customerId } })); // 2 h / 8 h
    desk.advance(HOUR);
    await desk.call('tickets.reply', { ticketId: onTime.id, body: 'Revisamos su caso' });
    desk.advance(2 * DAY);
    runSweep(desk.services);
    await desk.signInAgain();
    const r = await desk.call('reports.sla', { from: MARCH, to: APRIL, period: 'week', format: 'csv' });
    expect(r.bySeverity.map((x) => [x.key, x.tickets, x.firstResponseMeasured, x.firstResponseMet])).toEqual([['1', 1, 1, 1], ['3', 1, 1, 0]]);
    expect(r.byChannel).toEqual([{ key: 'email', tickets: 2, firstResponseMeasured: 2, firstResponseMet: 1, resolutionMeasured: 1, resolutionMet: 0 }]);
    expect(r.breaches.map((b) => [b.trackingNumber, b.metric])).toEqual([[late.trackingNumber, 'first_response'], [late.trackingNumber, 'resolution']]);
    const lines = r.csv!.split('\r\n');
    expect(lines[0]).toBe('section,key,tickets,first_response_measured,first_response_met,resolution_measured,resolution_met');
    expect(lines).toContain('channel,email,2,2,1,1,0');
  });

  it('groups periods by the branch time zone, through its daylight-saving change (Tijuana)', async () => {
    desk = await new TestDesk(undefined, Date.UTC(2026, 2, 3, 7, 30)).setup(); // 2 March 23:30 in Tijuana (UTC−8)
    const first = await desk.call('tickets.create', phoneIntake({ channel: 'email' }));
    desk.advance(Date.UTC(2026, 2, 10, 6, 30) - desk.now()); // 9 March 23:30 in Tijuana (UTC−7 since 8 March)
    await desk.signInAgain();
    await desk.call('tickets.create', phoneIntake({ channel: 'email', customer: { kind: 'existing', customerId: first.customerId } }));
    const days = async () => (await desk.call('reports.sla', { from: MARCH, to: APRIL, period: 'day', format: 'json' })).byPeriod.map((p) => p.key);
    expect(await days()).toEqual(['2026-03-03', '2026-03-10']); // Mexico City, UTC−6
    desk.services.ws.db.prepare("UPDATE branch SET time_zone = 'America/Tijuana'").run();
    expect(await days()).toEqual(['2026-03-02', '2026-03-09']);
  });

  it('weeks are ISO weeks of the branch’s local date: Sunday 6 Dec 2026 23:30 in Mexico City is 2026-W49, across a year end too', async () => {
    desk = await new TestDesk(undefined, Date.UTC(2026, 11, 7, 5, 30)).setup(); // 6 Dec 23:30 in Mexico City, Monday 7 Dec in UTC
    const first = await desk.call('tickets.create', phoneIntake({ channel: 'email' }));
    const existing = { kind: 'existing' as const, customerId: first.customerId };
    for (const at of [Date.UTC(2026, 11, 31, 18), Date.UTC(2027, 0, 1, 18), Date.UTC(2027, 0, 4, 18)]) {
      desk.advance(at - desk.now());
      await desk.signInAgain();
      await desk.call('tickets.create', phoneIntake({ channel: 'email', customer: existing }));
    }
    const r = await desk.call('reports.sla', { from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 1, 1), period: 'week', format: 'csv' });
    expect(r.byPeriod.map((p) => [p.key, p.tickets])).toEqual([['2026-W49', 1], ['2026-W53', 2], ['2027-W01', 1]]);
    expect(r.csv!.split('\r\n')).toContain('period,2026-W53,2,0,0,0,0');
  });

  it('refuses a range longer than ten years, or reversed, with a field message', async () => {
    desk = await new TestDesk().setup();
    const long = await desk.fail('reports.sla', { from: 0, to: Date.UTC(2026, 0, 1), period: 'month', format: 'json' });
    expect(long.fields?.to).toBe('validation.rangeTooLong');
    const reversed = await desk.fail('reports.sla', { from: APRIL, to: MARCH, period: 'month', format: 'json' });
    expect(reversed.fields?.to).toBe('validation.range');
  });
});

describe('offsetSpans', () => {
  it('finds each offset change of a zone to the millisecond', () => {
    const spans = offsetSpans('America/Tijuana', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    // 8 March 2026 02:00 PST → PDT; 1 November 2026 02:00 PDT → PST.
    expect(spans).toEqual([
      { from: Date.UTC(2026, 0, 1), offsetMs: -8 * HOUR },
      { from: Date.UTC(2026, 2, 8, 10), offsetMs: -7 * HOUR },
      { from: Date.UTC(2026, 10, 1, 9), offsetMs: -8 * HOUR },
    ]);
    expect(offsetSpans('America/Mexico_City', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([{ from: Date.UTC(2026, 0, 1), offsetMs: -6 * HOUR }]);
  });
});
