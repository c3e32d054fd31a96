/**
 * `npm run audit:verify -- --data DIR` verifies the audit log's hash chains in a workspace;
 * `npm run audit:verify -- --file export.jsonl` verifies an exported file (one AuditEntry per line,
 * in seq order). Prints OK with the entry count and throughput, or the first broken link (seq and
 * reason) and exits with 1. The database is opened read-only: verifying never writes.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GENESIS_HASH, verifyAuditLog, verifyEntries, type AuditEntry } from '../core/audit';
import { DB_FILE } from '../core/db/connection';
import type { AuditVerification } from '../shared/types';

const USAGE = 'Usage: npm run audit:verify -- --data DIR | --file export.jsonl';

/** Lines of a (possibly very large) text file, read in chunks so memory stays flat. */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = rest + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield line;
    }
    if (rest.trim()) yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Verifies an exported JSONL file, one chain per device (a pass per device keeps memory flat).
 * An export of a period starts mid-chain: each device's chain is checked from its first entry's
 * `prevHash` (`partial` tells when that is not the genesis link, whose predecessor the file cannot prove).
 */
export function verifyFile(path: string): AuditVerification & { partial: boolean } {
  const devices: string[] = [];
  const startOf = new Map<string, string>();
  let lineNo = 0;
  for (const line of readLines(path)) {
    lineNo++;
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      throw new Error(`line ${lineNo} is not JSON`);
    }
    if (!startOf.has(entry.deviceId)) {
      devices.push(entry.deviceId);
      startOf.set(entry.deviceId, entry.prevHash);
    }
  }
  const partial = [...startOf.values()].some((h) => h !== GENESIS_HASH);
  let checked = 0;
  for (const device of devices) {
    const entries = (function* () {
      for (const line of readLines(path)) {
        const e = JSON.parse(line) as AuditEntry;
        if (e.deviceId === device) yield e;
      }
    })();
    const result = verifyEntries(entries, undefined, { seq: 0, hash: startOf.get(device)! });
    checked += result.checked;
    if (!result.ok) return { ...result, checked, partial };
  }
  return { ok: true, checked, firstBroken: null, partial };
}

/** Verifies the workspace database in `dataDir`, opened read-only. */
export function verifyDatabase(dataDir: string): AuditVerification {
  const path = join(dataDir, DB_FILE);
  if (!existsSync(path)) throw new Error(`no workspace database at ${path}`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return verifyAuditLog(db);
  } finally {
    db.close();
  }
}

export function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = values.data ?? (values.file ? undefined : process.env.HELPDESK_DATA_DIR);
  if (!dataDir && !values.file) {
    console.error(USAGE);
    return 2;
  }
  const source = values.file ? `file ${values.file}` : `workspace ${dataDir}`;
  const t0 = performance.now();
  let result: AuditVerification & { partial?: boolean };
  try {
    result = values.file ? verifyFile(values.file) : verifyDatabase(dataDir!);
  } catch (err) {
    console.error(`ERROR: cannot verify ${source}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const ms = performance.now() - t0;
  const rate = Math.round(result.checked / Math.max(ms / 1000, 1e-6)).toLocaleString('en-US');
  if (result.ok) {
    console.log(`OK: ${result.checked.toLocaleString('en-US')} audit entries verified in ${source} (${(ms / 1000).toFixed(2)} s, ${rate} entries/s)`);
    if (result.partial) console.log('Note: the file starts mid-chain (an export of a period); links inside it are verified, its first predecessor is not.');
    return 0;
  }
  const broken = result.firstBroken!;
  console.log(
    `BROKEN: first broken link at seq ${broken.seq} (reason: ${broken.reason}) in ${source}; ` +
      `${result.checked.toLocaleString('en-US')} entries before it verified`,
  );
  return 1;
}

// Run as a script (npm run audit:verify), not when imported by a test.
if (process.argv[1] && /audit-verify\.[cm]?[jt]s$/.test(process.argv[1])) {
  process.exitCode = main(process.argv.slice(2));
}
