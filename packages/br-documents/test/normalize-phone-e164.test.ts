import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BRAZIL_AREA_CODES, normalizePhoneE164 } from '../src/index';

describe('normalizePhoneE164, Brazil', () => {
  it('accepts international and national spellings of a mobile', () => {
    for (const input of ['+55 11 91234-5678', '+55 (11) 91234-5678', '+5511912345678', '(11) 91234-5678', '11 91234 5678', '11912345678', '011 91234-5678', ' (11)91234.5678 ']) {
      assert.equal(normalizePhoneE164(input), '+5511912345678', input);
    }
  });

  it('accepts 8-digit landlines starting with 2-5', () => {
    assert.equal(normalizePhoneE164('(21) 3456-7890'), '+552134567890');
    assert.equal(normalizePhoneE164('+55 61 2345-6789'), '+556123456789');
    assert.equal(normalizePhoneE164('(99) 5234-5678'), '+559952345678');
  });

  it('rejects unknown area codes', () => {
    for (const ddd of ['10', '20', '23', '25', '26', '29', '30', '36', '39', '40', '50', '52', '56', '57', '58', '59', '60', '70', '72', '76', '78', '80', '90', '01']) {
      assert.equal(normalizePhoneE164(`(${ddd}) 91234-5678`), null, ddd);
      assert.equal(normalizePhoneE164(`+55 ${ddd} 91234-5678`), null, `+55 ${ddd}`);
    }
    assert.equal(BRAZIL_AREA_CODES.size, 67);
  });

  it('rejects subscriber numbers of the wrong shape', () => {
    for (const input of [
      '(11) 81234-5678', // 9 digits not starting with 9
      '(11) 9123-4567', // 8-digit mobile without its ninth digit
      '(11) 1234-5678', // 8 digits starting with 1
      '(11) 912-3456',
      '(11) 91234-56789',
      '+55 11 81234-5678',
      '+55 11 9123-4567',
    ]) {
      assert.equal(normalizePhoneE164(input), null, input);
    }
  });
});

describe('normalizePhoneE164, other countries and garbage', () => {
  it('accepts other countries only with "+", checking the E.164 shape', () => {
    assert.equal(normalizePhoneE164('+1 (415) 555-2671'), '+14155552671');
    assert.equal(normalizePhoneE164('+44 20 7946 0958'), '+442079460958');
    assert.equal(normalizePhoneE164('+12345678'), '+12345678'); // 8 digits: the minimum
    assert.equal(normalizePhoneE164('+123456789012345'), '+123456789012345'); // 15 digits: the maximum
    assert.equal(normalizePhoneE164('+1234567'), null);
    assert.equal(normalizePhoneE164('+1234567890123456'), null);
    assert.equal(normalizePhoneE164('+0 44 20 7946 0958'), null);
  });

  it('returns null for national numbers when the default country is not Brazil', () => {
    assert.equal(normalizePhoneE164('(415) 555-2671', '1'), null);
    assert.equal(normalizePhoneE164('(11) 91234-5678', '351'), null);
    assert.equal(normalizePhoneE164('+1 415 555 2671', '351'), '+14155552671');
  });

  it('rejects letters, extensions, misplaced or doubled "+", and empty input', () => {
    for (const input of ['', '   ', '+', '11 9123A-5678', '+55 11 91234-5678 ext 2', '++5511912345678', '11+912345678', '+55/11/912345678', '0800 123 4567']) {
      assert.equal(normalizePhoneE164(input), null, input);
    }
  });

  it('any valid Brazilian mobile gives the same E.164 whatever the spelling', () => {
    const ddd = fc.constantFrom(...BRAZIL_AREA_CODES);
    const rest = fc.array(fc.constantFrom(...'0123456789'), { minLength: 8, maxLength: 8 }).map((d) => d.join(''));
    fc.assert(
      fc.property(ddd, rest, (area, subscriber) => {
        const e164 = `+55${area}9${subscriber}`;
        const spellings = [
          `+55 ${area} 9${subscriber.slice(0, 4)}-${subscriber.slice(4)}`,
          `(${area}) 9${subscriber.slice(0, 4)}-${subscriber.slice(4)}`,
          `0${area}9${subscriber}`,
          `${area}9${subscriber}`,
          e164,
        ];
        return spellings.every((spelling) => normalizePhoneE164(spelling) === e164) && normalizePhoneE164(e164) === e164;
      }),
    );
  });
});
