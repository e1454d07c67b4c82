import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildScreeningIndex, combineScore, screenName, SCREENING_MATCH_THRESHOLD, TYPE_MISMATCH_CAP } from '../../../src/domain/screening/screen-name';
import { soundex } from '../../../src/domain/screening/phonetics';
import { fixtureEntries } from './fixtures';

const { ofac, un, pep } = fixtureEntries();
const index = buildScreeningIndex([...ofac, ...un, ...pep]);
const top = (fullName: string, extra: { dateOfBirth?: string; country?: string } = {}) => screenName(index, { fullName, ...extra })[0];

describe('screenName on the fixture lists', () => {
  it('finds the e2e applicant with every piece of evidence agreeing', () => {
    const hits = screenName(index, { fullName: 'Carlos Eduardo Malvado Ferreira', dateOfBirth: '1975-03-14', country: 'BR' });
    assert.equal(hits.length, 1);
    assert.deepEqual(
      { ...hits[0]!, score: Number(hits[0]!.score.toFixed(6)) },
      {
        list: 'OFAC_SDN',
        category: 'SANCTIONS',
        sourceId: '36001',
        kind: 'INDIVIDUAL',
        matchedName: 'Carlos Eduardo MALVADO FERREIRA',
        listedName: 'Carlos Eduardo MALVADO FERREIRA',
        score: 1,
        nameScore: 1,
        dateOfBirth: 'EXACT',
        country: 'MATCH',
        programs: ['SDNTK', 'ILLICIT-DRUGS-EO14059'],
      },
    );
  });

  for (const [why, query, sourceId] of [
    ['a typo', 'Carlos Eduardo Malvado Fereira', '36001'],
    ['a transposition', 'Carlos Eduardo Mavlado Ferreira', '36001'],
    ['swapped order', 'Malvado Ferreira Carlos Eduardo', '36001'],
    ['a missing middle name', 'Carlos Malvado Ferreira', '36001'],
    ['accents added', 'Cárlos Eduardo Malvado Ferreira', '36001'],
    ['accents dropped', 'Jose Antonio Cardenas Ibanez', 'LYi.905'],
    ['particles dropped', 'Joao Batista Nakashima Santos', '36004'],
    ['a transliteration variant', 'Yousef Harith Al Qadiri', '36002'],
    ['an alias', 'Dmitry Kowalenko', '36010'],
    ['a PEP with particles', 'Ana Beatriz Figueiroa Mello', 'PEP-0004'],
  ] as const) {
    it(`matches despite ${why}`, () => {
      const hit = top(query);
      assert.ok(hit, `no hit for ${query}`);
      assert.equal(hit.sourceId, sourceId);
      assert.ok(hit.score >= SCREENING_MATCH_THRESHOLD);
    });
  }

  it('does not match unrelated common names', () => {
    for (const name of ['Maria Silva', 'Maria da Silva Santos', 'Jose Carlos Pereira', 'Ana Paula Souza', 'Joao Santos', 'Carlos Ferreira', 'Fatima Oliveira', 'Pedro Henrique Costa', 'Omar Silva']) {
      assert.deepEqual(screenName(index, { fullName: name }), [], name);
    }
  });

  it('raises a score with an equal date of birth and country, and lowers it with contradicting ones', () => {
    const name = 'Carlos Eduardo Ferreira';
    const plain = top(name)!;
    const agreeing = top(name, { dateOfBirth: '1975-03-14', country: 'BR' })!;
    assert.ok(agreeing.score > plain.score);
    // The same partial name, born another year in another country, is no longer a possible match.
    assert.equal(top(name, { dateOfBirth: '1990-01-01', country: 'PT' }), undefined);
    assert.equal(plain.dateOfBirth, 'UNKNOWN');
  });

  it('caps a listed party of another kind (a person is not a company)', () => {
    const hit = screenName(index, { fullName: 'Oceano Azul Shipping', kind: 'INDIVIDUAL' }, { threshold: 0 }).find((h) => h.sourceId === '36007');
    assert.ok(hit && hit.score <= TYPE_MISMATCH_CAP);
    assert.equal(screenName(index, { fullName: 'Oceano Azul Shipping SA', kind: 'ENTITY' })[0]?.sourceId, '36007');
  });

  it('returns nothing for an empty name and keeps scores in [0, 1] for any query', () => {
    assert.deepEqual(screenName(index, { fullName: ' - ' }), []);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (q) => {
        for (const hit of screenName(index, { fullName: q }, { threshold: 0 })) assert.ok(hit.score >= 0 && hit.score <= 1);
      }),
    );
  });

  it('indexes every name and alias by token sound, so a query only meets entries that share one', () => {
    assert.equal(index.names.length, ofac.length + un.length + pep.length + [...ofac, ...un, ...pep].reduce((n, e) => n + e.aliases.length, 0));
    const buckets = index.buckets.get(soundex('malvado'));
    assert.ok(buckets && buckets.length === 2 && buckets.every((n) => index.names[n]!.tokens.some((t) => soundex(t) === 'M413')));
    // A name sharing no token sound with the list is never scored against it.
    assert.deepEqual(screenName(index, { fullName: 'Xzqw Vbnm' }, { threshold: 0 }), []);
  });
});

describe('combineScore', () => {
  it('stays in [0, 1] and is monotone in the name score', () => {
    const agreement = fc.constantFrom('EXACT', 'PARTIAL', 'MISMATCH', 'UNKNOWN' as const);
    const country = fc.constantFrom('MATCH', 'MISMATCH', 'UNKNOWN' as const);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), agreement, country, (a, b, d, c) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = combineScore(lo, d, c);
        assert.ok(x >= 0 && x <= 1);
        assert.ok(x <= combineScore(hi, d, c) + 1e-12);
      }),
    );
  });
});
