import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../electron/core/audit';
import { generateDemoData, type DemoSummary } from '../../../electron/cli/demo-data';
import { createServices } from '../../../electron/core/services';
import { Workspace } from '../../../electron/core/workspace';
import { ticketListSchema } from '../../../electron/shared/contract';
import { checkRfc } from '../../../electron/shared/rfc';
import { tempDir } from '../../fixtures/workspace';

const root = resolve(import.meta.dirname, '../../..');

describe('demo data generator', () => {
  const dataDir = tempDir('helpdesk-seed-');
  let summary: DemoSummary;
  let ws: Workspace;

  beforeAll(async () => {
    summary = await generateDemoData({ dataDir, tickets: 300, messagesPerTicket: 5, seed: 7, password: 'demo-clave-123', endAt: Date.UTC(2026, 2, 2) });
    ws = new Workspace({ dataDir });
  });
  afterAll(() => {
    ws.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets up the branch and staff and reports the credentials', () => {
    expect(summary.branchCode).toBe('DEMO');
    expect(summary.credentials?.username).toBe('admin');
    const roles = new Set((ws.db.prepare('SELECT roles FROM users').pluck().all() as string[]).flatMap((r) => JSON.parse(r) as string[]));
    expect([...roles]).toEqual(expect.arrayContaining(['administrator', 'agent', 'operations', 'development', 'supervisor', 'security_officer']));
  });

  it('invents customers with valid RFCs, .example.mx e-mails, ten-digit phones and legal representatives', () => {
    const customers = ws.db.prepare('SELECT rfc, registered_email AS email, rfc_warnings AS warnings FROM customers').all() as Array<{ rfc: string; email: string; warnings: string }>;
    expect(customers.length).toBe(50);
    for (const c of customers) {
      expect(checkRfc(c.rfc)).toMatchObject({ ok: true, warnings: [] });
      expect(c.email).toMatch(/^[a-z0-9.]+@[a-z0-9]+\.example\.mx$/);
    }
    const phones = ws.db.prepare("SELECT phone FROM contacts WHERE phone != ''").pluck().all() as string[];
    for (const p of phones) expect(p).toMatch(/^\d{10}$/);
    expect(ws.db.prepare('SELECT COUNT(DISTINCT customer_id) FROM contacts WHERE is_legal_representative = 1').pluck().get()).toBe(50);
  });

  it('writes tickets with their timeline, closing data, audit chain and search index', () => {
    expect(summary.ticketsCreated).toBe(300);
    expect(summary.messagesCreated).toBe(ws.db.prepare("SELECT COUNT(*) FROM ticket_events WHERE kind IN ('reply','note','customer_message','contact_attempt')").pluck().get());
    expect(summary.messagesCreated / 300).toBeGreaterThan(4);
    const statuses = Object.fromEntries(ws.db.prepare('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status').raw().all() as Array<[string, number]>);
    expect(statuses.closed).toBeGreaterThan(200);
    expect(ws.db.prepare("SELECT COUNT(*) FROM tickets WHERE status = 'closed' AND (close_cause IS NULL OR close_solution IS NULL)").pluck().get()).toBe(0);
    const span = ws.db.prepare('SELECT MAX(created_at) - MIN(created_at) FROM tickets').pluck().get() as number;
    expect(span).toBeGreaterThan(600 * 86_400_000);
    expect(verifyAuditLog(ws.db)).toMatchObject({ ok: true });
    // Audit times follow the fake clock in order (the replay is chronological).
    expect(ws.db.prepare('SELECT COUNT(*) FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1 WHERE b.at < a.at').pluck().get()).toBe(0);
    const page = createServices(ws).tickets.list('', ticketListSchema.parse({ query: 'factura', limit: 5 }));
    expect(page.rows.length).toBeGreaterThan(0);
  });

  it('adds tickets to an existing branch through the seed CLI', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/seed.ts', '--tickets', '40', '--customers', '5', '--data', dataDir], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toContain('La sucursal ya existía');
    expect(r.status).toBe(0);
    expect(ws.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get()).toBe(340);
    expect(verifyAuditLog(ws.db)).toMatchObject({ ok: true });
  });
});
