/**
 * Issue 16 item 3: the audit export as a job on a worker thread. The file it streams is the same
 * as audit.export's, its manifest verifies, it is recorded in the audit log, it comes back in
 * slices, it can be cancelled (no file, no record), only its owner sees it, and other calls answer
 * while it runs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseJsonl, verifyExport } from '../../../electron/core/audit-export';
import { exportsDir } from '../../../electron/core/jobs';
import type { JobFileChunk, JobInfo } from '../../../electron/shared/types';
import { appendAuditEntries, phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { auditActions, auditEntries, deskPool, lastSeq } from './helpers';

const desks = deskPool();

async function finished(desk: TestDesk, jobId: string, token = desk.token): Promise<JobInfo> {
  for (;;) {
    const info = await desk.call('jobs.status', { jobId }, token);
    if (info.state !== 'running') return info;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readAll(desk: TestDesk, jobId: string): Promise<string> {
  const parts: Buffer[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const chunk: JobFileChunk = await desk.call('jobs.file', { jobId, offset });
    parts.push(Buffer.from(chunk.contentBase64, 'base64'));
    offset = chunk.next;
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('audit export job', () => {
  it.each(['csv', 'jsonl'] as const)('streams the same %s file as audit.export, with a manifest that verifies, and records it', async (format) => {
    const desk = await desks.ready();
    await desk.call('tickets.create', phoneIntake());
    const period = { from: 0, to: desk.now() + 1, format };
    desk.advance(1000); // the exports' own audit entries fall after the period
    const reference = await desk.call('audit.export', period);
    const started = await desk.call('audit.exportStart', period);
    expect(started).toMatchObject({ kind: 'audit.export', state: 'running', done: 0 });
    const done = await finished(desk, started.id);
    expect(done).toMatchObject({ state: 'done', done: reference.count, total: reference.count, error: null, etaMs: null });
    expect(done.result).toMatchObject({ fileName: reference.fileName, count: reference.count, sha256: reference.sha256, chains: reference.chains });

    const content = await readAll(desk, started.id);
    expect(content).toBe(reference.content);
    const entries = format === 'csv' ? parseCsv(content) : parseJsonl(content);
    expect(verifyExport(entries, done.result!.chains)).toMatchObject({ ok: true, checked: reference.count });
    expect(auditActions(desk).filter((a) => a === 'audit.exported')).toHaveLength(2);
    expect(readdirSync(exportsDir(desk.dataDir))).toEqual([reference.fileName]);
  });

  it('is seen only by the user who started it, and started only by auditor roles', async () => {
    const desk = await desks.ready();
    const agent = await desk.userWithRoles('agente', ['agent']);
    const officer = await desk.userWithRoles('oficial', ['security_officer']);
    const job = await desk.call('audit.exportStart', { from: 0, to: desk.now() + 1, format: 'csv' });
    expect((await desk.fail('jobs.status', { jobId: job.id }, officer.token)).code).toBe('jobs.notFound');
    expect((await desk.fail('jobs.cancel', { jobId: job.id }, agent.token)).code).toBe('jobs.notFound');
    expect((await desk.fail('jobs.file', { jobId: job.id, offset: 0 }, agent.token)).code).toBe('jobs.notFound');
    expect((await desk.fail('audit.exportStart', { from: 0, to: 10, format: 'csv' }, agent.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('audit.exportStart', { from: 10, to: 10, format: 'csv' })).fields).toEqual({ to: 'validation.range' });
    await finished(desk, job.id);
  });

  it('answers other calls while it runs, reports progress with an estimate, and a cancel leaves no file and no record', async () => {
    const desk = await desks.ready();
    const adminId = desk.services.ws.db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    appendAuditEntries(desk.services, 40_000, adminId);
    const before = lastSeq(desk);

    const job = await desk.call('audit.exportStart', { from: 0, to: desk.now() + 1, format: 'jsonl' });
    // A call made right after the start answers before the export (about 10 MB) is done.
    await desk.call('tickets.list', {});
    expect((await desk.call('jobs.status', { jobId: job.id })).state).toBe('running');

    let status = await desk.call('jobs.status', { jobId: job.id });
    while (status.state === 'running' && (status.done === 0 || status.etaMs === null)) {
      await new Promise((r) => setTimeout(r, 5));
      status = await desk.call('jobs.status', { jobId: job.id });
    }
    // Asked once the export has its snapshot: the refusal's own audit entry (issue 10) is not in it.
    expect((await desk.fail('audit.exportStart', { from: 0, to: 10, format: 'csv' })).code).toBe('jobs.busy');
    expect(status.state).toBe('running');
    expect(status.total).toBe(before);
    expect(status.done).toBeGreaterThan(0);
    expect(status.etaMs).toBeGreaterThanOrEqual(0);

    await desk.call('jobs.cancel', { jobId: job.id });
    const end = await finished(desk, job.id);
    expect(end).toMatchObject({ state: 'cancelled', result: null });
    expect((await desk.fail('jobs.file', { jobId: job.id, offset: 0 })).code).toBe('jobs.notFinished');
    expect(readdirSync(exportsDir(desk.dataDir))).toEqual([]);
    // No record of the cancelled export: only the two refusals above (jobs.busy, jobs.notFinished).
    expect(auditEntries(desk).filter((e) => e.seq > before).map((e) => [e.action, JSON.parse(e.data).error])).toEqual([
      ['api.refused', 'jobs.busy'], ['api.refused', 'jobs.notFinished'],
    ]);

    // The next export runs to the end.
    const again = await desk.call('audit.exportStart', { from: 0, to: desk.now() + 1, format: 'csv' });
    const done = await finished(desk, again.id);
    expect(done).toMatchObject({ state: 'done', done: before + 2 });
    expect(existsSync(`${exportsDir(desk.dataDir)}/${done.result!.fileName}`)).toBe(true);
  });
});

describe('backup job', () => {
  it('copies the database in steps, reports pages, records it; a cancel leaves no partial copy', async () => {
    const desk = await desks.ready();
    const adminId = desk.services.ws.db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    appendAuditEntries(desk.services, 20_000, adminId);
    const backups = () => readdirSync(`${desk.dataDir}/backups`).filter((f) => f.endsWith('.sqlite'));

    const cancelled = await desk.call('backup.start', {});
    expect(cancelled).toMatchObject({ kind: 'backup', state: 'running' });
    await desk.call('jobs.cancel', { jobId: cancelled.id });
    expect(await finished(desk, cancelled.id)).toMatchObject({ state: 'cancelled', backup: null });
    expect(backups()).toEqual([]);

    const job = await desk.call('backup.start', {});
    const done = await finished(desk, job.id);
    expect(done).toMatchObject({ state: 'done', error: null });
    expect(done.total).toBeGreaterThan(100); // more than one step of 100 pages
    expect(done.done).toBe(done.total);
    expect(backups()).toEqual([done.backup!.fileName]);
    expect(auditActions(desk).filter((a) => a === 'backup.created')).toHaveLength(1);

    // The runner's rules still hold: a second backup within the minute fails with its reason.
    const again = await finished(desk, (await desk.call('backup.start', {})).id);
    expect(again).toMatchObject({ state: 'failed', error: { code: 'backup.tooSoon' } });
  });
});
