/**
 * A logo file made safe to store, sync and serve (issue 13, branding): a PNG whose header is a PNG's
 * and whose sides are bounded, or an SVG rebuilt from an allowlist (shapes, gradients, text; no
 * script, no foreignObject, no event handler, no style sheet, no reference outside the file) — or
 * refused with a translated message. Used by core when an administrator saves it and by the server
 * before it serves a synced one (a device is not trusted to have done it). Node only (sanitize-html).
 */
import sanitizeHtml from 'sanitize-html';
import { AppError } from './errors';
import { MAX_LOGO_BYTES, MAX_LOGO_SIDE, pngSize, type LogoType } from './branding';

const SVG_TAGS = [
  'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'title', 'desc',
  'defs', 'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'use', 'symbol',
];
/** Attribute names in lower case (the parser reads them so); the camel-case SVG names are given back on output. */
const SVG_ATTRIBUTES = [
  'id', 'class', 'viewbox', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points',
  'fill', 'fill-opacity', 'fill-rule', 'clip-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'opacity', 'transform', 'offset', 'stop-color', 'stop-opacity',
  'gradientunits', 'gradienttransform', 'spreadmethod', 'fx', 'fy', 'clip-path', 'clippathunits', 'mask', 'maskunits',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'letter-spacing', 'dx', 'dy',
  'preserveaspectratio', 'xmlns', 'version', 'href', 'xlink:href', 'xmlns:xlink', 'role', 'aria-label', 'aria-hidden', 'focusable',
];
const CAMEL: Record<string, string> = {
  viewbox: 'viewBox', lineargradient: 'linearGradient', radialgradient: 'radialGradient', clippath: 'clipPath',
  gradientunits: 'gradientUnits', gradienttransform: 'gradientTransform', spreadmethod: 'spreadMethod', clippathunits: 'clipPathUnits',
  maskunits: 'maskUnits', preserveaspectratio: 'preserveAspectRatio',
};
/** A value that reaches outside the file: url(…) to anything but one of its own ids, or a scheme. */
const OUTSIDE = /url\(\s*['"]?(?!#)|javascript:|data:|https?:|\/\//i;

const SVG_NS = 'http://www.w3.org/2000/svg';

// transformTags runs before the allowlist is applied: the camel-case names it gives back are allowed too.
const withCamel = (names: string[]) => [...names, ...names.map((n) => CAMEL[n]).filter((n): n is string => n !== undefined)];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: withCamel(SVG_TAGS),
  allowedAttributes: { '*': withCamel(SVG_ATTRIBUTES) },
  // href / xlink:href only to an id inside the file (checked below); no scheme is allowed at all.
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // script, style, foreignObject…: dropped with everything inside them.
  nonTextTags: ['script', 'style', 'foreignobject', 'textarea', 'noscript', 'iframe', 'object', 'embed', 'audio', 'video', 'image', 'a'],
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  transformTags: {
    '*': (tagName, attribs) => {
      const kept: Record<string, string> = {};
      for (const [name, value] of Object.entries(attribs)) {
        if ((name === 'href' || name === 'xlink:href') && !/^#[\w.-]+$/.test(value)) continue;
        if (name !== 'xmlns' && name !== 'xmlns:xlink' && OUTSIDE.test(value)) continue;
        kept[CAMEL[name] ?? name] = value;
      }
      if (tagName === 'svg') {
        kept.xmlns = SVG_NS;
        if (kept['xmlns:xlink'] !== undefined) kept['xmlns:xlink'] = 'http://www.w3.org/1999/xlink';
      }
      return { tagName: CAMEL[tagName] ?? tagName, attribs: kept };
    },
  },
};

/**
 * The SVG rebuilt from the allowlist, or null when what is left is not one <svg> image. Idempotent:
 * a sanitized SVG sanitizes to itself.
 */
export function sanitizeSvg(text: string): string | null {
  // No DOCTYPE (entities can expand without bound) and no CDATA tricks: refused before parsing.
  if (/<!DOCTYPE|<!ENTITY|<!\[CDATA\[/i.test(text)) return null;
  const clean = sanitizeHtml(text.replace(/<\?xml[^>]*\?>/i, '').replace(/<!--[\s\S]*?-->/g, ''), OPTIONS).trim();
  if (!/^<svg[\s>]/.test(clean) || !clean.endsWith('</svg>')) return null;
  // One root only.
  if (clean.indexOf('<svg', 1) !== -1 && (clean.match(/<svg[\s>]/g) ?? []).length > 1) return null;
  return clean;
}

/**
 * The logo an administrator chose (file name and bytes), checked and made safe, or an AppError
 * whose field `logo` says why in the user's language. Callers keep the bytes as base64 with their SHA-256.
 */
export function checkLogo(fileName: string, bytes: Uint8Array): { type: LogoType; bytes: Uint8Array } {
  const refuse = (key: string): never => {
    throw new AppError('validation.failed', { max: Math.round(MAX_LOGO_BYTES / 1024), side: MAX_LOGO_SIDE }, { logo: key });
  };
  if (bytes.length === 0) refuse('branding.logoInvalid');
  if (bytes.length > MAX_LOGO_BYTES) refuse('branding.logoTooLarge');
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const png = pngSize(bytes);
  if (png) {
    if (ext !== 'png') refuse('branding.logoType');
    if (png.width > MAX_LOGO_SIDE || png.height > MAX_LOGO_SIDE) refuse('branding.logoSide');
    return { type: 'image/png', bytes };
  }
  if (ext !== 'svg') refuse('branding.logoType');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('branding.logoInvalid');
  }
  const clean = sanitizeSvg(text);
  if (clean === null) return refuse('branding.svgRefused');
  const out = new TextEncoder().encode(clean);
  if (out.length > MAX_LOGO_BYTES) refuse('branding.logoTooLarge');
  return { type: 'image/svg+xml', bytes: out };
}

/** A stored (synced) logo's bytes checked again as if uploaded now: the bytes to serve, or null when they no longer pass. */
export function recheckLogo(type: LogoType, bytes: Uint8Array): Uint8Array | null {
  try {
    const checked = checkLogo(type === 'image/png' ? 'logo.png' : 'logo.svg', bytes);
    return checked.type === type ? checked.bytes : null;
  } catch {
    return null;
  }
}
