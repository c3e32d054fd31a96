/**
 * Issue 12 benchmark: importing mail from IMAP into tickets. A real Dovecot (test/fixtures/imap.ts)
 * holds N messages (default 10,000) from 200 registered customers and a few unknown senders; the
 * fetcher signs in over TLS and imports them all, each message in its own transaction (ticket,
 * acknowledgement queued, mail record, audit, sync outbox). Prints messages/s and the per-message
 * import time (parse + transaction). Part of `npm run bench` (section "Incoming mail"); alone:
 * `npx tsx test/bench/mail-import.bench.ts [--messages N]`.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { HAS_DOVECOT, mail, startImap } from '../fixtures/imap';
import { phoneIntake, TestDesk, tempDir } from '../fixtures/workspace';
import type { BenchRow } from './workspace.bench';

const CUSTOMERS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchMailImport(n: number, log: (line: string) => void): Promise<BenchRow[]> {
  if (!HAS_DOVECOT) {
    log('[mail-import] dovecot is not installed: skipped');
    return [];
  }
  const imap = await startImap();
  const dir = tempDir('helpdesk-mail-import-bench-');
  const desk = new TestDesk(dir, Date.now(), false, { start: false, fetcher: { ca: imap.ca } });
  try {
    await desk.setup();
    const s = desk.services;
    // Registered customers: their e-mails match the senders.
    const first = await desk.call('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'TEC0503155C6', name: 'Cliente 0', email: 'cliente0@empresa.example.mx', phone: '' } }));
    s.ws.write({ kind: 'system' }, (tx) => {
      for (let c = 1; c < CUSTOMERS; c++) {
        tx.sql('INSERT INTO customers (id, rfc, name, registered_email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(tx.id(), `XAXX010101000`, `Cliente ${c}`, `cliente${c}@empresa.example.mx`, tx.at, tx.at);
      }
    });
    void first;
    log(`[mail-import] appending ${n.toLocaleString('en-US')} messages to Dovecot …`);
    const t0 = Date.now();
    const batch: string[] = [];
    for (let i = 0; i < n; i++) {
      // One message per customer per hour of Date: no sender looks like a loop. One in 20 from someone unknown.
      const from = i % 20 === 19 ? `Persona ${i} <persona${i}@desconocido.example.mx>` : `Cliente <cliente${i % CUSTOMERS}@empresa.example.mx>`;
      batch.push(mail({
        from, subject: `Solicitud ${i}: no puedo timbrar`, messageId: `<bench.${i}@empresa.example.mx>`,
        date: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / CUSTOMERS) * 3_600_000),
        body: `Buen día,\n\nAl timbrar la factura ${i} aparece el error CFDI40147: el régimen fiscal del receptor no corresponde.\n\nSaludos.`,
      }));
      if (batch.length === 500) await imap.appendMany(batch.splice(0));
    }
    if (batch.length > 0) await imap.appendMany(batch);
    log(`[mail-import] appended in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const list = await desk.call('mail.saveInbox', { name: 'Soporte', host: '127.0.0.1', port: imap.port, security: 'tls', username: imap.user, password: imap.password });
    const inboxId = list[0]!.id;
    const times: number[] = [];
    const importer = s.importer;
    const original = importer.import.bind(importer);
    importer.import = async (m, purpose) => {
      const a = performance.now();
      const r = await original(m, purpose);
      times.push(performance.now() - a);
      return r;
    };
    const load = loadavg()[0]!.toFixed(1);
    const start = performance.now();
    const imported = await s.fetcher.fetchOnce(inboxId);
    const ms = performance.now() - start;
    const tickets = s.ws.db.prepare("SELECT count(*) FROM mail_messages WHERE outcome = 'ticket'").pluck().get() as number;
    const rate = imported / (ms / 1000);
    log(`[mail-import] ${imported} messages → ${tickets} tickets in ${(ms / 1000).toFixed(1)} s: ${rate.toFixed(1)} messages/s (load ${load})`);
    if (imported !== n) throw new Error(`imported ${imported} of ${n}`);
    times.sort((a, b) => a - b);
    return [{
      name: 'Import mail from IMAP into tickets (fetch over TLS + parse + one transaction each)', n: imported,
      p50ms: percentile(times, 50), p95ms: percentile(times, 95), totalMs: ms,
      note: `${rate.toFixed(1)} messages/s end to end; ${tickets.toLocaleString('en-US')} tickets, each with its acknowledgement queued; load average ${load} at start`,
    }];
  } finally {
    desk.host.close();
    imap.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('mail-import.bench.ts')) {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' } } });
  const rows = await benchMailImport(Number(values.messages), (l) => console.error(l));
  for (const r of rows) console.log(`${r.name}: n=${r.n} p50=${r.p50ms.toFixed(2)} ms p95=${r.p95ms.toFixed(2)} ms — ${r.note}`);
}
