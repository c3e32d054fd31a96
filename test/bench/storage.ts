/**
 * Where a workspace's bytes go: SQLite's dbstat virtual table summed per table and index (FTS
 * shadow tables under their FTS table), divided by the number of tickets.
 * `npx tsx test/bench/storage.ts DIR` prints a markdown table.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DB_FILE } from '../../electron/core/db/connection';

export interface StorageRow {
  name: string;
  /** The table an index belongs to (itself for a table). */
  table: string;
  bytes: number;
  bytesPerTicket: number;
}

/** Bytes per table and index (pages in use, whole pages as stored), largest first. */
export function storageByObject(file: string): { tickets: number; fileBytes: number; rows: StorageRow[] } {
  const db = new Database(file, { readonly: true });
  try {
    const tickets = db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() as number;
    const owners = new Map<string, string>();
    for (const o of db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").all() as Array<{ name: string; tbl_name: string }>) {
      owners.set(o.name, o.tbl_name.replace(/_(data|idx|docsize|config|content)$/, ''));
    }
    const rows = (db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE aggregate = FALSE GROUP BY name ORDER BY bytes DESC").all() as Array<{ name: string; bytes: number }>)
      .map((r) => ({ name: r.name, table: owners.get(r.name) ?? r.name, bytes: r.bytes, bytesPerTicket: r.bytes / Math.max(1, tickets) }));
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    return { tickets, fileBytes: pageSize * pages, rows };
  } finally {
    db.close();
  }
}

/** The same, as a markdown table grouped by table (indexes indented under it). */
export function storageTable(file: string): string {
  const { tickets, fileBytes, rows } = storageByObject(file);
  const byTable = new Map<string, StorageRow[]>();
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), r]);
  const total = (rs: StorageRow[]) => rs.reduce((s, r) => s + r.bytes, 0);
  const kb = (b: number) => (b / 1024).toFixed(2);
  const lines = [
    `${tickets.toLocaleString('en-US')} tickets · file ${(fileBytes / 1024 ** 2).toFixed(1)} MiB · ${kb(fileBytes / Math.max(1, tickets))} KB per ticket`,
    '',
    '| Table (and its indexes) | KB per ticket | share |',
    '|---|---:|---:|',
  ];
  for (const [table, rs] of [...byTable].sort((a, b) => total(b[1]) - total(a[1]))) {
    const t = total(rs);
    if (t / fileBytes < 0.001) continue;
    lines.push(`| ${table} | ${kb(t / tickets)} | ${((100 * t) / fileBytes).toFixed(1)} % |`);
    if (rs.length > 1) for (const r of rs) lines.push(`| &nbsp;&nbsp;${r.name} | ${kb(r.bytesPerTicket)} | |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx test/bench/storage.ts DATA_DIR');
  console.log(storageTable(join(dir, DB_FILE)));
}
