/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n, setLocale } from '../../../renderer/i18n';
import { countdown } from '../../../renderer/features/board/countdown';
import { formatDuration } from '../../../renderer/features/board/duration';
import '../../../renderer/features/board/strings';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 7, 16);

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } }); // initI18n sets <html lang>; no DOM here
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

describe('board durations read as people say them', () => {
  it('Spanish: days and hours in clock time, hours and minutes in business time, labelled hábiles', async () => {
    await setLocale('es-MX');
    expect(formatDuration(5472 * 60, 'natural')).toBe('228 días');
    expect(formatDuration(3 * 1440 + 4 * 60 + 12, 'natural')).toBe('3 días 4 h');
    expect(formatDuration(1440 + 60, 'natural')).toBe('1 día 1 h');
    expect(formatDuration(1440, 'natural')).toBe('1 día');
    expect(formatDuration(80, 'natural')).toBe('1 h 20 min');
    expect(formatDuration(45, 'natural')).toBe('45 min');
    expect(formatDuration(0.5, 'natural')).toBe('menos de 1 min');
    expect(formatDuration(150, 'business')).toBe('2 h 30 min hábiles');
    expect(formatDuration(26 * 60 + 5, 'business')).toBe('26 h hábiles');
    expect(formatDuration(0, 'business')).toBe('menos de 1 min');
  });

  it('English', async () => {
    await setLocale('en');
    expect(formatDuration(5472 * 60, 'natural')).toBe('228 days');
    expect(formatDuration(1440 + 120, 'natural')).toBe('1 day 2 h');
    expect(formatDuration(150, 'business')).toBe('2 h 30 min of business time');
    await setLocale('es-MX');
  });
});

const card = (over: Partial<Parameters<typeof countdown>[0]> & { id: string }) => ({
  slaState: 'ok' as const, dueAt: null, warnAt: null, status: 'open' as const, firstBreachDueAt: null, ...over,
});

describe('board countdowns', () => {
  it('overdue counts clock time since the first missed deadline (no more "vencido hace 5472 h")', () => {
    const late = card({ id: 'a', slaState: 'breached', dueAt: NOW + HOUR, firstBreachDueAt: NOW - 228 * DAY });
    expect(countdown(late, NOW, null)).toEqual({ kind: 'overdue', minutes: 228 * 1440 });
    expect(countdown(card({ id: 'b', dueAt: NOW - 30 * MIN }), NOW, null)).toEqual({ kind: 'overdue', minutes: 30 });
    expect(countdown(card({ id: 'c', dueAt: NOW + 90 * MIN }), NOW, null)).toEqual({ kind: 'due', minutes: 90 });
  });
});

describe('a too-long text says its limit', () => {
  it('"máximo 20 000 caracteres" in Spanish, "at most 20,000 characters" in English; no limit known, the plain message', async () => {
    const { fieldErrorText } = await import('../../../renderer/i18n');
    await import('../../../renderer/i18n/errors');
    await setLocale('es-MX');
    expect(fieldErrorText('validation.tooLong', 20_000)).toBe('El texto es demasiado largo: máximo 20\u00a0000 caracteres.');
    expect(fieldErrorText('validation.tooLong')).toBe('El texto es demasiado largo.');
    await setLocale('en');
    expect(fieldErrorText('validation.tooLong', 20_000)).toBe('The text is too long: at most 20,000 characters.');
    await setLocale('es-MX');
  });
});

describe('closing after a hand-back', () => {
  it('the close dialog starts with the cause and solution of the latest hand-back', async () => {
    const { closePrefill } = await import('../../../renderer/features/ticket/closePrefill');
    expect(closePrefill([])).toEqual({ cause: '', solution: '' });
    expect(closePrefill([
      { kind: 'handed_back', data: { cause: 'Certificado vencido', solution: 'Se renovó' } },
      { kind: 'note', data: {} },
      { kind: 'handed_back', data: { cause: 'CSD revocado', solution: 'Se cargó el CSD nuevo' } },
    ])).toEqual({ cause: 'CSD revocado', solution: 'Se cargó el CSD nuevo' });
  });
});
