import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDARS } from '../../../electron/shared/calendar';
import { computeSla, dueWithPauses, matchPolicy, DEFAULT_POLICIES, FALLBACK_POLICY, type SlaPolicy } from '../../../electron/shared/sla';

// Mexico City is UTC-6: 10:00 local = 16:00Z. Monday 2 March 2026.
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, day, hour + 6, minute);
const support = DEFAULT_CALENDARS.find((c) => c.id === 'support')!; // Mon–Fri 9–20
const policy: SlaPolicy = { ...FALLBACK_POLICY, firstResponseMinutes: 120, nextResponseMinutes: 60, resolutionMinutes: 480, calendarId: 'support' };
const base = { createdAt: at(2, 10), firstResponseAt: null, awaitingResponseSince: null, pauses: [], closedAt: null };

describe('SLA clocks', () => {
  it('puts the first-response due moment 2 business hours after creation and warns at 75 %', () => {
    const sla = computeSla(base, policy, support, at(2, 10, 30));
    const first = sla.metrics.find((m) => m.metric === 'first_response')!;
    expect(first.dueAt).toBe(at(2, 12));
    expect(first.warnAt).toBe(at(2, 11, 30));
    expect(sla.state).toBe('ok');
    expect(computeSla(base, policy, support, at(2, 11, 45)).state).toBe('warning');
  });

  it('runs across the night: 8 business hours from Monday 18:00 end Tuesday 15:00', () => {
    const sla = computeSla({ ...base, createdAt: at(2, 18) }, policy, support, at(2, 18));
    expect(sla.metrics.find((m) => m.metric === 'resolution')!.dueAt).toBe(at(3, 15));
  });

  it('records a breach once the due moment passes without a response', () => {
    const sla = computeSla(base, policy, support, at(2, 12, 1));
    expect(sla.state).toBe('breached');
    expect(sla.breaches).toEqual([{ metric: 'first_response', dueAt: at(2, 12) }]);
  });

  it('stops the response clock at the first response: met, no breach', () => {
    const sla = computeSla({ ...base, firstResponseAt: at(2, 11) }, policy, support, at(2, 15));
    const first = sla.metrics.find((m) => m.metric === 'first_response')!;
    expect(first.stoppedAt).toBe(at(2, 11));
    expect(first.elapsedMinutes).toBe(60);
    expect(sla.breaches).toEqual([]);
  });

  it('pauses while En espera and resumes afterwards, moving the due moment by the paused business time', () => {
    const pauses = [{ from: at(2, 10, 30), to: at(2, 11, 30) }];
    expect(dueWithPauses(support, at(2, 10), 120, pauses)).toBe(at(2, 13));
    const waiting = computeSla({ ...base, pauses: [{ from: at(2, 10, 30), to: null }] }, policy, support, at(3, 10));
    expect(waiting.state).toBe('paused');
    expect(waiting.nextBreachAt).toBeNull();
    expect(waiting.metrics.find((m) => m.metric === 'first_response')!.elapsedMinutes).toBe(30);
  });

  it('starts the next-response clock at an unanswered customer message', () => {
    const sla = computeSla({ ...base, firstResponseAt: at(2, 10, 10), awaitingResponseSince: at(2, 14) }, policy, support, at(2, 14, 30));
    const next = sla.metrics.find((m) => m.metric === 'next_response')!;
    expect(next.dueAt).toBe(at(2, 15));
    expect(sla.nextBreachAt).toBe(at(2, 15));
  });

  it('has no first-response clock for phone and chat (attended at once)', () => {
    const phone = matchPolicy(DEFAULT_POLICIES, { plan: 'basic', channel: 'phone', severity: 1, priority: 'normal' });
    expect(phone.id).toBe('phone-chat');
    const sla = computeSla(base, phone, support, at(2, 10));
    expect(sla.metrics.map((m) => m.metric)).toEqual(['resolution']);
  });
});

describe('policy matching', () => {
  it('takes the first match in order and falls back to the stated default', () => {
    expect(matchPolicy(DEFAULT_POLICIES, { plan: 'basic', channel: 'complaint', severity: 3, priority: 'high' }).id).toBe('complaints-2-8');
    expect(matchPolicy(DEFAULT_POLICIES, { plan: 'basic', channel: 'email', severity: 3, priority: 'low' }).id).toBe('severity3-2-8');
    expect(matchPolicy(DEFAULT_POLICIES, { plan: 'advanced', channel: 'email', severity: 1, priority: 'low' }).id).toBe('ticket-email');
    expect(matchPolicy([], { plan: 'basic', channel: 'email', severity: 1, priority: 'low' })).toBe(FALLBACK_POLICY);
    const planOnly: SlaPolicy = { ...policy, id: 'adv', match: { plans: ['advanced'], channels: [], severities: [], priorities: [] } };
    expect(matchPolicy([planOnly], { plan: 'basic', channel: 'email', severity: 1, priority: 'low' }).id).toBe('fallback');
    expect(matchPolicy([planOnly], { plan: 'advanced', channel: 'email', severity: 1, priority: 'low' }).id).toBe('adv');
  });
});
