/// <reference types="vite/client" />
import { describe, expect, it, vi } from 'vitest';
import { i18next, initI18n, registeredStrings, setLocale } from '../../../renderer/i18n';

// Importing every feature's strings module registers it, as renderer/main.tsx does.
const modules = import.meta.glob('../../../renderer/features/*/strings.ts', { eager: true });
import.meta.glob('../../../renderer/{app,components}/strings.ts', { eager: true });

function keys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('user-facing text exists in Spanish (es-MX) and English', () => {
  it('loads the feature string modules', () => {
    expect(Object.keys(modules).length).toBeGreaterThanOrEqual(10);
  });

  it('every string module has exactly the same keys in both languages, and no empty text', () => {
    const problems: string[] = [];
    registeredStrings().forEach((m, i) => {
      const es = new Set(keys(m['es-MX']));
      const en = new Set(keys(m.en));
      for (const k of es) if (!en.has(k)) problems.push(`module ${i}: "${k}" has no English text`);
      for (const k of en) if (!es.has(k)) problems.push(`module ${i}: "${k}" has no Spanish text`);
      for (const [lang, tree] of [['es-MX', m['es-MX']], ['en', m.en]] as const) {
        for (const k of keys(tree)) {
          const value = k.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
          if (typeof value === 'string' && value.trim() === '') problems.push(`module ${i}: "${k}" is empty in ${lang}`);
        }
      }
    });
    expect(problems).toEqual([]);
  });

  it('plural forms, including "zero", are picked by count in both languages', async () => {
    vi.stubGlobal('document', { documentElement: { lang: '' } }); // initI18n sets <html lang>; this test has no DOM
    await initI18n('es-MX');
    expect(i18next.t('slaAdmin.recomputed', { count: 0 })).toContain('no mueve');
    expect(i18next.t('slaAdmin.recomputed', { count: 1 })).toContain('Se recalculó 1 ticket abierto');
    expect(i18next.t('slaAdmin.recomputed', { count: 2 })).toContain('Se recalcularon 2 tickets');
    await setLocale('en');
    expect(i18next.t('slaAdmin.recomputed', { count: 0 })).toContain('moves no open ticket');
    vi.unstubAllGlobals();
  });
});
