import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getIntrospectionQuery, parse } from 'graphql';
import fc from 'fast-check';
import { costSchemaFromSdl, measureOperation, QueryLimitError } from '../src/query-limits';

const SDL = `
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
type Query {
  me: Customer
  account(id: ID!): Account
  accounts(ids: [ID!]!): [Account]! @listSize(assumedSize: 500)
  audit(first: Int): Page! @listSize(assumedSize: 200, slicingArguments: ["first"], sizedFields: ["events"])
  everyone: [Customer!]!
  report: String @cost(weight: 50)
  heavies(first: Int = 4): [Heavy!]!
}
type Heavy @cost(weight: 5) { id: ID! }
type Mutation { open(name: String!): Account! }
type Customer { id: ID! name: String accounts: [Account!] tags: [String!]! }
type Account { id: ID! customer: Customer statement(first: Int = 100): Statement! transfers(first: Int = 50): [Transfer!]! balance: Money! }
type Statement { opening: Money! entries: [Entry!]! }
type Entry { id: ID! amount: Money! }
type Transfer { id: ID! amount: Money! }
type Money { amount: String! currency: String! }
type Page { events: [Event!]! total: Int! }
type Event { id: ID! }
`;
const schema = costSchemaFromSdl(SDL, { defaultListSize: 100 });
const measure = (query: string, variables: Record<string, unknown> = {}) => measureOperation(parse(query), undefined, variables, schema);

describe('measureOperation (schema-aware cost)', () => {
  it('objects cost 1, scalars 0, lists multiply, pages size their lists', () => {
    assert.equal(measure('{ me { id name tags } }').cost, 1);
    // statement(first: 500): the page 1 + opening 1 + 500 x (entry 1 + amount 1)
    assert.equal(measure('{ account(id: "a") { statement(first: 500) { opening { amount } entries { id amount { amount } } } } }').cost, 1 + 1 + 1 + 500 * 2);
  });

  it('uses effective values: variables, variable defaults, schema defaults', () => {
    const q = 'query Q($n: Int = 500) { account(id: "a") { transfers(first: $n) { id } } }';
    assert.equal(measure(q).cost, 1 + 500, 'a variable default counts at its value');
    assert.equal(measure(q, { n: 7 }).cost, 1 + 7, 'the variable given counts');
    assert.equal(measure('{ account(id: "a") { transfers { id } } }').cost, 1 + 50, "an omitted page size counts at the schema's default");
    assert.equal(measure('{ account(id: "a") { statement { entries { id } } } }').cost, 1 + 1 + 100);
  });

  it('a batch lookup counts its keys; a documented maximum counts when nothing is given', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `"${i}"`).join(',');
    assert.equal(measure(`{ accounts(ids: [${ids}]) { id } }`).cost, 500);
    assert.equal(measure('query Q($ids: [ID!]!) { accounts(ids: $ids) { id } }', { ids: ['a', 'b'] }).cost, 2);
    assert.equal(measure('{ audit { events { id } } }').cost, 1 + 200, '@listSize(assumedSize) when first is omitted');
    assert.equal(measure('{ audit(first: 3) { events { id } total } }').cost, 1 + 3);
    assert.equal(measure('{ everyone { id } }').cost, 100, 'the default list size for an unbounded list');
  });

  it('multiplies through nesting (three pages of 500 are 125 million edges)', () => {
    const q = `query Q($n: Int = 500) { accounts(ids: [${Array.from({ length: 500 }, (_, i) => `"${i}"`).join(',')}]) { transfers(first: $n) { amount { currency } } } }`;
    assert.ok(measure(q).cost >= 500 * 500 * 2);
  });

  it('a root mutation field adds 10 once, plus the objects it returns', () => {
    assert.equal(measureOperation(parse('mutation { a: open(name: "x") { id } b: open(name: "y") { id } }'), undefined, {}, schema).cost, 2 * (10 + 1));
  });

  it('reads @cost: a field adds its weight once, a type per item', () => {
    assert.equal(measure('{ report }').cost, 50);
    assert.equal(measure('{ heavies { id } }').cost, 4 * 5);
  });

  it('measures a fragment once, however often it is spread (a 30-wide, 10-level bomb in linear time)', () => {
    let doc = 'query Bomb { me { ...F0 } }\n';
    for (let i = 0; i < 10; i++) {
      const [type, field] = i % 2 === 0 ? ['Customer', 'accounts'] : ['Account', 'customer'];
      const body = i === 9 ? 'id' : Array.from({ length: 30 }, (_, j) => `a${j}: ${field} { ...F${i + 1} }`).join(' ');
      doc += `fragment F${i} on ${type} { ${body} }\n`;
    }
    const m = measure(doc);
    assert.ok(m.aliases > 30 ** 8, 'aliases are counted through every spread');
    assert.ok(m.cost > 1e15);
    assert.equal(m.depth, 11);
  });

  it('refuses a fragment cycle instead of looping', () => {
    assert.throws(() => measure('{ me { ...A } } fragment A on Customer { accounts { customer { ...A } } }'), QueryLimitError);
  });

  it('ignores introspection so the IDE works under tight limits', () => {
    assert.equal(measure(getIntrospectionQuery()).depth, 0);
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
