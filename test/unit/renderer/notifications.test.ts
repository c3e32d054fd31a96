/// <reference types="vite/client" />
/**
 * Notifications in the renderer (issue 14): what each kind says in Spanish and English (the item's
 * folio, never its content) and where it leads; and the desktop app's decision of which new
 * notifications become OS notifications, which the thin Electron bridge then only shows.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NOTIFICATION_KINDS, type NotificationItem } from '../../../electron/shared/notifications';
import { initI18n, setLocale } from '../../../renderer/i18n';
import { notificationRoute, notificationText } from '../../../renderer/features/notifications/describe';
import { nextSince, OS_BURST, osNoticesToShow } from '../../../renderer/features/notifications/desktop';

import.meta.glob('../../../renderer/features/*/strings.ts', { eager: true });
import.meta.glob('../../../renderer/{app,components}/strings.ts', { eager: true });

beforeAll(async () => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  await initI18n('es-MX');
});
afterAll(() => vi.unstubAllGlobals());

function item(over: Partial<NotificationItem> = {}): NotificationItem {
  return {
    id: '0190c2a4-0000-7000-8000-000000000001', kind: 'assigned', entity: 'ticket', entityId: '0190c2a4-0000-7000-8000-0000000000aa',
    folio: 'MTY-000123', title: 'No puede timbrar', data: {}, actorName: 'Ana', createdAt: 1000, readAt: null, ...over,
  };
}

const SAMPLES: Record<string, NotificationItem> = {
  assigned: item(),
  escalated: item({ kind: 'escalated', data: { tier: 'operations', direction: 'up' } }),
  customer_message: item({ kind: 'customer_message' }),
  approval: item({ kind: 'approval', entity: 'change_request', data: { role: 'information_owner', requestKind: 'sensitive_change' } }),
  sla_warning: item({ kind: 'sla_warning', data: { metric: 'resolution' } }),
  emergency_review: item({ kind: 'emergency_review', entity: 'emergency_account', data: { requestId: 'x', requestKind: 'sensitive_change' } }),
};

describe('what a notification says', () => {
  it('every kind reads as a sentence with the folio, in both languages, with no code left', async () => {
    for (const locale of ['es-MX', 'en'] as const) {
      await setLocale(locale);
      for (const kind of NOTIFICATION_KINDS) {
        const text = notificationText(SAMPLES[kind]!);
        expect(text).toContain('MTY-000123');
        expect(text).not.toMatch(/notif\.|_|\{\{/);
      }
    }
    await setLocale('es-MX');
    expect(notificationText(SAMPLES.escalated!)).toBe('El ticket MTY-000123 se escaló a Operación');
    expect(notificationText(item({ kind: 'escalated', data: { tier: 'service_desk', direction: 'down' } }))).toBe('El ticket MTY-000123 regresó a Mesa de Servicio');
    expect(notificationText(SAMPLES.approval!)).toBe(
      'La solicitud de cambio de información sensible del ticket MTY-000123 espera su aprobación como Propietario de la información',
    );
    expect(notificationText(SAMPLES.sla_warning!)).toBe('El ticket MTY-000123 está por vencer (resolución)');
  });

  it('each opens its item: the ticket, the change request, the emergency review queue', () => {
    expect(notificationRoute(SAMPLES.assigned!)).toEqual({ name: 'ticket', ticketId: SAMPLES.assigned!.entityId });
    expect(notificationRoute(SAMPLES.approval!)).toEqual({ name: 'request', requestId: SAMPLES.approval!.entityId });
    expect(notificationRoute(SAMPLES.emergency_review!)).toEqual({ name: 'emergencyReviews' });
  });
});

describe('which notifications become OS notifications (desktop)', () => {
  const base = { text: (r: NotificationItem) => `texto ${r.folio}`, summary: (n: number) => `${n} avisos nuevos`, appName: 'Mesa de Ayuda' };
  const rows = [3, 2, 1].map((i) => item({ id: `0190c2a4-0000-7000-8000-00000000000${i}`, folio: `MTY-00000${i}`, createdAt: 1000 + i }));

  it('only those newer than the last poll, oldest first, when the window is not in front', () => {
    expect(osNoticesToShow({ ...base, rows, since: 1001, inFront: false })).toEqual([
      { notificationId: rows[1]!.id, title: 'Mesa de Ayuda', body: 'texto MTY-000002' },
      { notificationId: rows[0]!.id, title: 'Mesa de Ayuda', body: 'texto MTY-000003' },
    ]);
  });

  it('nothing while the window is in front (the bell says it), nothing already read, nothing old', () => {
    expect(osNoticesToShow({ ...base, rows, since: 0, inFront: true })).toEqual([]);
    expect(osNoticesToShow({ ...base, rows: rows.map((r) => ({ ...r, readAt: 5 })), since: 0, inFront: false })).toEqual([]);
    expect(osNoticesToShow({ ...base, rows, since: 1003, inFront: false })).toEqual([]);
  });

  it(`more than ${OS_BURST} at once is one summary that opens the panel`, () => {
    const burst = [5, 4, 3, 2].map((i) => item({ id: `0190c2a4-0000-7000-8000-00000000000${i}`, createdAt: 1000 + i }));
    expect(osNoticesToShow({ ...base, rows: burst, since: 0, inFront: false })).toEqual([{ notificationId: null, title: 'Mesa de Ayuda', body: '4 avisos nuevos' }]);
  });

  it('the next poll starts after the newest seen, never earlier', () => {
    expect(nextSince(0, rows)).toBe(1003);
    expect(nextSince(5000, rows)).toBe(5000);
    expect(nextSince(7, [])).toBe(7);
  });
});
