import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../../electron/core/db/connection';
import { ADMIN_PASSWORD, phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from './helpers';

const desks = deskPool();
const DAMAGED = `${DB_FILE}.damaged-2026-03-02T16-00-00-000Z`; // TestDesk's clock starts at 2026-03-02T16:00:00Z

/** A workspace with one ticket, a backup of it, then a second ticket made after the backup. Returns its closed data dir. */
async function workspaceWithBackup(): Promise<{ dataDir: string; backup: string; desk: TestDesk }> {
  const desk = await desks.ready();
  await desk.call('tickets.create', phoneIntake());
  const backup = await desk.call('backup.create', {});
  expect(backup.fileName).toBe('helpdesk-2026-03-02T16-00-00-000Z.sqlite');
  expect(backup.sizeBytes).toBeGreaterThan(4096);
  await desk.call('tickets.create', { ...phoneIntake(), customer: { kind: 'existing', customerId: (await desk.call('tickets.list', {})).rows[0]!.customerId } });
  expect((await desk.call('tickets.list', {})).total).toBe(2);
  desk.host.close(); // closes the database (checkpointing the WAL); the files stay
  expect(existsSync(join(desk.dataDir, `${DB_FILE}-wal`))).toBe(false);
  return { dataDir: desk.dataDir, backup: backup.fileName, desk };
}

function overwriteWithGarbage(file: string, at: number, length: number) {
  const fd = openSync(file, 'r+');
  const garbage = Buffer.alloc(length);
  for (let i = 0; i < length; i++) garbage[i] = (i * 131 + 7) & 0xff;
  writeSync(fd, garbage, 0, length, at);
  closeSync(fd);
}

async function expectRecovery(desk: TestDesk, backups: string[]) {
  const status = await desk.call('app.status', {}, null);
  expect(status.initialized).toBe(false);
  expect(status.branch).toBeNull();
  expect(status.recovery).toMatchObject({ reason: 'corrupt', detail: expect.any(String) });
  expect(status.recovery!.detail.length).toBeGreaterThan(0);
  expect(status.recovery!.backups.map((b) => b.fileName)).toEqual(backups);
  expect(desk.host.services()).toBeNull();
  for (const method of ['auth.signIn', 'tickets.list', 'auth.setup', 'backup.list', 'audit.verify'] as const) {
    expect({ method, r: await desk.raw(method, { username: 'admin', password: ADMIN_PASSWORD }, null) }).toEqual({ method, r: { ok: false, error: { code: 'api.unavailable' } } });
  }
  return status;
}

describe('recovery mode', () => {
  it('a file of garbage bytes opens in recovery, listing the backups', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    overwriteWithGarbage(join(dataDir, DB_FILE), 0, 8192);
    const desk = desks.make(dataDir);
    const status = await expectRecovery(desk, [backup]);
    expect(status.recovery!.backups[0]!.sizeBytes).toBe(statSync(join(dataDir, 'backups', backup)).size);
  });

  it('a file truncated mid-page opens in recovery', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    const file = join(dataDir, DB_FILE);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 4096);
    truncateSync(file, Math.floor(size / 2) + 1234);
    const desk = desks.make(dataDir);
    await expectRecovery(desk, [backup]);
  });

  it('damage inside the file (header intact) is caught at open by the integrity check', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    const file = join(dataDir, DB_FILE);
    const size = statSync(file).size;
    // keep page 1 (header + schema) readable, scribble over everything after it
    overwriteWithGarbage(file, 4096, size - 4096);
    const desk = desks.make(dataDir);
    await expectRecovery(desk, [backup]);
  });

  it('app.restoreBackup restores the backup’s data and keeps the damaged file aside', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    const damagedBytes = Buffer.alloc(8192, 0x42);
    writeFileSync(join(dataDir, DB_FILE), damagedBytes);
    const desk = desks.make(dataDir);
    await expectRecovery(desk, [backup]);

    // an unknown file (or a path trying to leave the backups folder) is refused and changes nothing
    expect(await desk.fail('app.restoreBackup', { fileName: 'no-existe.sqlite' }, null)).toEqual({ code: 'backup.notFound' });
    expect(await desk.fail('app.restoreBackup', { fileName: `../${DB_FILE}` }, null)).toEqual({ code: 'backup.notFound' });
    expect(readFileSync(join(dataDir, DB_FILE)).equals(damagedBytes)).toBe(true);

    const restored = await desk.call('app.restoreBackup', { fileName: backup }, null);
    expect(restored).toEqual({ initialized: true, branch: { code: 'MTY', name: 'Sucursal Monterrey', timeZone: 'America/Mexico_City' }, recovery: null });
    expect(readFileSync(join(dataDir, DAMAGED)).equals(damagedBytes)).toBe(true);

    const session = await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null);
    desk.token = session.token;
    const list = await desk.call('tickets.list', {});
    expect(list.rows.map((r) => r.trackingNumber)).toEqual(['MTY-000001']); // the state at backup time
    expect(await desk.call('audit.verify', {})).toMatchObject({ ok: true, firstBroken: null });
    // and the workspace keeps working: the next number continues from the backup
    expect((await desk.call('tickets.create', { ...phoneIntake(), customer: { kind: 'existing', customerId: list.rows[0]!.customerId } })).trackingNumber).toBe('MTY-000002');
  });

  it('app.resetDatabase moves the damaged file aside and starts a fresh, uninitialized workspace', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    overwriteWithGarbage(join(dataDir, DB_FILE), 0, 4096);
    const damagedBytes = readFileSync(join(dataDir, DB_FILE));
    const desk = desks.make(dataDir);
    await expectRecovery(desk, [backup]);

    const status = await desk.call('app.resetDatabase', {}, null);
    expect(status).toEqual({ initialized: false, branch: null, recovery: null });
    expect(readdirSync(dataDir)).toContain(DAMAGED);
    expect(readFileSync(join(dataDir, DAMAGED)).equals(damagedBytes)).toBe(true);
    expect(existsSync(join(dataDir, 'backups', backup))).toBe(true); // backups are kept

    expect(desk.counts()).toMatchObject({ tickets: 0, customers: 0, users: 0, audit_log: 0 });
    const session = await desk.call('auth.setup', {
      branchCode: 'MTY', branchName: 'Sucursal Monterrey', username: 'admin', fullName: 'Ana', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    }, null);
    expect(session.user.roles).toEqual(['administrator', 'agent']);
    desk.token = session.token;
    expect((await desk.call('tickets.create', phoneIntake())).trackingNumber).toBe('MTY-000001');
  });

  it('a healthy workspace ignores app.resetDatabase and app.restoreBackup', async () => {
    const { dataDir, backup } = await workspaceWithBackup();
    const desk = desks.make(dataDir);
    desk.token = (await desk.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD }, null)).token;
    const before = desk.counts();
    expect((await desk.call('app.resetDatabase', {}, null)).initialized).toBe(true);
    expect((await desk.call('app.restoreBackup', { fileName: backup }, null)).initialized).toBe(true);
    expect(desk.counts()).toEqual(before);
    expect((await desk.call('tickets.list', {})).total).toBe(2);
    expect(readdirSync(dataDir).filter((f) => f.includes('.damaged-'))).toEqual([]);
  });

  it('an unreadable database path is reported as unreadable', async () => {
    const desk0 = desks.make();
    desk0.host.close();
    const dataDir = desk0.dataDir;
    // replace the database file by a directory of the same name
    const { rmSync } = await import('node:fs');
    for (const f of readdirSync(dataDir)) rmSync(join(dataDir, f), { recursive: true, force: true });
    mkdirSync(join(dataDir, DB_FILE));
    const desk = desks.make(dataDir);
    const status = await desk.call('app.status', {}, null);
    expect(status.recovery).toMatchObject({ reason: 'unreadable', backups: [] });
    expect((await desk.fail('tickets.list', {}, null)).code).toBe('api.unavailable');
  });
});
