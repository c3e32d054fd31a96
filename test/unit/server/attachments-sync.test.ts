/**
 * Evidence files through sync (issue 11, "attachments are content-addressed and uploaded once;
 * resumable; size limit"), on real PostgreSQL and on PGlite, with two real branch workspaces:
 * MTY attaches files; the bytes go up once per organization (asked about first), an upload cut
 * off resumes where the server's copy stops, a chunk that does not match the file's hash is
 * refused and discarded, a file over the limit is refused with its limit; GDL pulls the rows of
 * the ticket it may see and shows its files "pendiente de descargar" until someone opens them
 * (offline: a clear refusal), a download cut off continues from its partial file, and GDL never
 * gets the bytes of MTY's own tickets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTransfers } from '../../../electron/core/sync/blobs';
import { BLOB_CHUNK_BYTES, MAX_BLOB_BYTES } from '../../../electron/shared/sync/protocol';
import { phoneIntake, type TestDesk } from '../../fixtures/workspace';
import { deskPool } from '../core/helpers';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const desks = deskPool();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const file = (fileName: string, bytes: Buffer, mimeType = 'application/pdf') => ({ fileName, mimeType, contentBase64: bytes.toString('base64') });

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`attachments through sync — ${backend.name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    }, 120_000);
    afterAll(async () => server?.close(), 60_000);

    const branch = (site: string) => enrolledDesk(() => desks.make(undefined, Date.now()), server, site);
    const credential = (d: TestDesk) => `Device ${d.services.ws.deviceId}.${d.services.ws.getSetting('sync.secret')}`;
    const put = (d: TestDesk, hash: string, offset: number, size: number, body: Buffer) =>
      fetch(`${server.url}/v1/blobs/${hash}?offset=${offset}&size=${size}`, {
        method: 'PUT', headers: { authorization: credential(d), 'content-type': 'application/octet-stream' }, body: new Uint8Array(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any
    const check = async (d: TestDesk, hashes: string[]) => (await server.post('/v1/blobs/check', { sha256: hashes }, { authorization: credential(d) })).body;
    const transfers = (d: TestDesk) =>
      d.services.ws.db.prepare('SELECT sha256, direction, last_error AS lastError FROM blob_transfers ORDER BY sha256').all() as Array<{ sha256: string; direction: string; lastError: string | null }>;

    it('files go up once, resume after a cut, refuse a tampered chunk and an oversized file; GDL fetches only what it may see, when opened', async () => {
      const mty = await branch(`M${backend.name.slice(0, 3).toUpperCase()}`);
      const gdl = await branch(`G${backend.name.slice(0, 3).toUpperCase()}`);
      const lupita = await mty.userWithRoles(`lupita.${backend.name.slice(0, 2).toLowerCase()}`, ['agent']);
      const oscar = await gdl.userWithRoles(`oscar.${backend.name.slice(0, 2).toLowerCase()}`, ['operations']);
      await mty.call('sync.now', {});
      await gdl.call('sync.now', {});

      // MTY: an escalated ticket (GDL's specialists see it) with a large file, and a service-desk one (MTY only).
      const big = randomBytes(2 * BLOB_CHUNK_BYTES + 12_345);
      const small = Buffer.from('%PDF-1.4 acuse de cancelación\n');
      const own = Buffer.from('%PDF-1.4 estado de cuenta de MTY\n');
      const escalated = await mty.call('tickets.create', phoneIntake({ severity: 2, subject: 'Falla de timbrado', attachments: [file('xml-lote.pdf', big), file('acuse.pdf', small)] }), lupita.token);
      await mty.call('tickets.moveTier', { ticketId: escalated.id, toTier: 'operations', reason: 'Afecta a todos los timbrados.' }, lupita.token);
      const customerId = mty.services.ws.db.prepare('SELECT customer_id FROM tickets WHERE id = ?').pluck().get(escalated.id) as string;
      const local = await mty.call('tickets.create', phoneIntake({ customer: { kind: 'existing', customerId }, subject: 'Duda de saldo', attachments: [file('estado.pdf', own)] }), lupita.token);
      expect(transfers(mty).map((t) => t.direction)).toEqual(['up', 'up', 'up']);

      // Only the rows go up first; asked before any bytes: the server has none of them, and GDL may not even ask about MTY's own file.
      await mty.services.sync.push();
      expect((await check(mty, [sha(big), sha(own)])).blobs.map((b: { state: string }) => b.state)).toEqual(['missing', 'missing']);
      expect((await check(gdl, [sha(own)])).blobs[0]).toMatchObject({ state: 'unknown' });

      // A tampered upload: the right size and name, other bytes — refused when the last byte is in, and discarded.
      const forged = Buffer.from(small);
      forged[5] = 0x58;
      const tampered = await put(mty, sha(small), 0, small.length, forged);
      expect(tampered).toMatchObject({ status: 422, body: { error: { code: 'blobs.hashMismatch' } } });
      expect((await check(mty, [sha(small)])).blobs[0]).toMatchObject({ state: 'missing', received: 0 });
      // Over the limit: refused before any byte is kept, the limit stated.
      const huge = await put(mty, sha(small), 0, MAX_BLOB_BYTES + 1, small);
      expect(huge).toMatchObject({ status: 413, body: { error: { code: 'blobs.tooLarge', details: { limit: MAX_BLOB_BYTES } } } });
      // A chunk at the wrong place: told where the server's copy ends.
      expect(await put(mty, sha(big), 5, big.length, big.subarray(5, 10))).toMatchObject({ status: 409, body: { error: { code: 'blobs.offsetMismatch', details: { expected: 0 } } } });

      // The connection is cut after the first chunk of the large file.
      let bigPuts = 0;
      const cutting: typeof fetch = async (input, init) => {
        if (init?.method === 'PUT' && String(input).includes(sha(big)) && ++bigPuts > 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        return fetch(input, init);
      };
      const flaky = new BlobTransfers(mty.services.ws, () => mty.services.sync.liveEndpoint(), cutting);
      await expect(flaky.upload()).rejects.toMatchObject({ code: 'sync.offline' });
      const afterCut = (await check(mty, [sha(big), sha(small), sha(own)])).blobs as Array<{ sha256: string; state: string; received: number }>;
      expect(afterCut.find((b) => b.sha256 === sha(big))).toMatchObject({ state: 'partial', received: BLOB_CHUNK_BYTES });

      // Resumed: only what the server lacks is sent.
      const resumed = await mty.services.sync.blobs.upload();
      const leftOver = [small, own].filter((b) => afterCut.find((x) => x.sha256 === sha(b))!.state !== 'complete');
      expect(resumed).toMatchObject({ sent: 1 + leftOver.length, held: 0 });
      expect(resumed.bytes).toBe(big.length - BLOB_CHUNK_BYTES + leftOver.reduce((n, b) => n + b.length, 0));
      expect(transfers(mty)).toEqual([]);
      const [stored] = await server.db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM blobs WHERE complete_at IS NOT NULL AND sha256 = ANY($1::text[])', [[sha(big), sha(small), sha(own)]]);
      expect(stored!.n).toBe(3);

      // The same file attached again (another ticket): asked about, never sent again.
      await mty.call('tickets.note', { ticketId: local.id, body: 'Otra vez el acuse', attachments: [file('acuse-copia.pdf', small)] }, lupita.token);
      const again = await mty.call('sync.now', {}, lupita.token);
      expect(again.files).toMatchObject({ sent: 0, already: 1, held: 0 });

      // GDL pulls the escalated ticket's rows; offline, its files are "pendiente de descargar".
      await gdl.services.sync.pull();
      const atGdl = await gdl.call('tickets.get', { ticketId: escalated.id }, oscar.token);
      const shown = atGdl.timeline.flatMap((e) => e.attachments);
      expect(shown.map((a) => [a.fileName, a.pendingDownload])).toEqual([['xml-lote.pdf', true], ['acuse.pdf', true]]);
      expect(await gdl.fail('tickets.get', { ticketId: local.id }, oscar.token)).toMatchObject({ code: 'tickets.notFound' });
      const url = gdl.services.ws.getSetting('sync.url')!;
      gdl.services.ws.db.prepare("UPDATE settings SET value = 'http://127.0.0.1:9' WHERE key = 'sync.url'").run();
      const acuse = shown.find((a) => a.fileName === 'acuse.pdf')!;
      expect(await gdl.fail('attachments.read', { attachmentId: acuse.id }, oscar.token)).toMatchObject({ code: 'attachments.pendingDownload', params: { fileName: 'acuse.pdf' } });
      gdl.services.ws.db.prepare("UPDATE settings SET value = ? WHERE key = 'sync.url'").run(url);

      // Opened: fetched now, checked, kept.
      const read = await gdl.call('attachments.read', { attachmentId: acuse.id }, oscar.token);
      expect(Buffer.from(read.contentBase64, 'base64').equals(small)).toBe(true);
      expect((await gdl.call('tickets.get', { ticketId: escalated.id }, oscar.token)).timeline.flatMap((e) => e.attachments).find((a) => a.id === acuse.id)!.pendingDownload).toBe(false);

      // The large one: a download cut off midway continues from its partial file.
      writeFileSync(join(gdl.services.ws.dataDir, 'attachments', `${sha(big)}.part`), big.subarray(0, 777_777));
      const ranged = await fetch(`${server.url}/v1/blobs/${sha(big)}`, { headers: { authorization: credential(gdl), range: 'bytes=777777-' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes 777777-${big.length - 1}/${big.length}`);
      await ranged.arrayBuffer();
      const background = await gdl.call('sync.now', {}, oscar.token);
      expect(background.files.fetched).toBe(1);
      expect(existsSync(join(gdl.services.ws.dataDir, 'attachments', sha(big)))).toBe(true);
      const whole = await gdl.call('attachments.read', { attachmentId: shown.find((a) => a.fileName === 'xml-lote.pdf')!.id }, oscar.token);
      expect(sha(Buffer.from(whole.contentBase64, 'base64'))).toBe(sha(big));
      expect(transfers(gdl)).toEqual([]);

      // GDL never gets the bytes of MTY's own ticket, whoever asks by its hash.
      const refused = await fetch(`${server.url}/v1/blobs/${sha(own)}`, { headers: { authorization: credential(gdl) } });
      expect(refused.status).toBe(404);
      expect(await refused.json()).toEqual({ error: { code: 'blobs.unknown' } });
      // A forged credential gets nothing either.
      const forgedCredential = await fetch(`${server.url}/v1/blobs/${sha(small)}`, { headers: { authorization: `Device ${gdl.services.ws.deviceId}.${'x'.repeat(43)}` } });
      expect(forgedCredential.status).toBe(401);
    }, 180_000);
  });
}
