import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLObjectType } from 'graphql';
import {
  allow,
  applyPermissions,
  createPermissions,
  isInternal,
  publicField,
  restoreFederationResolvers,
  withFederationDefaults,
  type RuleTree,
} from '../src/index';
import { buildSchema, codes, ruleTree, run, who } from './fixtures';

const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Customer { id name } } }';
const alicesRecord = { representations: [{ __typename: 'Customer', id: 'c1' }] };

describe('federation plumbing after applyPermissions', () => {
  const original = buildSchema();
  const schema = applyPermissions(original, createPermissions(ruleTree));

  it('answers _service { sdl } to anyone', async () => {
    const outcome = await run(schema, '{ _service { sdl } }', null);
    assert.deepEqual(outcome.errors, []);
    const sdl = (outcome.data?._service as { sdl: string }).sdl;
    assert.match(sdl, /type Customer\s+@key\(fields: "id"\)/);
    assert.match(sdl, /renameCustomer/);
  });

  it('keeps __resolveReference where @apollo/subgraph 2.x puts it (type.extensions.apollo.subgraph)', () => {
    const before = original.getType('Customer') as GraphQLObjectType;
    const after = schema.getType('Customer') as GraphQLObjectType;
    const reference = (before.extensions as { apollo: { subgraph: { resolveReference: unknown } } }).apollo.subgraph.resolveReference;
    assert.equal(typeof reference, 'function');
    assert.equal((after.extensions as { apollo: { subgraph: { resolveReference: unknown } } }).apollo.subgraph.resolveReference, reference);
    assert.notEqual(after, before, 'applyPermissions returns a new schema');
    assert.equal(typeof before.getFields().name?.resolve, 'undefined', 'the input schema is left unwrapped');
  });

  it('resolves entity references through _entities, and ownsParent decides per caller', async () => {
    for (const identity of [who.alice, who.client, who.operator, who.service]) {
      const outcome = await run(schema, ENTITIES, identity, alicesRecord);
      assert.deepEqual(outcome.errors, [], identity.subject);
      assert.deepEqual(outcome.data, { _entities: [{ __typename: 'Customer', id: 'c1', name: 'Alice' }] });
    }
    for (const identity of [who.bob, who.carol, who.otherClient]) {
      const outcome = await run(schema, ENTITIES, identity, alicesRecord);
      assert.deepEqual(outcome.data, { _entities: [null] }, identity.subject);
      assert.ok(codes(outcome).length > 0 && codes(outcome).every((code) => code === 'FORBIDDEN'));
      assert.deepEqual(outcome.errors.map((error) => error.path?.slice(0, 2)), outcome.errors.map(() => ['_entities', 0]));
    }
    assert.deepEqual(new Set(codes(await run(schema, ENTITIES, null, alicesRecord))), new Set(['UNAUTHENTICATED']));
  });

  it('checks each representation on its own', async () => {
    const outcome = await run(schema, '{ _entities(representations: [{__typename: "Customer", id: "c1"}, {__typename: "Customer", id: "c2"}]) { ... on Customer { name } } }', who.bob);
    assert.deepEqual(outcome.data, { _entities: [null, { name: 'Bob' }] });
    assert.deepEqual(outcome.errors.map((error) => [error.code, error.path]), [['FORBIDDEN', ['_entities', 0, 'name']]]);
  });

  it('does not check __typename: an entity that resolves shows its type name to anyone (the resolver decides what exists)', async () => {
    const outcome = await run(schema, '{ _entities(representations: [{__typename: "Customer", id: "c1"}]) { __typename } }', who.carol);
    assert.deepEqual(outcome, { data: { _entities: [{ __typename: 'Customer' }] }, errors: [] });
  });
});

describe('restoreFederationResolvers', () => {
  it('repairs a wrapped schema that lost __resolveReference and _Entity.resolveType', async () => {
    const original = buildSchema();
    const wrapped = applyPermissions(original, createPermissions(ruleTree));
    // Simulate a graphql-middleware that drops both.
    const customer = wrapped.getType('Customer') as GraphQLObjectType;
    customer.extensions = {};
    const entity = wrapped.getType('_Entity') as unknown as { resolveType: unknown };
    entity.resolveType = undefined;
    // Without __resolveReference the parent is the bare representation, which has no owner: denied, not leaked.
    const broken = await run(wrapped, ENTITIES, who.alice, alicesRecord);
    assert.deepEqual(broken.data, { _entities: [null] });
    assert.deepEqual(codes(broken), ['FORBIDDEN']);

    assert.deepEqual(restoreFederationResolvers(original, wrapped), ['Customer', '_Entity']);
    const repaired = await run(wrapped, ENTITIES, who.alice, alicesRecord);
    assert.deepEqual(repaired, { data: { _entities: [{ __typename: 'Customer', id: 'c1', name: 'Alice' }] }, errors: [] });
    assert.deepEqual(restoreFederationResolvers(original, wrapped), [], 'nothing left to repair');
  });
});

describe('withFederationDefaults', () => {
  it('allows Query._service, Query._entities and _Service without touching the rest', () => {
    const tree = withFederationDefaults({ Query: { ping: publicField } });
    assert.deepEqual(Object.keys(tree).sort(), ['Query', '_Service']);
    assert.deepEqual(Object.keys(tree.Query as object).sort(), ['_entities', '_service', 'ping']);
    assert.equal((tree.Query as Record<string, unknown>)._entities, allow);
  });

  it('keeps a whole-type Query rule as the wildcard and explicit federation rules as they are', () => {
    const tree = withFederationDefaults({ Query: isInternal });
    assert.equal((tree.Query as Record<string, unknown>)['*'], isInternal);
    const explicit = withFederationDefaults({ Query: { _entities: isInternal } });
    assert.equal((explicit.Query as Record<string, unknown>)._entities, isInternal);
  });

  it('adds only what the schema has: a subgraph without entities has no _entities', async () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"]) type Query { ping: String }'),
      resolvers: { Query: { ping: () => 'pong' } },
    });
    const tree: RuleTree = { Query: { ping: publicField } };
    assert.deepEqual(Object.keys(withFederationDefaults(tree, schema).Query as object).sort(), ['_service', 'ping']);
    const secured = applyPermissions(schema, createPermissions(tree));
    const outcome = await run(secured, '{ ping _service { sdl } }', null);
    assert.deepEqual(outcome.errors, []);
  });
});
