import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../electron/cli/demo-data';
import { openHost, type Host } from '../../../electron/core/host';
import { BOARD_BANDS, BOARD_NOT_CLOSED, boardConditions, type BoardFilters } from '../../../electron/core/sla';
import type { Services } from '../../../electron/core/services';
import { TIERS } from '../../../electron/shared/domain';
import { tempDir } from '../../fixtures/workspace';

/**
 * The SLA board is a walk per urgency band (issue 16: at 1M tickets it sorted every open ticket of
 * a column, looking up each breached one's first breach: 640–710 ms of CPU per call). The bands'
 * plans are index walks in the board's order; and on a generated workspace (every tier, overdue,
 * running, paused and closed tickets, breaches recorded by the generator's clocks) the board gives
 * exactly what the single ORDER BY of every open ticket gave, for filters and column sizes.
 */
const dataDir = tempDir('helpdesk-board-plan-');
let host: Host;
let s: Services;

beforeAll(async () => {
  await generateDemoData({ dataDir, tickets: 400, messagesPerTicket: 3, seed: 16, password: 'demo-clave-123', endAt: Date.now() - 3_600_000, spanDays: 20 });
  host = openHost({ dataDir, sweepIntervalMs: 0, backgroundSync: false, mail: { start: false } });
  s = host.services()!;
}, 120_000);
afterAll(() => {
  host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The board's order before 031: every open ticket of the column, the first breach looked up in sla_breaches, then sorted. */
function reference(filters: BoardFilters, perColumn: number) {
  const now = s.ws.now();
  const { where, params } = boardConditions(filters, false);
  const cards = s.ws.db.prepare(
    `SELECT id, firstBreachDueAt FROM (SELECT t.rowid AS rid, t.id, t.status, COALESCE(s.breach_at, s.resolution_due_at) AS due,
         CASE WHEN s.breached = 1 OR COALESCE(s.breach_at, s.resolution_due_at) <= @now
           THEN (SELECT MIN(b.due_at) FROM sla_breaches b WHERE b.ticket_id = t.id) END AS firstBreachDueAt
       FROM tickets t JOIN ticket_sla s ON s.ticket_rowid = t.rowid WHERE ${where.join(' AND ')} AND t.tier = @tier)
     ORDER BY
       CASE WHEN firstBreachDueAt <= @now OR due <= @now THEN 0 WHEN status = 'waiting' THEN 2 WHEN due IS NULL THEN 3 ELSE 1 END,
       CASE WHEN firstBreachDueAt <= @now THEN firstBreachDueAt WHEN due <= @now THEN due WHEN status = 'waiting' THEN 0 ELSE due END,
       rid
     LIMIT @limit`,
  );
  return TIERS.map((tier) => cards.all(...params, { now, tier, limit: perColumn }) as Array<{ id: string; firstBreachDueAt: number | null }>);
}

describe('SLA board', () => {
  it('each urgency band is an index walk in the board’s order, stopped at the column size', () => {
    for (const [i, band] of BOARD_BANDS.entries()) {
      const sql = `SELECT t.rowid ${band.from} WHERE ${band.where} AND t.tier = @tier AND t.status != 'closed' AND t.severity IN (?, ?) ORDER BY ${band.order} LIMIT @limit`;
      const details = (s.ws.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 2, { now: s.ws.now(), tier: 'service_desk', limit: 200 }) as Array<{ detail: string }>)
        .map((r) => r.detail);
      expect(details.filter((d) => /TEMP B-TREE|^SCAN/.test(d))).toEqual([]);
      if (i < 2) expect(details[0]).toMatch(new RegExp(`^SEARCH s USING INDEX ticket_sla_board \\(<expr>${i === 0 ? '<' : '>'}\\?\\)`));
      else expect(details[0]).toMatch(/^SEARCH t USING COVERING INDEX tickets_tier_status \(tier=\? AND status=\?\)|^SEARCH t USING INDEX tickets_tier_status \(tier=\? AND status=\?\)/);
    }
  });

  it('counts each column on its open and waiting ranges, not on every ticket of the tier', () => {
    const details = (s.ws.db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM tickets t WHERE ${BOARD_NOT_CLOSED} AND t.tier = ?`).all('operations') as Array<{ detail: string }>)
      .map((r) => r.detail);
    expect(details).toEqual([expect.stringMatching(/^SEARCH t USING COVERING INDEX \w+ \((status=\? AND tier=\?|tier=\? AND status=\?)\)/)]);
  });

  it('keeps each ticket’s first breach with its clocks: the earliest due moment of its sla_breaches', () => {
    const differ = s.ws.db.prepare(`SELECT count(*) FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid
      WHERE s.first_breach_due_at IS NOT (SELECT MIN(b.due_at) FROM sla_breaches b WHERE b.ticket_id = t.id)`).pluck().get();
    expect(differ).toBe(0);
    expect(s.ws.db.prepare('SELECT count(*) FROM ticket_sla WHERE first_breach_due_at IS NOT NULL AND open = 1').pluck().get()).toBeGreaterThan(5);
  });

  it('gives the cards, in order, and the counts the single ORDER BY gave, with filters and column sizes', () => {
    const assigneeId = s.ws.db.prepare("SELECT assignee_id FROM tickets WHERE assignee_id IS NOT NULL AND status != 'closed' GROUP BY 1 ORDER BY count(*) DESC").pluck().get() as string;
    const category = s.ws.db.prepare("SELECT category FROM tickets WHERE status != 'closed' GROUP BY 1 ORDER BY count(*) DESC").pluck().get() as string;
    const bands = new Set<string>();
    for (const filters of [{ severity: [], category: [] }, { severity: [1, 2], category: [] }, { severity: [], category: [category] }, { severity: [], category: [], assigneeId }]) {
      for (const perColumn of [3, 25, 500]) {
        const board = s.sla.board(filters, perColumn);
        const expected = reference(filters, perColumn);
        expect({ filters, perColumn, cards: board.columns.map((c) => c.cards.map((k) => [k.id, k.firstBreachDueAt])) })
          .toEqual({ filters, perColumn, cards: expected.map((col) => col.map((k) => [k.id, k.firstBreachDueAt])) });
        for (const c of board.columns) for (const k of c.cards) bands.add(k.slaState);
      }
    }
    // The sample holds every band: overdue, running (ok or warning) and paused.
    expect([...bands]).toEqual(expect.arrayContaining(['breached', 'ok', 'paused']));
  });
});
