/**
 * Evidence files (attachments): reading chosen files as base64 for the API, the client-side size
 * pre-check (core checks again), and downloading a stored attachment.
 */
import { useCallback, useState } from 'react';
import { type z } from 'zod';
import type { attachmentUploadSchema } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { call } from '../../app/api';
import { formatBytes } from './format';
import { useOrgSettings } from './orgSettings';
import { base64ToBlob, readAsBase64, saveBlob } from '../../app/files';

export type AttachmentUpload = z.input<typeof attachmentUploadSchema>;

export interface PickedFile {
  key: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  upload: AttachmentUpload;
}

/** The translated error for a file over the organization's limit, or null when it fits. */
export function sizeError(file: { name: string; size: number }, maxBytes: number): ErrorInfo | null {
  if (file.size <= maxBytes) return null;
  return { code: 'attachments.tooLarge', params: { fileName: file.name, size: formatBytes(file.size), limit: formatBytes(maxBytes) } };
}

let nextKey = 0;

/**
 * The evidence chosen for one form: add files (checked against maxAttachmentBytes and read as
 * base64), remove one, clear all. Files over the limit are refused with `error`.
 */
export function useEvidence() {
  const maxBytes = useOrgSettings((s) => s.settings?.maxAttachmentBytes ?? null);
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [reading, setReading] = useState(false);

  const add = useCallback(
    async (list: FileList | File[] | null) => {
      const chosen = Array.from(list ?? []);
      if (chosen.length === 0) return;
      setReading(true);
      let firstError: ErrorInfo | null = null;
      const picked: PickedFile[] = [];
      for (const file of chosen) {
        const tooLarge = maxBytes === null ? null : sizeError(file, maxBytes);
        if (tooLarge) {
          firstError ??= tooLarge;
          continue;
        }
        try {
          const contentBase64 = await readAsBase64(file);
          const mimeType = file.type || 'application/octet-stream';
          picked.push({
            key: `f${nextKey++}`,
            fileName: file.name,
            mimeType,
            sizeBytes: file.size,
            upload: { fileName: file.name, mimeType, contentBase64 },
          });
        } catch {
          firstError ??= { code: 'attachments.badContent', params: { fileName: file.name } };
        }
      }
      setFiles((current) => [...current, ...picked]);
      setError(firstError);
      setReading(false);
    },
    [maxBytes],
  );

  const remove = useCallback((key: string) => {
    setFiles((current) => current.filter((f) => f.key !== key));
    setError(null);
  }, []);

  const clear = useCallback(() => {
    setFiles([]);
    setError(null);
  }, []);

  return { files, error, reading, add, remove, clear, setError, uploads: files.map((f) => f.upload) };
}

export type Evidence = ReturnType<typeof useEvidence>;

/** Fetches an attachment and hands it to the browser as a download. Throws ApiError. */
export async function downloadAttachment(attachmentId: string): Promise<void> {
  const file = await call('attachments.read', { attachmentId });
  saveBlob(base64ToBlob(file.contentBase64, file.mimeType || 'application/octet-stream'), file.fileName);
}

export { toErrorInfo } from '../../app/errors';
