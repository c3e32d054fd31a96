/**
 * A pulled page is applied in one pass without a savepoint per change; a change that cannot apply
 * here makes the page roll back and apply a change at a time, so that change alone is counted as
 * failed and every other one still applies (issue 11, first-sync speed).
 */
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { applyPulled } from '../../../electron/core/sync/apply';
import { encodeHlc } from '../../../electron/shared/hlc';
import type { PulledChange } from '../../../electron/shared/sync/protocol';
import { deskPool } from './helpers';

const desks = deskPool();

describe('applying a pulled page', () => {
  it('one change that cannot apply fails alone; the rest of the page applies, with the SLA clocks of its tickets', async () => {
    const desk = await desks.ready();
    const s = desk.services;
    const device = uuidv7();
    let n = 0;
    const change = (entity: string, entityId: string, payload: Record<string, unknown>): PulledChange => ({
      serverSeq: ++n, deviceId: device, hlc: encodeHlc({ wallMs: Date.now(), counter: n, deviceId: device }), actorId: null, entity, entityId, op: 'insert', payload, createdAt: Date.now(),
    });
    const customerId = uuidv7();
    const ticketId = uuidv7();
    const page = [
      change('customer', customerId, { rfc: 'PAG800101AB1', name: 'Página SA', taxRegime: '601', registeredEmail: 'a@pagina.mx', plan: 'basic', contacts: [] }),
      change('ticket', ticketId, {
        trackingNumber: 'GDL-000001', customerId, channel: 'phone', requestType: 'technical', supportType: 'web', category: 'issue_invoice', priority: 'normal',
        severity: 1, tier: 'service_desk', status: 'open', subject: 'Llega por sincronización', description: 'x', updatedAt: Date.now(),
      }),
      change('ticket_event', uuidv7(), { ticketId, kind: 'created', body: '', data: {} }),
      // No content hash: refused here.
      change('attachment', uuidv7(), { ticketId, eventId: null, fileName: 'roto.pdf', mimeType: 'application/pdf', sizeBytes: 3, sha256: 'nope' }),
      change('ticket_event', uuidv7(), { ticketId, kind: 'note', body: 'Después del roto', data: {} }),
    ];
    const summary = applyPulled(s, page);
    expect(summary.failed).toEqual([`attachment:${page[3]!.entityId}`]);
    expect(summary.applied).toBe(4);
    const db = s.ws.db;
    expect(db.prepare('SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ?').pluck().get(ticketId)).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM attachments').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM ticket_sla s JOIN tickets t ON t.rowid = s.ticket_rowid WHERE t.id = ?').pluck().get(ticketId)).toBeGreaterThan(0);
    // The same page without the broken change: all in the one pass.
    const again = applyPulled(s, [change('ticket_event', uuidv7(), { ticketId, kind: 'note', body: 'Otra', data: {} })]);
    expect(again).toEqual({ applied: 1, ignored: 0, failed: [] });
  });
});
