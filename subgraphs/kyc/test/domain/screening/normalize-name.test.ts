import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nameTokens, normalizeName } from '../../../src/domain/screening/normalize-name';
import { countryCode } from '../../../src/domain/screening/countries';
import { compareDatesOfBirth, parseListDate } from '../../../src/domain/screening/dates';

describe('normalizeName', () => {
  it('is idempotent on any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (raw) => {
        const once = normalizeName(raw);
        assert.equal(normalizeName(once), once);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives letter/digit tokens without marks, separated by single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (raw) => {
        const out = normalizeName(raw);
        assert.ok(out === '' || /^[\p{L}\p{N}]+( [\p{L}\p{N}]+)*$/u.test(out), JSON.stringify(out));
        assert.ok(!/\p{M}/u.test(out));
        assert.equal(out, out.toLowerCase());
      }),
    );
  });

  it('drops accents, punctuation and name particles as applicants and lists both write them', () => {
    assert.equal(normalizeName('  JOSÉ ANTONIO CÁRDENAS IBÁÑEZ '), 'jose antonio cardenas ibanez');
    assert.equal(normalizeName('Gonçalo Tavares Magalhães'), 'goncalo tavares magalhaes');
    assert.equal(normalizeName('Ana Beatriz Figueiroa de Mello'), 'ana beatriz figueiroa mello');
    assert.equal(normalizeName('João Batista Nakashima dos Santos'), 'joao batista nakashima santos');
    assert.equal(normalizeName('Yusuf bin Harith AL-QADIRI'), 'yusuf harith qadiri');
    assert.equal(normalizeName("Abd al-Rahman D'Ávila, J.R."), 'abd rahman davila jr');
    assert.equal(normalizeName('Straße Ørsted'), 'strasse orsted');
    // A name made only of particles keeps them rather than vanishing.
    assert.equal(normalizeName('De La'), 'de la');
    assert.deepEqual(nameTokens('  '), []);
  });
});

describe('list dates and countries', () => {
  it('reads the dates the lists write', () => {
    assert.deepEqual(parseListDate('14 Mar 1975'), ['1975-03-14']);
    assert.deepEqual(parseListDate('Mar 1975'), ['1975-03']);
    assert.deepEqual(parseListDate('circa 1960'), ['1960']);
    assert.deepEqual(parseListDate('1958 to 1960'), ['1958', '1959', '1960']);
    assert.deepEqual(parseListDate('1970-08-19'), ['1970-08-19']);
    assert.deepEqual(parseListDate('sometime'), []);
  });

  it('compares an applicant date with listed ones', () => {
    assert.equal(compareDatesOfBirth('1975-03-14', ['1975-03-14']), 'EXACT');
    assert.equal(compareDatesOfBirth('1959-06-01', ['1958', '1959', '1960']), 'PARTIAL');
    assert.equal(compareDatesOfBirth('1975-03-14', ['1975-03']), 'PARTIAL');
    assert.equal(compareDatesOfBirth('1980-01-01', ['1975-03-14']), 'MISMATCH');
    assert.equal(compareDatesOfBirth(undefined, ['1975-03-14']), 'UNKNOWN');
    assert.equal(compareDatesOfBirth('1980-01-01', []), 'UNKNOWN');
  });

  it('maps country names and codes to ISO alpha-2', () => {
    assert.equal(countryCode('Brazil'), 'BR');
    assert.equal(countryCode('br'), 'BR');
    assert.equal(countryCode('Democratic Republic of the Congo'), 'CD');
    assert.equal(countryCode('Congo (Democratic Republic of the)'), 'CD');
    assert.equal(countryCode('Atlantis'), 'atlantis');
  });
});
