import { describe, expect, it } from 'vitest';
import { entryHash, verifyEntries, type AuditEntry } from '../../../electron/core/audit';
import { parseCsv, parseJsonl, toJsonl, verifyExport } from '../../../electron/core/audit-export';
import { PROTECTED_CUSTOMER_FIELDS } from '../../../electron/core/customers';
import { customerUpdateSchema } from '../../../electron/shared/contract';
import type { AuditExportFile } from '../../../electron/shared/request-types';
import { audit, deskPool, HOUR_MS, implementing, lastAudit, makeWorld, OLD_RFC, type World } from './helpers';

const desks = deskPool();

describe('protected customer fields change only through a request', () => {
  it('the update schema has none of them but the registered e-mail, which it only sets while empty', () => {
    const keys = Object.keys(customerUpdateSchema.shape);
    expect(keys.filter((k) => (PROTECTED_CUSTOMER_FIELDS as readonly string[]).includes(k))).toEqual(['registeredEmail']);
  });

  it.each([
    [{ rfc: 'SUR080320B25' }, 'rfc'],
    [{ name: 'Otra SA' }, 'name'],
    [{ fiscalAddress: { street: 'Otra calle' } }, 'fiscalAddress'],
    [{ registeredEmail: 'otro@example.mx' }, 'registeredEmail'],
    [{ serviceStatus: 'suspended' }, 'serviceStatus'],
    [{ creditPackage: 'Ilimitado' }, 'creditPackage'],
    [{ registered_email: 'otro@example.mx', plan: 'advanced' }, 'registered_email'],
  ])('a direct edit with %j is refused, audited, and changes nothing', async (attempt, field) => {
    const desk = await desks.ready();
    const c = await desk.call('customers.create', { rfc: OLD_RFC, name: 'Tecnologías del Cerro SA de CV', registeredEmail: 'facturas@tecnocerro.example.mx' });
    const err = await desk.fail('customers.update', { customerId: c.id, taxRegime: '601', ...attempt });
    expect(err).toEqual({ code: 'customers.protectedField', params: { field } });
    const entry = lastAudit(desk);
    expect(entry).toMatchObject({ action: 'customers.protectedFieldAttempt', entity: 'customer', entityId: c.id, actorKind: 'user' });
    expect(entry.parsed).toEqual({ fields: [field] });
    const after = await desk.call('customers.get', { customerId: c.id });
    expect({ ...after, updatedAt: 0 }).toEqual({ ...c, updatedAt: 0 });
    expect(audit(desk).filter((e) => e.action === 'customer.updated')).toHaveLength(0);
  });
});

describe('audit.list', () => {
  it('filters by request (including the emergency session’s calls), actor, action prefix and period, with paging', async () => {
    const w = await makeWorld(await desks.ready());
    const { req, token } = await implementing(w);
    await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    const officer = w.cast.officer.token;

    const byRequest = await w.desk.call('audit.list', { requestId: req.id, order: 'asc', limit: 500 }, officer);
    expect(byRequest.rows.map((r) => r.action)).toEqual([
      'request.created', 'request.transition', 'request.approved', 'request.approved', 'request.transition',
      'request.implementerDesignated', 'emergency.created', 'emergency.signIn', 'request.transition',
      'customer.protectedFieldChanged', 'request.applied', 'request.transition', 'emergency.call',
    ]);
    expect(byRequest.total).toBe(13);
    expect(byRequest.rows[0]).toMatchObject({ actorId: w.cast.agent.id, actorName: 'Usuario agente', entity: 'change_request', entityId: req.id });
    expect(byRequest.rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const emergency = await w.desk.call('audit.list', { action: 'emergency.', order: 'asc' }, officer);
    expect(emergency.rows.map((r) => r.action)).toEqual(['emergency.created', 'emergency.signIn', 'emergency.call']);
    const mine = await w.desk.call('audit.list', { actorId: w.cast.owner.id, order: 'asc' }, officer);
    expect(mine.rows.map((r) => r.action)).toEqual(['auth.signIn', 'request.approved']);
    const mineOnRequests = await w.desk.call('audit.list', { actorId: w.cast.owner.id, action: 'request.' }, officer);
    expect(mineOnRequests.rows.map((r) => r.action)).toEqual(['request.approved']);

    const all = await w.desk.call('audit.list', { limit: 500 }, officer);
    expect(all.rows[0]!.seq).toBeGreaterThan(all.rows[1]!.seq); // newest first
    const first = await w.desk.call('audit.list', { limit: 1 }, officer);
    expect(first.total).toBe(all.total);
    const page = await w.desk.call('audit.list', { limit: 2, cursor: first.nextCursor! }, officer);
    expect(page.rows.map((r) => r.seq)).toEqual([all.rows[1]!.seq, all.rows[2]!.seq]);
    expect(page.total).toBeNull();

    w.desk.advance(HOUR_MS);
    const from = w.desk.now();
    await w.desk.call('audit.verify', {}, officer);
    const period = await w.desk.call('audit.list', { from, to: from + 1 }, officer);
    expect(period.rows.map((r) => r.action)).toEqual(['audit.verified']);

    for (const who of [w.cast.agent, w.cast.owner, w.cast.impl]) expect((await w.desk.fail('audit.list', {}, who.token)).code).toBe('auth.forbidden');
    expect((await w.desk.call('audit.list', {}, w.cast.supervisor.token)).total).toBeGreaterThan(0);
  });
});

describe('audit.export and tamper detection on the exported file', () => {
  async function exported(format: 'jsonl' | 'csv'): Promise<{ w: World; file: AuditExportFile }> {
    const w = await makeWorld(await desks.ready());
    const { req, token } = await implementing(w);
    await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    const file = await w.desk.call('audit.export', { from: 0, to: w.desk.now() + 1, format }, w.cast.supervisor.token);
    return { w, file };
  }

  it('exports JSONL that verifyEntries re-verifies, and audits the export itself', async () => {
    const { w, file } = await exported('jsonl');
    const entries = parseJsonl(file.content);
    const db = audit(w.desk);
    expect(entries).toEqual(db.slice(0, -1)); // all but the export's own entry, every field and hash
    expect(verifyEntries(entries)).toEqual({ ok: true, checked: entries.length, firstBroken: null });
    expect(verifyExport(entries, file.chains)).toEqual({ ok: true, checked: entries.length, firstBroken: null });
    expect(file).toMatchObject({ format: 'jsonl', count: entries.length, mimeType: 'application/x-ndjson' });
    expect(file.fileName).toMatch(/^bitacora-1970-01-01-2026-03-02\.jsonl$/);
    const entry = lastAudit(w.desk);
    expect(entry).toMatchObject({ action: 'audit.exported', actorId: w.cast.supervisor.id });
    expect(entry.parsed).toMatchObject({ format: 'jsonl', count: entries.length, sha256: file.sha256, chains: file.chains });
    expect((await w.desk.fail('audit.export', { from: 10, to: 10, format: 'csv' }, w.cast.supervisor.token)).fields).toEqual({ to: 'validation.range' });
    expect((await w.desk.fail('audit.export', { from: 0, to: 10, format: 'csv' }, w.cast.agent.token)).code).toBe('auth.forbidden');
  });

  it('exports CSV with a header row that reads back to the same verifiable entries', async () => {
    const { file } = await exported('csv');
    const [header] = file.content.split('\r\n');
    expect(header).toBe('seq,id,deviceId,at,atIso,actorId,actorKind,action,entity,entityId,data,prevHash,hash');
    const entries = parseCsv(file.content);
    expect(entries).toHaveLength(file.count);
    expect(entries.filter((e) => e.actorId === null).map((e) => e.action)).toContain('branch.setup'); // null survives the round trip
    expect(verifyExport(entries, file.chains)).toMatchObject({ ok: true, checked: file.count });
    expect(verifyEntries(entries)).toMatchObject({ ok: true });
  });

  it.each<[string, (lines: string[]) => string[], { seq: (e: AuditEntry[]) => number; reason: string }]>([
    ['edit (a field of one entry)', (l) => l.map((x, i) => (i === 5 ? x.replace('"actorKind":"user"', '"actorKind":"system"') : x)), { seq: (e) => e[5]!.seq, reason: 'hash' }],
    ['edit (the data of one entry)', (l) => l.map((x, i) => (i === 7 ? x.replace(/"data":"\{/, '"data":"{\\"x\\":1,') : x)), { seq: (e) => e[7]!.seq, reason: 'hash' }],
    ['delete (one entry in the middle)', (l) => l.filter((_, i) => i !== 4), { seq: (e) => e[5]!.seq, reason: 'prev_hash' }],
    ['delete (the first entry)', (l) => l.slice(1), { seq: (e) => e[1]!.seq, reason: 'prev_hash' }],
    ['reorder (two entries swapped)', (l) => [...l.slice(0, 3), l[4]!, l[3]!, ...l.slice(5)], { seq: (e) => e[4]!.seq, reason: 'prev_hash' }],
    ['insert (a forged entry re-hashed by hand)', (l) => [...l.slice(0, 6), forged(l[5]!), ...l.slice(6)], { seq: (e) => e[6]!.seq, reason: 'prev_hash' }],
    ['truncate (the last entries)', (l) => l.slice(0, -2), { seq: (e) => e.at(-2)!.seq, reason: 'truncated' }],
  ])('%s is detected', async (_label, tamper, expected) => {
    const { file } = await exported('jsonl');
    const original = parseJsonl(file.content);
    const lines = file.content.trimEnd().split('\n');
    const tampered = parseJsonl(tamper(lines).join('\n'));
    const result = verifyExport(tampered, file.chains);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: expected.seq(original), reason: expected.reason });
    expect(toJsonl(original)).toBe(file.content); // the untouched file still verifies
    expect(verifyExport(original, file.chains).ok).toBe(true);
  });

  it('an export of a later period verifies against its manifest, not from the genesis hash', async () => {
    const w = await makeWorld(await desks.ready());
    w.desk.advance(HOUR_MS);
    const from = w.desk.now();
    const { req, token } = await implementing(w);
    await w.desk.call('requests.apply', { requestId: req.id, comment: 'Aplicado' }, token);
    const file = await w.desk.call('audit.export', { from, to: w.desk.now() + 1, format: 'jsonl' }, w.cast.officer.token);
    const entries = parseJsonl(file.content);
    expect(entries[0]!.at).toBe(from);
    expect(verifyExport(entries, file.chains).ok).toBe(true);
    expect(verifyEntries(entries).firstBroken?.reason).toBe('prev_hash');
    expect(verifyExport(entries.slice(1), file.chains).firstBroken).toEqual({ seq: entries[1]!.seq, reason: 'prev_hash' });
  });
});

/** A plausible extra line chained after `line`: new id and seq, hashed correctly as if genuine. */
function forged(line: string): string {
  const prev = JSON.parse(line) as AuditEntry;
  const body = { ...prev, id: '00000000-0000-7000-8000-000000000000', seq: prev.seq + 1, data: '{"note":"forged"}' };
  return JSON.stringify({ ...body, prevHash: prev.hash, hash: entryHash(prev.hash, body) });
}
