/**
 * The organization's branding on the portal (issue 13, item 6), end to end on the real server
 * (PostgreSQL and PGlite) with a real branch workspace: an administrator saves name, colours and a
 * logo in the app, the branch pushes the setting, and the portal answers it (GET /portal/api/branding)
 * and serves the logo by its SHA-256 under an image-only policy. What a device pushed is checked again
 * on the server: a colour under AA keeps the product's look, a script put into a stored SVG is not served.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRANDING_SETTING, brandPalette } from '../../../electron/shared/branding';
import { pngOf } from '../../fixtures/png';
import { TestDesk } from '../../fixtures/workspace';
import { BACKENDS, enrolledDesk, startTestServer, type TestServer } from './harness';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`portal branding on ${backend.name}`, () => {
    let server: TestServer;
    const desks: TestDesk[] = [];
    beforeAll(async () => {
      server = await startTestServer(backend);
    }, 240_000);
    afterAll(async () => {
      for (const d of desks) d.close();
      await server?.close();
    });
    const branding = async () => (await fetch(`${server.url}/portal/api/branding`)).json();

    it('the portal answers the product\'s look until a branch pushes the organization\'s; then its name, colours and logo', async () => {
      expect(await branding()).toEqual({ name: 'Mesa de Ayuda', logoUrl: null, palette: null });
      const desk = await enrolledDesk(() => { const d = new TestDesk(); desks.push(d); return d; }, server, 'MTY');
      const png = pngOf(200, 60);
      await desk.call('branding.update', { name: 'Contadores del Norte', primary: '#1a4d2e', accent: '#f5e6b8', logo: { fileName: 'norte.png', data: b64(png) } });
      expect(await desk.call('sync.now', {})).toMatchObject({ push: { rejected: 0 } });
      const sha = createHash('sha256').update(png).digest('hex');
      expect(await branding()).toEqual({
        name: 'Contadores del Norte', logoUrl: `/portal/logo/${sha}`, palette: brandPalette({ primary: '#1a4d2e', accent: '#f5e6b8' }),
      });
      const logo = await fetch(`${server.url}/portal/logo/${sha}`);
      expect(logo.status).toBe(200);
      expect(logo.headers.get('content-type')).toBe('image/png');
      expect(logo.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
      expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await logo.arrayBuffer()).equals(png)).toBe(true);
      // Only the current logo is served: another hash (or an old one) is not found.
      expect((await fetch(`${server.url}/portal/logo/${'0'.repeat(64)}`)).status).toBe(404);
      expect((await fetch(`${server.url}/portal/logo/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    }, 240_000);

    it('checks again what a device pushed: a colour under AA is not used, a script put into a stored SVG is not served', async () => {
      const set = (data: object) => server.db.query(
        "UPDATE entities SET data = $2, updated_seq = updated_seq + 1000 WHERE entity = 'settings' AND entity_id = $1", [BRANDING_SETTING, JSON.stringify(data)],
      );
      await set({ name: 'Norte', primary: '#ffff00', accent: '#f5e6b8', logo: null });
      expect(await branding()).toEqual({ name: 'Mesa de Ayuda', logoUrl: null, palette: null });

      const evil = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><rect width="10" height="10" onclick="alert(2)"/></svg>';
      await set({ name: 'Norte', primary: '#1a4d2e', accent: '#f5e6b8', logo: { type: 'image/svg+xml', data: b64(evil), sha256: 'a'.repeat(64) } });
      const served = await branding();
      expect(served.name).toBe('Norte');
      const svg = await fetch(server.url + served.logoUrl);
      expect(svg.headers.get('content-type')).toBe('image/svg+xml');
      const text = await svg.text();
      expect(text).toContain('<rect width="10" height="10">');
      expect(text).not.toMatch(/script|alert|onclick/);
      expect(served.logoUrl).toBe(`/portal/logo/${createHash('sha256').update(text).digest('hex')}`);
    }, 120_000);
  });
}
