import { afterEach, describe, expect, it, vi } from 'vitest';
import { SlaEngine } from '../../../electron/core/sla';
import { StepReader } from '../../../electron/core/step-reader';
import { DEFAULT_SLA_CONFIG, type SlaConfig } from '../../../electron/shared/sla';
import { manyOpenTickets, phoneIntake, TestDesk } from '../../fixtures/workspace';

const HOUR = 3_600_000;
let desk: TestDesk;
afterEach(() => {
  vi.restoreAllMocks();
  desk?.close();
});

/** Both calendars close an hour earlier: every open ticket's due moments move. */
function earlier(config: SlaConfig): SlaConfig {
  return { ...config, calendars: config.calendars.map((c) => ({ ...c, week: c.week.map((s) => ({ ...s, end: `${Number(s.end.slice(0, 2)) - 1}${s.end.slice(2)}` })) })) };
}

/** A full recompute on this thread at the same moment: how many rows it still had to change. */
function leftForAFullRecompute(d: TestDesk): number {
  const db = d.services.ws.db;
  const before = db.prepare('SELECT total_changes()').pluck().get() as number;
  d.services.ws.write({ kind: 'system' }, (tx) => d.services.sla.recomputeOpen(tx));
  return (db.prepare('SELECT total_changes()').pluck().get() as number) - before;
}

describe('reading ahead on a reader thread during a settings save', () => {
  it('stores exactly what one thread would, over several steps', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 4_500); // three steps
    desk.advance(HOUR);
    const warn = vi.spyOn(console, 'warn');
    const user = desk.services.users.list()[0]!.id;
    expect(desk.services.sla.saveConfig(user, earlier(DEFAULT_SLA_CONFIG)).recomputed).toBe(4_501);
    expect(desk.services.sla.readsAhead).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    expect(leftForAFullRecompute(desk)).toBe(0);
  });

  it('falls back to one thread when the reader cannot start, with the same result', async () => {
    desk = await new TestDesk().setup();
    await manyOpenTickets(desk, 2_500);
    desk.advance(HOUR);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const engine = new SlaEngine(desk.services.ws, { modulePath: '/nonexistent/better-sqlite3.js' });
    const user = desk.services.users.list()[0]!.id;
    expect(engine.saveConfig(user, earlier(DEFAULT_SLA_CONFIG)).recomputed).toBe(2_501);
    expect(engine.readsAhead).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(leftForAFullRecompute(desk)).toBe(0);
  });

  it('a reader answers with the committed state, reports SQL errors, and lets go of the file when closed', async () => {
    desk = await new TestDesk().setup();
    await desk.call('tickets.create', phoneIntake({ channel: 'email' }));
    const reader = new StepReader({ file: desk.services.ws.db.name });
    desk.services.ws.write({ kind: 'system' }, (tx) => {
      tx.sql("UPDATE tickets SET subject = 'Cambiado en esta transacción'").run();
      reader.request('SELECT json_group_array(subject) FROM tickets');
      expect(JSON.parse(reader.take())).toEqual([phoneIntake().subject]); // not this transaction's write
    });
    reader.request('SELECT nonsense FROM nowhere');
    expect(() => reader.take()).toThrow(/no such table: nowhere/);
    reader.close();
  });
});
