import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectAuditEntries } from '../../../electron/core/audit';
import { DB_FILE } from '../../../electron/core/db/connection';
import { phoneIntake, TestDesk } from '../../fixtures/workspace';

const root = resolve(import.meta.dirname, '../../..');

function runCli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/audit-verify.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('npm run audit:verify', () => {
  let desk: TestDesk;
  let dir: string;

  beforeAll(async () => {
    desk = await new TestDesk().setup();
    const ticket = await desk.call('tickets.create', phoneIntake());
    desk.advance(60_000);
    await desk.call('tickets.reply', { ticketId: ticket.id, body: 'Revisamos su cuenta; intente de nuevo, por favor.' });
    desk.advance(60_000);
    await desk.call('tickets.note', { ticketId: ticket.id, body: 'Cliente con prisa por el cierre de mes.' });
    dir = desk.dataDir;
    desk.host.close();
  });

  afterAll(() => desk.close());

  it('prints OK with the entry count and throughput for an intact workspace', () => {
    const { code, out } = runCli('--data', dir);
    expect(out).toMatch(/^OK: \d+ audit entries verified in workspace .* entries\/s\)/m);
    expect(code).toBe(0);
  });

  it('verifies an exported JSONL file and names the first edited line', () => {
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    const entries = [...selectAuditEntries(db, 0, Number.MAX_SAFE_INTEGER)];
    db.close();
    const good = join(dir, 'audit-export.jsonl');
    writeFileSync(good, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const ok = runCli('--file', good);
    expect(ok.out).toContain(`OK: ${entries.length} audit entries verified in file`);
    expect(ok.code).toBe(0);

    const lines = readFileSync(good, 'utf8').trim().split('\n');
    const edited = JSON.parse(lines[2]!) as { seq: number; action: string };
    edited.action = 'ticket.deleted';
    lines[2] = JSON.stringify(edited);
    const bad = join(dir, 'audit-export-edited.jsonl');
    writeFileSync(bad, lines.join('\n'));
    const broken = runCli('--file', bad);
    expect(broken.out).toContain(`BROKEN: first broken link at seq ${edited.seq} (reason: hash)`);
    expect(broken.code).toBe(1);
  });

  it('names the first broken link and exits 1 when a row was edited behind the trigger', () => {
    const db = new Database(join(dir, DB_FILE));
    db.exec('DROP TRIGGER audit_log_no_update');
    const seq = db.prepare('SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 3').pluck().get() as number;
    db.prepare(`UPDATE audit_chain SET data = '{"tampered":true}' WHERE seq = ?`).run(seq);
    db.close();
    const { code, out } = runCli('--data', dir);
    expect(out).toContain(`BROKEN: first broken link at seq ${seq} (reason: hash)`);
    expect(code).toBe(1);
  });

  it('refuses a folder without a workspace', () => {
    const { code, out } = runCli('--data', join(dir, 'no-such-folder'));
    expect(out).toContain('no workspace database');
    expect(code).toBe(2);
  });
});
