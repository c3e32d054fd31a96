/// <reference types="vite/client" />
/**
 * Dates are formatted with formatters built once and reused (the ticket list formats two dates per
 * row it paints): the reused formatter must still follow the branch's time zone and the language.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../renderer/i18n';
import { useBoot } from '../../../renderer/app/boot';
import { formatDateTime, formatDay, formatRelative } from '../../../renderer/app/format';
import { formatDateTime as formatTicketDateTime } from '../../../renderer/features/ticket/format';
import { i18next } from '../../../renderer/i18n';
import type { AppStatus } from '../../../electron/shared/types';

const AT = Date.UTC(2026, 11, 7, 3, 30); // 21:30 on the 6th in Mexico City, 12:30 on the 7th in Tokyo

function branchZone(timeZone: string): void {
  useBoot.setState({ status: { branch: { timeZone } } as unknown as AppStatus });
}

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } }); // initI18n sets <html lang>; no DOM here
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

describe('reused date formatters', () => {
  it('follow a change of the branch time zone, and a zone the machine does not know falls back', () => {
    const fresh = (timeZone: string | undefined, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('es-MX', { ...options, timeZone }).format(AT);
    const short: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' };
    const day: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
    branchZone('America/Mexico_City');
    expect(formatDateTime(AT, 'es-MX')).toBe(fresh('America/Mexico_City', short));
    expect(formatDateTime(AT, 'es-MX')).toContain('06/12');
    expect(formatDay(AT, 'es-MX')).toBe(fresh('America/Mexico_City', day));
    branchZone('Asia/Tokyo');
    expect(formatDateTime(AT, 'es-MX')).toBe(fresh('Asia/Tokyo', short));
    expect(formatDateTime(AT, 'es-MX')).toContain('07/12');
    expect(formatDay(AT, 'es-MX')).toBe(fresh('Asia/Tokyo', day));
    branchZone('Marte/Olympus_Mons');
    expect(formatDateTime(AT, 'es-MX')).toBe(fresh(undefined, short));
  });

  it('follow the language', () => {
    branchZone('America/Mexico_City');
    expect(formatRelative(AT - 5 * 60_000, AT, 'es-MX')).toBe('hace 5 minutos');
    expect(formatRelative(AT - 5 * 60_000, AT, 'en')).toBe('5 minutes ago');
    expect(formatDateTime(AT, 'en')).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(AT));
  });

  it('the ticket timeline builds one formatter per language and still follows a change of language', async () => {
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
    const es = new Intl.DateTimeFormat('es-MX', options).format(AT);
    const en = new Intl.DateTimeFormat('en-US', options).format(AT);
    const Real = Intl.DateTimeFormat;
    let built = 0;
    class Counting extends Real {
      constructor(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        super(...args);
        built++;
      }
    }
    Intl.DateTimeFormat = Counting as typeof Intl.DateTimeFormat;
    try {
      for (let i = 0; i < 20; i++) expect(formatTicketDateTime(AT)).toBe(es);
      await i18next.changeLanguage('en');
      for (let i = 0; i < 20; i++) expect(formatTicketDateTime(AT)).toBe(en);
      await i18next.changeLanguage('es-MX');
      expect(formatTicketDateTime(AT)).toBe(es);
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(built).toBeLessThanOrEqual(2); // one per language
  });
});
