import { describe, expect, it } from 'vitest';
import {
  accentContrast, brandingUpdateSchema, brandPalette, contrastRatio, DEFAULT_BRANDING, formatRatio, MAX_LOGO_BYTES, PORTAL_COLOURS, primaryContrast,
  storedBrandingSchema,
} from '../../../electron/shared/branding';
import { checkLogo, recheckLogo, sanitizeSvg } from '../../../electron/shared/branding-logo';
import { AppError } from '../../../electron/shared/errors';
import { pngOf } from '../../fixtures/png';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.fields?.logo;
    throw err;
  }
  return undefined;
};

describe('brand colours: WCAG contrast against the portal', () => {
  it('computes the WCAG ratio (black on white is 21:1, a colour on itself 1:1)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#0b5cad', '#0b5cad')).toBeCloseTo(1, 5);
    // #767676 is the lightest grey that passes AA on white.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('never rounds a ratio up past the limit it misses', () => {
    expect(formatRatio(4.48)).toBe('4.4:1');
    expect(formatRatio(21)).toBe('21.0:1');
  });

  it('accepts the product colours and a dark brand blue; refuses a light primary and a dark accent with their own messages', () => {
    expect(brandingUpdateSchema.safeParse({ ...DEFAULT_BRANDING }).success).toBe(true);
    expect(brandingUpdateSchema.safeParse({ name: 'Contadores del Norte', primary: '#1A4D2E', accent: '#F5E6B8' }).success).toBe(true);
    const bad = brandingUpdateSchema.safeParse({ name: 'Contadores del Norte', primary: '#7fb2e5', accent: '#3a3a3a' });
    expect(bad.success).toBe(false);
    const messages = Object.fromEntries(bad.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(messages).toEqual({ primary: 'branding.primaryContrast', accent: 'branding.accentContrast' });
    expect(primaryContrast('#7fb2e5')).toBeLessThan(4.5);
    expect(accentContrast('#3a3a3a')).toBeLessThan(4.5);
  });

  it('normalizes how a colour is typed and refuses what is no colour', () => {
    const ok = brandingUpdateSchema.parse({ name: ' Norte ', primary: '0B5CAD', accent: '#fE0' });
    expect(ok).toMatchObject({ name: 'Norte', primary: '#0b5cad', accent: '#ffee00' });
    const bad = brandingUpdateSchema.safeParse({ name: 'Norte', primary: 'azul', accent: '#ffee00' });
    expect(bad.error!.issues.map((i) => i.message)).toEqual(['branding.colourInvalid']);
  });

  it('derives dark-mode colours that pass AA against the dark portal, whatever the brand', () => {
    for (const primary of ['#0b5cad', '#1a4d2e', '#000000', '#5a1020']) {
      for (const accent of ['#dbe9fb', '#ffffff', '#f5e6b8']) {
        const p = brandPalette({ primary, accent });
        const d = PORTAL_COLOURS.dark;
        expect(contrastRatio(p.dark.primary, d.surface)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(p.dark.primary, d.bg)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(p.dark.primary, p.dark.primaryText)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(p.dark.accent, p.dark.accentText)).toBeGreaterThanOrEqual(4.5);
        expect(p.light).toEqual({ primary, primaryText: '#ffffff', accent, accentText: PORTAL_COLOURS.light.text });
      }
    }
  });

  it('checks a stored (synced) setting the same way: a failing colour from a device is refused', () => {
    expect(storedBrandingSchema.safeParse({ ...DEFAULT_BRANDING, logo: null }).success).toBe(true);
    expect(storedBrandingSchema.safeParse({ ...DEFAULT_BRANDING, primary: '#ffff00', logo: null }).success).toBe(false);
  });
});

describe('logo files', () => {
  it('keeps a PNG as it is', () => {
    const png = pngOf(120, 40);
    const logo = checkLogo('Logo Norte.PNG', png);
    expect(logo.type).toBe('image/png');
    expect(Buffer.from(logo.bytes).equals(png)).toBe(true);
    expect(Buffer.from(recheckLogo('image/png', png)!).equals(png)).toBe(true);
  });

  it('refuses a file too large, a PNG too wide, a PNG named .svg, an empty file and bytes that are no image', () => {
    expect(fieldOf(() => checkLogo('a.png', Buffer.alloc(MAX_LOGO_BYTES + 1, 1)))).toBe('branding.logoTooLarge');
    expect(fieldOf(() => checkLogo('a.png', pngOf(4000, 1)))).toBe('branding.logoSide');
    expect(fieldOf(() => checkLogo('a.svg', pngOf(10, 10)))).toBe('branding.logoType');
    expect(fieldOf(() => checkLogo('a.png', Buffer.alloc(0)))).toBe('branding.logoInvalid');
    expect(fieldOf(() => checkLogo('a.png', Buffer.from('GIF89a……')))).toBe('branding.logoType');
    expect(fieldOf(() => checkLogo('a.gif', Buffer.from('GIF89a……')))).toBe('branding.logoType');
  });

  it('rebuilds an SVG without script, handlers, foreignObject, style sheets or references outside the file', () => {
    const evil = `<?xml version="1.0"?>
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40" onload="alert(1)">
        <script>alert(document.cookie)</script>
        <style>@import url(https://evil.example/x.css);</style>
        <defs><linearGradient id="g"><stop offset="0" stop-color="#0b5cad"/></linearGradient></defs>
        <foreignObject><iframe src="https://evil.example"></iframe></foreignObject>
        <a href="javascript:alert(1)"><text x="0" y="10">clic</text></a>
        <image href="https://tracker.example/pixel.png" width="1" height="1"/>
        <use xlink:href="https://evil.example/sprite.svg#x"/>
        <use href="#g"/>
        <rect width="100" height="40" fill="url(#g)" style="fill:url(https://evil.example/p)" onclick="alert(2)"/>
        <path d="M0 0L10 10" fill="url(https://evil.example/p)"/>
        <text x="5" y="30" font-size="12">Norte &amp; Asociados</text>
      </svg>`;
    const clean = sanitizeSvg(evil)!;
    expect(clean).not.toBeNull();
    for (const gone of ['script', 'alert', 'onload', 'onclick', 'style', 'foreignObject', 'iframe', 'javascript', 'evil.example', 'tracker', '<image', '<a ']) {
      expect(clean).not.toContain(gone);
    }
    expect(clean).toContain('viewBox="0 0 100 40"');
    expect(clean).toContain('<linearGradient id="g">');
    expect(clean).toContain('fill="url(#g)"');
    expect(clean).toContain('<use href="#g"');
    expect(clean).toContain('Norte &amp; Asociados');
    expect(clean.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') || /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(clean)).toBe(true);
    // Idempotent: what is stored sanitizes to itself, so the server's second pass changes nothing.
    expect(sanitizeSvg(clean)).toBe(clean);
    const logo = checkLogo('logo.svg', Buffer.from(evil));
    expect(logo.type).toBe('image/svg+xml');
    expect(Buffer.from(logo.bytes).toString()).toBe(clean);
    expect(Buffer.from(recheckLogo('image/svg+xml', logo.bytes)!).toString()).toBe(clean);
  });

  it('refuses an SVG with a DOCTYPE (entity expansion), one that is no SVG, and one in another encoding', () => {
    expect(fieldOf(() => checkLogo('a.svg', Buffer.from('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')))).toBe('branding.svgRefused');
    expect(fieldOf(() => checkLogo('a.svg', Buffer.from('<html><body>hola</body></html>')))).toBe('branding.svgRefused');
    expect(fieldOf(() => checkLogo('a.svg', Buffer.from([0x3c, 0x73, 0xff, 0xfe])))).toBe('branding.logoInvalid');
  });

  it('a stored logo whose type or bytes were changed on the way is not served', () => {
    expect(recheckLogo('image/svg+xml', pngOf(10, 10))).toBeNull();
    expect(recheckLogo('image/png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'))).toBeNull();
    expect(recheckLogo('image/svg+xml', Buffer.from('<!DOCTYPE x><svg></svg>'))).toBeNull();
  });
});
