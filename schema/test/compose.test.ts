import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeServices } from '@apollo/composition';
import { parse, buildSchema, Kind } from 'graphql';
import { checkedInApiSchema, checkedInSupergraph, composeSupergraph, withNewline } from '../compose';
import { SUBGRAPHS, subgraphSdl } from '../subgraphs';

describe('supergraph composition', () => {
  it('composes without errors', () => {
    const { errors } = composeSupergraph();
    assert.deepEqual(errors, []);
  });

  it('the checked-in supergraph and API schema match the subgraphs (run `npm run compose`)', () => {
    const { supergraphSdl, apiSdl } = composeSupergraph();
    assert.equal(checkedInSupergraph(), withNewline(supergraphSdl), 'schema/supergraph.graphql is stale: run `npm run compose`');
    assert.equal(checkedInApiSchema(), withNewline(apiSdl), 'schema/api.graphql is stale: run `npm run compose`');
  });

  it('reports a conflict between subgraphs as a composition error', () => {
    const result = composeServices([
      { name: 'a', url: 'http://a', typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Thing @key(fields: "id") { id: ID! size: Int! } type Query { a: Thing }') },
      { name: 'b', url: 'http://b', typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"]) type Thing @key(fields: "id") { id: ID! size: String! } type Query { b: Thing }') },
    ]);
    assert.ok(result.errors && result.errors.length > 0);
  });

  it('every subgraph exposes its entities with @key and documents every field', () => {
    for (const { name } of SUBGRAPHS) {
      const doc = parse(subgraphSdl(name));
      let keyed = 0;
      for (const def of doc.definitions) {
        if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
        if (def.directives?.some((d) => d.name.value === 'key')) keyed += 1;
        for (const field of def.fields ?? []) {
          assert.ok(field.description?.value, `${name}: ${def.name.value}.${field.name.value} has no doc comment`);
        }
      }
      assert.ok(keyed > 0, `${name} has no entity`);
    }
  });

  it('money is never a Float in the API', () => {
    const schema = buildSchema(checkedInApiSchema());
    for (const type of Object.values(schema.getTypeMap())) {
      if (!('getFields' in type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        assert.notEqual(String(field.type).replace(/[!\[\]]/g, ''), 'Float', `${type.name}.${field.name} is a Float`);
      }
    }
  });
});
