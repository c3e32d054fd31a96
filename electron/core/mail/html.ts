/**
 * A received message's HTML, made safe to show (issue 12, "Bad input"): sanitize-html keeps the
 * formatting (paragraphs, lists, tables, links, inline styles' absence aside) and drops scripts,
 * event handlers, forms, frames, objects and styles. Remote images are replaced by an empty,
 * inert image unless the agent chose "mostrar imágenes" (a remote image tells the sender the mail
 * was opened, and from where); embedded data: images stay. Links open outside the app.
 */
import sanitizeHtml from 'sanitize-html';

const MAX_HTML = 1_000_000;
const BLANK = 'data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=';

export function sanitizeMailHtml(html: string, remoteImages: boolean): { html: string; remoteImagesBlocked: number } {
  let blocked = 0;
  const clean = sanitizeHtml(html.slice(0, MAX_HTML), {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'span'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      table: ['border', 'cellpadding', 'cellspacing', 'width'],
      font: ['color', 'size'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        if (/^data:image\/(png|gif|jpeg|webp);/i.test(src)) return { tagName, attribs };
        if (!remoteImages && /^https?:/i.test(src)) {
          blocked += 1;
          return { tagName, attribs: { ...attribs, src: BLANK, 'data-remote-src': src } };
        }
        return { tagName, attribs: /^https?:/i.test(src) ? attribs : { ...attribs, src: BLANK } };
      },
    },
  });
  return { html: clean, remoteImagesBlocked: blocked };
}
