/**
 * The organization's branding on the customer portal (issue 13): stored as the organization setting
 * `portal.branding` and synced to the central server like the other organization settings (the
 * server's portal reads it from there). Only administrators change it (the contract's method access,
 * enforced in core's handler map); the colours are checked for contrast by the shared schema, the
 * logo's bytes here (PNG as it is, SVG rebuilt from an allowlist), and every change is audited.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { BRANDING_SETTING, DEFAULT_BRANDING, storedBrandingSchema, type brandingUpdateSchema, type BrandingInfo, type StoredBranding, type StoredLogo } from '../shared/branding';
import { checkLogo } from '../shared/branding-logo';
import type { Workspace } from './workspace';

export class Branding {
  constructor(private readonly ws: Workspace) {}

  /** The organization's branding, or the product's when none was set (or what is stored no longer passes). */
  get(): BrandingInfo {
    const raw = this.ws.getSetting(BRANDING_SETTING);
    if (raw) {
      const parsed = storedBrandingSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { ...parsed.data, custom: true };
    }
    return { ...DEFAULT_BRANDING, logo: null, custom: false };
  }

  update(actorId: string, input: z.output<typeof brandingUpdateSchema>): BrandingInfo {
    const before = this.get();
    const logo = input.logo === undefined ? before.logo : input.logo === null ? null : storedLogo(input.logo.fileName, input.logo.data);
    const next: StoredBranding = storedBrandingSchema.parse({ name: input.name, primary: input.primary, accent: input.accent, logo });
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      tx.setSetting(BRANDING_SETTING, JSON.stringify(next));
      // The audit keeps what changed; a logo by its SHA-256 (its bytes are in the setting).
      const seen = (b: StoredBranding) => ({ name: b.name, primary: b.primary, accent: b.accent, logo: b.logo ? `${b.logo.type} ${b.logo.sha256}` : null });
      tx.audit('branding.changed', 'settings', BRANDING_SETTING, { before: before.custom ? seen(before) : null, after: seen(next) });
      tx.outbox('settings', BRANDING_SETTING, 'update', next);
    });
    return { ...next, custom: true };
  }
}

/** The chosen file checked (an SVG rebuilt), kept as base64 with its SHA-256 (its address on the portal). */
function storedLogo(fileName: string, base64: string): StoredLogo {
  const { type, bytes } = checkLogo(fileName, Buffer.from(base64, 'base64'));
  return { type, data: Buffer.from(bytes).toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
