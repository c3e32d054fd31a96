/**
 * Inline image previews (issue 14): an attachment is recorded with an image type only when its bytes are that image,
 * whatever type the sender claimed; SVG and claimed images that are something else are never previewable.
 * Real SQLite files through the real dispatcher, plus the pure signature check.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phoneIntake } from '../../fixtures/workspace';
import { isPreviewable, recordedMimeType, sniffImageType } from '../../../electron/shared/images';
import { b64, deskPool } from './helpers';

const desks = deskPool();
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(32)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ', 'latin1')]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

describe('image type of an attachment', () => {
  it('comes from the bytes: png, jpeg, gif, webp; nothing else', () => {
    expect([PNG, JPEG, GIF, WEBP, SVG, HTML].map((b) => sniffImageType(b))).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp', null, null]);
    expect(recordedMimeType('image/jpeg', PNG)).toBe('image/png');
    expect(recordedMimeType('application/octet-stream', GIF)).toBe('image/gif');
    expect(recordedMimeType('image/png', HTML)).toBe('application/octet-stream');
    expect(recordedMimeType('image/svg+xml', SVG)).toBe('image/svg+xml');
    expect(recordedMimeType('application/pdf', Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(isPreviewable('image/svg+xml')).toBe(false);
    expect(isPreviewable('image/png')).toBe(true);
  });

  it('is recorded validated at upload: a claimed PNG that is HTML, and an SVG, are not previewable; a real PNG is', async () => {
    const desk = await desks.ready();
    const t = await desk.call('tickets.create', phoneIntake({
      attachments: [
        { fileName: 'captura.png', mimeType: 'image/png', contentBase64: b64(PNG) },
        { fileName: 'foto.jpg', mimeType: 'image/png', contentBase64: b64(JPEG) },
        { fileName: 'truco.png', mimeType: 'image/png', contentBase64: b64(HTML) },
        { fileName: 'logo.svg', mimeType: 'image/svg+xml', contentBase64: b64(SVG) },
      ],
    }));
    const files = (await desk.call('tickets.get', { ticketId: t.id })).timeline[0]!.attachments;
    expect(files.map((f) => [f.fileName, f.mimeType, isPreviewable(f.mimeType)])).toEqual([
      ['captura.png', 'image/png', true],
      ['foto.jpg', 'image/jpeg', true],
      ['truco.png', 'application/octet-stream', false],
      ['logo.svg', 'image/svg+xml', false],
    ]);
    const read = await desk.call('attachments.read', { attachmentId: files[0]!.id });
    expect(read.mimeType).toBe('image/png');
    expect(Buffer.from(read.contentBase64, 'base64').equals(PNG)).toBe(true);
  });
});

describe('large evidence files (issue 16 item 3)', () => {
  it('a 25 MB file is decoded, hashed and written a slice per turn: other calls answer meanwhile, and it is stored whole', async () => {
    const desk = await desks.ready();
    await desk.call('settings.update', { maxAttachmentBytes: 30 * 1024 * 1024 });
    const content = randomBytes(25 * 1024 * 1024);
    // Event-loop turns while the call runs: one synchronous decode + hash + write would leave only a few.
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const order: string[] = [];
    const created = desk.call('tickets.create', phoneIntake({
      attachments: [{ fileName: 'captura.bin', mimeType: 'application/octet-stream', contentBase64: content.toString('base64') }],
    })).then((t) => (order.push('ticket'), t));
    await new Promise((r) => setImmediate(r));
    const me = desk.call('auth.me', {}).then((u) => (order.push('auth.me'), u));
    const [ticket] = await Promise.all([created, me]);
    counting = false;
    expect(order).toEqual(['auth.me', 'ticket']);
    expect(turns).toBeGreaterThan(20);
    const sha = createHash('sha256').update(content).digest('hex');
    const row = desk.services.ws.db.prepare('SELECT sha256, size_bytes AS size FROM attachments WHERE ticket_id = ?').get(ticket.id);
    expect(row).toEqual({ sha256: sha, size: content.length });
    expect(readFileSync(join(desk.dataDir, 'attachments', sha)).equals(content)).toBe(true);
    expect(readdirSync(join(desk.dataDir, 'attachments')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('bad base64 or a file over the limit is still refused as before, and leaves no temporary file', async () => {
    const desk = await desks.ready();
    const bad = 'QUJD'.repeat(400_000) + '!!!!';
    expect(await desk.fail('tickets.create', phoneIntake({ attachments: [{ fileName: 'roto.bin', mimeType: 'application/octet-stream', contentBase64: bad }] })))
      .toMatchObject({ code: 'attachments.badContent' });
    expect(await desk.fail('tickets.create', phoneIntake({
      attachments: [{ fileName: 'grande.bin', mimeType: 'application/octet-stream', contentBase64: randomBytes(11 * 1024 * 1024).toString('base64') }],
    }))).toMatchObject({ code: 'attachments.tooLarge' });
    const dir = join(desk.dataDir, 'attachments');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
