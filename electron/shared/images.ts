/**
 * Image attachments shown inline (issue 14): only raster formats a browser decodes without running anything, and
 * only when the file's own bytes say so. The type a picker or a sender claims is never trusted for a preview; SVG
 * (which can carry scripts) is never previewed, only downloaded.
 */
export const PREVIEW_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type PreviewImageType = (typeof PREVIEW_IMAGE_TYPES)[number];

/** The raster image type the content's signature shows, or null. */
export function sniffImageType(bytes: Uint8Array): PreviewImageType | null {
  const starts = (sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/** Whether an attachment's recorded type may be shown inline (recorded types of images are validated at upload). */
export function isPreviewable(mimeType: string): mimeType is PreviewImageType {
  return (PREVIEW_IMAGE_TYPES as readonly string[]).includes(mimeType);
}

/**
 * The type recorded for an upload: a claimed image type is replaced by what the bytes show (a PNG named .jpg is
 * recorded as image/png), and a claimed raster image whose bytes are no image is recorded as opaque bytes, so
 * nothing unvalidated is ever recorded as previewable.
 */
export function recordedMimeType(claimed: string, bytes: Uint8Array): string {
  const base = claimed.split(';')[0]!.trim().toLowerCase();
  const sniffed = sniffImageType(bytes);
  if (sniffed && (base.startsWith('image/') || base === 'application/octet-stream' || base === '')) return sniffed;
  if (isPreviewable(base)) return 'application/octet-stream';
  return claimed || 'application/octet-stream';
}
