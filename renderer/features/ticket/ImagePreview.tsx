/**
 * An image attachment shown inline (issue 14): a thumbnail button that opens the image large in a dialog. Only
 * attachments whose recorded type is a validated raster image reach here (core checks the bytes at upload, see
 * electron/shared/images.ts); the bytes come through the API like a download and are shown from a Blob of that
 * type, in an <img>, which never runs scripts. A file the browser cannot decode simply shows no thumbnail.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isPreviewable } from '../../../electron/shared/images';
import type { AttachmentInfo } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { base64ToBlob } from '../../app/files';
import { Dialog } from '../../components';

/** Object URLs by attachment id, so the timeline's re-renders and the dialog reuse one fetch. */
const urls = new Map<string, Promise<string>>();
const MAX_CACHED = 60;

function imageUrl(attachment: AttachmentInfo): Promise<string> {
  let url = urls.get(attachment.id);
  if (!url) {
    url = call('attachments.read', { attachmentId: attachment.id }).then((file) => {
      if (!isPreviewable(file.mimeType)) throw new Error('not a previewable image');
      return URL.createObjectURL(base64ToBlob(file.contentBase64, file.mimeType));
    });
    url.catch(() => urls.delete(attachment.id));
    urls.set(attachment.id, url);
    if (urls.size > MAX_CACHED) {
      const [oldest, gone] = urls.entries().next().value as [string, Promise<string>];
      urls.delete(oldest);
      void gone.then((u) => URL.revokeObjectURL(u), () => undefined);
    }
  }
  return url;
}

export function ImagePreview({ attachment }: { attachment: AttachmentInfo }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let live = true;
    imageUrl(attachment).then((u) => live && setSrc(u), () => live && setBroken(true));
    return () => {
      live = false;
    };
  }, [attachment]);

  if (broken) return null;
  const alt = t('evidence.preview', { fileName: attachment.fileName });
  return (
    <>
      <button type="button" className="image-thumb" aria-label={t('evidence.enlarge', { fileName: attachment.fileName })} onClick={() => setOpen(true)} disabled={!src}>
        {src ? <img src={src} alt={alt} onError={() => setBroken(true)} /> : <span className="image-thumb__placeholder" aria-hidden="true" />}
      </button>
      {/* Always rendered: closing the native dialog gives the focus back to the thumbnail. */}
      <Dialog open={open && Boolean(src)} size="lg" title={t('evidence.imageTitle', { fileName: attachment.fileName })} onClose={() => setOpen(false)}>
        {src ? <img className="image-large" src={src} alt={alt} /> : null}
      </Dialog>
    </>
  );
}
