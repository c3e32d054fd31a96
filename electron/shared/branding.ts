/**
 * The organization's branding on the customer portal (issue 13, item 6): its name, its logo (PNG, or
 * SVG once sanitized) and two colours. Edited by administrators in the app (Administración → Portal),
 * kept as the organization setting `portal.branding` that travels through sync like the other
 * organization settings, and read by the central server's portal. Pure: shared by the app's form,
 * core, the sync apply and the server.
 *
 * Colours must keep the portal readable (WCAG 2.x AA, 4.5:1 for text): the primary colour is the
 * buttons' background under white text and the links' colour on the portal's light backgrounds; the
 * accent is the band behind the portal's heading, under the portal's dark text. A colour that fails
 * is refused with a Spanish message. The dark-mode variants are derived (lightened or darkened until
 * they pass against the dark backgrounds), so a brand never makes the dark portal unreadable.
 */
import { z } from 'zod';
import { str } from './text';

/** The portal's own colours the brand colours are checked against (portal/styles.css keeps the same values). */
export const PORTAL_COLOURS = {
  light: { bg: '#f4f6f9', surface: '#ffffff', text: '#1b2330', primaryText: '#ffffff' },
  dark: { bg: '#12161c', surface: '#1b2129', text: '#e8edf3', primaryText: '#0b1726' },
} as const;

/** WCAG AA for normal text. */
export const AA_TEXT = 4.5;

export const DEFAULT_BRANDING = { name: 'Mesa de Ayuda', primary: '#0b5cad', accent: '#dbe9fb' } as const;

/** The largest logo file: its base64 must fit one synced setting (64 K characters) with room to spare. */
export const MAX_LOGO_BYTES = 40 * 1024;
/** A PNG logo's largest side, in pixels (a logo is shown at most 12 rem high). */
export const MAX_LOGO_SIDE = 2048;
export const LOGO_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

const HEX = /^#[0-9a-f]{6}$/;

type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance of an sRGB colour. */
export function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A ratio as people read it: 4.48 shows as "4.4:1", never rounded up past a limit it misses. */
export function formatRatio(ratio: number, locale = 'es-MX'): string {
  return `${(Math.floor(ratio * 10) / 10).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}:1`;
}

/** What the primary colour is shown on or under in the light portal, and its lowest contrast with them. */
export function primaryContrast(primary: string): number {
  const l = PORTAL_COLOURS.light;
  return Math.min(contrastRatio(primary, l.primaryText), contrastRatio(primary, l.surface), contrastRatio(primary, l.bg));
}

/** The accent is a band under the portal's text. */
export function accentContrast(accent: string): number {
  return contrastRatio(accent, PORTAL_COLOURS.light.text);
}

/** The first mix of `colour` towards `target` (in 2 % steps) that reaches `needed` against every colour of `against`. */
function towards(colour: string, target: string, needed: number, against: readonly string[]): string {
  const from = rgb(colour);
  const to = rgb(target);
  for (let step = 0; step <= 50; step++) {
    const t = step / 50;
    const mixed = hex(from.map((c, i) => c + (to[i]! - c) * t) as Rgb);
    if (against.every((a) => contrastRatio(mixed, a) >= needed)) return mixed;
  }
  return target;
}

export interface BrandPalette {
  light: { primary: string; primaryText: string; accent: string; accentText: string };
  dark: { primary: string; primaryText: string; accent: string; accentText: string };
}

/** The CSS colours the portal applies for a brand, in light and dark mode. */
export function brandPalette(b: { primary: string; accent: string }): BrandPalette {
  const l = PORTAL_COLOURS.light;
  const d = PORTAL_COLOURS.dark;
  return {
    light: { primary: b.primary, primaryText: l.primaryText, accent: b.accent, accentText: l.text },
    dark: {
      primary: towards(b.primary, '#ffffff', AA_TEXT, [d.bg, d.surface, d.primaryText]),
      primaryText: d.primaryText,
      accent: towards(b.accent, '#000000', AA_TEXT, [d.text]),
      accentText: d.text,
    },
  };
}

/** A colour as the form gives it: "#0B5CAD", "0b5cad" or "#0b5" become "#0b5cad". */
export function normalizeColour(input: string): string {
  let s = input.trim().toLowerCase();
  if (!s.startsWith('#')) s = `#${s}`;
  if (/^#[0-9a-f]{3}$/.test(s)) s = `#${s[1]}${s[1]}${s[2]}${s[2]}${s[3]}${s[3]}`;
  return s;
}

const colour = () => str().transform(normalizeColour).pipe(z.string().regex(HEX, 'branding.colourInvalid'));

/** The colours and name, checked for contrast (the form, core and the server share it). */
const brandFields = {
  name: str().trim().min(1, 'validation.required').max(80, 'validation.max'),
  primary: colour(),
  accent: colour(),
};

function checkContrast(v: { primary: string; accent: string }, ctx: z.RefinementCtx): void {
  if (HEX.test(v.primary) && primaryContrast(v.primary) < AA_TEXT) ctx.addIssue({ code: 'custom', path: ['primary'], message: 'branding.primaryContrast' });
  if (HEX.test(v.accent) && accentContrast(v.accent) < AA_TEXT) ctx.addIssue({ code: 'custom', path: ['accent'], message: 'branding.accentContrast' });
}

/** The base64 of a logo file the form sends; its bytes are checked in core (brandingLogo). */
const MAX_LOGO_BASE64 = Math.ceil(MAX_LOGO_BYTES / 3) * 4;

/**
 * branding.update: the name and colours; `logo` is a new file (its name and base64 bytes), null to
 * take the logo away, or absent to keep the one there is.
 */
export const brandingUpdateSchema = z.object({
  ...brandFields,
  logo: z.object({
    fileName: str().trim().min(1, 'validation.required').max(255, 'validation.max'),
    data: str().max(MAX_LOGO_BASE64 + 8, 'branding.logoTooLarge').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'branding.logoInvalid'),
  }).nullable().optional(),
}).superRefine(checkContrast);
export type BrandingUpdate = z.output<typeof brandingUpdateSchema>;

/** A stored logo: the checked (and, for SVG, sanitized) bytes in base64, and their SHA-256 (its address on the portal). */
export const storedLogoSchema = z.object({
  type: z.enum(LOGO_TYPES),
  data: z.string().max(MAX_LOGO_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StoredLogo = z.output<typeof storedLogoSchema>;

/** The setting `portal.branding` as stored and synced (checked again wherever it is read). */
export const storedBrandingSchema = z.object({ ...brandFields, logo: storedLogoSchema.nullable() }).superRefine(checkContrast);
export type StoredBranding = z.output<typeof storedBrandingSchema>;

export const BRANDING_SETTING = 'portal.branding';

/** What the app's screen shows: the stored branding (or the product's) and whether the organization set its own. */
export interface BrandingInfo extends StoredBranding {
  custom: boolean;
}

/** GET /portal/api/branding: what the portal needs to dress itself. */
export const portalBrandingSchema = z.object({
  name: z.string().min(1).max(80),
  logoUrl: z.string().regex(/^\/portal\/logo\/[0-9a-f]{64}$/).nullable(),
  palette: z.object({
    light: z.object({ primary: z.string().regex(HEX), primaryText: z.string().regex(HEX), accent: z.string().regex(HEX), accentText: z.string().regex(HEX) }),
    dark: z.object({ primary: z.string().regex(HEX), primaryText: z.string().regex(HEX), accent: z.string().regex(HEX), accentText: z.string().regex(HEX) }),
  }).nullable(),
});
export type PortalBranding = z.output<typeof portalBrandingSchema>;

/** A PNG's size from its header, or null when the bytes are no PNG with a well-formed IHDR first. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 33 || !sig.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}
