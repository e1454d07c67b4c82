import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPanInput, isLuhnValid, luhnCheckDigit, maskPan, panFromSequence, panParts } from '../../src/domain/pan';

const binArb = fc.oneof(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{8}$/));
const generatedPan = fc
  .tuple(binArb, fc.integer({ min: 13, max: 19 }))
  .chain(([bin, length]) =>
    fc.bigInt({ min: 0n, max: 10n ** BigInt(length - bin.length - 1) - 1n }).map((seq) => panFromSequence(bin, seq, length)),
  );

describe('Luhn', () => {
  it('known vectors', () => {
    assert.equal(luhnCheckDigit('7992739871'), '3');
    assert.equal(isLuhnValid('79927398713'), true);
    assert.equal(isLuhnValid('4111111111111111'), true);
    assert.equal(isLuhnValid('4111111111111112'), false);
    assert.equal(isLuhnValid('5555555555554444'), true);
    assert.equal(isLuhnValid(''), false);
    assert.equal(isLuhnValid('4111 1111'), false);
    assert.throws(() => luhnCheckDigit('12a'), TypeError);
  });

  it('every generated PAN passes Luhn', () => {
    fc.assert(fc.property(generatedPan, (pan) => isLuhnValid(pan)));
  });

  it('changing any single digit breaks it', () => {
    fc.assert(
      fc.property(generatedPan, fc.nat(), fc.integer({ min: 1, max: 9 }), (pan, at, delta) => {
        const i = at % pan.length;
        const changed = String((Number(pan[i]) + delta) % 10);
        return !isLuhnValid(pan.slice(0, i) + changed + pan.slice(i + 1));
      }),
    );
  });

  it('any adjacent transposition of different digits except 09/90 breaks it', () => {
    fc.assert(
      fc.property(generatedPan, fc.nat(), (pan, at) => {
        const i = at % (pan.length - 1);
        const a = pan[i]!;
        const b = pan[i + 1]!;
        fc.pre(a !== b && !((a === '0' && b === '9') || (a === '9' && b === '0')));
        return !isLuhnValid(pan.slice(0, i) + b + a + pan.slice(i + 2));
      }),
    );
  });
});

describe('panFromSequence', () => {
  it('BIN, zero-padded sequence and check digit', () => {
    const pan = panFromSequence('400000', 42n);
    assert.equal(pan.length, 16);
    assert.equal(pan.slice(0, 15), '400000000000042');
    assert.ok(isLuhnValid(pan));
    assert.equal(panFromSequence('40000012', 1n, 16).slice(0, 8), '40000012');
  });

  it('distinct sequences give distinct PANs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }), fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }), (a, b) => {
        fc.pre(a !== b);
        return panFromSequence('412345', a) !== panFromSequence('412345', b);
      }),
    );
  });

  it('throws RangeError when the sequence does not fit or inputs are bad', () => {
    assert.throws(() => panFromSequence('400000', 10n ** 9n), RangeError);
    assert.throws(() => panFromSequence('400000', -1n), RangeError);
    assert.throws(() => panFromSequence('40000', 1n), RangeError);
    assert.throws(() => panFromSequence('400000', 1n, 20), RangeError);
    assert.ok(isLuhnValid(panFromSequence('400000', 10n ** 9n - 1n)));
  });
});

describe('masking', () => {
  it('first 6 / last 4', () => {
    assert.equal(maskPan('4000001234567899'), '400000******7899');
    assert.deepEqual(panParts('4000001234567899'), { first6: '400000', last4: '7899' });
    assert.equal(maskPan('12345678'), '****5678');
  });

  it('masks never contain more than 10 digits of the PAN, and hide at least 6 of short ones', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{8,19}$/), (pan) => {
        const mask = maskPan(pan);
        const shown = mask.replace(/\*/g, '').length;
        assert.equal(mask.length, pan.length);
        assert.ok(shown <= 10);
        assert.ok(pan.length - shown >= Math.min(6, pan.length - 4));
        for (let i = 0; i < pan.length; i++) if (mask[i] !== '*') assert.equal(mask[i], pan[i]);
      }),
    );
  });
});

describe('checkPanInput', () => {
  it('strips spaces and dashes', () => {
    assert.deepEqual(checkPanInput('4111 1111-1111 1111'), { ok: true, pan: '4111111111111111' });
  });

  it('refuses malformed input and bad check digits', () => {
    for (const raw of [undefined, null, 4111111111111111, '', '1234567', '12345678901234567890', '4111x11111111111', '9'.repeat(100)]) {
      assert.deepEqual(checkPanInput(raw), { ok: false, reason: 'MALFORMED_PAN' });
    }
    assert.deepEqual(checkPanInput('4111111111111112'), { ok: false, reason: 'BAD_CHECK_DIGIT' });
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (raw) => typeof checkPanInput(raw).ok === 'boolean'));
  });
});
