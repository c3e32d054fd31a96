/**
 * The supervisor's home (issue 15): every number that opens a ticket list equals the count that
 * list shows, over random workspaces (the demo generator with random seeds, sizes and clocks),
 * through the API as the UI asks; the backlog adds up; only supervisors and administrators see it.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../electron/cli/demo-data';
import { openHost } from '../../../electron/core/host';
import { weekStart } from '../../../electron/core/reports/home';
import type { SupervisorHome, SupervisorNumber, TicketPage } from '../../../electron/shared/types';
import { tempDir } from '../../fixtures/workspace';

const PASSWORD = 'demo-clave-segura-123';

async function signedInCall(host: ReturnType<typeof openHost>, username: string) {
  const signIn = await host.call('auth.signIn', { username, password: PASSWORD }, null);
  if (!signIn.ok) throw new Error(signIn.error.code);
  const token = (signIn.value as { token: string }).token;
  return async <T>(method: string, input: unknown): Promise<T> => {
    const r = await host.call(method, input, token);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
}

function numbersOf(home: SupervisorHome): Array<[string, SupervisorNumber]> {
  return [
    ['openTotal', home.openTotal], ['unassigned', home.unassigned], ['overdue', home.overdue], ['dueSoon', home.dueSoon],
    ...home.backlog.map((b): [string, SupervisorNumber] => [`backlog ${b.tier} S${b.severity}`, b]),
    ...home.workload.flatMap((w): Array<[string, SupervisorNumber]> => [[`open of ${w.name}`, w.open], [`overdue of ${w.name}`, w.overdue]]),
    ['rated 4–5', home.csat.satisfied], ['rated 1–2', home.csat.dissatisfied],
  ];
}

describe("the supervisor's home", () => {
  it('every number equals the count of the list it opens, over random workspaces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 20, max: 60 }), fc.integer({ min: 0, max: 20 * 24 }),
        async (seed, tickets, hoursLater) => {
          const dataDir = tempDir('supervisor-home-');
          const endAt = Date.UTC(2026, 10, 20, 15);
          try {
            await generateDemoData({ dataDir, tickets, messagesPerTicket: 3, seed, password: PASSWORD, endAt, spanDays: 60, batchActions: 500 });
            // Later than the history's end: clocks ran on, some tickets fell due or overdue.
            const now = endAt + hoursLater * 3600_000;
            const host = openHost({ dataDir, now: () => now, sweepIntervalMs: 0 });
            try {
              // Some closed tickets' customers answer the survey, with ratings from the seed.
              const closed = host.services()!.ws.db.prepare("SELECT id FROM tickets WHERE status = 'closed' ORDER BY rowid").pluck().all() as string[];
              closed.forEach((id, i) => {
                if ((seed + i) % 3 !== 0) host.services()!.surveys.recordReply(id, String(((seed >> 3) + i * 7) % 5 + 1));
              });
              const call = await signedInCall(host, 'supervisora');
              const home = await call<SupervisorHome>('reports.home', {});
              for (const [name, n] of numbersOf(home)) {
                const page = await call<TicketPage>('tickets.list', { ...n.question, limit: 1 });
                expect({ name, count: page.total }).toStrictEqual({ name, count: n.count });
              }
              expect(home.backlog.reduce((sum, b) => sum + b.count, 0)).toBe(home.openTotal.count);
              expect(home.openTotal.count).toBeGreaterThan(0);
              expect(home.trend.length).toBeGreaterThan(0);
              const answered = closed.filter((_, i) => (seed + i) % 3 !== 0).length;
              expect(home.csat.answered).toBe(answered);
              expect(home.csat.trend.reduce((n, w) => n + w.answered, 0)).toBe(answered);
            } finally {
              host.close();
            }
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 3 },
    );
  }, 240_000);

  it('is refused to agents (checked in core)', async () => {
    const dataDir = tempDir('supervisor-home-');
    try {
      await generateDemoData({ dataDir, tickets: 10, seed: 3, password: PASSWORD, endAt: Date.UTC(2026, 10, 20), spanDays: 20 });
      const host = openHost({ dataDir, sweepIntervalMs: 0 });
      try {
        const signIn = await host.call('auth.signIn', { username: 'agente1', password: PASSWORD }, null);
        const token = signIn.ok ? (signIn.value as { token: string }).token : '';
        const r = await host.call('reports.home', {}, token);
        expect(r.ok ? 'allowed' : r.error.code).toBe('auth.forbidden');
      } finally {
        host.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("counts the week from Monday 00:00 in the branch's time zone", () => {
    // Sunday 6 Dec 2026, 20:00 in Mexico City (02:00 UTC Monday): the week began Monday 30 Nov 00:00 local (06:00 UTC).
    expect(new Date(weekStart(Date.UTC(2026, 11, 7, 2), 'America/Mexico_City')).toISOString()).toBe('2026-11-30T06:00:00.000Z');
    // Monday 7 Dec 2026, 00:30 local: a new week.
    expect(new Date(weekStart(Date.UTC(2026, 11, 7, 6, 30), 'America/Mexico_City')).toISOString()).toBe('2026-12-07T06:00:00.000Z');
    expect(new Date(weekStart(Date.UTC(2026, 11, 7, 6, 30), 'America/Tijuana')).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
});
