import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalize, isLedgerProofError, type CanonicalValue } from '../src/index';

const refused = (e: unknown) => isLedgerProofError(e, 'NON_CANONICAL_VALUE');

// Values canonicalize accepts, with keys drawn from a small alphabet (so reordering matters) plus any Unicode.
const key = fc.oneof(fc.constantFrom('a', 'b', 'B', '10', '9', '', 'é', '\u20ac', '\ud83d\ude00', '\ufb33'), fc.string());
const { value } = fc.letrec<{ value: CanonicalValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.bigInt(),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, fc.option(tie('value'), { nil: undefined, freq: 5 }), { maxKeys: 5 }),
  ),
}));

// A deterministic shuffle (mulberry32) so the property reports a reproducible seed.
function reorder(input: CanonicalValue, seed: number): CanonicalValue {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const walk = (v: CanonicalValue): CanonicalValue => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, child]) => [k, child === undefined ? undefined : walk(child)]));
  };
  return walk(input);
}

// What JSON.parse must give back: bigint as its decimal string, undefined properties gone.
function expectedParse(v: CanonicalValue | undefined): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(expectedParse);
  if (v === null || typeof v !== 'object') return Object.is(v, -0) ? 0 : v;
  // fromEntries, not assignment: a "__proto__" key must stay an own property, as JSON.parse makes it.
  return Object.fromEntries(Object.entries(v).flatMap(([k, child]) => (child === undefined ? [] : [[k, expectedParse(child)]])));
}

describe('canonicalize', () => {
  it('sorts keys by UTF-16 code units, at every depth, with no whitespace', () => {
    assert.equal(canonicalize({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}');
    // RFC 8785 §3.2.3's example: the emoji (a surrogate pair, 0xD83D…) sorts before U+FB33 in UTF-16 order.
    const jcs = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    assert.equal(canonicalize(jcs), '{"\\r":2,"1":4,"\u0080":6,"ö":7,"€":1,"😀":5,"\ufb33":3}');
    // Integer-like keys: JS enumerates them numerically first; canonical order is still by code units.
    assert.equal(canonicalize({ 9: 'a', 10: 'b', a: 'c', B: 'd' }), '{"10":"b","9":"a","B":"d","a":"c"}');
  });

  it('writes scalars: bigint as a decimal string, safe integers as numbers, strings as JSON.stringify does', () => {
    assert.equal(canonicalize(12345678901234567890n), '"12345678901234567890"');
    assert.equal(canonicalize(-5n), '"-5"');
    assert.equal(canonicalize(0n), '"0"');
    assert.equal(canonicalize(Number.MAX_SAFE_INTEGER), '9007199254740991');
    assert.equal(canonicalize(Number.MIN_SAFE_INTEGER), '-9007199254740991');
    assert.equal(canonicalize(-0), '0');
    assert.equal(canonicalize(null), 'null');
    assert.equal(canonicalize([true, false]), '[true,false]');
    assert.equal(canonicalize('q"\\/\b\f\n\r\t\u0001\u007f é€😀'), '"q\\"\\\\/\\b\\f\\n\\r\\t\\u0001\u007f é€😀"');
    // Lone surrogates are escaped (well-formed JSON.stringify), so the text always has a UTF-8 encoding.
    assert.equal(canonicalize('\ud800x\udc00'), '"\\ud800x\\udc00"');
    assert.equal(canonicalize({ a: undefined, b: 1 }), '{"b":1}');
    assert.equal(canonicalize({}), '{}');
    assert.equal(canonicalize([]), '[]');
  });

  it('accepts null-prototype objects and shared (acyclic) references', () => {
    const bare = Object.assign(Object.create(null) as Record<string, CanonicalValue>, { b: 2, a: 1 });
    assert.equal(canonicalize(bare), '{"a":1,"b":2}');
    const shared = { x: 1 };
    assert.equal(canonicalize({ p: shared, q: [shared, shared] }), '{"p":{"x":1},"q":[{"x":1},{"x":1}]}');
    // An own "__proto__" property (JSON.parse makes one) is data like any other key.
    assert.equal(canonicalize(JSON.parse('{"b":2,"__proto__":1}') as CanonicalValue), '{"__proto__":1,"b":2}');
  });

  it('refuses floats, NaN, Infinity and unsafe integers', () => {
    for (const bad of [0.5, -1.25, 1e-7, Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 1e21]) {
      assert.throws(() => canonicalize(bad), refused, String(bad));
      assert.throws(() => canonicalize({ amount: bad }), refused, String(bad));
    }
    fc.assert(
      fc.property(fc.double({ noInteger: true }), (d) => {
        assert.throws(() => canonicalize([d]), refused);
      }),
    );
  });

  it('refuses Dates, Buffers, typed arrays, Maps, class instances, functions, symbols, undefined and cycles', () => {
    class Amount {
      value = 1;
    }
    const bad: unknown[] = [
      new Date(0),
      Buffer.from('x'),
      new Uint8Array(2),
      new Map(),
      new Set(),
      new Amount(),
      /x/,
      () => 1,
      Symbol('s'),
      undefined,
      [undefined],
      [1, , 2],
      { [Symbol('k')]: 1 },
    ];
    for (const value of bad) {
      assert.throws(() => canonicalize(value as CanonicalValue), refused, String(value as never));
      assert.throws(() => canonicalize({ nested: [value] } as CanonicalValue), refused);
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = { back: cyclic };
    assert.throws(() => canonicalize(cyclic as CanonicalValue), (e: unknown) => refused(e) && /cycle/.test(String(e)));
    const loop: unknown[] = [];
    loop.push(loop);
    assert.throws(() => canonicalize(loop as CanonicalValue), refused);
  });

  it('names the offending path', () => {
    assert.throws(() => canonicalize({ transfer: { legs: [{ amount: 1.5 }] } }), /\$\["transfer"\]\["legs"\]\[0\]\["amount"\]/);
  });

  it('is stable under key reordering (property)', () => {
    fc.assert(
      fc.property(value, fc.nat(), (v, seed) => {
        assert.equal(canonicalize(reorder(v, seed)), canonicalize(v));
      }),
      { numRuns: 300 },
    );
  });

  it('is JSON that parses back to the value, with sorted keys and no whitespace outside strings (property)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalize(v);
        const parsed: unknown = JSON.parse(text);
        assert.deepEqual(parsed, expectedParse(v));
        // Re-serializing the parsed value with sorted keys gives the same text (idempotent on its own output).
        assert.equal(canonicalize(parsed as CanonicalValue), text);
        assert.ok(Buffer.from(text, 'utf8').toString('utf8') === text, 'UTF-8 round trip is lossless');
      }),
      { numRuns: 300 },
    );
  });
});
