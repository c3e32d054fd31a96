/** The portal's own SHA-256 (for the proof of work where crypto.subtle is missing) equals Node's, at every padding boundary. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits } from '../../../electron/shared/portal';
import { sha256 } from '../../../portal/sha256';

describe('portal sha256', () => {
  it('matches node:crypto for lengths around the 64-byte block and its padding', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 200, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(Buffer.from(sha256(bytes)).toString('hex'), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('counts leading zero bits across bytes', () => {
    expect(leadingZeroBits(Uint8Array.from([0, 0, 0x80]))).toBe(16);
    expect(leadingZeroBits(Uint8Array.from([0, 0x01]))).toBe(15);
    expect(leadingZeroBits(Uint8Array.from([0xff]))).toBe(0);
    expect(leadingZeroBits(Uint8Array.from([0, 0]))).toBe(16);
  });
});
