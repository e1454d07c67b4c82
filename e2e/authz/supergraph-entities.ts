import { readFileSync } from 'node:fs';
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';

/** One `@join__type(graph: X, key: "...")` of an entity type in the supergraph. */
export type EntityKey = {
  /** The entity type, e.g. `LedgerAccount`. */
  typeName: string;
  /** The subgraph's name as in `@join__graph(name:)`, e.g. `ledger` (the key of TestPlatform.subgraphUrls). */
  graph: string;
  /** The key's field set, e.g. `id`. */
  key: string;
  /** False for `resolvable: false` (a stub the subgraph only references). */
  resolvable: boolean;
};

const REPO_ROOT = new URL('../../', import.meta.url);

export function readSupergraph(): string {
  return readFileSync(new URL('schema/supergraph.graphql', REPO_ROOT), 'utf8');
}

export function readSubgraphSdl(graph: string): DocumentNode {
  return parse(readFileSync(new URL(`subgraphs/${graph}/src/schema.graphql`, REPO_ROOT), 'utf8'));
}

function argument(directive: ConstDirectiveNode, name: string) {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

/**
 * Every `@join__type` with a key in the supergraph, for object and interface types. The graph enum
 * value (ACCOUNTS) is translated to the subgraph's name (accounts) through `join__Graph`.
 */
export function supergraphEntityKeys(sdl: string): EntityKey[] {
  const doc = parse(sdl);
  const graphNames = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const joinGraph = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = joinGraph && argument(joinGraph, 'name');
      if (name?.kind !== Kind.STRING) throw new Error(`join__Graph.${value.name.value} has no name`);
      graphNames.set(value.name.value, name.value);
    }
  }
  if (graphNames.size === 0) throw new Error('the supergraph has no join__Graph enum');

  const keys: EntityKey[] = [];
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const key = argument(directive, 'key');
      if (!key) continue;
      const graph = argument(directive, 'graph');
      const resolvable = argument(directive, 'resolvable');
      if (graph?.kind !== Kind.ENUM || key.kind !== Kind.STRING) throw new Error(`malformed @join__type on ${def.name.value}`);
      const graphName = graphNames.get(graph.value);
      if (!graphName) throw new Error(`@join__type on ${def.name.value} names an unknown graph ${graph.value}`);
      keys.push({
        typeName: def.name.value,
        graph: graphName,
        key: key.value,
        resolvable: resolvable?.kind === Kind.BOOLEAN ? resolvable.value : true,
      });
    }
  }
  return keys;
}

/** Entity types: those with a resolvable key in at least one graph. */
export function entityTypeNames(keys: readonly EntityKey[]): string[] {
  return [...new Set(keys.filter((k) => k.resolvable).map((k) => k.typeName))].sort();
}

const BUILT_IN_SCALARS = new Set(['ID', 'String', 'Int', 'Float', 'Boolean']);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function hasRequiredArgument(field: FieldDefinitionNode): boolean {
  return (field.arguments ?? []).some((a) => a.type.kind === Kind.NON_NULL_TYPE && !a.defaultValue);
}

/** A subgraph SDL's types as far as selections need them. */
export class SubgraphTypes {
  private readonly fields = new Map<string, FieldDefinitionNode[]>();
  private readonly leaves = new Set(BUILT_IN_SCALARS);

  constructor(doc: DocumentNode) {
    for (const def of doc.definitions) {
      switch (def.kind) {
        case Kind.SCALAR_TYPE_DEFINITION:
        case Kind.ENUM_TYPE_DEFINITION:
          this.leaves.add(def.name.value);
          break;
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_DEFINITION:
          this.fields.set(def.name.value, [...(this.fields.get(def.name.value) ?? []), ...(def.fields ?? [])]);
          break;
        default:
          break;
      }
    }
  }

  has(typeName: string): boolean {
    return this.fields.has(typeName);
  }

  /** The names of the type's leaf fields (scalars and enums, lists of them included) that need no arguments. */
  leafFields(typeName: string): string[] {
    const fields = this.fields.get(typeName);
    if (!fields) throw new Error(`the subgraph SDL has no type ${typeName}`);
    return fields.filter((f) => !hasRequiredArgument(f) && this.leaves.has(namedType(f.type))).map((f) => f.name.value);
  }

  /** Each selectable field of the type on its own, as `name` or `name { ... }` (objects expanded up to `depth`). */
  fieldSelections(typeName: string, depth: number): { field: string; selection: string }[] {
    const fields = this.fields.get(typeName);
    if (!fields) throw new Error(`the subgraph SDL has no type ${typeName}`);
    return fields.flatMap((field) => {
      if (hasRequiredArgument(field)) return [];
      const target = namedType(field.type);
      if (this.leaves.has(target)) return [{ field: field.name.value, selection: field.name.value }];
      const inner = this.fields.has(target) ? this.selection(target, depth) : '';
      return inner ? [{ field: field.name.value, selection: `${field.name.value} ${inner}` }] : [];
    });
  }

  /**
   * A selection set for the type: every field that needs no arguments, objects expanded up to `depth`
   * levels (an object field whose expansion is empty is left out). Depth 0: leaf fields only. An empty
   * string when nothing is selectable.
   */
  selection(typeName: string, depth: number): string {
    const fields = this.fields.get(typeName);
    if (!fields) throw new Error(`the subgraph SDL has no type ${typeName}`);
    const parts: string[] = [];
    for (const field of fields) {
      if (hasRequiredArgument(field)) continue;
      const target = namedType(field.type);
      if (this.leaves.has(target)) parts.push(field.name.value);
      else if (depth > 0 && this.fields.has(target)) {
        const inner = this.selection(target, depth - 1);
        if (inner) parts.push(`${field.name.value} ${inner}`);
      }
    }
    return parts.length ? `{ ${parts.join(' ')} }` : '';
  }
}
