/**
 * A ticket's own searchable text (ticket_fts: tracking number, subject, description, the customer's
 * RFC and name), rewritten in one place, and the journal of those rewrites that search reads.
 *
 * Search keeps the scored matches of a question (ticket-list.ts) and, after a write, brings them
 * up to date instead of scoring every match again (a common word at 1,000,000 tickets: 548,007
 * matches, ~11 s of CPU each time anyone saved anything). New tickets and timeline entries only
 * ever add rows with higher rowids, so they are found by rowid; the one change it cannot see that
 * way is a ticket's text rewritten in place, which this journal records (per database, in this
 * process: core is the only writer of its workspace). A journal that no longer reaches back far
 * enough makes search score everything again.
 */
import type Database from 'better-sqlite3';
import type { WriteTx } from './workspace';

/** Rewrites kept; a match set older than the oldest one kept is scored again. */
const JOURNAL_SIZE = 10_000;

interface Journal {
  /** Mark of entries[0]. */
  start: number;
  rowids: number[];
}
const journals = new WeakMap<Database.Database, Journal>();

function journalOf(db: Database.Database): Journal {
  let j = journals.get(db);
  if (!j) journals.set(db, (j = { start: 0, rowids: [] }));
  return j;
}

/** Replaces the ticket's row of ticket_fts and notes it in the journal. */
export function rewriteTicketText(
  tx: WriteTx, rowid: number, text: { trackingNumber: string; subject: string; description: string; rfc: string; customerName: string },
): void {
  tx.sql('DELETE FROM ticket_fts WHERE rowid = ?').run(rowid);
  tx.sql('INSERT INTO ticket_fts (rowid, tracking_number, subject, description, rfc, customer_name) VALUES (?, ?, ?, ?, ?, ?)').run(
    rowid, text.trackingNumber, text.subject, text.description, text.rfc, text.customerName,
  );
  const j = journalOf(tx.db);
  j.rowids.push(rowid);
  if (j.rowids.length > JOURNAL_SIZE) {
    const drop = j.rowids.length - JOURNAL_SIZE / 2;
    j.rowids.splice(0, drop);
    j.start += drop;
  }
}

/** The journal's position now (a match set remembers it). */
export function textMark(db: Database.Database): number {
  const j = journalOf(db);
  return j.start + j.rowids.length;
}

/** Tickets whose text was rewritten since `mark` (a rolled-back rewrite too: reading it again is harmless), or null when the journal no longer reaches back there. */
export function rewrittenSince(db: Database.Database, mark: number): number[] | null {
  const j = journalOf(db);
  if (mark < j.start) return null;
  return j.rowids.slice(mark - j.start);
}
