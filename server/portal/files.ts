/**
 * Evidence from the portal: decoded, size-checked, typed by its content (never by the name or
 * the type the browser claims), and stored content-addressed — the same bytes once, under their
 * SHA-256 — in the organization's blob store (server/blobs.ts), where branches fetch them.
 */
import { createHash } from 'node:crypto';
import { storeBlob } from '../blobs';
import { EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, type EvidenceType, type PortalFileRef } from '../../electron/shared/portal';
import type { Sql } from '../db';
import { ServerError } from '../errors';

export interface CheckedFile extends PortalFileRef {
  bytes: Buffer;
}

const startsWith = (b: Buffer, magic: number[]) => magic.every((v, i) => b[i] === v);

/** The evidence type of these bytes, or null when the portal does not take them. */
export function sniffEvidence(bytes: Buffer): EvidenceType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  // Text: valid UTF-8 without control characters other than tab, line feed and carriage return.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return null; // eslint-disable-line no-control-regex
  return /^\uFEFF?\s*<(\?xml|[A-Za-z])/.test(text) ? 'application/xml' : 'text/plain';
}

/** Decodes and checks each file; a refusal names the file's position (`attachments.N`) as a form field. */
export function checkEvidence(files: Array<{ fileName: string; contentBase64: string }>): CheckedFile[] {
  return files.map((f, i) => {
    const field = `attachments.${i}`;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(f.contentBase64)) throw invalid(field, 'portal.fileUnreadable');
    const bytes = Buffer.from(f.contentBase64, 'base64');
    if (bytes.length === 0) throw invalid(field, 'portal.fileEmpty');
    if (bytes.length > MAX_EVIDENCE_BYTES) throw invalid(field, 'portal.fileTooLarge');
    const type = sniffEvidence(bytes);
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(f.fileName)?.[1]?.toLowerCase();
    if (!type || !ext || !(EVIDENCE_TYPES[type] as readonly string[]).includes(ext)) throw invalid(field, 'portal.fileType');
    return { sha256: createHash('sha256').update(bytes).digest('hex'), fileName: f.fileName, mimeType: type, size: bytes.length, bytes };
  });
}

function invalid(field: string, code: string): ServerError {
  return new ServerError(400, 'validation.failed', { fields: { [field]: code } });
}

/** Stores the files (each content once) and returns their references for the timeline entry. */
export async function storeEvidence(sql: Sql, files: CheckedFile[], now: number): Promise<PortalFileRef[]> {
  for (const f of files) await storeBlob(sql, f.bytes, f.mimeType, now);
  return files.map(({ sha256, fileName, mimeType, size }) => ({ sha256, fileName, mimeType, size }));
}
