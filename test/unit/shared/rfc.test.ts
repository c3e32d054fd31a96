import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkRfc, GENERIC_RFCS, makeRfc, normalizeRfc, rfcCheckDigit } from '../../../electron/shared/rfc';

// Check digits below were worked out by hand with the SAT mod-11 table, e.g.
// " ABC850101AB": 37·13 + 10·12 + 11·11 + 12·10 + 8·9 + 5·8 + 0·7 + 1·6 + 0·5 + 1·4 + 10·3 + 11·2
// = 1016; 1016 mod 11 = 4; 11 − 4 = 7.
const MORAL = 'ABC850101AB7';
const FISICA = 'PERJ900517H78';

describe('normalizeRfc', () => {
  it('trims, uppercases and removes spaces and hyphens', () => {
    expect(normalizeRfc('  abc-850101 ab7 ')).toBe('ABC850101AB7');
    expect(normalizeRfc('perj - 900517 - h78')).toBe('PERJ900517H78');
  });

  it('uppercases ñ and composes a decomposed Ñ into one character', () => {
    expect(normalizeRfc('muñ040229k28')).toBe('MUÑ040229K28');
    const decomposed = 'MUN\u0303040229K28';
    expect(decomposed.length).toBe(13);
    expect(normalizeRfc(decomposed)).toBe('MUÑ040229K28');
  });
});

describe('rfcCheckDigit', () => {
  it('matches real RFCs published by SAT', () => {
    expect(rfcCheckDigit('SAT970701NN')).toBe('3'); // SAT's own RFC
    expect(rfcCheckDigit('GODE561231GR')).toBe('8'); // example in SAT's RFC instructions
  });

  it('pads morales with a space (hand-computed example)', () => {
    expect(rfcCheckDigit('ABC850101AB')).toBe('7');
  });

  it('maps remainder 0 to "0" and remainder 1 to "A"', () => {
    // 964 + 0·3 + 2·2 = 968 = 88·11 → remainder 0
    expect(rfcCheckDigit('ABC85010102')).toBe('0');
    // 964 + 0·3 + 8·2 = 980 = 89·11 + 1 → remainder 1
    expect(rfcCheckDigit('ABC85010108')).toBe('A');
  });

  it('values Ñ differently from N', () => {
    expect(rfcCheckDigit('MUN040229K2')).toBe('4');
    expect(rfcCheckDigit('MUÑ040229K2')).toBe('8');
  });

  it('rejects wrong lengths and characters outside the SAT table', () => {
    expect(() => rfcCheckDigit('ABC850101A')).toThrow(RangeError);
    expect(() => rfcCheckDigit(FISICA)).toThrow(RangeError);
    expect(() => rfcCheckDigit('abc850101AB')).toThrow(RangeError);
  });
});

describe('checkRfc', () => {
  it('accepts a persona moral with a correct check digit', () => {
    expect(checkRfc(MORAL)).toEqual({
      ok: true,
      normalized: MORAL,
      kind: 'moral',
      warnings: [],
      birthOrIncorporationDate: '1985-01-01',
    });
  });

  it('accepts a persona física with a correct check digit', () => {
    expect(checkRfc(FISICA)).toEqual({
      ok: true,
      normalized: FISICA,
      kind: 'fisica',
      warnings: [],
      birthOrIncorporationDate: '1990-05-17',
    });
    expect(checkRfc('GODE561231GR8')).toMatchObject({ ok: true, kind: 'fisica', birthOrIncorporationDate: '1956-12-31' });
  });

  it('normalizes before validating', () => {
    expect(checkRfc('  abc-850101-ab7 ')).toMatchObject({ ok: true, normalized: MORAL, kind: 'moral' });
    expect(checkRfc('perj 900517 h78')).toMatchObject({ ok: true, normalized: FISICA, kind: 'fisica' });
  });

  it('only warns about a wrong check digit and reports the expected one', () => {
    expect(checkRfc('ABC850101AB1')).toEqual({
      ok: true,
      normalized: 'ABC850101AB1',
      kind: 'moral',
      warnings: ['rfc.checkDigit'],
      expectedCheckDigit: '7',
      birthOrIncorporationDate: '1985-01-01',
    });
    expect(checkRfc('PERJ900517H7A')).toMatchObject({ ok: true, warnings: ['rfc.checkDigit'], expectedCheckDigit: '8' });
  });

  it('omits expectedCheckDigit when the digit is right', () => {
    expect(checkRfc(MORAL)).not.toHaveProperty('expectedCheckDigit');
  });

  it('rejects empty input', () => {
    expect(checkRfc('')).toEqual({ ok: false, normalized: '', error: 'rfc.empty', warnings: [] });
    expect(checkRfc('  - ')).toMatchObject({ ok: false, error: 'rfc.empty' });
  });

  it('rejects lengths other than 12 or 13', () => {
    expect(checkRfc('ABC850101AB')).toMatchObject({ ok: false, error: 'rfc.length' });
    expect(checkRfc('PERJ900517H789')).toMatchObject({ ok: false, error: 'rfc.length' });
    expect(checkRfc('ABC850101AB7').error).toBeUndefined();
  });

  it('rejects a wrong shape', () => {
    expect(checkRfc('1BC850101AB7')).toMatchObject({ ok: false, error: 'rfc.format' }); // digit in letters
    expect(checkRfc('PER1900517H78')).toMatchObject({ ok: false, error: 'rfc.format' }); // digit in letters
    expect(checkRfc('ABCD50101AB7')).toMatchObject({ ok: false, error: 'rfc.format' }); // 4 letters in 12 chars
    expect(checkRfc('PERJ9O0517H78')).toMatchObject({ ok: false, error: 'rfc.format' }); // letter O in date
    expect(checkRfc('ABC850101ABZ')).toMatchObject({ ok: false, error: 'rfc.format' }); // check digit not [0-9A]
    expect(checkRfc('ÁBC850101AB7')).toMatchObject({ ok: false, error: 'rfc.format' }); // accented letter
  });

  it('rejects dates that do not exist', () => {
    expect(checkRfc('ABC990230AB1')).toMatchObject({ ok: false, error: 'rfc.date', kind: 'moral' }); // 30 Feb
    expect(checkRfc('ABC851301AB1')).toMatchObject({ ok: false, error: 'rfc.date' }); // month 13
    expect(checkRfc('ABC850001AB1')).toMatchObject({ ok: false, error: 'rfc.date' }); // month 00
    expect(checkRfc('PERJ900500H71')).toMatchObject({ ok: false, error: 'rfc.date', kind: 'fisica' }); // day 00
    expect(checkRfc('ABC850431AB1')).toMatchObject({ ok: false, error: 'rfc.date' }); // 31 April
    expect(checkRfc('ABC990229AB1')).toMatchObject({ ok: false, error: 'rfc.date' }); // 1999/2099 not leap
  });

  it('accepts leap days, including YY=00 (2000 was leap, 1900 was not)', () => {
    const y2000 = 'ABC000229AB' + rfcCheckDigit('ABC000229AB');
    expect(checkRfc(y2000)).toMatchObject({ ok: true, warnings: [], birthOrIncorporationDate: '2000-02-29' });
    const y1996 = 'ABC960229AB' + rfcCheckDigit('ABC960229AB');
    expect(checkRfc(y1996)).toMatchObject({ ok: true, warnings: [], birthOrIncorporationDate: '1996-02-29' });
  });

  it('accepts the generic RFCs without a check-digit warning', () => {
    // Their last digit does not follow the algorithm (XAXX would need a 4).
    expect(rfcCheckDigit('XAXX01010100')).toBe('4');
    for (const rfc of ['XAXX010101000', 'XEXX010101000']) {
      expect(checkRfc(rfc)).toEqual({ ok: true, normalized: rfc, kind: 'generic', warnings: [] });
    }
    expect(checkRfc('xaxx-010101-000')).toMatchObject({ ok: true, kind: 'generic', normalized: 'XAXX010101000' });
    expect(GENERIC_RFCS).toEqual(['XAXX010101000', 'XEXX010101000']);
  });

  it('treats near-generic RFCs as ordinary ones', () => {
    expect(checkRfc('XAXX010101001')).toMatchObject({
      ok: true,
      kind: 'fisica',
      warnings: ['rfc.checkDigit'],
      expectedCheckDigit: '4',
    });
  });

  it('rejects a persona física whose initials are an inconvenient word', () => {
    for (const word of ['PUTO', 'CACA', 'BUEI', 'MEAS', 'RUIN']) {
      const rfc = `${word}800101AA` + rfcCheckDigit(`${word}800101AA`);
      expect(checkRfc(rfc)).toEqual({ ok: false, normalized: rfc, kind: 'fisica', error: 'rfc.inconvenientWord', warnings: [] });
    }
    expect(checkRfc('puto-800101-aa0')).toMatchObject({ ok: false, error: 'rfc.inconvenientWord' });
    expect(checkRfc('PUTX800101AA6')).toMatchObject({ ok: true, kind: 'fisica', warnings: [] });
  });

  it('accepts Ñ and & in the letters part', () => {
    expect(checkRfc('MUÑ040229K28')).toMatchObject({ ok: true, kind: 'moral', warnings: [], birthOrIncorporationDate: '2004-02-29' });
    expect(checkRfc('A&B991231Z96')).toMatchObject({ ok: true, kind: 'moral', warnings: [], birthOrIncorporationDate: '1999-12-31' });
    expect(checkRfc('ÑAPO000229Q17')).toMatchObject({ ok: true, kind: 'fisica', warnings: [] });
    // Same letters with N instead of Ñ: the digit 8 is now wrong.
    expect(checkRfc('MUN040229K28')).toMatchObject({ ok: true, warnings: ['rfc.checkDigit'], expectedCheckDigit: '4' });
  });
});

describe('makeRfc', () => {
  it('appends the check digit', () => {
    expect(makeRfc('ABC', { y: 1985, m: 1, d: 1 }, 'AB')).toBe(MORAL);
    expect(makeRfc('PERJ', { y: 1990, m: 5, d: 17 }, 'H7')).toBe(FISICA);
    expect(makeRfc('muñ', { y: 2004, m: 2, d: 29 }, 'k2')).toBe('MUÑ040229K28');
    expect(makeRfc('A&B', { y: 1999, m: 12, d: 31 }, 'Z9')).toBe('A&B991231Z96');
  });

  it('replaces the last letter of an inconvenient word with X, as SAT does', () => {
    expect(makeRfc('PUTO', { y: 1980, m: 1, d: 1 }, 'AA')).toBe('PUTX800101AA6');
  });

  it('rejects input that cannot form a valid RFC', () => {
    expect(() => makeRfc('AB', { y: 1985, m: 1, d: 1 }, 'AB')).toThrow(RangeError);
    expect(() => makeRfc('A1C', { y: 1985, m: 1, d: 1 }, 'AB')).toThrow(RangeError);
    expect(() => makeRfc('ABC', { y: 1999, m: 2, d: 30 }, 'AB')).toThrow(RangeError);
    expect(() => makeRfc('ABC', { y: 1899, m: 1, d: 1 }, 'AB')).toThrow(RangeError);
    expect(() => makeRfc('ABC', { y: 1985, m: 1, d: 1 }, 'ABC')).toThrow(RangeError);
  });

  it('always produces RFCs that checkRfc accepts without warnings', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZÑ&');
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    fc.assert(
      fc.property(
        fc.array(letter, { minLength: 3, maxLength: 4 }),
        fc.date({ min: new Date('1960-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.array(alnum, { minLength: 2, maxLength: 2 }),
        (letters, when, homoclave) => {
          const date = { y: when.getUTCFullYear(), m: when.getUTCMonth() + 1, d: when.getUTCDate() };
          const rfc = makeRfc(letters.join(''), date, homoclave.join(''));
          const result = checkRfc(rfc);
          expect(result).toMatchObject({ ok: true, warnings: [], kind: letters.length === 3 ? 'moral' : 'fisica' });
          expect(result.birthOrIncorporationDate).toBe(
            `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`,
          );
        },
      ),
    );
  });
});
