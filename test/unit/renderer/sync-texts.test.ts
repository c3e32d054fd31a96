/// <reference types="vite/client" />
/**
 * Sync in words (issue 11): the header indicator's states, every failure code the sync client or
 * server can answer read as a sentence in both languages, and a rejected change shown without
 * codes, ids or JSON.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorMessage, formatCount, i18next, initI18n, setLocale } from '../../../renderer/i18n';
import { describeRejected, indicatorKind, indicatorText, progressText, rejectionTexts, skewText } from '../../../renderer/features/sync/describe';
import type { SyncStatus } from '../../../electron/shared/sync/types';
import '../../../renderer/features/sync/strings';

const NOW = Date.UTC(2026, 11, 7, 16);
const base: SyncStatus = {
  enrolled: true, url: 'https://sync.example.mx', branch: 'MTY', deviceId: '0190a000-0000-7000-8000-000000000001', pending: 0, pendingCapped: false, rejected: 0,
  lastSyncAt: NOW - 3 * 60_000, lastPushAt: null, lastPullAt: null, lastError: null, lastErrorAt: null, clockSkewMs: null, lastChangeAt: null,
  running: false, nextAttemptAt: null,
};

/** Every code a run or an enrolment can end with (client: core/sync/client.ts; server: server/commands, server/app.ts). */
const FAILURES = [
  'offline', 'unreachable', 'serverNotFound', 'tls', 'timeout', 'notSyncServer', 'serverError', 'failed', 'badCode', 'siteMismatch', 'deviceRevoked',
  'badCredential', 'credentialRequired', 'notEnrolled', 'urlInvalid', 'urlInsecure', 'gap', 'auditStalled', 'bodyTooLarge', 'batchTooLarge', 'unknownBranch',
];
/** Every reason the server rejects one mutation with (server/commands/push.ts, requests.ts, shared/sync/permissions.ts). */
const REJECTIONS = [
  'forbidden', 'unknownActor', 'inactiveActor', 'conflict', 'applyFailed', 'secretInPayload', 'foreignMutation', 'unknownEntity', 'seqReused',
  'requestDecided', 'requestRoleDecided', 'requestSamePerson', 'requestNotAllowed', 'requestUnknown', 'badPayload',
];

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

describe('the sync indicator', () => {
  it('says the most urgent state: a problem, then work waiting, then synced', async () => {
    await setLocale('es-MX');
    expect(indicatorText(base, NOW)).toBe('Sincronizado hace 3 minutos');
    expect(indicatorText({ ...base, pending: 2 }, NOW)).toBe('2 cambios pendientes');
    expect(indicatorText({ ...base, pending: 1 }, NOW)).toBe('1 cambio pendiente');
    expect(indicatorText({ ...base, pending: 4, lastError: 'sync.offline' }, NOW)).toBe('Sin conexión · 4 cambios pendientes');
    expect(indicatorText({ ...base, lastError: 'sync.deviceRevoked' }, NOW)).toBe('Error de sincronización');
    expect(indicatorText({ ...base, running: true }, NOW)).toBe('Sincronizando…');
    expect(indicatorKind({ ...base, enrolled: false, lastError: 'sync.offline' })).toBe('standalone');
    await setLocale('en');
    expect(indicatorText(base, NOW)).toBe('Synced 3 minutes ago');
    expect(indicatorText({ ...base, pending: 2 }, NOW)).toBe('2 pending changes');
    await setLocale('es-MX');
  });

  it('a long run says its phase and how far it has come: the indicator in percent, the screen in rows of the estimated total', async () => {
    await setLocale('es-MX');
    const pulling = { ...base, running: true, progress: { phase: 'pull' as const, firstSync: true, done: 41_250, total: 100_000, startedAt: NOW } };
    expect(indicatorText(pulling, NOW)).toBe('Primera sincronización · 41 %');
    expect(progressText(pulling)).toBe(`Recibiendo cambios: ${formatCount(41_250)} de unos ${formatCount(100_000)} (41 %)`);
    const pushing = { ...base, running: true, progress: { phase: 'push' as const, firstSync: false, done: 500, total: 2_000, startedAt: NOW } };
    expect(indicatorText(pushing, NOW)).toBe('Enviando cambios · 25 %');
    // No estimate yet, or a phase without a count: the phase alone; no run: nothing.
    expect(progressText({ ...pulling, progress: { ...pulling.progress, done: 0, total: null } })).toBe('Recibiendo cambios');
    expect(indicatorText({ ...pulling, progress: { ...pulling.progress, total: null } }, NOW)).toBe('Sincronizando…');
    expect(progressText({ ...pulling, running: false })).toBeNull();
    await setLocale('en');
    expect(indicatorText(pulling, NOW)).toBe('First sync · 41 %');
    expect(progressText(pulling)).toBe('Receiving changes: 41,250 of about 100,000 (41 %)');
    await setLocale('es-MX');
  });

  it('a clock difference reads as days and hours', async () => {
    await setLocale('es-MX');
    expect(skewText(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 días 3 h');
    expect(skewText(-20 * 60_000)).toBe('20 min');
  });
});

describe('every failure and rejection has its own sentence in both languages', () => {
  it.each(['es-MX', 'en'] as const)('%s', async (locale) => {
    await setLocale(locale);
    for (const code of FAILURES) {
      expect(i18next.exists(`sync.${code}`), `sync.${code}`).toBe(true);
      const text = errorMessage({ code: `sync.${code}`, params: { expected: 'GDL' } });
      expect(text).not.toMatch(/sync\.[a-z]+[A-Z]|\{\{|[{}]/); // no code left untranslated (the example address is fine)
    }
    const general = rejectionTexts('sync.somethingNew');
    for (const code of REJECTIONS) {
      const r = rejectionTexts(`sync.${code}`);
      expect(r.reason, code).not.toBe(general.reason);
      expect(r.action.length).toBeGreaterThan(10);
    }
    await setLocale('es-MX');
  });
});

describe('a rejected change in words', () => {
  it('names the kind of record and its known fields; ids, nested data and JSON stay out', async () => {
    await setLocale('es-MX');
    const d = describeRejected({
      pushSeq: 7, entity: 'user', entityId: '0190a000-0000-7000-8000-000000000009', op: 'update', reason: 'sync.forbidden', createdAt: NOW,
      payload: { roles: ['administrator'], active: true, customerId: '0190a000-0000-7000-8000-000000000010', contacts: [{ name: 'x' }] },
    });
    expect(d).toEqual({ title: 'Cambio de usuario', fields: ['Roles: Administrador', 'Activo: Sí'] });
    expect(JSON.stringify(d)).not.toMatch(/0190a000|\[\{|contacts/);
    const ticket = describeRejected({
      pushSeq: 8, entity: 'ticket', entityId: '0190a000-0000-7000-8000-000000000011', op: 'insert', reason: 'sync.forbidden', createdAt: NOW,
      payload: { category: 'issue_invoice', priority: 'normal', assigneeId: '0190a000-0000-7000-8000-000000000012', subject: 'Duda de timbrado', severity: 1, tier: 'service_desk' },
    });
    expect(ticket.fields).toEqual(['Asunto: Duda de timbrado', 'Nivel: Mesa de Servicio', 'Severidad: Grado de severidad 1', 'Prioridad: Normal', 'y 1 dato más']);
    expect(rejectionTexts('sync.forbidden').reason).toBe('El rol de quien hizo el cambio no lo permite según el servidor.');
  });
});
