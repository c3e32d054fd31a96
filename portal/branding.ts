/**
 * The organization's colours on the portal, applied under its strict CSP (style-src 'self', no inline
 * styles): one constructed style sheet adopted by the document (CSSOM), built only from colours the
 * shared schema accepted (six-digit hex), for the light and the dark scheme.
 */
import type { PortalBranding } from '../electron/shared/branding';

type Palette = NonNullable<PortalBranding['palette']>;

const vars = (p: Palette['light']) =>
  `--primary: ${p.primary}; --primary-text: ${p.primaryText}; --accent: ${p.accent}; --accent-text: ${p.accentText};`;

let adopted: CSSStyleSheet | null = null;

/** Puts the brand's colours over the portal's own (or takes them away with null). */
export function applyPalette(palette: Palette | null): void {
  if (adopted) {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== adopted);
    adopted = null;
  }
  if (!palette) return;
  const sheet = new CSSStyleSheet();
  sheet.insertRule(`:root { ${vars(palette.light)} }`, 0);
  sheet.insertRule(`@media (prefers-color-scheme: dark) { :root { ${vars(palette.dark)} } }`, 1);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  adopted = sheet;
}
