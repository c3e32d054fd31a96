/**
 * Issue 10, finding 4: CSV formula injection. A field starting with = + - @, a tab or a carriage
 * return is written with a leading apostrophe by the one shared CSV writer, in the audit export
 * (which still reads back to the exact hashed text) and in the SLA report.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { auditLine, parseCsv, verifyExport } from '../../../electron/core/audit-export';
import { csvRows, neutralizeFormula, restoreFormula } from '../../../electron/core/csv';
import type { MethodName } from '../../../electron/shared/contract';
import { phoneIntake } from '../../fixtures/workspace';
import { deskPool } from './helpers';

const desks = deskPool();
const STARTS = ['=', '+', '-', '@', '\t', '\r'];
const payload = (c: string) => `${c}HYPERLINK("http://example.invalid/x","clic")`;

describe('CSV formula injection', () => {
  it('the audit export neutralizes every formula start and still reads back to entries that verify', async () => {
    const desk = await desks.ready();
    // An unknown method's name is recorded as the refusal's entityId: text any caller chooses.
    for (const c of STARTS) await desk.fail(payload(c) as MethodName, {});
    const file = await desk.call('audit.export', { from: 0, to: desk.now() + 1, format: 'csv' });
    for (const c of STARTS) {
      expect(file.content, JSON.stringify(c)).toContain(`'${c}HYPERLINK`);
      expect(file.content, JSON.stringify(c)).not.toMatch(new RegExp(`,"?\\${c}HYPERLINK`));
    }
    const entries = parseCsv(file.content);
    expect(entries.filter((e) => e.action === 'api.unknownMethod').map((e) => e.entityId)).toEqual(STARTS.map(payload));
    expect(verifyExport(entries, file.chains)).toMatchObject({ ok: true, checked: file.count });
  });

  it('the SLA report neutralizes every formula start', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake());
    const db = desk.services.ws.db;
    for (const c of STARTS) {
      // Tracking numbers are made by core; a crafted one stands for any text that may reach the report.
      db.prepare('UPDATE tickets SET tracking_number = ? WHERE id = ?').run(payload(c), t.id);
      db.prepare('DELETE FROM sla_breaches').run();
      db.prepare("INSERT INTO sla_breaches (id, ticket_id, metric, due_at, recorded_at, tier, severity, channel) VALUES (?, ?, 'resolution', ?, ?, 'n1', 1, 'phone')")
        .run(`b-${STARTS.indexOf(c)}`, t.id, desk.now(), desk.now());
      const r = await desk.call('reports.sla', { from: desk.now() - 1, to: desk.now() + 1, period: 'day', format: 'csv' });
      const lastLine = r.csv!.trimEnd().split('\r\n').at(-1)!;
      expect(lastLine.replace(/^"/, ''), JSON.stringify(c)).toMatch(new RegExp(`^'${c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\${c}`}HYPERLINK`));
    }
  });

  it('neutralizeFormula and restoreFormula are exact inverses, apostrophes included', () => {
    for (const s of ['', 'texto', "'", "'=1", "''+2", '=1', '-', "it's", '\t', '{"a":1}']) expect(restoreFormula(neutralizeFormula(s))).toBe(s);
    expect(csvRows([['=1', null, '', 'a,b', 2]])).toBe(`'=1,,"","a,b",2\r\n`);
  });
});

describe('the export worker writes the shared writer’s CSV', () => {
  it('auditLine (self-contained for the worker) gives the same bytes as csvRows for any entry', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', '=1', "'=1", '-', '\t', '\r', 'a\rb', 'a\nb', '"', 'a,b', "'"));
    fc.assert(
      fc.property(fc.nat(), text, text, text, text, fc.option(text), fc.option(text), text, (seq, action, entity, data, kind, actorId, entityId, id) => {
        const e = { seq, id, deviceId: 'd', at: 1_700_000_000_000, actorId, actorKind: kind, action, entity, entityId, data, prevHash: 'p', hash: 'h' };
        const row = [e.seq, e.id, e.deviceId, e.at, new Date(e.at).toISOString(), e.actorId, e.actorKind, e.action, e.entity, e.entityId, e.data, e.prevHash, e.hash];
        expect(auditLine('csv', e)).toBe(csvRows([row]));
      }),
      { numRuns: 200 },
    );
  });
});
