/**
 * Crash safety: a child process writes through the dispatcher and is SIGKILLed at random moments.
 * After every kill the workspace must reopen intact: integrity_check ok, every write the child
 * acknowledged present, the audit chain unbroken, and the FTS index finding acknowledged tickets.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../electron/core/audit';
import { createServices } from '../../../electron/core/services';
import { Workspace } from '../../../electron/core/workspace';
import { ticketListSchema } from '../../../electron/shared/contract';
import { tempDir } from '../../fixtures/workspace';

const root = resolve(import.meta.dirname, '../../..');
const KILLS = 22;

interface Round {
  lines: string[];
  stderr: string;
}

/** Starts the writer, waits until it is writing, lets it run 20–300 ms, then SIGKILLs it. */
function killAtRandom(dataDir: string, round: number, delayMs: number): Promise<Round> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/unit/crash/writer.ts', dataDir, String(round)], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!timer && out.includes('READY\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${signal ?? _code}): ${stderr}`));
      // Only complete lines are acknowledgements; a line cut by the kill is not.
      const lines = out.split('\n').slice(0, -1).filter((l) => l !== 'READY');
      resolvePromise({ lines, stderr });
    });
  });
}

describe('crash safety under SIGKILL', () => {
  const dataDir = tempDir('helpdesk-crash-');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged write and a valid database across ${KILLS} kills`, async () => {
    const tickets = new Map<string, string>(); // id → tracking number
    const replies = new Map<string, string>(); // event id → ticket id
    let roundsWithWrites = 0;
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

    for (let round = 0; round < KILLS; round++) {
      const delay = 20 + Math.floor(random() * 281);
      const { lines } = await killAtRandom(dataDir, round, delay);
      const fresh: string[] = [];
      for (const line of lines) {
        const [kind, a, b] = line.split(' ');
        if (kind === 'T') {
          tickets.set(a!, b!);
          fresh.push(a!);
        } else if (kind === 'R') replies.set(a!, b!);
        else throw new Error(`unexpected output: ${line}`);
      }
      if (fresh.length > 0) roundsWithWrites++;

      const ws = new Workspace({ dataDir });
      try {
        const db = ws.db;
        expect(db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        const ticketIds = new Set(db.prepare('SELECT id FROM tickets').pluck().all() as string[]);
        const missingTickets = [...tickets.keys()].filter((id) => !ticketIds.has(id));
        expect(missingTickets, `acknowledged tickets lost after round ${round}`).toEqual([]);
        const eventIds = new Set(db.prepare("SELECT id FROM ticket_events WHERE kind = 'reply'").pluck().all() as string[]);
        const missingReplies = [...replies.keys()].filter((id) => !eventIds.has(id));
        expect(missingReplies, `acknowledged replies lost after round ${round}`).toEqual([]);
        const audit = verifyAuditLog(db);
        expect(audit, `audit chain after round ${round}`).toMatchObject({ ok: true, firstBroken: null });

        // The FTS index finds the newest acknowledged ticket by its tracking number.
        const probe = fresh.at(-1) ?? [...tickets.keys()].at(-1);
        if (probe) {
          const services = createServices(ws);
          const page = services.tickets.list('', ticketListSchema.parse({ query: tickets.get(probe)!, limit: 50 }));
          expect(page.rows.map((r) => r.id), `FTS after round ${round}`).toContain(probe);
        }
      } finally {
        ws.close();
      }
    }
    expect(tickets.size).toBeGreaterThan(KILLS);
    expect(roundsWithWrites).toBeGreaterThanOrEqual(KILLS / 2);
  }, 240_000);
});
