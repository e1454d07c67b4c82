import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLList,
  type GraphQLObjectType,
} from 'graphql';
import { costSchemaFromSdl, documentedListSize, measureOperation, slicingArgumentsOf } from '@baas/server';
import { gatewayConfigSchema } from '../src/config';

// The gateway's defaults and the checked-in supergraph: what production runs.
const defaults = gatewayConfigSchema.parse({ INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) });
const supergraph = readFileSync(defaults.SUPERGRAPH_PATH, 'utf8');
const costSchema = costSchemaFromSdl(supergraph, { defaultListSize: defaults.QUERY_DEFAULT_LIST_SIZE });
const { schema } = costSchema;
const isFederationType = (name: string) => name.startsWith('join__') || name.startsWith('link__') || name.startsWith('__');
type Field = GraphQLField<unknown, unknown>;

/** A literal for a required argument: the shape is all that matters, the estimate never runs it. */
function literal(type: GraphQLInputType, depth = 0): string {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return `[${literal(inner.ofType, depth + 1)}]`;
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const required = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
  }
  if (isScalarType(inner) && (inner.name === 'Int' || inner.name === 'Float')) return '1';
  if (isScalarType(inner) && inner.name === 'Boolean') return 'true';
  return '"x"';
}

function args(field: Field, page: Record<string, string> = {}): string {
  const parts = field.args.filter((a) => page[a.name] !== undefined || (isNonNullType(a.type) && a.defaultValue === undefined)).map((a) => `${a.name}: ${page[a.name] ?? literal(a.type)}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Every scalar of a type, and the scalars of its non-list object fields (one level): what a client shows per item. */
function itemSelection(type: GraphQLObjectType, nested = true): string {
  const parts: string[] = [];
  for (const f of Object.values(type.getFields())) {
    const named = getNamedType(f.type);
    if (isListType(getNullableType(f.type)) || f.args.some((a) => isNonNullType(a.type))) continue;
    if (!isCompositeType(named)) parts.push(f.name);
    else if (nested && isObjectType(named)) parts.push(`${f.name} { ${itemSelection(named, false)} }`);
  }
  return parts.length ? parts.join(' ') : '__typename';
}

/** The cheapest way from a root to each object type: non-list fields first (0-1 BFS). */
function pathsFrom(root: GraphQLObjectType): Map<string, string[]> {
  const paths = new Map<string, string[]>([[root.name, []]]);
  const queue: GraphQLObjectType[] = [root];
  while (queue.length) {
    const type = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) || paths.has(named.name) || isFederationType(named.name)) continue;
      paths.set(named.name, [...paths.get(type.name)!, `${field.name}${args(field)}`]);
      if (isListType(getNullableType(field.type))) queue.push(named);
      else queue.unshift(named);
    }
  }
  return paths;
}

/** The documented maximum page of a list field: its @listSize maximum, else its schema default, else the gateway's default size. */
function maximumPage(field: Field): Record<string, string> {
  const max = documentedListSize(field);
  const page: Record<string, string> = {};
  for (const name of slicingArgumentsOf(field)) page[name] = String(max ?? field.args.find((a) => a.name === name)?.defaultValue ?? defaults.QUERY_DEFAULT_LIST_SIZE);
  for (const a of field.args) {
    if (isListType(getNullableType(a.type)) && isNonNullType(a.type)) page[a.name] = `[${Array.from({ length: max ?? defaults.QUERY_DEFAULT_LIST_SIZE }, () => literal((getNullableType(a.type) as GraphQLList<GraphQLInputType>).ofType)).join(', ')}]`;
  }
  return page;
}

describe('query limits over the supergraph', () => {
  const roots = [schema.getQueryType()!, schema.getMutationType()!].filter(Boolean);
  const checked: string[] = [];
  for (const root of roots) {
    const paths = pathsFrom(root);
    for (const [typeName, path] of paths) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const isList = isListType(getNullableType(field.type));
        const isPage = !isList && slicingArgumentsOf(field).length > 0;
        if (!isObjectType(named) && !isInterfaceType(named)) continue;
        if (!isList && !isPage) continue;
        if (checked.includes(`${typeName}.${field.name}`)) continue;
        checked.push(`${typeName}.${field.name}`);
        const selection = isPage
          ? Object.values((named as GraphQLObjectType).getFields())
              .map((f) => (isListType(getNullableType(f.type)) && isObjectType(getNamedType(f.type)) ? `${f.name} { ${itemSelection(getNamedType(f.type) as GraphQLObjectType)} }` : isCompositeType(getNamedType(f.type)) ? '' : f.name))
              .join(' ')
          : itemSelection(named as GraphQLObjectType);
        const inner = `${field.name}${args(field, maximumPage(field))} { ${selection} }`;
        const query = `${root === schema.getMutationType() ? 'mutation' : 'query'} Max { ${path.reduceRight((acc, step) => `${step} { ${acc} }`, inner)} }`;
        it(`accepts the documented maximum page of ${typeName}.${field.name}`, () => {
          const m = measureOperation(parse(query), 'Max', {}, costSchema);
          assert.ok(m.cost <= defaults.MAX_COST, `${query}\ncosts ${m.cost} > ${defaults.MAX_COST}`);
          assert.ok(m.depth <= defaults.MAX_DEPTH, `${query}\nis ${m.depth} deep`);
        });
      }
    }
  }

  it('found the paged fields (the walk is not empty)', () => {
    for (const name of ['Account.statement', 'LedgerAccount.statement', 'LedgerAccount.transfers', 'Query.ledgerAccounts', 'Query.auditEvents']) assert.ok(checked.includes(name), name);
  });

  it('costs statement(first: 500) under the limit, and three nested pages of 500 far over it', () => {
    const statement = measureOperation(parse('query S($id: ID!) { ledgerAccount(id: $id) { statement(first: 500) { openingBalance entries { transferId at amount runningBalance counterpartyAccountId code metadata } } } }'), 'S', {}, costSchema);
    assert.ok(statement.cost <= defaults.MAX_COST, String(statement.cost));
    const ids = Array.from({ length: 500 }, (_, i) => `"${i}"`).join(',');
    const steered = measureOperation(parse(`query T($n: Int = 500) { ledgerAccounts(ids: [${ids}]) { transfers(first: $n) { edges { node { id } } } } }`), 'T', {}, costSchema);
    assert.ok(steered.cost >= 500 * 500, String(steered.cost));
  });
});
