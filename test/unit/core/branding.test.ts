/**
 * The portal's branding in core (issue 13): only administrators read or change it (checked in core's
 * handler map, whatever the UI shows), the contrast rule and the logo's checks refuse in Spanish
 * keys and write nothing, an SVG is stored rebuilt, and a saved branding is one audited write whose
 * outbox row carries the setting to the central server.
 */
import { describe, expect, it } from 'vitest';
import { BRANDING_SETTING } from '../../../electron/shared/branding';
import { pngOf } from '../../fixtures/png';
import { auditActions, b64, deskPool, lastSeq } from './helpers';

const desks = deskPool();
const BRAND = { name: 'Contadores del Norte', primary: '#1a4d2e', accent: '#f5e6b8' };

const outboxRows = (desk: Awaited<ReturnType<typeof desks.ready>>) =>
  desk.services.ws.db.prepare("SELECT entity, entity_id AS entityId, op, payload FROM outbox WHERE entity = 'settings' AND entity_id = ?").all(BRANDING_SETTING) as
    { entity: string; entityId: string; op: string; payload: string }[];

describe('portal branding in core', () => {
  it('starts as the product\'s; an administrator saves name, colours and a PNG logo in one audited write that syncs', async () => {
    const desk = await desks.ready();
    expect(await desk.call('branding.get', {})).toMatchObject({ name: 'Mesa de Ayuda', logo: null, custom: false });
    const seq = lastSeq(desk);
    const png = pngOf(240, 80);
    const saved = await desk.call('branding.update', { ...BRAND, primary: '#1A4D2E', logo: { fileName: 'norte.png', data: b64(png) } });
    expect(saved).toMatchObject({ ...BRAND, custom: true, logo: { type: 'image/png' } });
    expect(Buffer.from(saved.logo!.data, 'base64').equals(png)).toBe(true);
    expect(await desk.call('branding.get', {})).toEqual(saved);
    expect(auditActions(desk, seq)).toEqual(['branding.changed']);
    const [row] = outboxRows(desk);
    expect(row).toMatchObject({ op: 'update' });
    expect(JSON.parse(row!.payload)).toEqual({ name: BRAND.name, primary: BRAND.primary, accent: BRAND.accent, logo: saved.logo });
    // Saving again without a logo keeps the one there is; null takes it away.
    expect((await desk.call('branding.update', { ...BRAND, name: 'Norte' })).logo).toEqual(saved.logo);
    expect((await desk.call('branding.update', { ...BRAND, logo: null })).logo).toBeNull();
  });

  it('refuses a colour under AA contrast, a bad logo, and an SVG is stored without its script', async () => {
    const desk = await desks.ready();
    const seq = lastSeq(desk);
    const light = await desk.fail('branding.update', { ...BRAND, primary: '#8ab4f8' });
    expect(light).toMatchObject({ code: 'validation.failed', fields: { primary: 'branding.primaryContrast' } });
    const dark = await desk.fail('branding.update', { ...BRAND, accent: '#505050' });
    expect(dark.fields).toEqual({ accent: 'branding.accentContrast' });
    const gif = await desk.fail('branding.update', { ...BRAND, logo: { fileName: 'logo.png', data: b64('GIF89a not a png') } });
    expect(gif.fields).toEqual({ logo: 'branding.logoType' });
    const doctype = await desk.fail('branding.update', { ...BRAND, logo: { fileName: 'logo.svg', data: b64('<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>') } });
    expect(doctype.fields).toEqual({ logo: 'branding.svgRefused' });
    expect(auditActions(desk, seq).filter((a) => a === 'branding.changed')).toEqual([]);
    expect(outboxRows(desk)).toEqual([]);
    expect((await desk.call('branding.get', {})).custom).toBe(false);

    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10" fill="#1a4d2e"/></svg>';
    const saved = await desk.call('branding.update', { ...BRAND, logo: { fileName: 'logo.svg', data: b64(svg) } });
    const stored = Buffer.from(saved.logo!.data, 'base64').toString();
    expect(saved.logo!.type).toBe('image/svg+xml');
    expect(stored).toContain('<rect width="10" height="10" fill="#1a4d2e">');
    expect(stored).not.toMatch(/script|alert|onload/);
  });

  it('is an administrator\'s: a supervisor is refused in core and nothing changes', async () => {
    const desk = await desks.ready();
    const supervisor = await desk.userWithRoles('supervisora-marca', ['supervisor', 'agent']);
    expect((await desk.fail('branding.update', BRAND, supervisor.token)).code).toBe('auth.forbidden');
    expect((await desk.fail('branding.get', {}, supervisor.token)).code).toBe('auth.forbidden');
    expect(outboxRows(desk)).toEqual([]);
  });
});
