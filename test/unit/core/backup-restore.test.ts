/**
 * Issue 15, backups: evidence files travel with the backups (a shared content-addressed store),
 * retention by days keeps that store consistent, a daily backup is made by itself, a backup is
 * made before every migration, and a backup is previewed and restored from the app and from
 * recovery mode — data, evidence and a verifiable audit chain back.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../electron/core/audit';
import { DAY_MS } from '../../../electron/core/backup/backups';
import { readManifest, storeDir } from '../../../electron/core/backup/store';
import { DB_FILE } from '../../../electron/core/db/connection';
import { loadMigrations, migrate } from '../../../electron/core/db/migrate';
import { phoneIntake, tempDir } from '../../fixtures/workspace';
import { auditEntries, deskPool, lastSeq } from './helpers';

const desks = deskPool();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const evidence = (name: string, content: string) => ({ fileName: name, mimeType: 'text/plain', contentBase64: b64(content) });

async function ticketWith(desk: Awaited<ReturnType<typeof desks.ready>>, content: string) {
  const existing = desk.services.ws.db.prepare('SELECT id FROM customers LIMIT 1').pluck().get() as string | undefined;
  const t = await desk.call('tickets.create', phoneIntake({
    subject: `Ticket ${content}`, attachments: [evidence(`${content}.txt`, content)],
    ...(existing ? { customer: { kind: 'existing', customerId: existing } } : {}),
  }));
  const sha = desk.services.ws.db.prepare('SELECT sha256 FROM attachments WHERE ticket_id = ?').pluck().get(t.id) as string;
  return { ticket: t, sha };
}

/** A restore from the app, followed to its end like the window does (the job outlives the session). */
async function restoreJob(desk: Awaited<ReturnType<typeof desks.ready>>, fileName: string) {
  const token = desk.token;
  let job = await desk.call('backup.restore', { fileName });
  expect(job).toMatchObject({ kind: 'backup.restore', state: 'running' });
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 20));
    job = await desk.call('jobs.status', { jobId: job.id }, token);
  }
  return job;
}

async function restored(desk: Awaited<ReturnType<typeof desks.ready>>, fileName: string) {
  const job = await restoreJob(desk, fileName);
  expect(job).toMatchObject({ state: 'done', error: null });
  return job.restored!;
}

const live = (dataDir: string, sha: string) => join(dataDir, 'attachments', sha);
const stored = (dataDir: string) => (existsSync(storeDir(dataDir)) ? readdirSync(storeDir(dataDir)).sort() : []);

describe('attachments in backups', () => {
  it('a backup copies the evidence it references into the shared store once; the next backup copies nothing again', async () => {
    const desk = await desks.ready();
    const { sha } = await ticketWith(desk, 'acuse de timbrado');
    const first = await desk.call('backup.create', {});
    expect(first.attachments).toBe(1);
    expect(stored(desk.dataDir)).toEqual([sha]);
    expect(readFileSync(join(storeDir(desk.dataDir), sha), 'utf8')).toBe('acuse de timbrado');
    const inode = statSync(join(storeDir(desk.dataDir), sha)).ino;
    desk.advance(61_000);
    const { sha: second } = await ticketWith(desk, 'captura de pantalla');
    const next = await desk.call('backup.create', {});
    expect(next.attachments).toBe(2);
    expect(stored(desk.dataDir)).toEqual([sha, second].sort());
    expect(statSync(join(storeDir(desk.dataDir), sha)).ino).toBe(inode); // not copied again
    expect(readManifest(desk.dataDir, next.fileName)).toMatchObject({ reason: 'manual', attachments: [sha, second].sort(), missing: [] });
  });

  it('a damaged live file never enters the store: the manifest lists it as missing', async () => {
    const desk = await desks.ready();
    const { sha } = await ticketWith(desk, 'contrato firmado');
    writeFileSync(live(desk.dataDir, sha), 'bytes cambiados');
    const info = await desk.call('backup.create', {});
    expect(stored(desk.dataDir)).toEqual([]);
    expect(readManifest(desk.dataDir, info.fileName)?.missing).toEqual([sha]);
  });
});

describe('backup → damage → restore round trip', () => {
  it('restores from the app: data and evidence back, the old file set aside, sessions ended, the restore in a chain that verifies', async () => {
    const desk = await desks.ready();
    const { ticket, sha } = await ticketWith(desk, 'factura 301');
    const backup = await desk.call('backup.create', {});
    // After the backup: more work, one evidence file deleted and another damaged.
    desk.advance(60_000);
    const { sha: later } = await ticketWith(desk, 'otra evidencia');
    rmSync(live(desk.dataDir, sha));
    const preview = await desk.call('backup.preview', { fileName: backup.fileName });
    expect(preview).toMatchObject({
      fileName: backup.fileName, integrity: 'ok', tickets: { open: 1, waiting: 0, closed: 0 }, customers: 1, users: 1,
      attachments: 1, attachmentsMissing: 0, schemaVersion: loadMigrations().at(-1)!.version,
    });
    expect(preview.auditEntries).toBeGreaterThan(2);
    expect(preview.lastActivityAt).toBeLessThanOrEqual(backup.createdAt);

    const admin = desk.services.users.me(desk.services.users.list()[0]!.id);
    const result = await restored(desk, backup.fileName);
    expect(result).toMatchObject({ fileName: backup.fileName, attachmentsRestored: 1, attachmentsMissing: 0 });
    expect(result.setAside).toMatch(/^helpdesk\.sqlite\.damaged-/);
    expect(existsSync(join(desk.dataDir, result.setAside!))).toBe(true);
    // Data as it was at the backup; the evidence file back with its content.
    const s = desk.services;
    expect(s.ws.db.prepare('SELECT id FROM tickets').pluck().all()).toEqual([ticket.id]);
    expect(readFileSync(live(desk.dataDir, sha), 'utf8')).toBe('factura 301');
    expect(existsSync(live(desk.dataDir, later))).toBe(true); // unreferenced now, but never deleted
    // Everyone signs in again.
    expect(await desk.fail('auth.me', {})).toMatchObject({ code: 'auth.required' });
    // Recorded in the restored chain, which verifies.
    const last = auditEntries(desk).at(-1)!;
    expect(last).toMatchObject({ action: 'backup.restored', actorKind: 'user', actorId: admin.id, entityId: backup.fileName });
    expect(JSON.parse(last.data)).toMatchObject({ username: 'admin', setAside: result.setAside, attachmentsRestored: 1 });
    expect(verifyAuditLog(s.ws.db)).toMatchObject({ ok: true });
  });

  it('puts back an evidence file whose content was damaged (hash mismatch)', async () => {
    const desk = await desks.ready();
    const { sha } = await ticketWith(desk, 'acuse original');
    const backup = await desk.call('backup.create', {});
    writeFileSync(live(desk.dataDir, sha), 'acuse alterado');
    expect(await restored(desk, backup.fileName)).toMatchObject({ attachmentsRestored: 1, attachmentsMissing: 0 });
    expect(readFileSync(live(desk.dataDir, sha), 'utf8')).toBe('acuse original');
  });

  it('restores from recovery mode after the live database is damaged, with a preview first', async () => {
    const desk = desks.make();
    await desk.setup();
    const { ticket, sha } = await ticketWith(desk, 'evidencia de recuperación');
    const backup = await desk.call('backup.create', {});
    desk.host.close();
    // Damage: garbage over the middle of the database, and the evidence file gone.
    const file = join(desk.dataDir, DB_FILE);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 4096);
    closeSync(fd);
    rmSync(live(desk.dataDir, sha));

    const again = desks.make(desk.dataDir);
    const status = await again.call('app.status', {}, null);
    expect(status.recovery?.reason).toBe('corrupt');
    const preview = await again.call('app.previewBackup', { fileName: backup.fileName }, null);
    expect(preview).toMatchObject({ integrity: 'ok', tickets: { open: 1 }, attachments: 1, attachmentsMissing: 0 });
    expect(await again.fail('app.previewBackup', { fileName: '../helpdesk.sqlite' }, null)).toStrictEqual({ code: 'backup.notFound' });

    expect((await again.call('app.restoreBackup', { fileName: backup.fileName }, null)).recovery).toBeNull();
    const s = again.services;
    expect(s.ws.db.prepare('SELECT id FROM tickets').pluck().all()).toEqual([ticket.id]);
    expect(readFileSync(live(desk.dataDir, sha), 'utf8')).toBe('evidencia de recuperación');
    expect(auditEntries(again).at(-1)).toMatchObject({ action: 'backup.restored', actorKind: 'system' });
    expect(verifyAuditLog(s.ws.db)).toMatchObject({ ok: true });
  });

  it('only an administrator previews or restores; a damaged or unknown backup is refused and nothing changes', async () => {
    const desk = await desks.ready();
    await ticketWith(desk, 'algo');
    const backup = await desk.call('backup.create', {});
    const supervisor = await desk.userWithRoles('supervisora', ['supervisor']);
    expect(await desk.fail('backup.preview', { fileName: backup.fileName }, supervisor.token)).toMatchObject({ code: 'auth.forbidden' });
    expect(await desk.fail('backup.restore', { fileName: backup.fileName }, supervisor.token)).toMatchObject({ code: 'auth.forbidden' });
    expect(await desk.fail('backup.restore', { fileName: '../helpdesk.sqlite' })).toStrictEqual({ code: 'backup.notFound' });
    expect(await desk.fail('backup.restore', {})).toMatchObject({ code: 'validation.failed' });
    writeFileSync(join(desk.dataDir, 'backups', backup.fileName), Buffer.alloc(4096, 7));
    expect((await desk.call('backup.preview', { fileName: backup.fileName })).integrity).not.toBe('ok');
    const before = desk.dataCounts();
    const seq = lastSeq(desk);
    const job = await restoreJob(desk, backup.fileName);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'backup.damaged' } });
    expect(desk.dataCounts()).toEqual(before);
    expect(lastSeq(desk)).toBe(seq);
    expect(readdirSync(desk.dataDir).filter((f) => f.includes('restoring') || f.includes('damaged-'))).toEqual([]);
    expect((await desk.call('auth.me', {})).username).toBe('admin'); // still open, still signed in
  });
});

describe('restore as a job (issue 16 item 3: the copy and its check never hold core)', () => {
  /** A workspace of some megabytes, so the copy takes a while (a third of a second or more here). */
  async function largeDesk() {
    const desk = await desks.ready();
    const { ticket } = await ticketWith(desk, 'antes de la copia');
    const ws = desk.services.ws;
    ws.db.exec('CREATE TABLE relleno (id INTEGER PRIMARY KEY, cuerpo BLOB NOT NULL)');
    const insert = ws.db.prepare('INSERT INTO relleno (cuerpo) VALUES (randomblob(4000))');
    ws.db.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run();
    })();
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = await desk.call('backup.create', {});
    desk.advance(60_000);
    return { desk, backup, ticket };
  }

  it('calls answer while it copies; Cancelar before the swap leaves the workspace as it was, signed in', async () => {
    const { desk, backup } = await largeDesk();
    await ticketWith(desk, 'después de la copia');
    const job = await desk.call('backup.restore', { fileName: backup.fileName });
    expect(job).toMatchObject({ kind: 'backup.restore', state: 'running', phase: 'copying' });
    const before = desk.dataCounts();
    // Everyone keeps working while the copy runs; a second restore or a backup waits for it.
    expect((await desk.call('auth.me', {})).username).toBe('admin');
    expect(await desk.fail('backup.restore', { fileName: backup.fileName })).toStrictEqual({ code: 'backup.busy' });
    expect(await desk.fail('backup.create', {})).toMatchObject({ code: 'backup.busy' });
    const seq = lastSeq(desk);
    await desk.call('jobs.cancel', { jobId: job.id });
    let end = await desk.call('jobs.status', { jobId: job.id });
    while (end.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      end = await desk.call('jobs.status', { jobId: job.id });
    }
    expect(end).toMatchObject({ state: 'cancelled', restored: null });
    expect(desk.dataCounts()).toEqual(before);
    expect(lastSeq(desk)).toBe(seq);
    expect(readdirSync(desk.dataDir).filter((f) => f.includes('restoring') || f.includes('damaged-'))).toEqual([]);
    expect((await desk.call('auth.me', {})).username).toBe('admin');
    // The lock is released: a backup can be made again.
    desk.advance(60_000);
    await desk.call('backup.create', {});
  });

  it('reports bytes copied with a time left, then swaps: data as in the backup, everyone signs in again', async () => {
    const { desk, backup, ticket } = await largeDesk();
    await ticketWith(desk, 'después de la copia');
    const seen: string[] = [];
    const token = desk.token;
    let job = await desk.call('backup.restore', { fileName: backup.fileName });
    while (job.state === 'running') {
      seen.push(job.phase ?? '');
      if (job.phase === 'copying' && job.total) expect(job.total).toBe(statSync(join(desk.dataDir, 'backups', backup.fileName)).size);
      await new Promise((r) => setTimeout(r, 10));
      job = await desk.call('jobs.status', { jobId: job.id }, token);
    }
    expect(job).toMatchObject({ state: 'done', restored: { fileName: backup.fileName, attachmentsMissing: 0 } });
    expect(job.done).toBe(job.total);
    expect(seen[0]).toBe('copying');
    expect(desk.services.ws.db.prepare('SELECT id FROM tickets').pluck().all()).toEqual([ticket.id]);
    expect(await desk.fail('auth.me', {}, token)).toMatchObject({ code: 'auth.required' });
    // The job's outcome is still there for the window that started it, and for no other id.
    expect(await desk.call('jobs.status', { jobId: job.id }, null)).toMatchObject({ state: 'done' });
    expect(await desk.fail('jobs.status', { jobId: 'job-restore-otro' }, null)).toMatchObject({ code: 'auth.required' });
  });

  it('an older backup goes through the update after the swap: its own backup first, then migrated, with its data', async () => {
    const desk = await desks.ready();
    // A backup made by an older version of the app: five migrations, one setting, journal mode DELETE.
    const migrations = loadMigrations();
    const old = migrations.slice(0, 5);
    const fileName = 'helpdesk-2025-06-01T10-00-00-000Z.sqlite';
    mkdirSync(join(desk.dataDir, 'backups'), { recursive: true });
    const db = new Database(join(desk.dataDir, 'backups', fileName));
    migrate(db, old);
    db.prepare("INSERT INTO settings (key, value) VALUES ('marca', 'copia antigua')").run();
    db.close();
    const preview = await desk.call('backup.preview', { fileName });
    expect(preview).toMatchObject({ integrity: 'ok', schemaVersion: old.at(-1)!.version });

    const token = desk.token;
    let job = await desk.call('backup.restore', { fileName });
    const phases = new Set<string>();
    while (job.state === 'running') {
      phases.add(job.phase ?? '');
      await new Promise((r) => setTimeout(r, 5));
      job = await desk.call('jobs.status', { jobId: job.id }, token);
    }
    expect(job).toMatchObject({ state: 'done', error: null, restored: { fileName } });
    const s = desk.services;
    expect(s.ws.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(migrations.at(-1)!.version);
    expect(s.ws.db.prepare("SELECT value FROM settings WHERE key = 'marca'").pluck().get()).toBe('copia antigua');
    // The restored file was backed up at its old version before the update, like any update.
    const before = readdirSync(join(desk.dataDir, 'backups')).filter((f) => f.endsWith('.sqlite') && f !== fileName)
      .map((f) => readManifest(desk.dataDir, f)).filter((m) => m?.reason === 'migration');
    expect(before).toHaveLength(1);
    expect(before[0]!.schemaVersion).toBe(old.at(-1)!.version);
    expect(auditEntries(desk).at(-1)).toMatchObject({ action: 'backup.restored', entityId: fileName });
    expect((await desk.call('app.status', {}, null)).preparing ?? null).toBeNull();
  });
});

describe('retention', () => {
  it('deletes backups older than the days kept (the newest always stays) and the store files only they referenced', async () => {
    const desk = await desks.ready();
    await desk.call('settings.update', { keepBackupDays: 2 });
    const { sha: old } = await ticketWith(desk, 'evidencia vieja');
    const first = await desk.call('backup.create', {});
    // The old evidence leaves the live database (as a future purge would), so only `first` references it.
    desk.services.ws.db.prepare('DELETE FROM attachments WHERE sha256 = ?').run(old);
    desk.advance(DAY_MS);
    await desk.signInAgain();
    const { sha: recent } = await ticketWith(desk, 'evidencia nueva');
    const second = await desk.call('backup.create', {});
    expect(stored(desk.dataDir)).toEqual([old, recent].sort());
    desk.advance(1.5 * DAY_MS);
    await desk.signInAgain();
    const third = await desk.call('backup.create', {});
    const names = (await desk.call('backup.list', {})).map((b) => b.fileName);
    expect(names).toEqual([third.fileName, second.fileName]);
    expect(existsSync(join(desk.dataDir, 'backups', first.fileName.replace('.sqlite', '.json')))).toBe(false);
    expect(stored(desk.dataDir)).toEqual([recent]);
  });

  it('always keeps the newest backup, however old', async () => {
    const desk = await desks.ready();
    await desk.call('settings.update', { keepBackupDays: 1, dailyBackups: false });
    const only = await desk.call('backup.create', {});
    desk.advance(10 * DAY_MS);
    await desk.signInAgain();
    await desk.host.tick();
    expect((await desk.call('backup.list', {})).map((b) => b.fileName)).toEqual([only.fileName]);
  });
});

describe('daily backups', () => {
  it('the host timer makes one backup a day as a system action, audited as scheduled', async () => {
    const desk = await desks.ready();
    expect((await desk.call('settings.get', {})).dailyBackups).toBe(true);
    expect(await desk.call('backup.status', {})).toMatchObject({ lastAt: null, stale: true, daily: true });
    await desk.host.tick();
    await desk.host.tick();
    let list = await desk.call('backup.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ reason: 'scheduled', createdAt: desk.now() });
    expect(await desk.call('backup.status', {})).toMatchObject({ lastAt: desk.now(), stale: false });
    const entry = auditEntries(desk).filter((e) => e.action === 'backup.created').at(-1)!;
    expect(entry.actorKind).toBe('system');
    expect(JSON.parse(entry.data)).toMatchObject({ reason: 'scheduled' });

    desk.advance(DAY_MS - 60_000);
    await desk.signInAgain();
    await desk.host.tick();
    expect(await desk.call('backup.list', {})).toHaveLength(1);
    desk.advance(60_000);
    await desk.host.tick();
    list = await desk.call('backup.list', {});
    expect(list).toHaveLength(2);
    // Old enough to warn: more than two days without a backup.
    await desk.call('settings.update', { dailyBackups: false });
    desk.advance(2 * DAY_MS + 1);
    await desk.signInAgain();
    await desk.host.tick();
    expect(await desk.call('backup.list', {})).toHaveLength(2);
    expect(await desk.call('backup.status', {})).toMatchObject({ stale: true, daily: false });
  });

  it('a scheduled backup shares the one-at-a-time lock with a manual one', async () => {
    const desk = await desks.ready();
    const manual = desk.raw('backup.create', {});
    await desk.host.tick(); // the manual copy is running: the timer leaves it alone
    expect((await manual).ok).toBe(true);
    expect((await desk.call('backup.list', {})).map((b) => b.reason)).toEqual(['manual']);
  });
});

describe('backup before a migration', () => {
  it('a workspace at an older schema version gets a backup first, which opens at the old version with its data', async () => {
    const dataDir = tempDir();
    const migrations = loadMigrations();
    const old = migrations.slice(0, 5);
    const db = new Database(join(dataDir, DB_FILE));
    db.pragma('journal_mode = WAL');
    migrate(db, old);
    db.prepare("INSERT INTO settings (key, value) VALUES ('marca', 'antes de actualizar')").run();
    db.close();

    const desk = desks.make(dataDir);
    // The backup runs on a worker thread first; the window is told so until the workspace opens.
    expect((await desk.call('app.status', {}, null)).preparing).toMatchObject({ task: 'backupBeforeUpdate' });
    await desk.host.ready();
    expect((await desk.call('app.status', {}, null)).recovery).toBeNull();
    const backups = readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'));
    expect(backups).toHaveLength(1);
    expect(readManifest(dataDir, backups[0]!)).toMatchObject({ reason: 'migration', schemaVersion: old.at(-1)!.version });
    const copy = new Database(join(dataDir, 'backups', backups[0]!), { readonly: true });
    expect(copy.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(old.at(-1)!.version);
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'marca'").pluck().get()).toBe('antes de actualizar');
    copy.close();
    // The workspace itself was updated, and a new or up-to-date database gets no such backup.
    expect(desk.services.ws.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(migrations.at(-1)!.version);
    desk.host.close();
    desks.make(dataDir);
    expect(readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    const fresh = desks.make();
    expect(existsSync(join(fresh.dataDir, 'backups'))).toBe(false);
  });
});

describe('backup names', () => {
  it('a backup falling on the same instant as another gets the next free name, never overwriting it', async () => {
    const desk = await desks.ready();
    const first = await desk.call('backup.create', {});
    const { backupBeforeMigration } = await import('../../../electron/core/backup/backups');
    const again = backupBeforeMigration(desk.services.ws.db, desk.dataDir, desk.now());
    expect(again.fileName).not.toBe(first.fileName);
    expect((await desk.call('backup.list', {})).map((b) => b.fileName).sort()).toEqual([first.fileName, again.fileName].sort());
    expect(readManifest(desk.dataDir, first.fileName)?.reason).toBe('manual');
  });
});
