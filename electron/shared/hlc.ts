/**
 * Hybrid logical clock (Kulkarni et al.): timestamps that follow wall time but never go
 * backwards and order causally across devices, so offline branches can merge their outboxes.
 * Encoded as a fixed-width string so that string order equals clock order.
 */
export interface Hlc {
  wallMs: number;
  counter: number;
  deviceId: string;
}

export function encodeHlc(h: Hlc): string {
  return `${h.wallMs.toString().padStart(15, '0')}-${h.counter.toString(36).padStart(5, '0')}-${h.deviceId}`;
}

export function decodeHlc(s: string): Hlc {
  const [wall, counter, ...device] = s.split('-');
  return { wallMs: Number(wall), counter: parseInt(counter ?? '0', 36), deviceId: device.join('-') };
}

/** Advances the local clock for a local event. */
export function tickHlc(last: Hlc, nowMs: number): Hlc {
  if (nowMs > last.wallMs) return { wallMs: nowMs, counter: 0, deviceId: last.deviceId };
  return { wallMs: last.wallMs, counter: last.counter + 1, deviceId: last.deviceId };
}

/** Merges a remote timestamp on receipt so that later local events sort after it. */
export function receiveHlc(last: Hlc, remote: Hlc, nowMs: number): Hlc {
  const wallMs = Math.max(last.wallMs, remote.wallMs, nowMs);
  let counter = 0;
  if (wallMs === last.wallMs && wallMs === remote.wallMs) counter = Math.max(last.counter, remote.counter) + 1;
  else if (wallMs === last.wallMs) counter = last.counter + 1;
  else if (wallMs === remote.wallMs) counter = remote.counter + 1;
  return { wallMs, counter, deviceId: last.deviceId };
}

/** How far ahead of the server's clock a device's HLC may run before the server clamps it. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * The HLC the server merges a device's mutation with (issue 11, clock skew): the device's own,
 * unless its wall time is more than the tolerance ahead of `serverNowMs` — then the tolerance's
 * limit. Either way strictly after `lastOfDevice` (that device's previous merged HLC), so one
 * device's writes keep their order. `skewMs` is how far ahead the device's clock was (0: fine).
 */
export function clampHlc(encoded: string, serverNowMs: number, lastOfDevice: string | null): { hlc: string; skewMs: number } {
  const h = decodeHlc(encoded);
  const limit = serverNowMs + MAX_CLOCK_AHEAD_MS;
  const skewMs = h.wallMs > limit ? h.wallMs - serverNowMs : 0;
  let effective: Hlc = skewMs > 0 ? { wallMs: limit, counter: 0, deviceId: h.deviceId } : h;
  if (lastOfDevice !== null && encodeHlc(effective) <= lastOfDevice) effective = tickHlc(decodeHlc(lastOfDevice), effective.wallMs);
  return { hlc: encodeHlc(effective), skewMs };
}
