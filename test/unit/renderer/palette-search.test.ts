import { describe, expect, it } from 'vitest';
import { fold, matchScreens, step } from '../../../renderer/features/palette/search';
import { NAV_ITEMS, navItemsFor } from '../../../renderer/app/navItems';

const screens = [{ label: 'Tickets' }, { label: 'Nuevo ticket' }, { label: 'Administración' }, { label: 'Bitácora' }, { label: 'Solicitudes de cambio' }];

describe('command palette search', () => {
  it('folds accents and case', () => {
    expect(fold('Administración BITÁCORA Ñandú')).toBe('administracion bitacora nandu');
  });

  it('matches screens by every word, in menu order, accents ignored', () => {
    expect(matchScreens(screens, 'bitacora').map((s) => s.label)).toStrictEqual(['Bitácora']);
    expect(matchScreens(screens, 'ticket').map((s) => s.label)).toStrictEqual(['Tickets', 'Nuevo ticket']);
    expect(matchScreens(screens, 'ticket nue').map((s) => s.label)).toStrictEqual(['Nuevo ticket']);
    expect(matchScreens(screens, 'ADMINISTRACIÓN').map((s) => s.label)).toStrictEqual(['Administración']);
    expect(matchScreens(screens, '  ')).toHaveLength(screens.length);
    expect(matchScreens(screens, 'factura')).toStrictEqual([]);
  });

  it('moves through results wrapping at both ends', () => {
    expect(step(0, -1, 4)).toBe(3);
    expect(step(3, 1, 4)).toBe(0);
    expect(step(1, 1, 4)).toBe(2);
    expect(step(0, 1, 0)).toBe(0);
  });

  it('offers each screen only to the roles that may open it', () => {
    expect(navItemsFor(['agent']).map((i) => i.route)).not.toContain('admin');
    expect(navItemsFor(['agent']).map((i) => i.route)).not.toContain('auditLog');
    expect(navItemsFor(['supervisor']).map((i) => i.route)).toEqual(expect.arrayContaining(['reports', 'auditLog']));
    expect(navItemsFor(['administrator'])).toHaveLength(NAV_ITEMS.length - 1); // all but the security officer's reviews
    expect(navItemsFor(undefined).every((i) => !i.roles)).toBe(true);
  });
});
