/**
 * The organization's branding on the portal (issue 13, item 6): the `portal.branding` setting an
 * administrator saved in the app and a branch pushed, read from the synced rows. Checked again here
 * as if it had just been uploaded (the shared schema's contrast rule; the logo's bytes, an SVG
 * rebuilt from the allowlist) — a device is not trusted to have done it; what fails is not shown and
 * the portal keeps the product's look. Kept per process until the row's updated_seq moves.
 */
import {
  BRANDING_SETTING, brandPalette, DEFAULT_BRANDING, storedBrandingSchema, type PortalBranding, type StoredLogo,
} from '../../electron/shared/branding';
import { createHash } from 'node:crypto';
import { recheckLogo } from '../../electron/shared/branding-logo';
import type { Sql } from '../db';

export interface ServedBranding {
  info: PortalBranding;
  logo: { type: string; bytes: Buffer; sha256: string } | null;
}

const PRODUCT: ServedBranding = { info: { name: DEFAULT_BRANDING.name, logoUrl: null, palette: null }, logo: null };

export class PortalBrandingCache {
  private seq = -1;
  private current: ServedBranding = PRODUCT;

  constructor(private readonly db: Sql) {}

  async get(): Promise<ServedBranding> {
    const [row] = await this.db.query<{ data: unknown; seq: string }>(
      "SELECT data, updated_seq::text AS seq FROM entities WHERE entity = 'settings' AND entity_id = $1", [BRANDING_SETTING],
    );
    const seq = row ? Number(row.seq) : 0;
    if (seq === this.seq) return this.current;
    this.seq = seq;
    this.current = row ? served(row.data) : PRODUCT;
    return this.current;
  }
}

function served(data: unknown): ServedBranding {
  const parsed = storedBrandingSchema.safeParse(data);
  if (!parsed.success) return PRODUCT;
  const b = parsed.data;
  const logo = b.logo ? servable(b.logo) : null;
  return {
    info: { name: b.name, logoUrl: logo ? `/portal/logo/${logo.sha256}` : null, palette: brandPalette(b) },
    logo,
  };
}

/** The stored logo's bytes checked again (an SVG rebuilt from the allowlist), addressed by their SHA-256. */
function servable(logo: StoredLogo): ServedBranding['logo'] {
  const bytes = recheckLogo(logo.type, Buffer.from(logo.data, 'base64'));
  if (!bytes) return null;
  return { type: logo.type, bytes: Buffer.from(bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
}
