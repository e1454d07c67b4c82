import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, getIntrospectionQuery } from 'graphql';
import fc from 'fast-check';
import { measureOperation } from '../src/query-limits';

describe('measureOperation', () => {
  it('counts depth, aliases and list-weighted cost through fragments', () => {
    const doc = parse(`
      query Q($n: Int) { me { id a: displayName b: displayName ...F } }
      fragment F on Customer { accounts(first: $n) { id customer { id } } }
    `);
    const m = measureOperation(doc, 'Q', { n: 20 });
    assert.equal(m.depth, 4);
    assert.equal(m.aliases, 2);
    // me(1) + id, a, b (3) + accounts (1) + 20 x (id + customer) + 20 x customer.id
    assert.equal(m.cost, 1 + 3 + 1 + 20 * 2 + 20);
  });

  it('ignores introspection so the IDE works under tight limits', () => {
    const m = measureOperation(parse(getIntrospectionQuery()), undefined);
    assert.equal(m.depth, 0);
  });

  it('depth grows by one per nesting level (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (levels) => {
        const query = `{ ${'a { '.repeat(levels - 1)}b${' }'.repeat(levels - 1)} }`;
        assert.equal(measureOperation(parse(query), undefined).depth, levels);
      }),
    );
  });
});
