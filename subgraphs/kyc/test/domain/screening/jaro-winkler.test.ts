import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bestPairsJaroWinkler, jaro, jaroWinkler, tokenSimilarity } from '../../../src/domain/screening/jaro-winkler';
import { firstCharacterSoundexMatch, soundex } from '../../../src/domain/screening/phonetics';

const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzáç'), minLength: 0, maxLength: 14 });
const token = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 12 });

describe('Jaro-Winkler', () => {
  it('is symmetric, 1 for equal strings and always in [0, 1]', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        const ab = jaroWinkler(a, b);
        assert.equal(ab, jaroWinkler(b, a));
        assert.ok(ab >= 0 && ab <= 1, `${ab}`);
        assert.equal(jaroWinkler(a, a), 1);
        assert.equal(jaro(a, b), jaro(b, a));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the textbook values (MARTHA/MARHTA, DIXON/DICKSONX, DWAYNE/DUANE)', () => {
    assert.equal(jaro('martha', 'marhta').toFixed(4), '0.9444');
    assert.equal(jaroWinkler('martha', 'marhta').toFixed(4), '0.9611');
    assert.equal(jaroWinkler('dixon', 'dicksonx').toFixed(4), '0.8133');
    assert.equal(jaroWinkler('dwayne', 'duane').toFixed(4), '0.8400');
    assert.equal(jaroWinkler('abc', 'xyz'), 0);
  });

  it('token similarity (Watchman customJaroWinkler) is symmetric, in [0, 1], and penalises another first letter and length', () => {
    fc.assert(
      fc.property(token, token, (a, b) => {
        const s = tokenSimilarity(a, b);
        assert.equal(s, tokenSimilarity(b, a));
        assert.ok(s >= 0 && s <= 1);
      }),
    );
    assert.ok(tokenSimilarity('ferreira', 'gerreira') < jaroWinkler('ferreira', 'gerreira'));
    assert.ok(tokenSimilarity('al', 'alexandre') < jaroWinkler('al', 'alexandre'));
  });
});

describe('best-pairs Jaro-Winkler (Watchman BestPairsJaroWinkler)', () => {
  const tokens = fc.array(token, { minLength: 1, maxLength: 5 });

  it('is in [0, 1], and 1 for the same tokens in any order', () => {
    fc.assert(
      fc.property(tokens, tokens, (q, n) => {
        const s = bestPairsJaroWinkler(q, n);
        assert.ok(s >= 0 && s <= 1, `${s}`);
        assert.equal(bestPairsJaroWinkler(n, [...n].reverse()), 1);
      }),
    );
  });

  it('penalises unmatched listed tokens (coverage) and unmatched query tokens', () => {
    const full = bestPairsJaroWinkler(['john', 'doe'], ['john', 'doe']);
    const longer = bestPairsJaroWinkler(['john', 'doe'], ['john', 'bartholomew', 'doe']);
    const extra = bestPairsJaroWinkler(['john', 'bartholomew', 'doe'], ['john', 'doe']);
    assert.equal(full, 1);
    assert.ok(longer < full && longer > 0.8, `${longer}`);
    assert.ok(extra < full, `${extra}`);
  });

  it('gives 0 when nothing shares a first-letter sound class', () => {
    assert.equal(bestPairsJaroWinkler(['maria'], ['ibrahim']), 0);
    assert.equal(bestPairsJaroWinkler([], ['ibrahim']), 0);
  });
});

describe('phonetics', () => {
  it('puts first letters in Watchman sound classes', () => {
    assert.ok(firstCharacterSoundexMatch('carlos', 'karlos'));
    assert.ok(firstCharacterSoundexMatch('yusuf', 'usuf'));
    assert.ok(firstCharacterSoundexMatch('phillip', 'filipe'));
    assert.ok(!firstCharacterSoundexMatch('maria', 'ana'));
    assert.ok(!firstCharacterSoundexMatch('', 'ana'));
  });

  it('computes American Soundex', () => {
    assert.equal(soundex('robert'), 'R163');
    assert.equal(soundex('rupert'), 'R163');
    assert.equal(soundex('ashcraft'), 'A261');
    assert.equal(soundex('tymczak'), 'T522');
    assert.equal(soundex('pfister'), 'P236');
    assert.equal(soundex('ferreira'), soundex('fereira'));
    assert.equal(soundex('1975'), '1975');
  });
});
