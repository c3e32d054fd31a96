/**
 * Inline image previews (issue 14): an attachment is recorded with an image type only when its bytes are that image,
 * whatever type the sender claimed; SVG and claimed images that are something else are never previewable.
 * Real SQLite files through the real dispatcher, plus the pure signature check.
 */
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
