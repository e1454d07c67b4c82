// The SDK covers every client operation of the API schema: each Query and Mutation (and Subscription) root
// field of schema/api.graphql has an operation document in e2e/operations/ or packages/sdk/operations/,
// every document validates against the schema, operation and fragment names are unique, and codegen
// compiles both folders into the SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, validate, type DefinitionNode, type DocumentNode, type GraphQLObjectType } from 'graphql';

const root = new URL('../../../', import.meta.url);
const OPERATION_FOLDERS = ['e2e/operations', 'packages/sdk/operations'];

function readDocuments(): { file: string; document: DocumentNode }[] {
  return OPERATION_FOLDERS.flatMap((folder) =>
    readdirSync(new URL(`${folder}/`, root))
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => ({ file: `${folder}/${f}`, document: parse(readFileSync(new URL(`${folder}/${f}`, root), 'utf8')) })),
  );
}

const schema = buildSchema(readFileSync(new URL('schema/api.graphql', root), 'utf8'));
const documents = readDocuments();
const definitions: DefinitionNode[] = documents.flatMap((d) => d.document.definitions);

/** `query.account`, `mutation.openAccount`, …: every root field a client may call. */
function rootFields(): string[] {
  const roots: [string, GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([op, type]) => (type ? Object.keys(type.getFields()).map((f) => `${op}.${f}`) : []));
}

function coveredFields(): Set<string> {
  const covered = new Set<string>();
  for (const d of definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const s of d.selectionSet.selections) if (s.kind === Kind.FIELD) covered.add(`${d.operation}.${s.name.value}`);
  }
  return covered;
}

test('every root field of schema/api.graphql has an operation document', () => {
  const covered = coveredFields();
  const missing = rootFields().filter((f) => !covered.has(f));
  assert.deepEqual(missing, [], `add an operation for each of these to packages/sdk/operations/*.graphql: ${missing.join(', ')}`);
});

test('operation and fragment names are unique across both folders', () => {
  const seen = new Map<string, string>();
  for (const { file, document } of documents) {
    for (const d of document.definitions) {
      if ((d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION) || !d.name) continue;
      const key = `${d.kind === Kind.FRAGMENT_DEFINITION ? 'fragment' : 'operation'} ${d.name.value}`;
      assert.ok(!seen.has(key), `${key} is defined in ${seen.get(key)} and ${file}`);
      seen.set(key, file);
    }
  }
});

test('every operation validates against schema/api.graphql', () => {
  const errors = validate(schema, { kind: Kind.DOCUMENT, definitions });
  assert.deepEqual(errors.map((e) => e.message), []);
});

test('codegen compiles both operation folders into the SDK', () => {
  const yaml = readFileSync(new URL('codegen.yml', root), 'utf8');
  const lines = yaml.split('\n');
  const start = lines.indexOf('  packages/sdk/src/generated/graphql.ts:');
  assert.ok(start >= 0, 'codegen.yml has no SDK entry');
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
  const entry = lines.slice(start + 1, end).join('\n');
  for (const folder of OPERATION_FOLDERS) assert.ok(entry.includes(`"${folder}/*.graphql"`), `codegen.yml's SDK entry lacks ${folder}`);
});
