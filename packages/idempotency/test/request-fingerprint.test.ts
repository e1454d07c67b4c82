import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, legacyRequestHash, requestFingerprint } from '../src/index';

/** JSON-like values with bigints: what a normalised request is made of. */
/** Object keys; never __proto__, which plain assignment would turn into a prototype. */
const key = fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__');
const leaf = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.integer(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 5 })),
}));
const object = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });

/** The same object with its keys inserted in another order. */
function reordered(input: Record<string, unknown>, seed: number): Record<string, unknown> {
  const keys = Object.keys(input);
  const shuffled = keys.map((key, i) => ({ key, rank: (i * 7919 + seed) % (keys.length + 13) })).sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key));
  const out: Record<string, unknown> = {};
  for (const { key } of shuffled.reverse()) out[key] = input[key];
  return out;
}

describe('requestFingerprint', () => {
  it('is a SHA-256 hex digest', () => {
    assert.match(requestFingerprint('tenant/v1', { slug: 'acme' }), /^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of object keys, at any depth', () => {
    fc.assert(
      fc.property(fc.string(), object, fc.nat(), (kind, input, seed) => {
        const nested = { outer: input, list: [input] };
        const again = { list: [reordered(input, seed)], outer: reordered(input, seed + 1) };
        assert.equal(requestFingerprint(kind, reordered(input, seed)), requestFingerprint(kind, input));
        assert.equal(requestFingerprint(kind, again), requestFingerprint(kind, nested));
      }),
    );
  });

  it('changes when any value changes', () => {
    fc.assert(
      fc.property(fc.string(), object, value, (kind, input, replacement) => {
        const key = Object.keys(input)[0]!;
        fc.pre(canonicalJson(replacement) !== canonicalJson(input[key]));
        assert.notEqual(requestFingerprint(kind, { ...input, [key]: replacement }), requestFingerprint(kind, input));
      }),
    );
  });

  it('changes with the kind, and with the order of array items', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), value, (a, b, input) => {
        fc.pre(a !== b);
        assert.notEqual(requestFingerprint(a, input), requestFingerprint(b, input));
      }),
    );
    assert.notEqual(requestFingerprint('k', ['a', 'b']), requestFingerprint('k', ['b', 'a']));
  });

  it('writes bigints as decimal strings (an amount parsed or not is one request)', () => {
    fc.assert(
      fc.property(fc.bigInt(), (amount) => {
        assert.equal(requestFingerprint('transfer/v1', { amount }), requestFingerprint('transfer/v1', { amount: amount.toString() }));
      }),
    );
  });

  it('is JSON.stringify of the value with sorted keys and bigints as strings (stored fingerprints never change)', () => {
    // The encoder before it was tuned for the ledger's hot path (map/join, JSON.stringify on every string).
    const reference = (v: unknown): string => {
      if (v === null) return 'null';
      if (typeof v === 'bigint') return JSON.stringify(v.toString());
      if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
      if (typeof v === 'object') {
        const members = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`);
        return `{${members.join(',')}}`;
      }
      return JSON.stringify(v);
    };
    const text = fc.string({ unit: 'binary' });
    fc.assert(fc.property(value, (input) => assert.equal(canonicalJson(input), reference(input))));
    fc.assert(fc.property(text, (input) => assert.equal(canonicalJson([input, { [input]: input }]), JSON.stringify([input, { [input]: input }]))));
    assert.equal(canonicalJson('a"b\\c\u0001\u2028é'), JSON.stringify('a"b\\c\u0001\u2028é'));
  });

  it('leaves out undefined members and refuses values JSON would mangle', () => {
    assert.equal(requestFingerprint('k', { a: 1, b: undefined }), requestFingerprint('k', { a: 1 }));
    assert.equal(canonicalJson({ b: [undefined, new Date(0)], a: 'x' }), '{"a":"x","b":[null,"1970-01-01T00:00:00.000Z"]}');
    for (const bad of [Number.NaN, Infinity, new Map(), Buffer.from('x'), () => 1, Symbol('s')]) {
      assert.throws(() => requestFingerprint('k', { bad }), TypeError);
    }
  });
});

describe('legacyRequestHash', () => {
  it('is the hash rows written before this package store (SHA-256 of JSON.stringify)', () => {
    // subgraphs/identity createTenant before issue 11: sha256(JSON.stringify(['tenant/v1', slug, name, sandbox])).
    assert.equal(legacyRequestHash(['tenant/v1', 'acme', 'Acme', true]), 'ca491669ddd06ba4117ba70a914a7689aba32d97790adabb0d46be49ba5581ea');
    assert.notEqual(legacyRequestHash({ a: 1, b: 2 }), legacyRequestHash({ b: 2, a: 1 }));
  });
});
